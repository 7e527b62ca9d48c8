package redisstore

import (
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Defaults for a webhook that must answer within 4.5 s: a Redis that is
// down must cost about a second, not go-redis's defaults of 5 s per dial
// and per read with three retries and five dial attempts.
const (
	defaultDialTimeout  = time.Second
	defaultReadTimeout  = 500 * time.Millisecond
	defaultWriteTimeout = 500 * time.Millisecond
	defaultPoolTimeout  = time.Second
	defaultMaxRetries   = 1 // one retry, for a connection that went stale
	defaultDialAttempts = 1 // the retry above dials again
)

// Open returns a store on a new client for rawURL (REDIS_URL, e.g.
// redis://:password@host:6379/0?pool_size=20). It does not connect: an
// unreachable Redis shows in the first call (or Ping), so that startup
// never fails on it. Close closes the client.
func Open(rawURL string, opts Options) (*Store, error) {
	o, err := ClientOptions(rawURL, opts)
	if err != nil {
		return nil, err
	}
	s := New(redis.NewClient(o), opts)
	s.owned = true
	return s, nil
}

// ClientOptions are the go-redis options Open uses: those of the URL, with
// the webhook's timeouts wherever the URL names none, and opts.PoolSize
// when set. Calls always honour their context's deadline.
func ClientOptions(rawURL string, opts Options) (*redis.Options, error) {
	o, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redisstore: REDIS_URL: %w", err)
	}
	setDefault(&o.DialTimeout, defaultDialTimeout)
	setDefault(&o.ReadTimeout, defaultReadTimeout)
	setDefault(&o.WriteTimeout, defaultWriteTimeout)
	setDefault(&o.PoolTimeout, defaultPoolTimeout)
	setDefault(&o.MaxRetries, defaultMaxRetries)
	setDefault(&o.DialerRetries, defaultDialAttempts)
	if opts.PoolSize > 0 {
		o.PoolSize = opts.PoolSize
	}
	o.ContextTimeoutEnabled = true
	return o, nil
}

func setDefault[T comparable](field *T, value T) {
	var zero T
	if *field == zero {
		*field = value
	}
}
