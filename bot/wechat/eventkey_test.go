package wechat_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/yibao/yibao/bot/wechat/wechattest"
)

// TestEventKeyLimitsPerEvent: each event's key is held to the platform's
// documented limit for it: a VIEW's URL may be 1,024 bytes (it was refused
// over 256, so a real menu click tripped the refused-push alert: issue
// 21, finding 10), a menu key 128, a QR scene "qrscene_" and 64.
func TestEventKeyLimitsPerEvent(t *testing.T) {
	url := "https://yibao.example.org/h5/?" + strings.Repeat("a", 1024-len("https://yibao.example.org/h5/?"))
	for _, tt := range []struct {
		name string
		push wechattest.Push
		want int
	}{
		{"VIEW of 1,024 bytes", wechattest.Push{Type: "event", Event: "VIEW", EventKey: url}, http.StatusOK},
		{"VIEW over 1,024 bytes", wechattest.Push{Type: "event", Event: "VIEW", EventKey: url + "a"}, http.StatusBadRequest},
		{"CLICK of 128 bytes", wechattest.Push{Type: "event", Event: "CLICK", EventKey: strings.Repeat("k", 128)}, http.StatusOK},
		{"CLICK over 128 bytes", wechattest.Push{Type: "event", Event: "CLICK", EventKey: strings.Repeat("k", 129)}, http.StatusBadRequest},
		{"subscribe by a QR scene of 64", wechattest.Push{Type: "event", Event: "subscribe", EventKey: "qrscene_" + strings.Repeat("s", 64)}, http.StatusOK},
		{"SCAN over the scene limit", wechattest.Push{Type: "event", Event: "SCAN", EventKey: "qrscene_" + strings.Repeat("s", 65)}, http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := newWebhook(t, safeConfig(), &fakeBot{})
			tt.push.From = user
			r, err := platformFor(safeConfig()).Do(w, tt.push)
			if err != nil && tt.want == http.StatusOK {
				t.Fatal(err)
			}
			if r.Status != tt.want {
				t.Errorf("status %d, want %d", r.Status, tt.want)
			}
		})
	}
}
