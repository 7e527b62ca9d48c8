package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/wechat"
)

// Development-mode account settings: the ones ../shared/wxsim uses by
// default, so that `yibao serve` and `wxsim send` talk at once.
const (
	devToken = "test-token"
	devAppID = "wx0000000000000000"
)

const devBanner = `
########################################################################
#  DEVELOPMENT MODE: no WECHAT_TOKEN, WECHAT_APPID or WECHAT_AES_KEY set.
#  The webhook takes plain (unencrypted) pushes signed with the token
#  "test-token", as ../shared/wxsim sends by default. Not for the
#  internet: set WECHAT_TOKEN, WECHAT_APPID, WECHAT_AES_KEY (safe mode)
#  and REDIS_URL for a real account.
########################################################################
`

func cmdServe(e env) error {
	fs := newFlags("serve", e.stderr)
	addr := fs.String("addr", envOr(e, "YIBAO_ADDR", "127.0.0.1:8080"), "listen address (env YIBAO_ADDR)")
	var cfg wechat.Config
	fs.StringVar(&cfg.Token, "token", e.getenv("WECHAT_TOKEN"), "the account's server token (env WECHAT_TOKEN)")
	fs.StringVar(&cfg.AppID, "appid", e.getenv("WECHAT_APPID"), "the account's AppID (env WECHAT_APPID)")
	// Passive replies need no AppSecret; it is accepted now so that
	// deployments keep one set of settings when menus and customer-service
	// messages (which need an access token) arrive.
	fs.String("appsecret", e.getenv("WECHAT_APPSECRET"), "the account's AppSecret (env WECHAT_APPSECRET); not used by passive replies")
	fs.StringVar(&cfg.AESKey, "aes-key", e.getenv("WECHAT_AES_KEY"), "43-character EncodingAESKey: safe mode (env WECHAT_AES_KEY)")
	fs.StringVar(&cfg.PrevAESKey, "prev-aes-key", e.getenv("WECHAT_PREV_AES_KEY"), "the previous EncodingAESKey during a key change (env WECHAT_PREV_AES_KEY)")
	fs.DurationVar(&cfg.MaxSkew, "max-skew", wechat.DefaultMaxSkew, "reject pushes whose timestamp is further than this from now")
	dialogTTL := fs.Duration("dialog-ttl", 30*time.Minute, "an estimate dialog left idle this long ends")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	cf := addBotFlags(fs, e)
	if err := parse(fs, e.args); err != nil {
		return err
	}

	dev := cfg.Token == "" && cfg.AppID == "" && cfg.AESKey == ""
	if dev {
		cfg.Token, cfg.AppID = devToken, devAppID
		fmt.Fprint(e.stderr, devBanner)
	}
	if err := cfg.Validate(); err != nil {
		return usagef("invalid configuration: %v", err)
	}
	log, err := newLogger(*logLevel, dev)
	if err != nil {
		return usageError{err.Error()}
	}
	defer func() { _ = log.Sync() }()

	c, err := loadContent(cf)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if *cf.redisURL == "" {
		log.Warn("REDIS_URL is not set: dialog state is kept in memory, for a single instance only")
	}
	store, ping, closeStore, err := openStore(ctx, cf, log)
	if err != nil {
		return err
	}
	defer closeStore()
	// Keep each answered message's reply as long as the webhook accepts
	// its timestamp: a retry, or a captured push replayed within the
	// window, then gets the first reply instead of moving the dialog.
	// Longer would only cost Redis memory (a reply is up to 2 KB).
	maxSkew := cfg.MaxSkew
	if maxSkew == 0 {
		maxSkew = wechat.DefaultMaxSkew
	}
	b, err := newBot(c, store, e.now, log, bot.Config{DialogTTL: *dialogTTL, ReplyTTL: maxSkew + time.Minute})
	if err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	hook, err := wechat.New(cfg, b, log, wechat.NewMetrics(reg), e.now)
	if err != nil {
		return usagef("invalid configuration: %v", err)
	}
	healthz, readyz := wechat.Health(map[string]func(context.Context) error{
		"store":  ping,
		"policy": func(context.Context) error { return policyLoaded(c) },
	}, 2*time.Second, log)
	mux := http.NewServeMux()
	mux.Handle("/wechat", hook)
	mux.Handle("GET /healthz", healthz)
	mux.Handle("GET /readyz", readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          zap.NewStdLog(log.Named("http")),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("serving",
		zap.String("addr", ln.Addr().String()), zap.Bool("development", dev), zap.Bool("safe_mode", cfg.Safe()),
		zap.Bool("redis", *cf.redisURL != ""), zap.Ints("policy_years", c.book.Years()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func policyLoaded(c *content) error {
	if len(c.book.Years()) == 0 {
		return errors.New("no policy years")
	}
	return nil
}

func envOr(e env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

func newLogger(level string, dev bool) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	cfg := zap.NewProductionConfig()
	if dev {
		cfg = zap.NewDevelopmentConfig()
		cfg.DisableStacktrace = true
	}
	cfg.Level = zap.NewAtomicLevelAt(lvl)
	cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder // readable by people and machines
	return cfg.Build()
}
