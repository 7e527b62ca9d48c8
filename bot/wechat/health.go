package wechat

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Health returns the liveness and readiness handlers. healthz answers 200
// "ok" as long as the process serves HTTP. readyz runs every check (for
// example "redis" pinging the store, "policy" confirming the policy data
// loaded) concurrently within timeout (2s when 0) and answers 200 when all
// pass, else 503 naming the failed ones; the errors themselves go to the
// log, not to whoever asked.
func Health(checks map[string]func(context.Context) error, timeout time.Duration, log *zap.Logger) (healthz, readyz http.Handler) {
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	if log == nil {
		log = zap.NewNop()
	}
	names := make([]string, 0, len(checks))
	for name := range checks {
		names = append(names, name)
	}
	sort.Strings(names)

	healthz = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	readyz = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		errs := make([]error, len(names))
		var wg sync.WaitGroup
		for i, name := range names {
			wg.Go(func() { errs[i] = runCheck(ctx, checks[name]) })
		}
		wg.Wait()
		var b strings.Builder
		failed := false
		for i, name := range names {
			if errs[i] != nil {
				failed = true
				b.WriteString(name + ": fail\n")
				log.Warn("readiness check failed", zap.String("check", name), zap.Error(errs[i]))
			} else {
				b.WriteString(name + ": ok\n")
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if failed {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		w.Write([]byte(b.String()))
	})
	return healthz, readyz
}

// runCheck returns when the check does or when ctx ends, whichever is
// first, so one hung check cannot hold the probe past its timeout.
func runCheck(ctx context.Context, check func(context.Context) error) error {
	done := make(chan error, 1)
	go func() { done <- check(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
