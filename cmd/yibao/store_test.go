package main

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/breaker"
	"github.com/yibao/yibao/cmd/yibao/config"
)

// A Redis that accepts connections and never answers (frozen, or a network
// dropping replies) must cost a few messages their store timeout, then
// none: the store the bot gets sits behind the circuit breaker.
func TestRedisStoreHasBreaker(t *testing.T) {
	addr := silentRedis(t)
	cfg, err := config.New(config.Chat).Load(nil, func(k string) string {
		if k == "REDIS_URL" {
			return "redis://" + addr + "/0"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store, _, closeStore, err := openStore(ctx, cfg, zap.NewNop(), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()

	commit := func() error {
		ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		_, err := store.Commit(ctx, "u1", bot.Commit{Data: []byte("x"), MsgID: "m1"})
		return err
	}
	var refused int
	for i := range 8 {
		err := commit()
		if !errors.Is(err, bot.ErrStoreUnavailable) {
			t.Fatalf("commit %d: %v, want ErrStoreUnavailable", i, err)
		}
		if errors.Is(err, breaker.ErrOpen) {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("every commit waited for the frozen Redis; want the breaker to refuse the later ones")
	}
}

// silentRedis listens and never answers.
func silentRedis(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}
