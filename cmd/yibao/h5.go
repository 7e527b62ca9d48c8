package main

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot/h5"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// The estimate page's wiring, in one place: serve mounts it, menu links
// it, check validates the link. Its settings (public-url, trust-proxy)
// are rows of the config table.

// newH5 is the estimate page and its API, answering from book; its
// amount fields take the units of lx (the lexicon's form units). lim,
// when set, is the clients' buckets kept across reloads.
func newH5(book *engine.Book, lx *intents.Lexicon, now func() time.Time, log *zap.Logger, trustProxy bool, lim *h5.Limiter) (http.Handler, error) {
	return h5.New(h5.Config{Book: book, ReadAmount: lx.ReadAmount, Now: now, Log: log.Named("h5"), TrustProxy: trustProxy, Limiter: lim})
}

// mountH5 serves the estimate page and its API (h) on mux, passed through
// wrap (the server's draining).
func mountH5(mux *http.ServeMux, wrap func(http.Handler) http.Handler, h http.Handler) {
	mux.Handle(h5.PagePath, wrap(h))
	mux.Handle(h5.APIPath, wrap(h))
}

// menuBase checks the public URL against the menu: a menu with page
// buttons needs one. It returns nil when the menu has no pages.
func menuBase(m *replies.AccountMenu, publicURL string) (*url.URL, error) {
	if publicURL == "" {
		if pages := m.Pages(); len(pages) > 0 {
			return nil, usagef("the menu links the page %s: set YIBAO_PUBLIC_URL (or -public-url) to the service's public address", pages[0])
		}
		return nil, nil
	}
	u, err := replies.ParsePublicURL(publicURL)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return u, nil
}

// liveBase refuses a public URL that cannot be the one residents reach:
// plain http (the platform's page views and phones want https; a menu
// button with http:// would also leak the shared estimate's figures) or a
// name reserved for examples and tests (RFC 2606, RFC 6761), such as the
// deploy files' placeholder yibao.example.org. `check` and `menu push`
// apply it, so the menu never goes live pointing at a placeholder.
func liveBase(u *url.URL) error {
	if u == nil {
		return nil
	}
	if u.Scheme != "https" {
		return usagef("public URL %s: residents' phones reach the page over https; plain http is refused for the live menu", u)
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	for _, reserved := range []string{"example.org", "example.com", "example.net", "example", "test", "invalid", "localhost"} {
		if host == reserved || strings.HasSuffix(host, "."+reserved) {
			return usagef("public URL %s: %s is a placeholder name, not your domain; set YIBAO_PUBLIC_URL to the address residents reach the service at", u, host)
		}
	}
	return nil
}
