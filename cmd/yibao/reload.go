package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/yibao/yibao/bot"
)

// served is what one load of the data serves: the bot, and the estimate
// page, which answers from the same policies.
type served struct {
	bot  *bot.Bot
	page http.Handler
}

// live serves whatever was built from the data loaded last: it is the
// bot.Handler serve gives the webhook and the handler of the estimate page.
// A reload builds a whole new bot and page and swaps them in; a request
// already being answered finishes with the ones it started with.
//
// The new bot starts with an empty in-process state cache and its own
// per-user locks; the store's versioned commits keep a user's state
// consistent across the swap, as they do across replicas.
type live struct {
	cur atomic.Pointer[served]
}

func (l *live) Handle(ctx context.Context, m bot.Message) (bot.Reply, error) {
	return l.cur.Load().bot.Handle(ctx, m)
}

// page is the estimate page of the data in service.
func (l *live) page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.cur.Load().page.ServeHTTP(w, r)
	})
}

// reloader rebuilds the bot from the operator's files: the policy
// directory, the intent catalogue and the lexicon beside it, the guides and
// the menu. Everything is loaded and validated before anything is swapped,
// so a broken file leaves the data in service untouched.
type reloader struct {
	load  func() (*content, error)
	build func(*content) (*served, error)
	live  live
	data  atomic.Pointer[content]
	log   *zap.Logger
	count *prometheus.CounterVec // result: ok, failed
	mu    sync.Mutex             // one reload at a time
	// timeout bounds one load: files are read with bounds (datafile), but
	// a hung file system must not hold reloads (or start-up) forever.
	timeout time.Duration
}

// reloadTimeout is how long a load may take: a real one takes tens of
// milliseconds.
const reloadTimeout = 10 * time.Second

var errLoadTimeout = errors.New("loading the data files did not finish in time (a file system not answering?)")

// loadBounded runs load, giving up after r.timeout; a load that finishes
// later is dropped.
func (r *reloader) loadBounded() (*content, error) {
	type result struct {
		c   *content
		err error
	}
	done := make(chan result, 1)
	load := r.load // read here, under the reload's lock, not by a goroutine that may outlive it
	go func() {
		c, err := load()
		done <- result{c, err}
	}()
	t := time.NewTimer(r.timeout)
	defer t.Stop()
	select {
	case res := <-done:
		return res.c, res.err
	case <-t.C:
		return nil, fmt.Errorf("%w: %v", errLoadTimeout, r.timeout)
	}
}

func newReloader(load func() (*content, error), build func(*content) (*served, error), log *zap.Logger, reg prometheus.Registerer) *reloader {
	r := &reloader{
		load: load, build: build, log: log, timeout: reloadTimeout,
		count: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "yibao_reloads_total",
			Help: "Reloads of the policies, catalogue, guides and menu on SIGHUP; failed means a file was refused and the previous data stayed in service.",
		}, []string{"result"}),
	}
	// Both series exist from the start, so alerts on increase() see the
	// first failure.
	r.count.WithLabelValues("ok")
	r.count.WithLabelValues("failed")
	if reg != nil {
		reg.MustRegister(r.count)
	}
	return r
}

// start loads the data and builds the first bot; failing here stops serve.
func (r *reloader) start() error {
	c, err := r.loadBounded()
	if err != nil {
		return err
	}
	b, err := r.build(c)
	if err != nil {
		return err
	}
	r.swap(c, b)
	return nil
}

func (r *reloader) swap(c *content, b *served) {
	r.data.Store(c)
	r.live.cur.Store(b)
	for _, d := range c.book.Drafts() {
		r.log.Warn("policy draft left out: values still marked unconfirmed (yibao check lists them)",
			zap.String("file", d.File), zap.Int("year", d.Year), zap.Int("unconfirmed", len(d.Unconfirmed)))
	}
}

// Reload loads and checks everything, then swaps the new bot in. On error
// the previous bot keeps answering.
func (r *reloader) Reload() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.loadBounded()
	if err == nil {
		var b *served
		if b, err = r.build(c); err == nil {
			r.swap(c, b)
			r.count.WithLabelValues("ok").Inc()
			r.log.Info("reloaded", zap.Ints("policy_years", c.book.Years()))
			return nil
		}
	}
	r.count.WithLabelValues("failed").Inc()
	var ue usageError
	if errors.As(err, &ue) {
		err = errors.New(ue.msg)
	}
	r.log.Warn("reload refused; the previous data stays in service", zap.Error(err))
	return fmt.Errorf("reload: %w", err)
}

// current is the data in service.
func (r *reloader) current() *content { return r.data.Load() }

// reloadOnHangup reloads on every SIGHUP until ctx ends.
func (r *reloader) reloadOnHangup(ctx context.Context) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			r.log.Info("SIGHUP: reloading the data files")
			_ = r.Reload() // logged and counted
		}
	}
}
