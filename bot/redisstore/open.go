package redisstore

import (
	"fmt"
	"net/url"
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

// Mode is the Redis topology: one node, a Redis Cluster, or a master
// watched by Sentinel.
type Mode string

const (
	ModeAuto     Mode = ""         // from the URL: master_name means Sentinel, several addresses a cluster
	ModeSingle   Mode = "single"   // redis://host:6379/0
	ModeCluster  Mode = "cluster"  // redis://host:7000?addr=host:7001&addr=host:7002
	ModeSentinel Mode = "sentinel" // redis://sentinel:26379?master_name=mymaster&addr=sentinel2:26379
)

// ParseMode reads YIBAO_REDIS_MODE; empty means ModeAuto.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeAuto, ModeSingle, ModeCluster, ModeSentinel:
		return m, nil
	}
	return "", fmt.Errorf("redisstore: unknown Redis mode %q (want single, cluster or sentinel)", s)
}

// Config is REDIS_URL read in its topology by go-redis's own parser for
// it (ParseURL, ParseClusterURL, ParseFailoverURL), with the webhook's
// timeouts wherever the URL names none. Exactly one of Single, Cluster and
// Failover is set, as Mode says.
type Config struct {
	Mode     Mode
	Single   *redis.Options
	Cluster  *redis.ClusterOptions
	Failover *redis.FailoverOptions
}

// Open returns a store on a new client for rawURL (REDIS_URL, e.g.
// redis://:password@host:6379/0?pool_size=20), in the topology opts.Mode
// names or, by default, the URL's form. It does not connect: an
// unreachable Redis shows in the first call (or Ping), so that startup
// never fails on it. Close closes the client.
func Open(rawURL string, opts Options) (*Store, error) {
	cfg, err := ParseURL(rawURL, opts)
	if err != nil {
		return nil, err
	}
	s := New(cfg.NewClient(), opts)
	s.owned = true
	return s, nil
}

// ParseURL reads rawURL in the topology opts.Mode names, or the one its
// form shows; opts.PoolSize, when set, overrides the URL's pool_size
// (per node in a cluster). Calls always honour their context's deadline.
func ParseURL(rawURL string, opts Options) (Config, error) {
	mode := opts.Mode
	if mode == ModeAuto {
		u, err := url.Parse(rawURL)
		if err != nil {
			return Config{}, fmt.Errorf("redisstore: REDIS_URL: %w", err)
		}
		q := u.Query()
		switch {
		case q.Has("master_name"):
			mode = ModeSentinel
		case q.Has("addr"):
			mode = ModeCluster
		default:
			mode = ModeSingle
		}
	}
	cfg := Config{Mode: mode}
	var (
		err error
		t   tunables
	)
	switch mode {
	case ModeSingle:
		cfg.Single, err = redis.ParseURL(rawURL)
		if o := cfg.Single; o != nil {
			t = tunables{&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries, &o.DialerRetries, &o.PoolSize, &o.ContextTimeoutEnabled}
		}
	case ModeCluster:
		cfg.Cluster, err = redis.ParseClusterURL(rawURL)
		if o := cfg.Cluster; o != nil {
			t = tunables{&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries, &o.DialerRetries, &o.PoolSize, &o.ContextTimeoutEnabled}
		}
	case ModeSentinel:
		cfg.Failover, err = redis.ParseFailoverURL(rawURL)
		if o := cfg.Failover; o != nil {
			if o.MasterName == "" {
				err = fmt.Errorf("a Sentinel URL needs master_name")
			}
			t = tunables{&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries, &o.DialerRetries, &o.PoolSize, &o.ContextTimeoutEnabled}
		}
	default:
		_, err = ParseMode(string(mode))
	}
	if err != nil {
		return Config{}, fmt.Errorf("redisstore: REDIS_URL (%s): %w", mode, err)
	}
	t.apply(opts)
	return cfg, nil
}

// NewClient makes the go-redis client for the topology; it does not
// connect.
func (c Config) NewClient() redis.UniversalClient {
	switch {
	case c.Cluster != nil:
		return redis.NewClusterClient(c.Cluster)
	case c.Failover != nil:
		return redis.NewFailoverClient(c.Failover)
	}
	return redis.NewClient(c.Single)
}

// tunables point at the fields every topology's options share, so that
// the defaults are set in one place.
type tunables struct {
	dial, read, write, pool *time.Duration
	retries, dialAttempts   *int
	poolSize                *int
	contextTimeout          *bool
}

func (t tunables) apply(opts Options) {
	setDefault(t.dial, defaultDialTimeout)
	setDefault(t.read, defaultReadTimeout)
	setDefault(t.write, defaultWriteTimeout)
	setDefault(t.pool, defaultPoolTimeout)
	setDefault(t.retries, defaultMaxRetries)
	setDefault(t.dialAttempts, defaultDialAttempts)
	if opts.PoolSize > 0 {
		*t.poolSize = opts.PoolSize
	}
	*t.contextTimeout = true
}

func setDefault[T comparable](field *T, value T) {
	var zero T
	if *field == zero {
		*field = value
	}
}
