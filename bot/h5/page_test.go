package h5_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/yibao/yibao/bot/h5"
)

// firstVisitBudget is the limit on what a first visit transfers.
const firstVisitBudget = 60 << 10

func get(t *testing.T, h http.Handler, path string, header func(*http.Request)) *http.Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	if header != nil {
		header(r)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

var linked = regexp.MustCompile(`(?:src|href)="([^"]+)"`)

// TestPageFirstVisit fetches the page and everything it links, as a first
// visit does: all from the page's own paths, within the budget, with the
// headers that keep it to its own origin. The browser test measures the
// same on the wire.
func TestPageFirstVisit(t *testing.T) {
	h := newHandler(t, h5.Config{})
	resp := get(t, h, h5.PagePath, nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	for _, want := range []string{`lang="zh-CN"`, `name="viewport"`, `inputmode="decimal"`, "2025年度", "023-12393"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	total := len(body)
	for _, m := range linked.FindAllStringSubmatch(page, -1) {
		ref := m[1]
		switch {
		case strings.HasPrefix(ref, "data:"), strings.HasPrefix(ref, "tel:"):
			continue
		case !strings.HasPrefix(ref, h5.PagePath):
			t.Errorf("page links %q, outside its own paths", ref)
			continue
		}
		r := get(t, h, ref, nil)
		b, _ := io.ReadAll(r.Body)
		if r.StatusCode != 200 {
			t.Errorf("%s: %d", ref, r.StatusCode)
		}
		if strings.Contains(string(b), "http://") || strings.Contains(string(b), "https://") {
			t.Errorf("%s names another origin", ref)
		}
		total += len(b)
	}
	t.Logf("first visit: %d bytes (budget %d)", total, firstVisitBudget)
	if total > firstVisitBudget {
		t.Errorf("first visit is %d bytes; the budget is %d", total, firstVisitBudget)
	}
}

func TestPageRevalidates(t *testing.T) {
	h := newHandler(t, h5.Config{})
	first := get(t, h, h5.PagePath+"app.js", nil)
	etag := first.Header.Get("ETag")
	if etag == "" || first.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("etag %q cache-control %q", etag, first.Header.Get("Cache-Control"))
	}
	again := get(t, h, h5.PagePath+"app.js", func(r *http.Request) { r.Header.Set("If-None-Match", etag) })
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d", again.StatusCode)
	}
	if r := get(t, h, h5.PagePath+"nothing.js", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown asset: %d", r.StatusCode)
	}
	if r := get(t, h, h5.PagePath+"?kind=inpatient&cost=5%E4%B8%87", nil); r.StatusCode != 200 {
		t.Errorf("page with its inputs: %d", r.StatusCode)
	}
}
