package storetest

import (
	"os"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Redises are the Redis servers a test of Redis-backed code runs against:
// miniredis always, and the real Redis when REDIS_URL names one (as CI
// does). The clients close when the test ends.
func Redises(tb testing.TB) map[string]redis.UniversalClient {
	tb.Helper()
	out := map[string]redis.UniversalClient{"miniredis": redis.NewClient(&redis.Options{Addr: miniredis.RunT(tb).Addr()})}
	if url := os.Getenv("REDIS_URL"); url != "" {
		opt, err := redis.ParseURL(url)
		if err != nil {
			tb.Fatal(err)
		}
		out["real"] = redis.NewClient(opt)
	} else {
		tb.Log("REDIS_URL not set: miniredis only")
	}
	for _, c := range out {
		tb.Cleanup(func() { c.Close() })
	}
	return out
}
