package wechat

import (
	"crypto/sha256"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// plainReplays remembers, in plain mode, the body each signed URL came
// with. There the signature covers only the token, timestamp and nonce,
// not the body: anyone who saw one push's URL could post any body with it
// while the timestamp is in the window (a forged "取消" ending another
// user's dialog). The platform's retries resend the same body, so a second
// use with the same body passes (the reply record answers it) and one with
// another body is refused.
//
// It is in-process: with several instances a URL could be reused once per
// instance. Safe mode, where the signature covers the ciphertext, has no
// such gap and is what the internet should see.
type plainReplays struct {
	mu   sync.Mutex
	seen *lru.Cache[[32]byte, seenURL]
	// horizon is the latest expiry among URLs forgotten before they
	// expired: a URL not remembered whose timestamp leaves the window
	// before it may be one of them, used again with another body, so it
	// is refused. The bounded memory thus covers the whole window: under
	// a flood, an old URL is refused rather than forgotten (it was
	// reusable after about 6 s of load).
	horizon time.Time
}

type seenURL struct {
	body    [32]byte
	expires time.Time // the timestamp leaves the window
}

func newPlainReplays(entries int) *plainReplays {
	r := &plainReplays{}
	c, err := lru.NewWithEvict[[32]byte, seenURL](entries, func(_ [32]byte, s seenURL) {
		// Called with r.mu held (from Add).
		if s.expires.After(r.horizon) {
			r.horizon = s.expires
		}
	})
	if err != nil {
		panic(err) // only for a size < 1
	}
	r.seen = c
	return r
}

// check records the body first seen with (signature, timestamp, nonce)
// until expires, and reports whether body is that one.
func (r *plainReplays) check(q *query, body []byte, now, expires time.Time) bool {
	h := sha256.New()
	for _, part := range []string{q.signature, q.timestamp, q.nonce} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	var key [32]byte
	h.Sum(key[:0])
	sum := sha256.Sum256(body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if s, ok := r.seen.Get(key); ok && now.Before(s.expires) {
		return s.body == sum
	}
	if expires.Before(r.horizon) {
		return false // may have been forgotten: cannot vouch for it
	}
	r.seen.Add(key, seenURL{body: sum, expires: expires})
	return true
}
