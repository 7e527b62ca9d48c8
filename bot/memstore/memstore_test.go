package memstore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/bot/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Subject {
		clock := &fakeClock{now: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
		return storetest.Subject{Store: memstore.New(clock.Now), Advance: clock.Advance}
	})
}

func TestNilClockMeansRealTime(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Subject {
		return storetest.Subject{Store: memstore.New(nil)}
	})
}

func BenchmarkCommitLoad(b *testing.B) {
	storetest.Bench(b, memstore.New(nil))
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
