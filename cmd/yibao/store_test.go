package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/breaker"
	"github.com/yibao/yibao/bot/storetest"
	"github.com/yibao/yibao/cmd/yibao/config"
)

// A Redis that accepts connections and never answers (frozen, or a network
// dropping replies) must cost a few messages their store timeout, then
// none: the store the bot gets sits behind the circuit breaker.
func TestRedisStoreHasBreaker(t *testing.T) {
	addr := storetest.SilentServer(t)
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
		_, err := store.Commit(ctx, "u1", bot.Commit{Data: []byte("x"), Idempotent: true})
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
