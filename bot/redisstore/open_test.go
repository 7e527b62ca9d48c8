package redisstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/redisstore"
)

func TestClientOptions(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		opts     redisstore.Options
		addr     string
		db       int
		read     time.Duration
		dial     time.Duration
		poolSize int // 0: go-redis's default, set when the client is made
	}{
		{"defaults", "redis://127.0.0.1:6379/0", redisstore.Options{}, "127.0.0.1:6379", 0, 500 * time.Millisecond, time.Second, 0},
		{"db and password", "redis://:secret@redis.internal:6380/3", redisstore.Options{}, "redis.internal:6380", 3, 500 * time.Millisecond, time.Second, 0},
		{"URL parameters win over defaults", "redis://h:6379/0?read_timeout=2s&dial_timeout=3s&pool_size=7", redisstore.Options{}, "h:6379", 0, 2 * time.Second, 3 * time.Second, 7},
		{"PoolSize option wins over the URL", "redis://h:6379/0?pool_size=7", redisstore.Options{PoolSize: 30}, "h:6379", 0, 500 * time.Millisecond, time.Second, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := redisstore.ClientOptions(tt.url, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if o.Addr != tt.addr || o.DB != tt.db || o.ReadTimeout != tt.read || o.DialTimeout != tt.dial || o.PoolSize != tt.poolSize {
				t.Fatalf("got addr %s db %d read %v dial %v pool %d", o.Addr, o.DB, o.ReadTimeout, o.DialTimeout, o.PoolSize)
			}
			if o.WriteTimeout <= 0 || o.PoolTimeout <= 0 || o.PoolTimeout > 2*time.Second || o.MaxRetries != 1 || !o.ContextTimeoutEnabled {
				t.Fatalf("webhook timeouts not set: write %v pool %v retries %d context %v", o.WriteTimeout, o.PoolTimeout, o.MaxRetries, o.ContextTimeoutEnabled)
			}
		})
	}
}

func TestOpenBadURL(t *testing.T) {
	for _, url := range []string{"", "http://127.0.0.1:6379", "redis://h:6379/notadb"} {
		if _, err := redisstore.Open(url, redisstore.Options{}); err == nil {
			t.Errorf("Open(%q) succeeded", url)
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
