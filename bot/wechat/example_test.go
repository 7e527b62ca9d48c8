package wechat_test

import (
	"context"
	"log"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"

	"github.com/yibao/yibao/bot/wechat"
)

// How a server wires the webhook, its metrics and its health checks.
func ExampleNew() {
	logger := zap.NewNop()
	reg := prometheus.NewRegistry()
	cfg := wechat.Config{Token: "token", AppID: "wx1234567890abcdef", AESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	if err := cfg.Validate(); err != nil {
		log.Fatal(err) // refuse to start, saying what is wrong
	}
	hook, err := wechat.New(cfg, echoBot{}, logger, wechat.NewMetrics(reg), nil)
	if err != nil {
		log.Fatal(err)
	}
	healthz, readyz := wechat.Health(map[string]func(context.Context) error{
		"redis":  func(ctx context.Context) error { return nil }, // store.Ping
		"policy": func(context.Context) error { return nil },     // policy loaded
	}, time.Second, logger)

	mux := http.NewServeMux()
	mux.Handle("/wechat", hook)
	mux.Handle("/healthz", healthz)
	mux.Handle("/readyz", readyz)
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	_ = &http.Server{Addr: "127.0.0.1:8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	// Output:
}
