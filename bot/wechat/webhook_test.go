package wechat_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/wechat"
	"github.com/yibao/yibao/bot/wechat/wechattest"
)

const (
	token  = "test-token"
	appID  = "wx1234567890abcdef"
	key    = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	oldKey = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut"
	user   = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"
)

// fakeBot records what it is asked and answers with reply (an echo when nil).
type fakeBot struct {
	mu    sync.Mutex
	got   []contract.Message
	calls atomic.Int32
	reply func(context.Context, contract.Message) (contract.Reply, error)
}

func (b *fakeBot) Handle(ctx context.Context, m contract.Message) (contract.Reply, error) {
	b.calls.Add(1)
	b.mu.Lock()
	b.got = append(b.got, m)
	b.mu.Unlock()
	if b.reply != nil {
		return b.reply(ctx, m)
	}
	return contract.Reply{Text: "echo: " + m.Text, Intent: "echo"}, nil
}

func (b *fakeBot) messages() []contract.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]contract.Message(nil), b.got...)
}

func safeConfig() wechat.Config { return wechat.Config{Token: token, AppID: appID, AESKey: key} }

func newWebhook(t *testing.T, cfg wechat.Config, b contract.Handler) (*wechat.Webhook, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	w, err := wechat.New(cfg, b, zap.NewNop(), wechat.NewMetrics(reg), nil)
	if err != nil {
		t.Fatal(err)
	}
	return w, reg
}

func platformFor(cfg wechat.Config) *wechattest.Platform {
	return &wechattest.Platform{Token: cfg.Token, AppID: cfg.AppID, AESKey: cfg.AESKey}
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func TestURLVerification(t *testing.T) {
	w, _ := newWebhook(t, safeConfig(), &fakeBot{})
	p := platformFor(safeConfig())
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
		body   string
	}{
		{"signed", func() *http.Request { return p.VerifyRequest("echo-123") }, 200, "echo-123"},
		{"forged", func() *http.Request {
			r := p.VerifyRequest("echo-123")
			wechattest.SetQuery(r, "signature", wechattest.Sign("other-token", "1", "2"))
			return r
		}, 403, ""},
		{"missing signature", func() *http.Request {
			r := p.VerifyRequest("echo-123")
			wechattest.SetQuery(r, "signature", "")
			return r
		}, 403, ""},
		{"stale", func() *http.Request {
			old := &wechattest.Platform{Token: token, Now: func() time.Time { return time.Now().Add(-6 * time.Minute) }}
			return old.VerifyRequest("echo-123")
		}, 403, ""},
		{"no echostr", func() *http.Request {
			r := p.VerifyRequest("x")
			wechattest.SetQuery(r, "echostr", "")
			return r
		}, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(w, tt.req())
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d (body %q)", rec.Code, tt.status, rec.Body)
			}
			if tt.status == 200 && rec.Body.String() != tt.body {
				t.Fatalf("body %q, want %q", rec.Body, tt.body)
			}
		})
	}
}

func TestTextRoundTrip(t *testing.T) {
	for _, cfg := range []wechat.Config{{Token: token}, safeConfig()} {
		name := "plain"
		if cfg.Safe() {
			name = "safe"
		}
		t.Run(name, func(t *testing.T) {
			b := &fakeBot{}
			w, _ := newWebhook(t, cfg, b)
			p := platformFor(cfg)
			r, err := p.Do(w, wechattest.Push{From: user, Type: "text", Content: "住院怎么报销", MsgID: 42, Created: 1700000000})
			if err != nil {
				t.Fatal(err)
			}
			if r.MsgType != "text" || r.Content != "echo: 住院怎么报销" {
				t.Fatalf("reply %+v", r)
			}
			if d := time.Since(time.Unix(r.CreateTime, 0)); d < 0 || d > time.Minute {
				t.Errorf("reply CreateTime %d is not now", r.CreateTime)
			}
			got := b.messages()
			want := contract.Message{User: user, ID: "m:" + user + ":42", Kind: contract.KindText, Text: "住院怎么报销", Time: time.Unix(1700000000, 0)}
			if len(got) != 1 || got[0] != want {
				t.Fatalf("bot got %+v, want %+v", got, want)
			}
		})
	}
}

func TestRejected(t *testing.T) {
	p := platformFor(safeConfig())
	text := wechattest.Push{From: user, Type: "text", Content: "你好", MsgID: 1}
	signedWith := func(mutate func(r *http.Request)) func() *http.Request {
		return func() *http.Request { r := p.Request(text); mutate(r); return r }
	}
	shifted := func(d time.Duration) func() *http.Request {
		return func() *http.Request {
			q := platformFor(safeConfig())
			q.Now = func() time.Time { return time.Now().Add(d) }
			return q.Request(text)
		}
	}
	block := func(b byte) []byte { return []byte(strings.Repeat(string([]byte{b}), 32)) }
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"forged signature", signedWith(func(r *http.Request) {
			wechattest.SetQuery(r, "signature", wechattest.Sign("wrong", "1", "2"))
		}), 403},
		{"missing signature", signedWith(func(r *http.Request) { wechattest.SetQuery(r, "signature", "") }), 403},
		{"forged msg_signature", signedWith(func(r *http.Request) {
			wechattest.SetQuery(r, "msg_signature", wechattest.Sign("wrong", "1", "2", "3"))
		}), 403},
		{"missing msg_signature", signedWith(func(r *http.Request) { wechattest.SetQuery(r, "msg_signature", "") }), 403},
		{"stale timestamp", shifted(-5*time.Minute - 30*time.Second), 403},
		{"future timestamp", shifted(5*time.Minute + 30*time.Second), 403},
		{"plain push to safe account", func() *http.Request { return (&wechattest.Platform{Token: token}).Request(text) }, 400},
		{"oversized body", func() *http.Request {
			return p.EncryptedRequest(wechattest.Seal(key, appID, []byte("<xml>"+strings.Repeat("a", 70<<10)+"</xml>")))
		}, 413},
		{"malformed envelope", func() *http.Request { return p.SafeRequest([]byte("<xml><Encrypt>abc</Encrypt"), "abc") }, 400},
		{"empty body", func() *http.Request { return p.SafeRequest(nil, "") }, 400},
		{"malformed inner XML", func() *http.Request {
			return p.EncryptedRequest(wechattest.Seal(key, appID, []byte("<xml><MsgType>text</MsgType><Content>hi</xml>")))
		}, 400},
		{"not XML inside", func() *http.Request {
			return p.EncryptedRequest(wechattest.Seal(key, appID, []byte(`{"MsgType":"text"}`)))
		}, 400},
		{"wrong AppID", func() *http.Request {
			return p.EncryptedRequest(wechattest.Seal(key, "wxOTHERAPP", p.XML(text)))
		}, 400},
		{"wrong key", func() *http.Request {
			return p.EncryptedRequest(wechattest.Seal(oldKey, appID, p.XML(text)))
		}, 400},
		{"bad padding byte", func() *http.Request { return p.EncryptedRequest(wechattest.EncryptBlocks(key, block(0))) }, 400},
		{"inconsistent padding", func() *http.Request {
			// A well-formed plaintext whose padding bytes are not all equal.
			return p.EncryptedRequest(wechattest.EncryptBlocks(key, badlyPadded(p.XML(text))))
		}, 400},
		{"length field overruns", func() *http.Request {
			pt := block(0xff)
			pt[31] = 1
			return p.EncryptedRequest(wechattest.EncryptBlocks(key, pt))
		}, 400},
		{"bad base64", func() *http.Request { return p.EncryptedRequest("!!!not base64!!!") }, 400},
		{"empty Encrypt", func() *http.Request { return p.EncryptedRequest("") }, 400},
		{"no FromUserName", func() *http.Request {
			return p.EncryptedRequest(wechattest.Seal(key, appID, []byte("<xml><MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>")))
		}, 400},
		{"PUT", func() *http.Request { r := p.Request(text); r.Method = http.MethodPut; return r }, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBot{}
			w, _ := newWebhook(t, safeConfig(), b)
			rec := serve(w, tt.req())
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d (body %q)", rec.Code, tt.status, rec.Body)
			}
			if n := b.calls.Load(); n != 0 {
				t.Errorf("bot called %d times, want never", n)
			}
		})
	}
	// The same push, untouched, is accepted: the cases above fail for the
	// reason they name.
	b := &fakeBot{}
	w, _ := newWebhook(t, safeConfig(), b)
	if _, err := p.Do(w, text); err != nil || b.calls.Load() != 1 {
		t.Fatalf("control push: %v, bot calls %d", err, b.calls.Load())
	}
}

// badlyPadded lays out msg as the platform does but with one padding byte
// wrong, so only a full PKCS#7 check finds it.
func badlyPadded(msg []byte) []byte {
	for {
		n := 20 + len(msg) + len(appID)
		pad := 32 - n%32
		if pad < 2 {
			msg = append(msg, ' ')
			continue
		}
		pt := make([]byte, 16, n+pad)
		pt = binary.BigEndian.AppendUint32(pt, uint32(len(msg)))
		pt = append(append(pt, msg...), appID...)
		for range pad {
			pt = append(pt, byte(pad))
		}
		pt[len(pt)-2]++
		return pt
	}
}

func TestRejectedPlainMode(t *testing.T) {
	cfg := wechat.Config{Token: token}
	p := platformFor(cfg)
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"malformed XML", func() *http.Request { return p.PlainRequest([]byte("<xml><Content>hi</Content>")) }, 400},
		{"empty body", func() *http.Request { return p.PlainRequest(nil) }, 400},
		{"invalid UTF-8", func() *http.Request {
			return p.PlainRequest([]byte("<xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>\xff\xfe</Content></xml>"))
		}, 400},
		{"unknown entity", func() *http.Request {
			return p.PlainRequest([]byte("<xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>&nbsp;</Content></xml>"))
		}, 400},
		{"encrypted push to plain account", func() *http.Request {
			return (&wechattest.Platform{Token: token, AppID: appID, AESKey: key}).Request(wechattest.Push{From: user, Type: "text", Content: "hi", MsgID: 1})
		}, 400},
		{"oversized body", func() *http.Request {
			return p.PlainRequest([]byte("<xml><Content>" + strings.Repeat("a", wechat.DefaultMaxBody) + "</Content></xml>"))
		}, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBot{}
			w, _ := newWebhook(t, cfg, b)
			rec := serve(w, tt.req())
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d (body %q)", rec.Code, tt.status, rec.Body)
			}
			if n := b.calls.Load(); n != 0 {
				t.Errorf("bot called %d times, want never", n)
			}
		})
	}
}

func TestOddTexts(t *testing.T) {
	long := strings.Repeat("报销", 5000) // 10,000 characters, 30,000 bytes
	tests := []struct{ name, text string }{
		{"empty", ""},
		{"10,000 characters", long},
		{"emoji", "😷🏥 住院👨‍👩‍👧 报销？"},
		{"markup", "<b>a & b</b> ]]> <![CDATA[x]]>"},
		{"newlines", "第一行\n第二行"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBot{reply: func(_ context.Context, m contract.Message) (contract.Reply, error) {
				return contract.Reply{Text: "收到，共" + string(rune('0'+utf8.RuneCountInString(m.Text)%10)) + "。"}, nil
			}}
			w, _ := newWebhook(t, safeConfig(), b)
			r, err := platformFor(safeConfig()).Do(w, wechattest.Push{From: user, Type: "text", Content: tt.text, MsgID: 7})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(r.Content, "收到") {
				t.Errorf("reply %q", r.Content)
			}
			if got := b.messages(); len(got) != 1 || got[0].Text != tt.text {
				t.Errorf("bot did not get the text intact")
			}
		})
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		name string
		push wechattest.Push
		want contract.Message
	}{
		{"voice", wechattest.Push{Type: "voice", Recognition: "怎么报销", MsgID: 5},
			contract.Message{Kind: contract.KindVoice, Text: "怎么报销", ID: "m:" + user + ":5"}},
		{"voice not recognised", wechattest.Push{Type: "voice", MsgID: 6},
			contract.Message{Kind: contract.KindVoice, ID: "m:" + user + ":6"}},
		{"image", wechattest.Push{Type: "image", MsgID: 7}, contract.Message{Kind: contract.KindMedia, ID: "m:" + user + ":7"}},
		{"location", wechattest.Push{Type: "location", MsgID: 8}, contract.Message{Kind: contract.KindMedia, ID: "m:" + user + ":8"}},
		{"link", wechattest.Push{Type: "link", MsgID: 9}, contract.Message{Kind: contract.KindMedia, ID: "m:" + user + ":9"}},
		{"video", wechattest.Push{Type: "video", MsgID: 10}, contract.Message{Kind: contract.KindMedia, ID: "m:" + user + ":10"}},
		{"shortvideo", wechattest.Push{Type: "shortvideo", MsgID: 11}, contract.Message{Kind: contract.KindMedia, ID: "m:" + user + ":11"}},
		{"subscribe", wechattest.Push{Type: "event", Event: "subscribe"},
			contract.Message{Kind: contract.KindFollow, ID: "e:" + user + ":subscribe::1700000000"}},
		{"unsubscribe", wechattest.Push{Type: "event", Event: "unsubscribe"},
			contract.Message{Kind: contract.KindUnfollow, ID: "e:" + user + ":unsubscribe::1700000000"}},
		{"menu click", wechattest.Push{Type: "event", Event: "CLICK", EventKey: "estimate"},
			contract.Message{Kind: contract.KindMenu, Key: "estimate", ID: "e:" + user + ":CLICK:estimate:1700000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBot{}
			w, _ := newWebhook(t, safeConfig(), b)
			tt.push.From, tt.push.Created = user, 1700000000
			if _, err := platformFor(safeConfig()).Do(w, tt.push); err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.User, want.Time = user, time.Unix(1700000000, 0)
			if got := b.messages(); len(got) != 1 || got[0] != want {
				t.Fatalf("bot got %+v, want %+v", got, want)
			}
		})
	}
}

func TestIgnoredPushes(t *testing.T) {
	for _, push := range []wechattest.Push{
		{Type: "event", Event: "VIEW", EventKey: "https://example.invalid"},
		{Type: "event", Event: "LOCATION"},
		{Type: "event", Event: "SCAN", EventKey: "123"},
		{Type: "event", Event: "TEMPLATESENDJOBFINISH"},
		{Type: "event", Event: "scancode_push", EventKey: "k"},
		{Type: "miniprogrampage", MsgID: 3},
	} {
		t.Run(push.Type+" "+push.Event, func(t *testing.T) {
			b := &fakeBot{}
			w, _ := newWebhook(t, safeConfig(), b)
			push.From = user
			r, err := platformFor(safeConfig()).Do(w, push)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Success || r.Body != "success" {
				t.Errorf("answer %q, want success", r.Body)
			}
			if b.calls.Load() != 0 {
				t.Errorf("bot called")
			}
		})
	}
}

func TestEmptyReplyIsSuccess(t *testing.T) {
	b := &fakeBot{reply: func(context.Context, contract.Message) (contract.Reply, error) { return contract.Reply{}, nil }}
	w, _ := newWebhook(t, safeConfig(), b)
	r, err := platformFor(safeConfig()).Do(w, wechattest.Push{From: user, Type: "event", Event: "unsubscribe"})
	if err != nil || r.Body != "success" {
		t.Fatalf("answer %q, %v; want success", r.Body, err)
	}
}

func TestConcurrentRetriesRunTheBotOnce(t *testing.T) {
	release := make(chan struct{})
	var n atomic.Int32
	b := &fakeBot{reply: func(context.Context, contract.Message) (contract.Reply, error) {
		<-release
		return contract.Reply{Text: "第" + string(rune('0'+n.Add(1))) + "次回答"}, nil
	}}
	w, reg := newWebhook(t, safeConfig(), b)
	p := platformFor(safeConfig())
	push := wechattest.Push{From: user, Type: "text", Content: "报销比例", MsgID: 99, Created: time.Now().Unix()}

	const tries = 3
	replies := make([]wechattest.Reply, tries)
	errs := make([]error, tries)
	var wg sync.WaitGroup
	for i := range tries {
		wg.Go(func() { replies[i], errs[i] = p.Do(w, push) })
	}
	// Release the bot only once every retry is waiting on the first try.
	for deadline := time.Now().Add(2 * time.Second); counter(t, reg, "yibao_wechat_dedup_hits_total") < tries-1; {
		if time.Now().After(deadline) {
			t.Fatal("retries never joined the first try")
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	for i := range tries {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if replies[i].Content != "第1次回答" {
			t.Errorf("try %d got %q, want the first reply", i, replies[i].Content)
		}
	}
	if c := b.calls.Load(); c != 1 {
		t.Fatalf("bot ran %d times for one message", c)
	}
	// Once the first try is done, the same ID runs the bot again (the
	// store's dedup answers it then): nothing is left behind in memory.
	if _, err := p.Do(w, push); err != nil || b.calls.Load() != 2 {
		t.Fatalf("after the flight: %v, bot calls %d, want 2", err, b.calls.Load())
	}
}

func TestDifferentUsersSameMsgIDAreNotDuplicates(t *testing.T) {
	b := &fakeBot{}
	w, _ := newWebhook(t, safeConfig(), b)
	p := platformFor(safeConfig())
	for _, from := range []string{"o_user_a", "o_user_b"} {
		if _, err := p.Do(w, wechattest.Push{From: from, Type: "text", Content: "hi", MsgID: 1}); err != nil {
			t.Fatal(err)
		}
	}
	got := b.messages()
	if len(got) != 2 || got[0].ID == got[1].ID {
		t.Fatalf("IDs %q and %q must differ", got[0].ID, got[1].ID)
	}
}

func TestSlowBotGetsAnApologyWithinTheDeadline(t *testing.T) {
	cfg := safeConfig()
	cfg.Deadline = 100 * time.Millisecond
	var sawDeadline atomic.Bool
	release := make(chan struct{})
	b := &fakeBot{reply: func(ctx context.Context, _ contract.Message) (contract.Reply, error) {
		_, ok := ctx.Deadline()
		sawDeadline.Store(ok)
		<-release // ignores its context, the worst case: only the test lets it go
		return contract.Reply{Text: "too late"}, nil
	}}
	defer close(release)
	w, reg := newWebhook(t, cfg, b)
	// The bot returns only after the reply is in hand: a webhook that
	// waited for it would never answer (the test would time out).
	r, err := platformFor(cfg).Do(w, wechattest.Push{From: user, Type: "text", Content: "hi", MsgID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Content != wechat.TimeoutText {
		t.Errorf("reply %q, want the apology", r.Content)
	}
	if !sawDeadline.Load() {
		t.Error("bot's context has no deadline")
	}
	if got := counterWith(t, reg, "yibao_wechat_requests_total", "outcome", "timeout"); got != 1 {
		t.Errorf("timeout outcomes %v, want 1", got)
	}
}

func TestBotFailureGetsAnApology(t *testing.T) {
	for name, reply := range map[string]func(context.Context, contract.Message) (contract.Reply, error){
		"error": func(context.Context, contract.Message) (contract.Reply, error) {
			return contract.Reply{}, errors.New("boom")
		},
		"panic": func(context.Context, contract.Message) (contract.Reply, error) { panic("boom") },
	} {
		t.Run(name, func(t *testing.T) {
			w, _ := newWebhook(t, safeConfig(), &fakeBot{reply: reply})
			r, err := platformFor(safeConfig()).Do(w, wechattest.Push{From: user, Type: "text", Content: "hi", MsgID: 1})
			if err != nil {
				t.Fatal(err) // includes any non-200 status
			}
			if r.Content != wechat.ErrorText {
				t.Errorf("reply %q, want the apology", r.Content)
			}
		})
	}
}

func TestReplyTextSurvivesXML(t *testing.T) {
	texts := []string{"a]]>b", "]]>", "x]]]]>y", "<xml>&amp;</xml>", "a\x00b\x1fc"}
	for _, cfg := range []wechat.Config{{Token: token}, safeConfig()} {
		for _, text := range texts {
			w, _ := newWebhook(t, cfg, &fakeBot{reply: func(context.Context, contract.Message) (contract.Reply, error) {
				return contract.Reply{Text: text}, nil
			}})
			r, err := platformFor(cfg).Do(w, wechattest.Push{From: user, Type: "text", Content: "hi", MsgID: 1})
			if err != nil {
				t.Fatalf("%q: %v", text, err)
			}
			want := strings.NewReplacer("\x00", "\uFFFD", "\x1f", "\uFFFD").Replace(text)
			if r.Content != want {
				t.Errorf("safe=%v: reply %q, want %q", cfg.Safe(), r.Content, want)
			}
		}
	}
}

func TestOverlongReplyIsCutAtACharacter(t *testing.T) {
	long := strings.Repeat("医保", 600) + "完" // 3603 bytes
	w, _ := newWebhook(t, safeConfig(), &fakeBot{reply: func(context.Context, contract.Message) (contract.Reply, error) {
		return contract.Reply{Text: "a" + long}, nil // odd offset: 2000 falls inside a character
	}})
	r, err := platformFor(safeConfig()).Do(w, wechattest.Push{From: user, Type: "text", Content: "hi", MsgID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Content) > wechat.DefaultMaxReplyBytes || len(r.Content) < wechat.DefaultMaxReplyBytes-3 {
		t.Errorf("reply is %d bytes, want just under %d", len(r.Content), wechat.DefaultMaxReplyBytes)
	}
	if !utf8.ValidString(r.Content) || !strings.HasPrefix("a"+long, r.Content) {
		t.Errorf("reply is not a clean prefix of the bot's text")
	}
}

func TestPreviousAESKeyDuringAKeyChange(t *testing.T) {
	cfg := safeConfig()
	cfg.PrevAESKey = oldKey
	b := &fakeBot{}
	w, _ := newWebhook(t, cfg, b)
	push := wechattest.Push{From: user, Type: "text", Content: "hi", MsgID: 1}
	for _, k := range []string{key, oldKey} {
		// The platform reads the reply with the key it encrypted with.
		p := &wechattest.Platform{Token: token, AppID: appID, AESKey: k}
		if r, err := p.Do(w, push); err != nil || r.Content != "echo: hi" {
			t.Fatalf("key %s: %+v, %v", k[:4], r, err)
		}
		push.MsgID++
	}
	other := &wechattest.Platform{Token: token, AppID: appID, AESKey: "0000000000000000000000000000000000000000000"}
	if rec := serve(w, other.Request(push)); rec.Code != 400 {
		t.Fatalf("unknown key: status %d, want 400", rec.Code)
	}
	if b.calls.Load() != 2 {
		t.Fatalf("bot calls %d, want 2", b.calls.Load())
	}
}

func TestMetrics(t *testing.T) {
	b := &fakeBot{reply: func(_ context.Context, m contract.Message) (contract.Reply, error) {
		switch m.Text {
		case "dup":
			return contract.Reply{Text: "first", Intent: "fee", Duplicate: true}, nil
		case "down":
			return contract.Reply{Text: "guide", Intent: "guide", Degraded: true}, nil
		}
		return contract.Reply{Text: "?", Intent: "unknown"}, nil
	}}
	w, reg := newWebhook(t, safeConfig(), b)
	p := platformFor(safeConfig())
	for i, text := range []string{"dup", "down", "什么"} {
		if _, err := p.Do(w, wechattest.Push{From: user, Type: "text", Content: text, MsgID: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	r := p.Request(wechattest.Push{From: user, Type: "text", MsgID: 9})
	wechattest.SetQuery(r, "signature", "0")
	serve(w, r)

	checks := []struct {
		name        string
		label, want string
		n           float64
	}{
		{"yibao_wechat_requests_total", "outcome", "duplicate", 1},
		{"yibao_wechat_requests_total", "outcome", "degraded", 1},
		{"yibao_wechat_requests_total", "outcome", "ok", 1},
		{"yibao_wechat_requests_total", "outcome", "rejected_signature", 1},
		{"yibao_wechat_requests_total", "intent", "unknown", 1},
		{"yibao_wechat_dedup_hits_total", "where", "store", 1},
	}
	for _, c := range checks {
		if got := counterWith(t, reg, c.name, c.label, c.want); got != c.n {
			t.Errorf("%s{%s=%q} = %v, want %v", c.name, c.label, c.want, got, c.n)
		}
	}
	for name, want := range map[string]float64{"yibao_wechat_store_errors_total": 1, "yibao_wechat_unknown_questions_total": 1} {
		if got := counter(t, reg, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

// counter sums a counter family across its labels.
func counter(t *testing.T, g prometheus.Gatherer, name string) float64 {
	return counterWith(t, g, name, "", "")
}

func counterWith(t *testing.T, g prometheus.Gatherer, name, label, value string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			match := label == ""
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					match = true
				}
			}
			if match {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// The bot runs on reused workers; one stuck on a message must not hold up
// another user's, and a closed webhook still answers.
func TestStuckBotDoesNotHoldUpOthers(t *testing.T) {
	cfg := safeConfig()
	release := make(chan struct{})
	defer close(release)
	b := &fakeBot{reply: func(_ context.Context, m contract.Message) (contract.Reply, error) {
		if m.Text == "stuck" {
			<-release
		}
		return contract.Reply{Text: "echo: " + m.Text}, nil
	}}
	w, _ := newWebhook(t, cfg, b)
	p := platformFor(cfg)
	go func() {
		_, _ = p.Do(w, wechattest.Push{From: "o-stuck-user-000000000000", Type: "text", Content: "stuck", MsgID: 1})
	}()
	done := make(chan error, 1)
	go func() {
		for i := range 20 {
			r, err := p.Do(w, wechattest.Push{From: user, Type: "text", Content: "hi", MsgID: int64(10 + i)})
			if err == nil && r.Content != "echo: hi" {
				err = fmt.Errorf("message %d: reply %+v", i, r)
			}
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute): // a bounded pool blocks for ever
		t.Fatal("messages held up behind a stuck one")
	}
	w.Close()
	r, err := p.Do(w, wechattest.Push{From: user, Type: "text", Content: "after", MsgID: 99})
	if err != nil || r.Content != "echo: after" {
		t.Fatalf("after Close: reply %+v, %v", r, err)
	}
}
