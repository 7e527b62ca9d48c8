// Package h5 serves the estimate page linked from the account's menu and
// the JSON API behind it. It is an adapter: it knows HTTP and the engine,
// not the chat dialog. The page is plain HTML, CSS and JavaScript embedded
// in the binary, loads nothing from another origin and keeps nothing about
// its visitors; its inputs live in its URL so a result can be shared.
package h5

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/netip"
	"slices"
	"time"

	"go.uber.org/zap"
	"golang.org/x/time/rate"

	"github.com/yibao/yibao/engine"
)

// Paths the handler answers: mount both on the server's mux.
const (
	PagePath = "/h5/"
	APIPath  = "/api/v1/estimate"
)

//go:embed web/index.html web/app.css web/app.js
var web embed.FS

// Config is what the handler needs. Book and Now are required.
type Config struct {
	Book *engine.Book
	Now  func() time.Time
	Log  *zap.Logger
	// Rate and Burst are each client's budget of estimates: Burst at
	// once, then Rate a second. Zero: 10 at once, then one every 2 s,
	// more than anyone filling the form by hand needs.
	Rate  rate.Limit
	Burst int
	// TrustProxy takes the client's address from the last
	// X-Forwarded-For entry: set it only when a proxy in front of the
	// service always sets that header, or clients choose their own.
	TrustProxy bool
	// Limiter, when set, is the clients' buckets shared across handlers
	// (serve keeps one across reloads); Rate and Burst are then unused.
	Limiter *Limiter
	// ReadAmount reads an amount field: the chat's amount reader in its
	// strict mode (intents.Lexicon.ReadAmount), so that the page takes
	// what the chat suggests ("三万五") and refuses the same things, with
	// engine's amount reasons. Without it a field takes nothing.
	ReadAmount func(string) (engine.Money, error)
}

// Handler serves the page and the API.
type Handler struct {
	book     *engine.Book
	now      func() time.Time
	logger   *zap.Logger
	limits   *Limiter
	amount   func(string) (engine.Money, error)
	clientIP func(*http.Request) netip.Prefix
	hotline  string
	assets   map[string]asset
	mux      *http.ServeMux
}

// asset is an embedded file ready to serve.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// New builds the handler, rendering the page once.
func New(cfg Config) (*Handler, error) {
	if cfg.Book == nil || cfg.Now == nil {
		return nil, errors.New("h5: Book and Now are required")
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	h := &Handler{
		book: cfg.Book, now: cfg.Now, logger: cfg.Log,
		limits:   cfg.Limiter,
		clientIP: remoteIP,
		hotline:  cfg.Book.Newest().Hotlines[0].Number,
		assets:   map[string]asset{},
	}
	if h.limits == nil {
		h.limits = NewLimiter(cfg.Rate, cfg.Burst)
	}
	h.amount = cfg.ReadAmount
	if h.amount == nil {
		h.amount = func(string) (engine.Money, error) { return engine.Money{}, engine.ErrNotAmount }
	}
	if cfg.TrustProxy {
		h.clientIP = forwardedIP
	}
	page, err := h.renderPage()
	if err != nil {
		return nil, err
	}
	h.assets[PagePath] = newAsset(page, "text/html; charset=utf-8")
	for name, ct := range map[string]string{"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"} {
		body, err := web.ReadFile("web/" + name)
		if err != nil {
			return nil, fmt.Errorf("h5: %w", err)
		}
		h.assets[PagePath+name] = newAsset(body, ct)
	}
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("GET "+PagePath, h.serveAsset)
	h.mux.HandleFunc("POST "+APIPath, h.serveEstimate)
	return h, nil
}

// ServeHTTP answers the page's paths and the API, with the headers that
// keep both to their own origin.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	// Everything the page uses is its own: no other origin may serve it
	// code, styles, fonts or images, or receive its requests. No CORS
	// header is ever sent, so other sites' scripts cannot read answers.
	hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := h.assets[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	// Revalidate every time: a new release's page must not meet an old
	// cached script. An unchanged file costs a 304 and no body.
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", a.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}

func newAsset(body []byte, contentType string) asset {
	sum := sha256.Sum256(body)
	return asset{body: body, contentType: contentType, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

// pageData fills the page's template. The year choices come from the
// policy data, so a year the operator adds appears without a release;
// "this year" is left to the API, which reads the clock per request.
type pageData struct {
	Years   []int
	Hotline string
}

func (h *Handler) renderPage() ([]byte, error) {
	t, err := template.ParseFS(web, "web/index.html")
	if err != nil {
		return nil, fmt.Errorf("h5: page template: %w", err)
	}
	years := h.book.Years()
	slices.Reverse(years)
	var buf bytes.Buffer
	if err := t.Execute(&buf, pageData{Years: years, Hotline: h.hotline}); err != nil {
		return nil, fmt.Errorf("h5: page: %w", err)
	}
	return buf.Bytes(), nil
}

func (h *Handler) log(r *http.Request, err error) {
	// The request's fields are not logged: they describe someone's
	// illness and bills.
	h.logger.Error("estimate api", zap.String("path", r.URL.Path), zap.Error(err))
}
