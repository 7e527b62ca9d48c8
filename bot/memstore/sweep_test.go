package memstore

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/contract"
)

// Expired entries must leave memory, not only become invisible.
func TestWritesSweepExpiredEntries(t *testing.T) {
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	s := New(func() time.Time { return now })
	ctx := context.Background()
	const users = 2000 // enough that every shard gets a write below
	for i := range users {
		c := contract.Commit{Data: []byte("x"), StateTTL: time.Minute}
		if _, err := s.Commit(ctx, "old"+strconv.Itoa(i), c); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(sweepEvery + time.Minute)
	for i := range users {
		if _, err := s.Commit(ctx, "new"+strconv.Itoa(i), contract.Commit{Data: []byte("y")}); err != nil {
			t.Fatal(err)
		}
	}
	states := 0
	for i := range s.shards {
		states += len(s.shards[i].states)
	}
	if states != users {
		t.Fatalf("after expiry and a write per shard: %d states kept; want %d", states, users)
	}
}
