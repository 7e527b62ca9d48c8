package h5

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/time/rate"
)

// limits keeps one token bucket per client address. Buckets are forgotten
// a few minutes after a client's last request, and the oldest go first
// when there are many: an address is held in memory for this and nothing
// else.
type limits struct {
	every   rate.Limit
	burst   int
	buckets *expirable.LRU[string, *rate.Limiter]
}

func newLimits(every rate.Limit, burst int) *limits {
	return &limits{every: every, burst: burst, buckets: expirable.NewLRU[string, *rate.Limiter](10_000, nil, 10*time.Minute)}
}

// allow takes a request from client's bucket; when it is empty, it says
// how long until the bucket holds one again (for Retry-After).
func (l *limits) allow(client string) (bool, time.Duration) {
	// Get-then-add may race two first requests of one client into two
	// buckets; the later one wins, which at worst lets one request more.
	b, ok := l.buckets.Get(client)
	if !ok {
		b = rate.NewLimiter(l.every, l.burst)
		l.buckets.Add(client, b)
	}
	if b.Allow() {
		return true, 0
	}
	return false, time.Duration((1 - b.Tokens()) / float64(l.every) * float64(time.Second))
}

// remoteIP is the peer's address: the visitor, when nothing sits between.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// forwardedIP is the address the proxy in front of the service saw: the
// last X-Forwarded-For entry, the one that proxy appended. Earlier entries
// are the client's to write, so they are not trusted.
func forwardedIP(r *http.Request) string {
	xff := r.Header.Values("X-Forwarded-For")
	if len(xff) == 0 {
		return remoteIP(r)
	}
	last := xff[len(xff)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	if ip := strings.TrimSpace(last); ip != "" {
		return ip
	}
	return remoteIP(r)
}
