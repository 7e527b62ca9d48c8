package main

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/wechat/wechattest"
)

// holdSilent opens n connections to addr that send nothing.
func holdSilent(t *testing.T, addr string, n int) {
	t.Helper()
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
	}
	time.Sleep(100 * time.Millisecond) // accepted
}

// TestSilentConnectionsGiveWay: connections that have sent nothing hold
// every slot of the cap; a push that arrives whole is still answered, at
// once, not after the silent ones' header timeout.
func TestSilentConnectionsGiveWay(t *testing.T) {
	srv := startServe(t, nil, "-max-conns", "4")
	holdSilent(t, srv.Addr(), 4)
	p := &wechattest.Platform{Token: "test-token"}
	req := p.Request(wechattest.Push{From: "o_after_silent", Type: "text", Content: "你好", MsgID: 7})
	req.URL.Scheme, req.URL.Host, req.RequestURI = "http", srv.Addr(), ""
	// The silent connections' header timeout is 2 s or more; the client
	// gives up before it.
	resp, err := (&http.Client{Timeout: 1500 * time.Millisecond}).Do(req)
	if err != nil {
		t.Fatalf("push behind silent connections: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("push: %d", resp.StatusCode)
	}
}

// TestShutdownAnswersQueuedConnections: connections waiting to be
// accepted when serve stops are answered, not reset (issue 21, finding
// 11).
func TestShutdownAnswersQueuedConnections(t *testing.T) {
	srv := startServe(t, nil, "-max-conns", "2", "-drain", "10ms")
	holdSilent(t, srv.Addr(), 2)
	var queued []net.Conn
	for range 5 {
		c, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		queued = append(queued, c)
	}
	srv.stop() // SIGTERM
	for i, c := range queued {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Errorf("queued connection %d: %v", i, err)
			continue
		}
		resp.Body.Close()
	}
}

// TestPageShareKeepsRoomForPushes: the page's requests past their share
// of the cap are answered 503 at once, so they cannot take the slots the
// platform's pushes need.
func TestPageShareKeepsRoomForPushes(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	h := share(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	}), 1)
	go h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/h5/", nil))
	<-entered
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/h5/", nil))
	close(release)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Connection") != "close" {
		t.Errorf("past the share: %d %v, want 503 closing the connection", rec.Code, rec.Header())
	}
}
