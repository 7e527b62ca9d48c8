package wechat_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/wechat"
)

func TestHealth(t *testing.T) {
	ok := func(context.Context) error { return nil }
	down := func(context.Context) error { return errors.New("connection refused") }
	// hung ignores its context and returns only when the test ends.
	never := make(chan struct{})
	t.Cleanup(func() { close(never) })
	hung := func(ctx context.Context) error { <-never; return nil }
	tests := []struct {
		name   string
		checks map[string]func(context.Context) error
		status int
		body   []string
	}{
		{"all ready", map[string]func(context.Context) error{"redis": ok, "policy": ok}, 200, []string{"policy: ok", "redis: ok"}},
		{"redis down", map[string]func(context.Context) error{"redis": down, "policy": ok}, 503, []string{"policy: ok", "redis: fail"}},
		{"hung check times out", map[string]func(context.Context) error{"redis": hung}, 503, []string{"redis: fail"}},
		{"no checks", nil, 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			healthz, readyz := wechat.Health(tt.checks, 50*time.Millisecond, nil)
			rec := httptest.NewRecorder()
			healthz.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
			if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != "ok" {
				t.Fatalf("healthz: %d %q", rec.Code, rec.Body)
			}
			// A hung check never returns while the test runs: readyz
			// answers only because it bounds the check.
			rec = httptest.NewRecorder()
			readyz.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
			if rec.Code != tt.status {
				t.Errorf("readyz status %d, want %d", rec.Code, tt.status)
			}
			for _, line := range tt.body {
				if !strings.Contains(rec.Body.String(), line) {
					t.Errorf("readyz body %q lacks %q", rec.Body, line)
				}
			}
			if strings.Contains(rec.Body.String(), "refused") {
				t.Errorf("readyz body %q shows the error itself", rec.Body)
			}
		})
	}
}
