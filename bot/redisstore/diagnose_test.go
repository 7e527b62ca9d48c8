package redisstore_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/yibao/yibao/bot/redisstore"
)

// TestExplainTLSAgainstPlain: a rediss:// URL naming a plain Redis says
// so, instead of only "context deadline exceeded" (issue 21, minor).
func TestExplainTLSAgainstPlain(t *testing.T) {
	addrs := map[string]string{"miniredis": miniredis.RunT(t).Addr()}
	if raw := os.Getenv("REDIS_URL"); raw != "" {
		if u, err := url.Parse(raw); err == nil && u.Scheme == "redis" {
			addrs["redis"] = u.Host
		}
	}
	for name, addr := range addrs {
		t.Run(name, func(t *testing.T) {
			raw := "rediss://" + addr + "/0"
			s, err := redisstore.Open(raw, redisstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			err = s.Ping(ctx)
			if err == nil {
				t.Fatal("a TLS ping to a plain server succeeded")
			}
			if got := redisstore.Explain(context.Background(), raw, err); !errors.Is(got, redisstore.ErrPlainServer) {
				t.Errorf("Explain(%v) = %v, want it to say the server speaks plain Redis", err, got)
			}
		})
	}
	// A plain URL's failure is left as it is.
	other := errors.New("connection refused")
	if got := redisstore.Explain(context.Background(), "redis://127.0.0.1:1/0", other); got != other {
		t.Errorf("plain URL: %v", got)
	}
}
