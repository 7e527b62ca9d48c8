package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/wechat/wechattest"
)

// TestHandoff runs serve in safe mode and asks for a person through the
// webhook as the platform would (signed, encrypted): with YIBAO_HANDOFF on
// and inside the service hours the answer is the platform's
// transfer_customer_service message; off, outside the hours, or for any
// other question, the bot's text (the hotline).
func TestHandoff(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	monday := time.Date(2026, 11, 23, 10, 0, 0, 0, cst)   // a Monday, 10:00
	saturday := time.Date(2026, 11, 28, 10, 0, 0, 0, cst) // a Saturday
	evening := time.Date(2026, 11, 23, 18, 0, 0, 0, cst)  // Monday, 18:00
	account := map[string]string{"WECHAT_TOKEN": "handoff-token", "WECHAT_APPID": "wx1234567890abcdef", "WECHAT_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range account {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, tt := range []struct {
		name     string
		env      map[string]string
		now      time.Time
		text     string
		transfer bool
	}{
		{"on, any time", with("YIBAO_HANDOFF", "on"), saturday, "转人工", true},
		{"on, in hours", with("YIBAO_HANDOFF", "on", "YIBAO_HANDOFF_HOURS", "mon-fri 09:00-17:30"), monday, "我要找真人", true},
		{"on, a weekend", with("YIBAO_HANDOFF", "on", "YIBAO_HANDOFF_HOURS", "mon-fri 09:00-17:30"), saturday, "转人工", false},
		{"on, after hours", with("YIBAO_HANDOFF", "on", "YIBAO_HANDOFF_HOURS", "mon-fri 09:00-17:30"), evening, "转人工", false},
		{"off", with(), monday, "转人工", false},
		{"on, another question", with("YIBAO_HANDOFF", "on"), monday, "咨询电话", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			now := func() time.Time { return tt.now }
			p := &wechattest.Platform{Token: account["WECHAT_TOKEN"], AppID: account["WECHAT_APPID"], AESKey: account["WECHAT_AES_KEY"], Now: now}
			srv := startServeAt(t, now, listeners{}, tt.env)
			user := fmt.Sprintf("o_handoff_%d", time.Now().UnixNano())
			send := func(id int64) wechattest.Reply {
				t.Helper()
				req := p.Request(wechattest.Push{From: user, Type: "text", Content: tt.text, MsgID: id})
				req.URL.Scheme, req.URL.Host, req.RequestURI = "http", srv.Addr(), ""
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				r, err := p.Read(user, resp.StatusCode, body)
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			r := send(1)
			if tt.transfer {
				if r.MsgType != "transfer_customer_service" || r.Content != "" {
					t.Errorf("want the hand-over, got %s %q", r.MsgType, r.Content)
				}
			} else if r.MsgType != "text" || !strings.Contains(r.Content, "12393") {
				t.Errorf("want the text with the hotline, got %s %q", r.MsgType, r.Content)
			}
			// The platform's retry gets the same answer.
			if again := send(1); again.MsgType != r.MsgType || again.Content != r.Content {
				t.Errorf("retry: %s %q, first %s %q", again.MsgType, again.Content, r.MsgType, r.Content)
			}
		})
	}
}

func TestHandoffHoursRefused(t *testing.T) {
	for _, h := range []string{"9-17", "mon-fri", "fri 18:00-09:00", "someday 09:00-17:00", "mon-fri 09:00-17:30 extra"} {
		code, _, errOut := runCLI(t, map[string]string{"YIBAO_HANDOFF": "on", "YIBAO_HANDOFF_HOURS": h}, "serve", "-print-config")
		if code != 2 || !strings.Contains(errOut, "handoff-hours") {
			t.Errorf("%q: exit %d, %s", h, code, errOut)
		}
	}
}
