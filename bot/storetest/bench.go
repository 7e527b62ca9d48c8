package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/contract"
)

// Bench measures one message's store work the way the bot does it on a
// cold cache: a Load, then a Commit carrying the new state, which holds
// the message's id and reply (see contract.Commit). Sizes are those of a
// dialog half-way through an estimate.
func Bench(b *testing.B, s contract.Store) {
	ctx := context.Background()
	state := bytes.Repeat([]byte("s"), 800)
	const user = "bench-user"
	b.ReportAllocs()
	for b.Loop() {
		rec, err := s.Load(ctx, user)
		if err != nil {
			b.Fatal(err)
		}
		res, err := s.Commit(ctx, user, contract.Commit{
			Version: rec.Version, Data: state, StateTTL: 30 * time.Minute, Idempotent: true,
		})
		if err != nil {
			b.Fatal(err)
		}
		if !res.Committed {
			b.Fatalf("commit: %+v", res)
		}
	}
}
