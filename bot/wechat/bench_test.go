package wechat_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/officialaccount"
	offConfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/sirupsen/logrus"

	"github.com/yibao/yibao/bot/contract"
	ywechat "github.com/yibao/yibao/bot/wechat"
	"github.com/yibao/yibao/bot/wechat/wechattest"
)

// echoBot is the trivial bot of the benchmark: no state, no store.
type echoBot struct{}

func (echoBot) Handle(_ context.Context, m contract.Message) (contract.Reply, error) {
	return contract.Reply{Text: "echo: " + m.Text, Intent: "echo"}, nil
}

// discard is a ResponseWriter that keeps nothing, so the benchmarks
// measure the handlers, not a recorder.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(code int)        { d.code = code }

// benchPush is one signed, encrypted text push, replayed: bodies are
// rebuilt per iteration, the signing is not part of the measurement.
func benchPush(b *testing.B) (*http.Request, []byte) {
	p := platformFor(safeConfig())
	r := p.Request(wechattest.Push{From: user, Type: "text", Content: "住院报销比例是多少", MsgID: 1})
	body, err := io.ReadAll(r.Body)
	if err != nil {
		b.Fatal(err)
	}
	return r, body
}

func runBench(b *testing.B, h http.Handler) {
	template, body := benchPush(b)
	w := &discard{h: make(http.Header)}
	rd := bytes.NewReader(body)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := *template
		rd.Reset(body)
		r.Body = io.NopCloser(rd)
		clear(w.h)
		w.code = 0
		h.ServeHTTP(w, &r)
		if w.code != 0 && w.code != http.StatusOK {
			b.Fatalf("status %d", w.code)
		}
	}
}

// BenchmarkWebhookSafeMode is the request path in safe mode: check both
// signatures and the timestamp, decrypt, parse, run a trivial bot (on its
// own goroutine, with a deadline), render, encrypt and sign the reply. No
// dedup wait (each push is handled to the end before the next).
func BenchmarkWebhookSafeMode(b *testing.B) {
	// nil metrics would flatter us: count them as in production.
	w, _ := newWebhookB(b)
	runBench(b, w)
}

// BenchmarkSDKServerSafeMode is the same push through the bare SDK server
// answering an echo: the baseline the webhook is measured against.
func BenchmarkSDKServerSafeMode(b *testing.B) {
	logrus.SetLevel(logrus.WarnLevel)
	// The officialaccount package, never the SDK's root: its init sets
	// the global logrus logger to Debug on stdout.
	oa := officialaccount.NewOfficialAccount(&offConfig.Config{
		AppID: appID, AppSecret: "unused", Token: token, EncodingAESKey: key, Cache: cache.NewMemory(),
	})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv := oa.GetServer(r, w)
		srv.SetMessageHandler(func(m *message.MixMessage) *message.Reply {
			return &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText("echo: " + m.Content)}
		})
		if err := srv.Serve(); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		srv.Send()
	})
	runBench(b, h)
}

func newWebhookB(b *testing.B) (*ywechat.Webhook, error) {
	w, err := ywechat.New(safeConfig(), echoBot{}, nil, ywechat.NewMetrics(nil), nil)
	if err != nil {
		b.Fatal(err)
	}
	return w, nil
}
