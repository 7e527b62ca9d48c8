package redisstore_test

import (
	"os"
	"testing"

	"github.com/yibao/yibao/bot/redisstore"
	"github.com/yibao/yibao/bot/storetest"
)

func BenchmarkCommitLoad(b *testing.B) {
	b.Run("miniredis", func(b *testing.B) {
		_, client := miniClient(b)
		storetest.Bench(b, redisstore.New(client, redisstore.Options{}))
	})
	b.Run("redis", func(b *testing.B) {
		url := os.Getenv("REDIS_URL")
		if url == "" {
			b.Skip("REDIS_URL not set")
		}
		s, _, _ := realStore(b, url)
		storetest.Bench(b, s)
	})
}
