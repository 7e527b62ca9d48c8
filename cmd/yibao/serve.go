package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coreos/go-systemd/v22/activation"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/h5"
	"github.com/yibao/yibao/bot/wechat"
	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

const devBanner = `
########################################################################
#  DEVELOPMENT MODE: no WECHAT_TOKEN, WECHAT_APPID or WECHAT_AES_KEY set.
#  The webhook takes plain (unencrypted) pushes signed with the token
#  "test-token", as the platform simulator sends by default. Not for the
#  internet: set WECHAT_TOKEN, WECHAT_APPID, WECHAT_AES_KEY (safe mode)
#  and REDIS_URL for a real account.
########################################################################
`

// The public port's request deadlines. The platform sends a push's
// header and body at once (a few KB in one or two packets), and the page
// sends 4 KB at most, so a client that has not sent its header within
// publicHeaderTimeout, or the whole request within publicReadTimeout, is
// not a real one. Measured with TestSlowClientsCannotStarvePushes (800
// slow connections, 20 pushes a second on new connections, shared 2-core
// machine): before the slots, pushes took p50 2.5 s, max 4.96 s; with
// them (and evictGrace 250 ms), p50 12 ms, p99 118 ms, max 122 ms. At
// 5 s/10 s instead of 2 s/3 s (without the grace) max was 447 ms against
// 86 ms: the shorter deadlines free descriptors sooner, and stay well
// above a phone's round trips on a poor
// mobile network (a few hundred ms).
const (
	publicHeaderTimeout = 2 * time.Second
	publicReadTimeout   = 3 * time.Second
)

// pageShareNum/pageShareDen of the connection cap at most is used by the
// estimate page's requests at once; the rest is kept for /wechat.
const pageShareNum, pageShareDen = 3, 4

// backlogBound bounds how long shutdown keeps taking queued connections.
const backlogBound = time.Second

// shutdownGrace bounds the wait for requests in flight after the drain:
// the longest is the webhook's 4.5 s deadline.
const shutdownGrace = 5 * time.Second

// cmdServe is the three steps: configuration, a server built from it
// (listening, not yet serving), and running it until SIGTERM or SIGINT.
func cmdServe(e env) error {
	cfg, err := loadConfig(e, config.New(config.Serve))
	if err != nil {
		return err
	}
	if cfg.Development {
		fmt.Fprint(e.stderr, devBanner)
	}
	gc := tuneGC(e.getenv)
	// Sockets passed by systemd (deploy/yibao.socket): the socket outlives
	// the process, so connections arriving during a restart wait in its
	// queue for the next process instead of being refused or reset.
	inherited, err := activation.Listeners()
	if err != nil {
		return fmt.Errorf("sockets from systemd: %w", err)
	}
	var lns listeners
	if len(inherited) > 0 {
		lns.public = inherited[0]
	}
	if len(inherited) > 1 {
		lns.admin = inherited[1]
	}
	s, err := newServer(cfg, e, lns)
	if err != nil {
		return err
	}
	defer s.Close()
	s.log.Info("garbage collector", gc.fields()...)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		// After the first signal a second one ends the process at once
		// (the default), for an impatient Ctrl-C during the drain.
		<-ctx.Done()
		stop()
	}()
	// SIGHUP reloads the data files; a file that does not validate is
	// refused and the data in service stays.
	go s.data.reloadOnHangup(ctx)
	if err := s.Run(ctx); err != nil {
		return errors.New(cfg.Scrub(err.Error()))
	}
	return nil
}

// server is `yibao serve` built and listening: the webhook on the public
// address and, when configured, health and metrics on the admin one.
type server struct {
	cfg         *config.Config
	log         *zap.Logger
	public      *http.Server
	admin       *http.Server // nil: health and metrics are on public
	publicLn    net.Listener
	adminLn     net.Listener
	closers     []func()
	conns       *connTracker // the public server's connections
	slots       *slots       // the public listener's connection cap
	fromSystemd bool         // the public socket is systemd's
	data        *reloader    // the bot and its data, reloaded on SIGHUP
	// draining is set on the signal to stop: /readyz fails so load
	// balancers move away, while requests are still answered.
	draining atomic.Bool
}

// listeners already open (from systemd, or a test); nil ones are opened on
// the configured addresses.
type listeners struct{ public, admin net.Listener }

// newServer builds everything serve needs and opens its listeners, so that
// a caller (or test) knows the addresses before Run. Close releases what it
// holds when Run is not called.
func newServer(cfg *config.Config, e env, lns listeners) (*server, error) {
	s := &server{cfg: cfg, publicLn: lns.public, adminLn: lns.admin, fromSystemd: lns.public != nil}
	if err := s.build(e, lns.public != nil); err != nil {
		s.Close()
		var ue usageError
		if errors.As(err, &ue) {
			return nil, usageError{cfg.Scrub(ue.msg)}
		}
		return nil, errors.New(cfg.Scrub(err.Error()))
	}
	return s, nil
}

func (s *server) build(e env, lnsGiven bool) error {
	cfg := s.cfg
	lvl, err := zapcore.ParseLevel(cfg.LogLevel)
	if err != nil {
		return usagef("log-level: %v", err)
	}
	if s.log, err = newLogger(lvl, cfg.Development, e); err != nil {
		return err
	}
	s.closers = append(s.closers, func() { _ = s.log.Sync() })
	if !cfg.RedisURL.IsSet() {
		s.log.Warn("REDIS_URL is not set: dialog state is kept in memory, for a single instance only")
	}
	storeCtx, cancelStore := context.WithCancel(context.Background())
	s.closers = append(s.closers, cancelStore)
	store, ping, closeStore, err := openStore(storeCtx, cfg, s.log, e.now)
	if err != nil {
		return err
	}
	s.closers = append(s.closers, closeStore)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// The page's rate limits outlive reloads: a reload must not give every
	// client a fresh bucket.
	pageLimits := h5.NewLimiter(0, 0)
	bi := readBuild(debug.ReadBuildInfo)
	bi.register(reg)
	// The data files are loaded here, and again on every SIGHUP (cmdServe).
	s.data = newReloader(
		func() (*content, error) { return loadContent(cfg) },
		func(c *content) (*served, error) {
			// Keep each answered message's reply as long as the webhook
			// accepts its timestamp: a retry, or a captured push replayed
			// within the window, then gets the first reply instead of
			// moving the dialog.
			b, err := newBot(c, store, e.now, s.log, bot.Config{DialogTTL: cfg.DialogTTL, ReplyTTL: cfg.ReplyTTL()})
			if err != nil {
				return nil, err
			}
			// At start and on every reload: the year in force and the one
			// being enrolled without a confirmed contribution (the gauge
			// below says the same to alerts).
			warnUnconfirmedYears(s.log, c.book, e.now())
			page, err := newH5(c.book, c.matcher.Lexicon(), e.now, s.log, cfg.TrustProxy, pageLimits)
			if err != nil {
				return nil, err
			}
			return &served{bot: b, page: page}, nil
		}, s.log, reg)
	if err := s.data.start(); err != nil {
		return err
	}
	// The year in force and the one being enrolled without a confirmed
	// contribution, read at each scrape: a gauge an alert watches.
	reg.MustRegister(newSeasonCollector(func() *engine.Book {
		if c := s.data.current(); c != nil {
			return c.book
		}
		return nil
	}, e.now))
	// Usage counts for `yibao stats` (with Redis only).
	stats, err := openUsage(cfg, s.log)
	if err != nil {
		return err
	}
	s.closers = append(s.closers, stats.close)
	hook, err := wechat.New(cfg.WeChat(), handoffMarker{stats.handler(&s.data.live)}, s.log, wechat.NewMetrics(reg), e.now)
	if err != nil {
		return usagef("invalid configuration: %v", err)
	}
	s.closers = append(s.closers, hook.Close)
	// Readiness does not depend on Redis: without it the bot still answers
	// (guides, and "the calculator is briefly unavailable"), and a probe
	// that failed on Redis would take every replica out of service at
	// once, so the platform would get no answer at all. /storez tells
	// operators (and alerts) whether the dialog store answers.
	healthz, readyz := wechat.Health(map[string]func(context.Context) error{
		"policy":  func(context.Context) error { return policyLoaded(s.data.current()) },
		"serving": s.serving,
	}, 2*time.Second, s.log)
	_, storez := wechat.Health(map[string]func(context.Context) error{"store": ping}, 2*time.Second, s.log)

	public := http.NewServeMux()
	public.Handle("/wechat", s.closeWhenDraining(stats.countRejected(hook)))
	// The page and its API may take at most pageShare of the connection
	// cap at once: the rest is kept for the platform's pushes.
	pageLimit := max(1, cfg.MaxConns*pageShareNum/pageShareDen)
	pages := newPageMetrics(reg)
	mountH5(public, func(h http.Handler) http.Handler { return share(s.closeWhenDraining(pages.wrap(h)), pageLimit) }, s.data.live.page())
	if cfg.PublicURL != "" {
		u, _ := replies.ParsePublicURL(cfg.PublicURL) // validated with the configuration
		s.log.Info("estimate page", zap.String("url", replies.PageURL(u, h5.PagePath)))
	}
	admin := public
	if cfg.AdminAddr != "" || s.adminLn != nil {
		admin = http.NewServeMux()
	}
	admin.Handle("GET /healthz", healthz)
	admin.Handle("GET /readyz", readyz)
	admin.Handle("GET /storez", storez)
	admin.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	if s.publicLn == nil {
		if s.publicLn, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("listen: %w", err)
		}
	}
	// Past the cap, connections wait in the kernel's backlog instead of
	// taking the file descriptors Redis and the admin port need; a
	// connection that makes no progress gives its slot up to a new one.
	s.slots = newSlots(s.publicLn, cfg.MaxConns)
	s.publicLn = s.slots
	s.public = s.httpServer(progress(public), "http")
	s.public.ReadHeaderTimeout = publicHeaderTimeout
	s.public.ReadTimeout = publicReadTimeout
	s.conns = newConnTracker(cfg.MaxConns / 2)
	s.public.ConnState = func(c net.Conn, st http.ConnState) {
		s.conns.track(c, st)
		s.slots.connState(c, st)
	}
	s.public.ConnContext = s.slots.connContext
	if cfg.AdminAddr != "" && s.adminLn == nil {
		if s.adminLn, err = net.Listen("tcp", cfg.AdminAddr); err != nil {
			return fmt.Errorf("listen (admin): %w", err)
		}
	}
	if s.adminLn != nil {
		s.admin = s.httpServer(admin, "admin")
	}
	s.log.Info("serving",
		zap.String("version", bi.Version), zap.String("revision", bi.Revision), zap.Bool("modified", bi.Modified), zap.String("go", bi.GoVersion),
		zap.String("addr", s.publicLn.Addr().String()), zap.Bool("socket_from_systemd", lnsGiven), zap.String("admin_addr", s.AdminAddr()),
		zap.Bool("development", cfg.Development), zap.Bool("safe_mode", cfg.WeChat().Safe()),
		zap.Bool("redis", cfg.RedisURL.IsSet()), zap.Bool("handoff", cfg.Handoff), zap.String("handoff_hours", cfg.HandoffHours), zap.Ints("policy_years", s.data.current().book.Years()))
	return nil
}

func (s *server) httpServer(h http.Handler, name string) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          zap.NewStdLog(s.log.Named(name)),
	}
}

// Addr is the webhook's address (the real port when configured with :0).
func (s *server) Addr() string { return s.publicLn.Addr().String() }

// AdminAddr is where health and metrics are served.
func (s *server) AdminAddr() string {
	if s.adminLn == nil {
		return s.Addr()
	}
	return s.adminLn.Addr().String()
}

var errDraining = errors.New("draining: shutting down")

func (s *server) serving(context.Context) error {
	if s.draining.Load() {
		return errDraining
	}
	return nil
}

// closeWhenDraining asks each client, once draining, to close its
// connection after the answer. Closing idle keep-alive connections
// instead races with a client that just sent a request on one: that
// request fails, and the platform cannot tell whether it was handled.
func (s *server) closeWhenDraining(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.draining.Load() {
			w.Header().Set("Connection", "close")
		}
		h.ServeHTTP(w, r)
	})
}

// Run serves until ctx ends, then drains: /readyz answers 503 at once,
// requests are still answered (each asking the client to close its
// connection) for the configured drain period, then the servers stop
// accepting and wait for requests in flight.
func (s *server) Run(ctx context.Context) error {
	public := make(chan error, 1)
	go func() { public <- s.public.Serve(s.publicLn) }()
	admin := make(chan error, 1) // stays empty without an admin server
	if s.admin != nil {
		go func() { admin <- s.admin.Serve(s.adminLn) }()
	}
	select {
	case err := <-public:
		return fmt.Errorf("serve: %w", err)
	case err := <-admin:
		return fmt.Errorf("serve (admin): %w", err)
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("draining: /readyz answers 503, requests are still answered", zap.Duration("for", s.cfg.Drain))
	select {
	case err := <-public:
		return fmt.Errorf("serve: %w", err)
	case err := <-admin:
		return fmt.Errorf("serve (admin): %w", err)
	case <-time.After(s.cfg.Drain):
	}
	s.log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	// Stop accepting first, and let every connection already accepted
	// deliver its request and get its answer: Shutdown itself drops a
	// request it reads after it began. Serve returning means the last
	// accepted connection is tracked. (With a socket from systemd, closing
	// our descriptor leaves the socket, and what waits in its queue, to
	// the next process.)
	if s.fromSystemd {
		_ = s.publicLn.Close()
	} else {
		// Our own socket: what waits in its queue is taken and answered
		// (asked to close) before it closes, or the kernel would reset it.
		s.slots.closeAfterBacklog(sctx, backlogBound)
	}
	if err := <-public; err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	s.conns.waitQuiet(sctx)
	var errs []error
	for _, srv := range []*http.Server{s.public, s.admin} {
		if srv == nil {
			continue
		}
		if err := srv.Shutdown(sctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Close releases the listeners, the store and the logger.
func (s *server) Close() error {
	for _, ln := range []net.Listener{s.publicLn, s.adminLn} {
		if ln != nil {
			_ = ln.Close()
		}
	}
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	s.closers = nil
	return nil
}

func policyLoaded(c *content) error {
	if len(c.book.Years()) == 0 {
		return errors.New("no policy years")
	}
	return nil
}

// newLogger logs JSON to stderr (human-readable in development).
func newLogger(lvl zapcore.Level, dev bool, e env) (*zap.Logger, error) {
	cfg := zap.NewProductionEncoderConfig()
	enc := zapcore.NewJSONEncoder
	if dev {
		cfg = zap.NewDevelopmentEncoderConfig()
		enc = zapcore.NewConsoleEncoder
	}
	cfg.EncodeTime = zapcore.ISO8601TimeEncoder // readable by people and machines
	core := zapcore.NewCore(enc(cfg), zapcore.AddSync(e.stderr), lvl)
	if !dev {
		core = zapcore.NewSamplerWithOptions(core, time.Second, 100, 100)
	}
	return zap.New(core, zap.AddCaller(), zap.ErrorOutput(zapcore.AddSync(e.stderr))), nil
}
