package usage_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/usage"
)

// BenchmarkHandlerOverhead is what counting adds to answering a message:
// the wrapped bot does nothing, and the queue is never drained, so the
// figure is the decorator's own cost (a full queue drops, as under a slow
// Redis). Goal: well under a microsecond and no allocation for an
// understood question; the reply path must not wait on Redis.
func BenchmarkHandlerOverhead(b *testing.B) {
	rec := usage.New(redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}), usage.Options{Queue: 1024})
	h := rec.Handler(fakeBot{})
	m := contract.Message{User: "u", Kind: contract.KindText, Text: "hotline"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		h.Handle(ctx, m)
	}
}
