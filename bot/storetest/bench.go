package storetest

import (
	"bytes"
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/contract"
)

// Bench measures one message's store work the way the bot does it on a
// cold cache: a Load, then a Commit carrying the new state and the reply
// under a fresh message id. Sizes are those of a dialog half-way through an
// estimate.
func Bench(b *testing.B, s contract.Store) {
	ctx := context.Background()
	state := bytes.Repeat([]byte("s"), 200)
	reply := bytes.Repeat([]byte("r"), 600)
	const user = "bench-user"
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		rec, err := s.Load(ctx, user)
		if err != nil {
			b.Fatal(err)
		}
		res, err := s.Commit(ctx, user, contract.Commit{
			Version: rec.Version, Data: state, StateTTL: 30 * time.Minute,
			MsgID: strconv.Itoa(i), Reply: reply, ReplyTTL: time.Minute,
		})
		if err != nil {
			b.Fatal(err)
		}
		if !res.Committed {
			b.Fatalf("commit %d: %+v", i, res)
		}
	}
}
