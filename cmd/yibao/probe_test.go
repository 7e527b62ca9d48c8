package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/bot/wechat"
	"github.com/yibao/yibao/cmd/yibao/config"
)

const (
	probeKey      = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	otherProbeKey = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj"
)

// webhookServer runs the webhook with the real bot, mounted as serve mounts
// it.
func webhookServer(t *testing.T, cfg wechat.Config) *httptest.Server {
	t.Helper()
	c, err := loadContent(&config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := newBot(c, memstore.New(nil), nil, zap.NewNop(), bot.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hook, err := wechat.New(cfg, b, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/wechat", hook)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestProbe(t *testing.T) {
	safe := webhookServer(t, wechat.Config{Token: "probe-token", AppID: "wx1234567890abcdef", AESKey: probeKey})
	plain := webhookServer(t, wechat.Config{Token: "probe-token", AppID: "wx1234567890abcdef"})
	tests := []struct {
		name   string
		target probeTarget
		ok     bool
		want   string
	}{
		{"safe mode", probeTarget{URL: safe.URL + "/wechat", Token: "probe-token", AppID: "wx1234567890abcdef", AESKey: probeKey}, true, "signature, encryption and addressing check out"},
		{"plain mode", probeTarget{URL: plain.URL + "/wechat", Token: "probe-token"}, true, "咨询电话"},
		{"wrong token", probeTarget{URL: safe.URL + "/wechat", Token: "old-token", AppID: "wx1234567890abcdef", AESKey: probeKey}, false, "FAIL  URL check"},
		{"wrong AES key", probeTarget{URL: safe.URL + "/wechat", Token: "probe-token", AppID: "wx1234567890abcdef", AESKey: otherProbeKey}, false, "FAIL  text message"},
		{"wrong AppID", probeTarget{URL: safe.URL + "/wechat", Token: "probe-token", AppID: "wx0000000000000001", AESKey: probeKey}, false, "FAIL  text message"},
		{"plain probe, safe account", probeTarget{URL: safe.URL + "/wechat", Token: "probe-token"}, false, "FAIL  text message"},
		{"wrong path", probeTarget{URL: safe.URL + "/wx", Token: "probe-token", AppID: "wx1234567890abcdef", AESKey: probeKey}, false, "HTTP 404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			ok := probe(context.Background(), http.DefaultClient, tt.target, time.Now, &out)
			if ok != tt.ok || !strings.Contains(out.String(), tt.want) {
				t.Errorf("probe ok=%v, want %v and %q in:\n%s", ok, tt.ok, tt.want, out.String())
			}
		})
	}
}

func TestProbeCommand(t *testing.T) {
	srv := webhookServer(t, wechat.Config{Token: "probe-token", AppID: "wx1234567890abcdef", AESKey: probeKey})
	env := map[string]string{"WECHAT_TOKEN": "probe-token", "WECHAT_APPID": "wx1234567890abcdef", "WECHAT_AES_KEY": probeKey}
	code, out, errOut := runCLIAt(t, time.Now(), env, "probe", "--url", srv.URL+"/wechat")
	if code != 0 || !strings.Contains(out, "all checks passed") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	for _, args := range [][]string{
		{"probe"},
		{"probe", "--url", "ftp://x/wechat"},
		{"probe", "--url", srv.URL, "--aes-key", "short"},
	} {
		if code, _, errOut := runCLI(t, env, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, %q; want a usage error", args, code, errOut)
		}
	}
}
