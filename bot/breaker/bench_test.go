package breaker_test

import (
	"testing"

	"github.com/yibao/yibao/bot/breaker"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/bot/storetest"
)

// The breaker is on every message's path: its cost, against the fastest
// store there is, must stay a small fraction of a message's (about 100 µs
// of CPU with Redis).
func BenchmarkCommitLoad(b *testing.B) {
	b.Run("memstore", func(b *testing.B) { storetest.Bench(b, memstore.New(nil)) })
	b.Run("breaker+memstore", func(b *testing.B) { storetest.Bench(b, breaker.New(memstore.New(nil), breaker.Options{})) })
}
