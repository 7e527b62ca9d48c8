package wechat

import (
	"net/url"
	"testing"
)

// BenchmarkParseQuery reads a safe-mode push's query with the webhook's
// parser; BenchmarkURLQuery with url.ParseQuery and Get, which builds a
// map and a slice per key on every request.
const benchQuery = "signature=0f8a1b2c3d4e5f60718293a4b5c6d7e8f9012345&timestamp=1700000000&nonce=1234567890&openid=oUpF8uMuAJO_M2pxb1Q9zNjWeS6o&encrypt_type=aes&msg_signature=9a8b7c6d5e4f30211a2b3c4d5e6f708192a3b4c5"

func BenchmarkParseQuery(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if q := parseQuery(benchQuery); q.msgSignature == "" {
			b.Fatal("no msg_signature")
		}
	}
}

func BenchmarkURLQuery(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		v, err := url.ParseQuery(benchQuery)
		if err != nil || v.Get("msg_signature") == "" || v.Get("signature") == "" || v.Get("timestamp") == "" || v.Get("nonce") == "" || v.Get("encrypt_type") == "" {
			b.Fatal("bad query")
		}
	}
}
