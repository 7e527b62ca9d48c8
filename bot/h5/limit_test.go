package h5_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/yibao/yibao/bot/h5"
)

const okBody = `{"kind":"outpatient","tier":1,"level":1,"cost":"100"}`

func via(xff string) func(*http.Request) {
	return func(r *http.Request) {
		r.RemoteAddr = "10.0.0.1:443"
		r.Header.Set("X-Forwarded-For", xff)
	}
}

// TestForwardedJunkIsNoClient: an X-Forwarded-For entry that is not an
// address is no new client (12k such values of 12 KB each took the process
// from 27 to 254 MB): it counts as the proxy's peer (issue 21, finding 3).
func TestForwardedJunkIsNoClient(t *testing.T) {
	h := newHandler(t, h5.Config{Rate: rate.Every(time.Hour), Burst: 1, TrustProxy: true})
	if w := post(h, okBody, via(strings.Repeat("a", 12<<10)+"1")); w.Code != 200 {
		t.Fatalf("first: %d", w.Code)
	}
	for i, junk := range []string{strings.Repeat("b", 12<<10), "not-an-ip", "1.2.3", "999.1.1.1", "\x00"} {
		if w := post(h, okBody, via(junk)); w.Code != http.StatusTooManyRequests {
			t.Errorf("junk %d had a bucket of its own: %d", i, w.Code)
		}
	}
}

// TestClientAddressNormalised: one client written several ways is one
// bucket; an IPv6 client is its /64.
func TestClientAddressNormalised(t *testing.T) {
	h := newHandler(t, h5.Config{Rate: rate.Every(time.Hour), Burst: 1, TrustProxy: true})
	for _, group := range [][]string{
		{"203.0.113.9", " 203.0.113.9 ", "203.0.113.9:4711", "::ffff:203.0.113.9", "[::ffff:203.0.113.9]:80"},
		{"2001:db8:1:2::1", "2001:db8:1:2:ffff::7", "[2001:db8:1:2::1]:443", "2001:DB8:1:2:0:0:0:9"},
	} {
		if w := post(h, okBody, via(group[0])); w.Code != 200 {
			t.Fatalf("%s first: %d", group[0], w.Code)
		}
		for _, same := range group[1:] {
			if w := post(h, okBody, via(same)); w.Code != http.StatusTooManyRequests {
				t.Errorf("%q escaped %q's bucket: %d", same, group[0], w.Code)
			}
		}
	}
}

// TestLimiterOutlivesReload: a handler rebuilt on reload with serve's
// limiter keeps every client's bucket.
func TestLimiterOutlivesReload(t *testing.T) {
	lim := h5.NewLimiter(rate.Every(time.Hour), 1)
	before := newHandler(t, h5.Config{Limiter: lim})
	from := func(r *http.Request) { r.RemoteAddr = "192.0.2.1:5555" }
	if w := post(before, okBody, from); w.Code != 200 {
		t.Fatalf("first: %d", w.Code)
	}
	after := newHandler(t, h5.Config{Limiter: lim})
	if w := post(after, okBody, from); w.Code != http.StatusTooManyRequests {
		t.Errorf("after a reload: %d, want the bucket kept", w.Code)
	}
}

// TestWhitespacePastLimitRefused: the body limit counts every byte, the
// whitespace after the object too.
func TestWhitespacePastLimitRefused(t *testing.T) {
	h := newHandler(t, h5.Config{})
	w := post(h, okBody+strings.Repeat(" ", 8<<10), nil)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("4 KB of trailing whitespace: %d, want 413", w.Code)
	}
}
