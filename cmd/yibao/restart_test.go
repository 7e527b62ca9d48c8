package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/wechat/wechattest"
)

// TestRestartUnderLoad restarts serve under load (64 keep-alive
// connections) as systemd does with deploy/yibao.socket: the listening
// socket is held outside the process and each process gets its own
// descriptor of it. The drain tells clients to close their connections,
// shutdown waits for requests in flight, and connections that arrive
// while no process accepts wait in the socket's queue: no request fails
// and no dial is refused.
func TestRestartUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a load for two seconds")
	}
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	socket := func() listeners {
		f, err := held.(*net.TCPListener).File()
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		ln, err := net.FileListener(f)
		if err != nil {
			t.Fatal(err)
		}
		return listeners{public: ln}
	}
	// Plain mode: the platform simulator signs with the development token.
	env := map[string]string{}
	if url := os.Getenv("REDIS_URL"); url != "" {
		env["REDIS_URL"] = url
	}
	args := []string{"-drain", "300ms", "-log-level", "warn"}
	first := startServeOn(t, socket(), env, args...)

	p := &wechattest.Platform{Token: "test-token", AppID: "wx0000000000000000"}
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan wechattest.LoadResult, 1)
	go func() { result <- p.Load(ctx, "http://"+held.Addr().String(), 64) }()

	waitAnswered(t, first, 200)
	first.stop() // SIGTERM
	if err := <-first.done; err != nil {
		t.Fatalf("first server: %v", err)
	}
	first.done <- nil
	second := startServeOn(t, socket(), env, args...)
	waitAnswered(t, second, 200)
	cancel()
	r := <-result
	t.Logf("across a restart: %v", r)
	if r.Failed != 0 || r.Refused != 0 {
		t.Errorf("want every request answered: %v", r)
	}
}

// waitAnswered waits until srv has answered n pushes, by its metrics.
func waitAnswered(t *testing.T, srv *running, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, metrics := get(t, "http://"+srv.AdminAddr()+"/metrics")
		total := 0.0
		for _, line := range strings.Split(metrics, "\n") {
			if strings.HasPrefix(line, "yibao_wechat_requests_total{") {
				v, _ := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
				total += v
			}
		}
		if total >= float64(n) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%v pushes answered in 30s, want %d", total, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestIdleConnectionsShed: idle keep-alive connections cannot hold the
// webhook. Past half the connection cap, a connection that goes idle is
// closed, and a real push is still answered.
func TestIdleConnectionsShed(t *testing.T) {
	srv := startServe(t, nil, "-max-conns", "8")
	var idle []net.Conn
	for range 8 {
		c, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		idle = append(idle, c)
	}
	closed := 0
	for _, c := range idle {
		c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				if !errors.Is(err, os.ErrDeadlineExceeded) {
					closed++
				}
				break
			}
		}
	}
	if closed < 4 {
		t.Errorf("%d of 8 idle connections closed, want at least the 4 past half the cap", closed)
	}
	p := &wechattest.Platform{Token: "test-token", AppID: "wx0000000000000000"}
	req := p.Request(wechattest.Push{From: "o_after_idle", Type: "text", Content: "你好", MsgID: 42})
	req.URL.Scheme, req.URL.Host, req.RequestURI = "http", srv.Addr(), ""
	resp, err := (&http.Client{Timeout: 3 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("push after idle connections: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("push: %d", resp.StatusCode)
	}
}
