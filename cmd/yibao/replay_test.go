package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/wechat/wechattest"
)

// TestFuturePushReplayedLate: a push stamped 4 minutes ahead of our clock
// is accepted until 9 minutes from now; replayed 6½ minutes later it must
// get the first answer, not run the dialog step again.
func TestFuturePushReplayedLate(t *testing.T) {
	t0 := time.Now()
	var offset atomic.Int64
	now := func() time.Time { return t0.Add(time.Duration(offset.Load())) }
	srv := startServeAt(t, now, listeners{}, nil)

	p := &wechattest.Platform{Token: "test-token", AppID: "wx0000000000000000", Now: func() time.Time { return t0.Add(4 * time.Minute) }}
	first := p.Request(wechattest.Push{From: "o_future", Type: "text", Content: "住院能报多少", MsgID: 77})
	body, _ := io.ReadAll(first.Body)
	send := func() (int, string) {
		req, err := http.NewRequest(http.MethodPost, "http://"+srv.Addr()+first.URL.RequestURI(), bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, answer := send()
	if code != http.StatusOK || !strings.Contains(answer, "哪一档") {
		t.Fatalf("first: %d %s", code, answer)
	}
	offset.Store(int64(6*time.Minute + 30*time.Second))
	code, again := send()
	if code != http.StatusOK {
		t.Fatalf("replay within the window: %d %s", code, again)
	}
	_, metrics := get(t, "http://"+srv.Addr()+"/metrics")
	if !strings.Contains(metrics, `outcome="duplicate"} 1`) {
		t.Errorf("the replay ran the dialog again:\n%s", grep(metrics, "yibao_wechat_requests_total"))
	}
}

func grep(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
