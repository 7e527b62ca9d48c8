package redisstore_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/redisstore"
	"github.com/yibao/yibao/bot/storetest"
)

// ops are the store's calls, each to be tried against a broken Redis.
var ops = []struct {
	name string
	call func(ctx context.Context, s *redisstore.Store) error
}{
	{"Load", func(ctx context.Context, s *redisstore.Store) error { _, err := s.Load(ctx, "u1"); return err }},
	{"Commit", func(ctx context.Context, s *redisstore.Store) error {
		_, err := s.Commit(ctx, "u1", contract.Commit{Data: []byte("a"), Idempotent: true})
		return err
	}},
	{"Delete", func(ctx context.Context, s *redisstore.Store) error { return s.Delete(ctx, "u1") }},
	{"Ping", func(ctx context.Context, s *redisstore.Store) error { return s.Ping(ctx) }},
}

// A Redis that is down, slow or busy must give ErrStoreUnavailable, so that
// the bot answers without state instead of failing.
func TestUnavailable(t *testing.T) {
	tests := []struct {
		name    string
		store   func(t *testing.T, o redisstore.Options) *redisstore.Store
		timeout time.Duration // of each call's context; 0 for none
	}{
		{"connection refused", func(t *testing.T, o redisstore.Options) *redisstore.Store {
			return openWith(t, "redis://"+closedAddr(t), o)
		}, 0},
		{"no answer before the deadline", func(t *testing.T, o redisstore.Options) *redisstore.Store {
			return openWith(t, "redis://"+storetest.SilentServer(t), o)
		}, 100 * time.Millisecond},
		{"no answer within the read timeout", func(t *testing.T, o redisstore.Options) *redisstore.Store {
			return openWith(t, "redis://"+storetest.SilentServer(t)+"?read_timeout=50ms", o)
		}, 0},
		{"no sentinel reachable", func(t *testing.T, o redisstore.Options) *redisstore.Store {
			return openWith(t, "redis://"+closedAddr(t)+"?master_name=mymaster&addr="+closedAddr(t), o)
		}, 0},
		{"no cluster node reachable", func(t *testing.T, o redisstore.Options) *redisstore.Store {
			return openWith(t, "redis://"+closedAddr(t)+"?addr="+closedAddr(t), o)
		}, 0},
		{"client closed", func(t *testing.T, o redisstore.Options) *redisstore.Store {
			s := openWith(t, "redis://"+closedAddr(t), o)
			s.Close()
			return s
		}, 0},
		{"server went away", func(t *testing.T, o redisstore.Options) *redisstore.Store {
			mr := miniredis.RunT(t)
			s := openWith(t, "redis://"+mr.Addr(), o)
			if err := s.Ping(context.Background()); err != nil {
				t.Fatal(err)
			}
			mr.Close()
			return s
		}, 0},
		{"server loading", func(t *testing.T, o redisstore.Options) *redisstore.Store {
			mr := miniredis.RunT(t)
			mr.SetError("LOADING Redis is loading the dataset in memory")
			return openWith(t, "redis://"+mr.Addr(), o)
		}, 0},
	}
	for _, tt := range tests {
		for _, o := range []redisstore.Options{{}, {AutoPipeline: true}} {
			name := tt.name
			if o.AutoPipeline {
				name += "/autopipeline"
			}
			t.Run(name, func(t *testing.T) {
				s := tt.store(t, o)
				for _, op := range ops {
					ctx := context.Background()
					if tt.timeout > 0 {
						var cancel context.CancelFunc
						ctx, cancel = context.WithTimeout(ctx, tt.timeout)
						defer cancel()
					}
					start := time.Now()
					err := op.call(ctx, s)
					if !errors.Is(err, contract.ErrStoreUnavailable) {
						t.Errorf("%s: error %v, want ErrStoreUnavailable", op.name, err)
					}
					if took := time.Since(start); took > time.Second {
						t.Errorf("%s took %v to fail", op.name, took)
					}
				}
			})
		}
	}
}

// Errors that are not the backend being down must not pass for it: they
// are bugs or bad data, and retrying later will not help.
func TestOtherErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		prepare func(t *testing.T, client *redis.Client)
		call    func(s *redisstore.Store) error
	}{
		{"state too short to hold a version", func(t *testing.T, client *redis.Client) {
			client.Set(ctx, "yibao:{u1}:s", "abc", 0)
		}, func(s *redisstore.Store) error { _, err := s.Load(ctx, "u1"); return err }},
		{"conflict with a corrupt state", func(t *testing.T, client *redis.Client) {
			client.Set(ctx, "yibao:{u1}:s", "abc", 0)
		}, func(s *redisstore.Store) error {
			_, err := s.Commit(ctx, "u1", contract.Commit{Data: []byte("x")})
			return err
		}},
		{"state key of the wrong type", func(t *testing.T, client *redis.Client) {
			client.HSet(ctx, "yibao:{u1}:s", "v", "1")
		}, func(s *redisstore.Store) error {
			_, err := s.Commit(ctx, "u1", contract.Commit{Data: []byte("x")})
			return err
		}},
		{"user id with a brace", func(*testing.T, *redis.Client) {},
			func(s *redisstore.Store) error { _, err := s.Load(ctx, "u}1"); return err }},
		{"empty user id", func(*testing.T, *redis.Client) {},
			func(s *redisstore.Store) error { _, err := s.Commit(ctx, "", contract.Commit{}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, client := miniClient(t)
			tt.prepare(t, client)
			err := tt.call(redisstore.New(client, redisstore.Options{}))
			if err == nil || errors.Is(err, contract.ErrStoreUnavailable) {
				t.Fatalf("error %v, want one that is not ErrStoreUnavailable", err)
			}
			if !strings.HasPrefix(err.Error(), "redisstore: ") {
				t.Fatalf("error %q does not say where it came from", err)
			}
		})
	}
}

func openWith(t *testing.T, url string, o redisstore.Options) *redisstore.Store {
	s, err := redisstore.Open(url, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// closedAddr is an address nothing listens on.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
