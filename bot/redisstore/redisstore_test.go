package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/redisstore"
	"github.com/yibao/yibao/bot/storetest"
)

func TestMiniredis(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Subject {
		mr, client := miniClient(t)
		return storetest.Subject{Store: redisstore.New(client, redisstore.Options{}), Advance: mr.FastForward}
	})
	t.Run("AutoPipeline", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storetest.Subject {
			mr, client := miniClient(t)
			return storetest.Subject{Store: redisstore.New(client, redisstore.Options{AutoPipeline: true}), Advance: mr.FastForward}
		})
	})
	t.Run("Keys", func(t *testing.T) {
		mr, client := miniClient(t)
		testKeys(t, redisstore.New(client, redisstore.Options{Prefix: "p:"}), client, "p:")
		if got := mr.Keys(); len(got) != 1 {
			t.Fatalf("keys %q, want the state alone", got)
		}
	})
	t.Run("OneRoundTrip", func(t *testing.T) {
		_, client := miniClient(t)
		testOneRoundTrip(t, client, "yibao:")
	})
}

// TestRealRedis runs the suite against REDIS_URL, a single node. CI sets
// it and fails if this test was skipped.
func TestRealRedis(t *testing.T) { realSuite(t, "REDIS_URL") }

// TestRealCluster runs the suite against REDIS_CLUSTER_URL, a Redis
// Cluster (deploy/redis/local.sh start cluster). CI sets it and fails if
// this test was skipped.
func TestRealCluster(t *testing.T) { realSuite(t, "REDIS_CLUSTER_URL") }

// TestRealSentinel runs the suite against REDIS_SENTINEL_URL, a master
// watched by Sentinel (deploy/redis/local.sh start sentinel). CI sets it and
// fails if this test was skipped.
func TestRealSentinel(t *testing.T) { realSuite(t, "REDIS_SENTINEL_URL") }

func realSuite(t *testing.T, env string) {
	url := os.Getenv(env)
	if url == "" {
		t.Skip(env + " not set")
	}
	storetest.Run(t, func(t *testing.T) storetest.Subject {
		s, _, _ := realStore(t, url)
		return storetest.Subject{Store: s}
	})
	t.Run("AutoPipeline", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storetest.Subject {
			s, _, _ := realStoreWith(t, url, redisstore.Options{AutoPipeline: true})
			return storetest.Subject{Store: s}
		})
	})
	t.Run("Keys", func(t *testing.T) {
		s, client, prefix := realStore(t, url)
		testKeys(t, s, client, prefix)
	})
	t.Run("OneRoundTrip", func(t *testing.T) {
		_, client, prefix := realStore(t, url)
		testOneRoundTrip(t, client, prefix)
	})
	t.Run("ScriptFlushed", func(t *testing.T) {
		// After a restart Redis has forgotten the script: EVALSHA fails
		// with NOSCRIPT and the commit must still go through.
		s, client, _ := realStore(t, url)
		if err := client.ScriptFlush(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		res, err := s.Commit(context.Background(), "u1", contract.Commit{Data: []byte("a")})
		if err != nil || !res.Committed {
			t.Fatalf("commit after SCRIPT FLUSH = %+v, %v", res, err)
		}
	})
	t.Run("ManyUsers", func(t *testing.T) {
		// Users spread over every node of a cluster.
		s, _, _ := realStore(t, url)
		ctx := context.Background()
		for i := range 200 {
			user := fmt.Sprintf("o6_user%04d", i)
			res, err := s.Commit(ctx, user, contract.Commit{Data: []byte(user), Idempotent: true})
			if err != nil || !res.Committed {
				t.Fatalf("commit for %s = %+v, %v", user, res, err)
			}
			if rec, err := s.Load(ctx, user); err != nil || string(rec.Data) != user {
				t.Fatalf("load for %s = %q, %v", user, rec.Data, err)
			}
		}
	})
}

// testKeys checks the key layout operators rely on, and the TTLs.
func testKeys(t *testing.T, s *redisstore.Store, client redis.UniversalClient, prefix string) {
	ctx := context.Background()
	res, err := s.Commit(ctx, "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", contract.Commit{
		Data: []byte("state"), StateTTL: 30 * time.Minute, Idempotent: true,
	})
	if err != nil || !res.Committed {
		t.Fatalf("commit = %+v, %v", res, err)
	}
	tests := []struct {
		name, key, value string
		ttl              time.Duration
	}{
		{"state", prefix + "{o6_bmjrPTlm6_2sgVt7hMZOPfL2M}:s", "state", 30 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := client.Get(ctx, tt.key).Result()
			if err != nil {
				t.Fatalf("GET %s: %v", tt.key, err)
			}
			if tt.name == "state" {
				raw = raw[8:] // the version
			}
			if raw != tt.value {
				t.Fatalf("%s holds %q, want %q", tt.key, raw, tt.value)
			}
			ttl, err := client.PTTL(ctx, tt.key).Result()
			if err != nil {
				t.Fatal(err)
			}
			if ttl > tt.ttl || ttl < tt.ttl-5*time.Second {
				t.Fatalf("%s has TTL %v, want %v", tt.key, ttl, tt.ttl)
			}
		})
	}
	// StateTTL 0 means no expiry, also over a key that had one.
	if _, err := s.Commit(ctx, "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", contract.Commit{Version: res.Version, Data: []byte("kept")}); err != nil {
		t.Fatal(err)
	}
	if ttl, err := client.PTTL(ctx, tests[0].key).Result(); err != nil || ttl != -1 {
		t.Fatalf("state committed with StateTTL 0 has TTL %v (%v), want none (-1ns)", ttl, err)
	}
}

// testOneRoundTrip holds Commit and Load to the webhook's budget of one
// Redis command each, whatever the commit's outcome.
func testOneRoundTrip(t *testing.T, client redis.UniversalClient, prefix string) {
	ctx := context.Background()
	s := redisstore.New(client, redisstore.Options{Prefix: prefix})
	// The first run may load the script (EVALSHA, then EVAL).
	first, err := s.Commit(ctx, "u1", contract.Commit{Data: []byte("a")})
	if err != nil {
		t.Fatal(err)
	}
	counter := &countHook{}
	client.AddHook(counter)
	tests := []struct {
		name string
		run  func() error
	}{
		{"load", func() error { _, err := s.Load(ctx, "u1"); return err }},
		{"committed", func() error {
			_, err := s.Commit(ctx, "u1", contract.Commit{Version: first.Version, Data: []byte("b")})
			return err
		}},
		{"conflict", func() error {
			_, err := s.Commit(ctx, "u1", contract.Commit{Version: 1, Data: []byte("c")})
			return err
		}},
		{"delete", func() error { return s.Delete(ctx, "u1") }},
	}
	for _, tt := range tests {
		counter.n = 0
		if err := tt.run(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if counter.n != 1 {
			t.Errorf("%s sent %d commands, want 1", tt.name, counter.n)
		}
	}
}

type countHook struct{ n int }

func (h *countHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n++
		return next(ctx, cmd)
	}
}

func (h *countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n += len(cmds)
		return next(ctx, cmds)
	}
}

func miniClient(t testing.TB) (*miniredis.Miniredis, *redis.Client) {
	mr := miniredis.RunT(t)
	client := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { client.Close() })
	return mr, client
}

// realStore opens a store on url under a key prefix of its own, and deletes
// every key under it when the test ends.
func realStore(t testing.TB, url string) (*redisstore.Store, redis.UniversalClient, string) {
	return realStoreWith(t, url, redisstore.Options{})
}

// realStoreWith opens a store on url under a fresh key prefix, which it
// deletes (on every master of a cluster) when the test ends.
func realStoreWith(t testing.TB, url string, opts redisstore.Options) (*redisstore.Store, redis.UniversalClient, string) {
	prefix := "yibao-test:" + randomHex(t) + ":"
	opts.Prefix = prefix
	s, err := redisstore.Open(url, opts)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := redisstore.ParseURL(url, redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	client := cfg.NewClient()
	t.Cleanup(func() {
		ctx := context.Background()
		deleteAll := func(ctx context.Context, c *redis.Client) error {
			iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
			for iter.Next(ctx) {
				if err := c.Del(ctx, iter.Val()).Err(); err != nil {
					return err
				}
			}
			return iter.Err()
		}
		var err error
		if cc, ok := client.(*redis.ClusterClient); ok {
			err = cc.ForEachMaster(ctx, deleteAll)
		} else {
			err = deleteAll(ctx, client.(*redis.Client))
		}
		if err != nil {
			t.Errorf("cleanup: %v", err)
		}
		client.Close()
		s.Close()
	})
	return s, client, prefix
}

func randomHex(t testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
