package main

import (
	"context"
	"net/http"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/redisstore"
	botusage "github.com/yibao/yibao/bot/usage"
	"github.com/yibao/yibao/cmd/yibao/config"
)

// usageStats counts, for `yibao stats`, what serve answers and refuses. It
// needs Redis (the counts are shared by the replicas); without it, nothing
// is counted.
type usageStats struct {
	rec    *botusage.Recorder
	rdb    redis.UniversalClient
	cancel context.CancelFunc
}

func openUsage(cfg *config.Config, log *zap.Logger) (*usageStats, error) {
	if !cfg.RedisURL.IsSet() {
		return nil, nil
	}
	rdb, err := redisClient(cfg)
	if err != nil {
		return nil, err
	}
	rec := botusage.New(rdb, botusage.Options{Log: log.Named("usage")})
	ctx, cancel := context.WithCancel(context.Background())
	go rec.Run(ctx)
	return &usageStats{rec: rec, rdb: rdb, cancel: cancel}, nil
}

// handler counts every message h answers.
func (u *usageStats) handler(h contract.Handler) contract.Handler {
	if u == nil {
		return h
	}
	return u.rec.Handler(h)
}

// countRejected counts the pushes the webhook refuses (a 4xx answer to a
// POST: bad signature, stale timestamp, broken body).
func (u *usageStats) countRejected(h http.Handler) http.Handler {
	if u == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		if r.Method == http.MethodPost && sw.status >= 400 && sw.status < 500 {
			u.rec.Rejected()
		}
	})
}

// close writes what is queued and closes the client.
func (u *usageStats) close() {
	if u == nil {
		return
	}
	u.cancel()
	u.rec.Wait()
	_ = u.rdb.Close()
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// redisClient opens the Redis that REDIS_URL names, in any of its forms
// (single, cluster, Sentinel), for the commands that read or write beside
// the dialog store: usage stats and the shared access token.
func redisClient(cfg *config.Config) (redis.UniversalClient, error) {
	c, err := redisstore.ParseURL(cfg.RedisURL.Reveal(), redisstore.Options{Mode: cfg.RedisMode})
	if err != nil {
		return nil, usageError{cfg.Scrub(err.Error())}
	}
	return c.NewClient(), nil
}
