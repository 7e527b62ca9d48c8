package h5

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/time/rate"
)

// Limiter keeps one token bucket per client. Buckets are forgotten a few
// minutes after a client's last request, and the oldest go first past
// maxClients: an address is held in memory for this and nothing else.
// Keys are parsed addresses (an IPv6 client by its /64, what one
// subscriber gets), a fixed 24 bytes each, never the text a header held:
// 12 KB X-Forwarded-For values once took the process to its memory limit.
// One Limiter outlives reloads (serve builds it once), so a reload does
// not hand every client a fresh bucket.
type Limiter struct {
	every   rate.Limit
	burst   int
	buckets *expirable.LRU[netip.Prefix, *rate.Limiter]
}

// maxClients bounds the table: about 2 MB at most.
const maxClients = 10_000

// NewLimiter gives each client burst requests at once, then every a
// second; zero values: 10 at once, then one every 2 s, more than anyone
// filling the form by hand needs.
func NewLimiter(every rate.Limit, burst int) *Limiter {
	if every == 0 {
		every = rate.Every(2 * time.Second)
	}
	if burst == 0 {
		burst = 10
	}
	return &Limiter{every: every, burst: burst, buckets: expirable.NewLRU[netip.Prefix, *rate.Limiter](maxClients, nil, 10*time.Minute)}
}

// allow takes a request from client's bucket; when it is empty, it says
// how long until the bucket holds one again (for Retry-After).
func (l *Limiter) allow(client netip.Prefix) (bool, time.Duration) {
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

// clientKey is the bucket an address falls in: the address itself for
// IPv4 (an IPv4-mapped IPv6 address as IPv4), its /64 for IPv6.
func clientKey(a netip.Addr) netip.Prefix {
	a = a.Unmap().WithZone("")
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

// parseAddr reads "1.2.3.4", "1.2.3.4:5678", "::1", "[::1]:5678".
func parseAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr(), true
	}
	a, err := netip.ParseAddr(s)
	return a, err == nil
}

// remoteIP is the peer's address: the visitor, when nothing sits between.
func remoteIP(r *http.Request) netip.Prefix {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, ok := parseAddr(host)
	if !ok {
		return netip.Prefix{} // one bucket for whatever cannot be read
	}
	return clientKey(a)
}

// forwardedIP is the address the proxy in front of the service saw: the
// last X-Forwarded-For entry, the one that proxy appended. Earlier entries
// are the client's to write, so they are not trusted. An entry that is
// not an address (the proxy did not write it) counts as the proxy's own
// peer address.
func forwardedIP(r *http.Request) netip.Prefix {
	xff := r.Header.Values("X-Forwarded-For")
	if len(xff) == 0 {
		return remoteIP(r)
	}
	last := xff[len(xff)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	if a, ok := parseAddr(last); ok {
		return clientKey(a)
	}
	return remoteIP(r)
}
