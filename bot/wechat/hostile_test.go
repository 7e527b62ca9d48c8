package wechat_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/yibao/yibao/bot/wechat"
	"github.com/yibao/yibao/bot/wechat/wechattest"
)

// TestStrictIDs: ids the platform would not send are refused with 400
// before the bot (and so any state) sees the push, in both modes.
func TestStrictIDs(t *testing.T) {
	good := wechattest.Push{From: user, Type: "text", Content: "你好", MsgID: 42}
	tests := []struct {
		name string
		edit func(p *wechattest.Platform, m wechattest.Push) []byte // the push's XML
	}{
		{"32 KB user id", func(p *wechattest.Platform, m wechattest.Push) []byte {
			m.From = strings.Repeat("o", 32<<10)
			return p.XML(m)
		}},
		{"user id with a brace", func(p *wechattest.Platform, m wechattest.Push) []byte { m.From = "o_{x}"; return p.XML(m) }},
		{"user id with a colon", func(p *wechattest.Platform, m wechattest.Push) []byte { m.From = "o:42"; return p.XML(m) }},
		{"user id with a space", func(p *wechattest.Platform, m wechattest.Push) []byte { m.From = " " + user; return p.XML(m) }},
		{"no user id", func(p *wechattest.Platform, m wechattest.Push) []byte { m.From = ""; return p.XML(m) }},
		{"65-character user id", func(p *wechattest.Platform, m wechattest.Push) []byte {
			m.From = strings.Repeat("a", 65)
			return p.XML(m)
		}},
		{"account id with a brace", func(p *wechattest.Platform, m wechattest.Push) []byte {
			return bytes.Replace(p.XML(m), []byte("gh_test"), []byte("gh_{test}"), 1)
		}},
		{"32 KB account id", func(p *wechattest.Platform, m wechattest.Push) []byte {
			return bytes.Replace(p.XML(m), []byte("gh_test"), []byte(strings.Repeat("g", 32<<10)), 1)
		}},
		{"MsgId with a letter", func(p *wechattest.Platform, m wechattest.Push) []byte {
			return bytes.Replace(p.XML(m), []byte("<MsgId>42<"), []byte("<MsgId>42a<"), 1)
		}},
		{"32 KB MsgId", func(p *wechattest.Platform, m wechattest.Push) []byte {
			return bytes.Replace(p.XML(m), []byte("<MsgId>42<"), []byte("<MsgId>"+strings.Repeat("9", 32<<10)+"<"), 1)
		}},
		{"32 KB menu key", func(p *wechattest.Platform, m wechattest.Push) []byte {
			return p.XML(wechattest.Push{From: user, Type: "event", Event: "CLICK", EventKey: strings.Repeat("k", 32<<10)})
		}},
		{"event name with a colon", func(p *wechattest.Platform, m wechattest.Push) []byte {
			return p.XML(wechattest.Push{From: user, Type: "event", Event: "CLICK:x", EventKey: "k"})
		}},
	}
	for _, cfg := range []wechat.Config{{Token: token}, safeConfig()} {
		for _, tt := range tests {
			t.Run(map[bool]string{false: "plain/", true: "safe/"}[cfg.Safe()]+tt.name, func(t *testing.T) {
				b := &fakeBot{}
				w, _ := newWebhook(t, cfg, b)
				p := platformFor(cfg)
				body := tt.edit(p, good)
				var req *http.Request
				if cfg.Safe() {
					req = p.EncryptedRequest(wechattest.Seal(key, appID, body))
				} else {
					req = p.PlainRequest(body)
				}
				rec := serve(w, req)
				if rec.Code != http.StatusBadRequest {
					t.Errorf("status %d, want 400", rec.Code)
				}
				if n := b.calls.Load(); n != 0 {
					t.Errorf("bot called %d times, want never", n)
				}
			})
		}
		// The real thing still passes.
		b := &fakeBot{}
		w, _ := newWebhook(t, cfg, b)
		if r, err := platformFor(cfg).Do(w, good); err != nil || r.Content == "" {
			t.Errorf("a good push: %+v %v", r, err)
		}
	}
}

// TestPlainModeReplay: in plain mode the signature does not cover the
// body, so a URL seen once must not carry another body: a forged "取消"
// for another user is refused; the platform's retry (same body) passes.
func TestPlainModeReplay(t *testing.T) {
	core, logs := observer.New(zap.WarnLevel)
	b := &fakeBot{}
	w, err := wechat.New(wechat.Config{Token: token}, b, zap.New(core), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if logs.FilterMessageSnippet("plain mode").Len() != 1 {
		t.Errorf("no start-up warning that plain mode is for development: %v", logs.All())
	}
	p := platformFor(wechat.Config{Token: token})
	seen := p.Request(wechattest.Push{From: user, Type: "text", Content: "你好", MsgID: 1})
	body, _ := io.ReadAll(seen.Body)
	with := func(body []byte) *http.Request {
		r := httptest.NewRequest(http.MethodPost, seen.URL.RequestURI(), bytes.NewReader(body))
		return r
	}
	if rec := serve(w, with(body)); rec.Code != http.StatusOK {
		t.Fatalf("first: %d", rec.Code)
	}
	forged := p.XML(wechattest.Push{From: "o_victim", Type: "text", Content: "取消", MsgID: 2})
	if rec := serve(w, with(forged)); rec.Code != http.StatusForbidden {
		t.Errorf("forged body on a seen URL: %d, want 403", rec.Code)
	}
	for _, m := range b.messages() {
		if m.User == "o_victim" {
			t.Errorf("the bot saw the forged push: %+v", m)
		}
	}
	if rec := serve(w, with(body)); rec.Code != http.StatusOK {
		t.Errorf("the platform's retry: %d, want 200", rec.Code)
	}
}

// TestPlainModeReplayWholeWindow: however many pushes come after it, a
// signed URL cannot carry another body while its timestamp is in the
// window (with 65,536 remembered, one was reusable after about 6 s of
// load: issue 21, finding 8). A new push is still answered.
func TestPlainModeReplayWholeWindow(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	cfg := wechat.Config{Token: token, PlainReplays: 8}
	w, err := wechat.New(cfg, &fakeBot{}, nil, nil, clock)
	if err != nil {
		t.Fatal(err)
	}
	p := &wechattest.Platform{Token: token, Now: clock}
	seen := p.Request(wechattest.Push{From: user, Type: "text", Content: "你好", MsgID: 1})
	if rec := serve(w, seen); rec.Code != http.StatusOK {
		t.Fatalf("first: %d", rec.Code)
	}
	now = now.Add(time.Second)
	for i := range 50 {
		if rec := serve(w, p.Request(wechattest.Push{From: user, Type: "text", Content: "你好", MsgID: int64(10 + i)})); rec.Code != http.StatusOK {
			t.Fatalf("push %d: %d", i, rec.Code)
		}
	}
	forged := p.XML(wechattest.Push{From: "o_victim", Type: "text", Content: "取消", MsgID: 2})
	r := httptest.NewRequest(http.MethodPost, seen.URL.RequestURI(), bytes.NewReader(forged))
	if rec := serve(w, r); rec.Code != http.StatusForbidden {
		t.Errorf("forged body on a URL seen 50 pushes ago: %d, want 403", rec.Code)
	}
}
