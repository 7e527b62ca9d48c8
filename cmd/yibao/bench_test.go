package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/bot/wechat"
	"github.com/yibao/yibao/bot/wechat/wechattest"
	"github.com/yibao/yibao/cmd/yibao/config"
)

// BenchmarkServeSafeMode is the whole handler path as serve wires it, in
// safe mode: verify, decrypt, parse, the real bot (in-memory state), the
// reply encrypted and signed. The figure includes the simulated platform
// encrypting each push; the first push's reply is checked as the platform
// would. The script is compare.sh's.
func BenchmarkServeSafeMode(b *testing.B) {
	c, err := loadContent(&config.Config{})
	if err != nil {
		b.Fatal(err)
	}
	bt, err := newBot(c, memstore.New(nil), nil, zap.NewNop(), bot.Config{})
	if err != nil {
		b.Fatal(err)
	}
	p := &wechattest.Platform{Token: "bench-token", AppID: "wx00000000bench000", AESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	hook, err := wechat.New(wechat.Config{Token: p.Token, AppID: p.AppID, AESKey: p.AESKey}, bt, nil, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	script := []string{"居民医保", "缴费标准", "报销计算", "二档", "住院", "三级医院", "50000", "怎么报销", "你好"}
	if r, err := p.Do(hook, wechattest.Push{From: "o_check", Type: "text", Content: "你好", MsgID: 1}); err != nil || r.Content == "" {
		b.Fatalf("%v %+v", err, r)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		user := fmt.Sprint("o_bench_", (n/len(script))%5000)
		rec := httptest.NewRecorder()
		hook.ServeHTTP(rec, p.Request(wechattest.Push{From: user, Type: "text", Content: script[n%len(script)], MsgID: int64(n + 2)}))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		n++
	}
}
