package redisstore_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/redisstore"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		opts     redisstore.Options
		mode     redisstore.Mode
		addrs    []string
		db       int
		read     time.Duration
		dial     time.Duration
		poolSize int // 0: go-redis's default, set when the client is made
	}{
		{"defaults", "redis://127.0.0.1:6379/0", redisstore.Options{}, redisstore.ModeSingle, []string{"127.0.0.1:6379"}, 0, 500 * time.Millisecond, time.Second, 0},
		{"db and password", "redis://:secret@redis.internal:6380/3", redisstore.Options{}, redisstore.ModeSingle, []string{"redis.internal:6380"}, 3, 500 * time.Millisecond, time.Second, 0},
		{"URL parameters win over defaults", "redis://h:6379/0?read_timeout=2s&dial_timeout=3s&pool_size=7", redisstore.Options{}, redisstore.ModeSingle, []string{"h:6379"}, 0, 2 * time.Second, 3 * time.Second, 7},
		{"PoolSize option wins over the URL", "redis://h:6379/0?pool_size=7", redisstore.Options{PoolSize: 30}, redisstore.ModeSingle, []string{"h:6379"}, 0, 500 * time.Millisecond, time.Second, 30},
		{"several addresses: a cluster", "redis://h1:7000?addr=h2:7001&addr=h3:7002", redisstore.Options{}, redisstore.ModeCluster, []string{"h1:7000", "h2:7001", "h3:7002"}, 0, 500 * time.Millisecond, time.Second, 0},
		{"cluster forced for one seed address", "redis://h1:7000?read_timeout=1s", redisstore.Options{Mode: redisstore.ModeCluster}, redisstore.ModeCluster, []string{"h1:7000"}, 0, time.Second, time.Second, 0},
		{"master_name: Sentinel", "redis://s1:26379/2?master_name=mymaster&addr=s2:26379&addr=s3:26379", redisstore.Options{PoolSize: 40}, redisstore.ModeSentinel, []string{"s1:26379", "s2:26379", "s3:26379"}, 2, 500 * time.Millisecond, time.Second, 40},
		{"Sentinel forced", "redis://s1:26379?master_name=m", redisstore.Options{Mode: redisstore.ModeSentinel}, redisstore.ModeSentinel, []string{"s1:26379"}, 0, 500 * time.Millisecond, time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := redisstore.ParseURL(tt.url, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Mode != tt.mode {
				t.Fatalf("mode %q, want %q", cfg.Mode, tt.mode)
			}
			var (
				addrs                 []string
				db, poolSize, retries int
				read, dial, write     time.Duration
				pool                  time.Duration
				ctxTimeout            bool
			)
			switch {
			case cfg.Single != nil:
				o := cfg.Single
				addrs, db, poolSize, retries, read, dial, write, pool, ctxTimeout = []string{o.Addr}, o.DB, o.PoolSize, o.MaxRetries, o.ReadTimeout, o.DialTimeout, o.WriteTimeout, o.PoolTimeout, o.ContextTimeoutEnabled
			case cfg.Cluster != nil:
				o := cfg.Cluster
				addrs, poolSize, retries, read, dial, write, pool, ctxTimeout = o.Addrs, o.PoolSize, o.MaxRetries, o.ReadTimeout, o.DialTimeout, o.WriteTimeout, o.PoolTimeout, o.ContextTimeoutEnabled
			case cfg.Failover != nil:
				o := cfg.Failover
				if o.MasterName == "" {
					t.Fatal("no master name")
				}
				addrs, db, poolSize, retries, read, dial, write, pool, ctxTimeout = o.SentinelAddrs, o.DB, o.PoolSize, o.MaxRetries, o.ReadTimeout, o.DialTimeout, o.WriteTimeout, o.PoolTimeout, o.ContextTimeoutEnabled
			}
			if !slices.Equal(addrs, tt.addrs) || db != tt.db || read != tt.read || dial != tt.dial || poolSize != tt.poolSize {
				t.Fatalf("got addrs %v db %d read %v dial %v pool %d", addrs, db, read, dial, poolSize)
			}
			if write <= 0 || pool <= 0 || pool > 2*time.Second || retries != 1 || !ctxTimeout {
				t.Fatalf("webhook timeouts not set: write %v pool %v retries %d context %v", write, pool, retries, ctxTimeout)
			}
			if c := cfg.NewClient(); c == nil {
				t.Fatal("no client")
			} else {
				c.Close()
			}
		})
	}
}

func TestParseMode(t *testing.T) {
	for _, s := range []string{"", "single", "cluster", "sentinel"} {
		if m, err := redisstore.ParseMode(s); err != nil || string(m) != s {
			t.Errorf("ParseMode(%q) = %q, %v", s, m, err)
		}
	}
	for _, s := range []string{"Cluster", "failover", "auto"} {
		if _, err := redisstore.ParseMode(s); err == nil {
			t.Errorf("ParseMode(%q) accepted", s)
		}
	}
}

func TestOpenBadURL(t *testing.T) {
	tests := []struct {
		url  string
		mode redisstore.Mode
	}{
		{"", redisstore.ModeAuto},
		{"http://127.0.0.1:6379", redisstore.ModeAuto},
		{"redis://h:6379/notadb", redisstore.ModeAuto},
		{"redis://h:7000?addr=h:7001&bogus=1", redisstore.ModeAuto},
		{"redis://h:26379?addr=h:26380", redisstore.ModeSentinel}, // no master_name
		{"http://h:7000", redisstore.ModeCluster},
		{"redis://h:6379", redisstore.Mode("ring")},
	}
	for _, tt := range tests {
		if _, err := redisstore.Open(tt.url, redisstore.Options{Mode: tt.mode}); err == nil {
			t.Errorf("Open(%q, %q) succeeded", tt.url, tt.mode)
		}
	}
}

// Open must not connect: the webhook starts while Redis is down and the
// store serves once it is back.
func TestOpenDoesNotConnect(t *testing.T) {
	s, err := redisstore.Open("redis://"+closedAddr(t)+"/0", redisstore.Options{})
	if err != nil {
		t.Fatalf("Open with Redis down: %v", err)
	}
	defer s.Close()
	if err := s.Ping(context.Background()); !errors.Is(err, contract.ErrStoreUnavailable) {
		t.Fatalf("Ping with Redis down = %v, want ErrStoreUnavailable", err)
	}
}
