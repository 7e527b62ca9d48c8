package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/storetest"
	"github.com/yibao/yibao/bot/wechat/wechattest"
	"github.com/yibao/yibao/cmd/yibao/config"
)

// lockedBuffer collects a server's log written from many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// running is a `yibao serve` run in process.
type running struct {
	*server
	logs *lockedBuffer
	stop context.CancelFunc // what SIGTERM does
	done chan error         // Run's result
}

// startServe runs serve's three steps in process, as cmdServe does, on
// port 0 unless args name an address: no build, no port race.
func startServe(t *testing.T, envVars map[string]string, args ...string) *running {
	t.Helper()
	return startServeOn(t, listeners{}, envVars, args...)
}

func startServeOn(t *testing.T, lns listeners, envVars map[string]string, args ...string) *running {
	t.Helper()
	return startServeAt(t, time.Now, lns, envVars, args...)
}

// startServeAt runs serve with the clock now.
func startServeAt(t *testing.T, now func() time.Time, lns listeners, envVars map[string]string, args ...string) *running {
	t.Helper()
	logs := &lockedBuffer{}
	e := env{
		args: append([]string{"-addr", "127.0.0.1:0", "-drain", "50ms"}, args...), stdin: strings.NewReader(""), stdout: logs, stderr: logs,
		getenv: func(k string) string { return envVars[k] }, now: now,
	}
	cfg, err := loadConfig(e, config.New(config.Serve))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	s, err := newServer(cfg, e, lns)
	if err != nil {
		t.Fatalf("newServer: %v\n%s", err, logs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{server: s, logs: logs, stop: cancel, done: make(chan error, 1)}
	go func() { r.done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(15 * time.Second):
			t.Error("Run did not return")
		}
		s.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs)
		}
	})
	return r
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServeEndToEnd runs `yibao serve` in safe mode with Redis (the real
// one when REDIS_URL is set, else miniredis), and a whole estimate dialog
// through the webhook as the platform would: signed, encrypted, with a
// retry.
func TestServeEndToEnd(t *testing.T) {
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://" + miniredis.RunT(t).Addr()
	}
	p := &wechattest.Platform{Token: "e2e-token", AppID: "wx1234567890abcdef", AESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	srv := startServe(t, map[string]string{
		"WECHAT_TOKEN": p.Token, "WECHAT_APPID": p.AppID, "WECHAT_AES_KEY": p.AESKey, "REDIS_URL": redisURL,
	}, "-drain", "200ms")
	base := "http://" + srv.Addr()
	if code, body := get(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("readyz: %d %s", code, body)
	}
	// The estimate page and its API are served beside the webhook.
	if r, err := http.Get(base + "/h5/"); err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("estimate page: %v %v", r, err)
	}
	if r, err := http.Post(base+"/api/v1/estimate", "application/json", strings.NewReader(`{"kind":"outpatient","tier":1,"level":1,"cost":"200"}`)); err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("estimate API: %v %v", r, err)
	}

	user := fmt.Sprintf("o_e2e_%d", time.Now().UnixNano())
	send := func(id int64, text string) string {
		t.Helper()
		push := wechattest.Push{From: user, Type: "text", Content: text, MsgID: id}
		if text == "event:unsubscribe" {
			push = wechattest.Push{From: user, Type: "event", Event: "unsubscribe"}
		}
		req := p.Request(push)
		req.URL.Scheme, req.URL.Host, req.RequestURI = "http", srv.Addr(), ""
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

	// SIGTERM: not ready at once, still answering during the drain, then
	// a clean stop.
	srv.stop()
	deadline := time.Now().Add(100 * time.Millisecond)
	for {
		code, _ := get(t, base+"/readyz")
		if code == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz still %d after SIGTERM", code)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if r := send(2000, "你好"); r == "" {
		t.Error("no answer during the drain")
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Errorf("Run after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10s after SIGTERM")
	}
	srv.done <- nil // for the cleanup
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still accepting after shutdown")
	}
}

// TestServeAdminAddr: with an admin address the public port serves only
// the webhook.
func TestServeAdminAddr(t *testing.T) {
	srv := startServe(t, nil, "-admin-addr", "127.0.0.1:0")
	if srv.AdminAddr() == srv.Addr() {
		t.Fatal("admin address not separate")
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		if code, _ := get(t, "http://"+srv.Addr()+path); code != http.StatusNotFound {
			t.Errorf("public %s: %d, want 404", path, code)
		}
		if code, _ := get(t, "http://"+srv.AdminAddr()+path); code != http.StatusOK {
			t.Errorf("admin %s: %d, want 200", path, code)
		}
	}
	if code, _ := get(t, "http://"+srv.AdminAddr()+"/wechat"); code != http.StatusNotFound {
		t.Errorf("admin /wechat: %d, want 404", code)
	}
	if !strings.Contains(srv.logs.String(), "plain mode") {
		t.Error("no start-up warning about plain mode")
	}
}

func TestServeRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"short AES key", map[string]string{"WECHAT_TOKEN": "t", "WECHAT_APPID": "wx1", "WECHAT_AES_KEY": "tooshort"}, nil, "43-character"},
		{"safe mode without AppID", map[string]string{"WECHAT_TOKEN": "t", "WECHAT_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}, nil, "AppID"},
		{"AppID without token", map[string]string{"WECHAT_APPID": "wx1"}, nil, "Token"},
		{"bad Redis URL", map[string]string{"WECHAT_TOKEN": "t", "REDIS_URL": "mysql://x"}, nil, "REDIS_URL"},
		{"appsecret is not serve's", nil, []string{"-appsecret", "x"}, "appsecret"},
		{"bad duration in env", map[string]string{"YIBAO_DRAIN": "soon"}, nil, "YIBAO_DRAIN"},
		{"admin on the public address", nil, []string{"-addr", "127.0.0.1:8080", "-admin-addr", "127.0.0.1:8080"}, "admin-addr must differ"},
		{"no connections", nil, []string{"-max-conns", "0"}, "max-conns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.env, append([]string{"serve", "-addr", "127.0.0.1:0"}, tt.args...)...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

// TestReadyWithoutRedis: with Redis down the bot still answers (guides,
// and the calculator "briefly unavailable"), so readiness holds and every
// replica stays in service; /storez is where the store's state shows.
func TestReadyWithoutRedis(t *testing.T) {
	dead := storetest.SilentServer(t)
	srv := startServe(t, map[string]string{"REDIS_URL": "redis://" + dead + "/0"})
	base := "http://" + srv.Addr()
	if code, body := get(t, base+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz with Redis down: %d %s; want 200", code, body)
	}
	if code, _ := get(t, base+"/storez"); code != http.StatusServiceUnavailable {
		t.Errorf("/storez with Redis down: %d; want 503", code)
	}
}
