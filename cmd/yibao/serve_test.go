package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/wechat/wechattest"
)

// TestServeEndToEnd builds the binary, starts `yibao serve` on a free port
// in safe mode with Redis (the real one when REDIS_URL is set, else
// miniredis), and runs a whole estimate dialog through the webhook as the
// platform would: signed, encrypted, with a retry.
func TestServeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://" + miniredis.RunT(t).Addr()
	}
	bin := filepath.Join(t.TempDir(), "yibao")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	p := &wechattest.Platform{Token: "e2e-token", AppID: "wx1234567890abcdef", AESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	cmd := exec.Command(bin, "serve", "-addr", addr)
	cmd.Env = append(os.Environ(), "WECHAT_TOKEN="+p.Token, "WECHAT_APPID="+p.AppID, "WECHAT_AES_KEY="+p.AESKey, "REDIS_URL="+redisURL)
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	base := "http://" + addr
	waitUp(t, base+"/healthz")
	if r, err := http.Get(base + "/readyz"); err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %v %v", r, err)
	}

	user := fmt.Sprintf("o_e2e_%d", time.Now().UnixNano())
	send := func(id int64, text string) string {
		t.Helper()
		push := wechattest.Push{From: user, Type: "text", Content: text, MsgID: id}
		if text == "event:unsubscribe" {
			push = wechattest.Push{From: user, Type: "event", Event: "unsubscribe"}
		}
		req := p.Request(push)
		req.URL.Scheme, req.URL.Host, req.RequestURI = "http", addr, ""
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		r, err := p.Read(user, resp.StatusCode, body)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		return r.Content
	}
	steps := []struct{ say, want string }{
		{"住院能报多少", "哪一档"},
		{"二档", "哪一级"},
		{"三甲", "多少钱"},
		{"10万", "未成年人"},
		{"不是", "医保能报：71,683.40元"},
	}
	var last string
	for i, s := range steps {
		last = send(int64(1000+i), s.say)
		if !strings.Contains(last, s.want) {
			t.Fatalf("%q: reply lacks %q:\n%s", s.say, s.want, last)
		}
	}
	if again := send(1004, "不是"); again != last {
		t.Errorf("retry got a different reply:\n%s", again)
	}

	// Unsubscribing forgets the user's dialog state.
	if r := send(0, "event:unsubscribe"); r != "" {
		t.Errorf("unsubscribe answered %q", r)
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	defer rc.Close()
	if n, err := rc.Exists(context.Background(), "yibao:{"+user+"}:s").Result(); err != nil || n != 0 {
		t.Errorf("state after unsubscribe: exists=%d err=%v", n, err)
	}

	// Graceful shutdown on SIGTERM.
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("still running 10s after SIGTERM")
	}
}

func TestServeRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"short AES key", map[string]string{"WECHAT_TOKEN": "t", "WECHAT_APPID": "wx1", "WECHAT_AES_KEY": "tooshort"}, "43-character"},
		{"safe mode without AppID", map[string]string{"WECHAT_TOKEN": "t", "WECHAT_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}, "AppID"},
		{"AppID without token", map[string]string{"WECHAT_APPID": "wx1"}, "Token"},
		{"bad Redis URL", map[string]string{"WECHAT_TOKEN": "t", "REDIS_URL": "mysql://x"}, "REDIS_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.env, "serve", "-addr", "127.0.0.1:0")
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitUp(t *testing.T, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if r, err := http.Get(url); err == nil {
			r.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not come up", url)
}
