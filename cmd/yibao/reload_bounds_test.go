package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/internal/datafile"
)

// failedReloads reads yibao_reloads_total{result="failed"}.
func failedReloads(t *testing.T, r *reloader) float64 {
	t.Helper()
	var m dto.Metric
	if err := r.count.WithLabelValues("failed").Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

func boundsReloader(t *testing.T, cfg *config.Config, log *zap.Logger) *reloader {
	t.Helper()
	return newReloader(
		func() (*content, error) { return loadContent(cfg) },
		func(c *content) (*served, error) {
			b, err := newBot(c, memstore.New(nil), nil, zap.NewNop(), bot.Config{})
			return &served{bot: b}, err
		},
		log, prometheus.NewRegistry())
}

// TestReloadRefusesFIFOAndHugeFiles: a FIFO named like a policy file is
// refused at once (it blocked the reload forever), and so is a file far
// larger than any data file; each refusal is logged and counted, and the
// data in service stays (issue 21, finding 9).
func TestReloadRefusesFIFOAndHugeFiles(t *testing.T) {
	for _, tt := range []struct {
		name string
		make func(path string) error
		want error
	}{
		{"fifo", func(p string) error { return syscall.Mkfifo(p, 0o644) }, datafile.ErrNotRegular},
		{"huge", func(p string) error {
			return os.WriteFile(p, []byte("year: 2026\n"+strings.Repeat("# padding\n", datafile.MaxSize/10+1)), 0o644)
		}, datafile.ErrTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			core, logs := observer.New(zapcore.InfoLevel)
			r := boundsReloader(t, &config.Config{PolicyDir: dir}, zap.New(core))
			if err := r.start(); err != nil {
				t.Fatal(err)
			}
			if err := tt.make(filepath.Join(dir, "2026.yaml")); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- r.Reload() }()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tt.want.Error()) {
					t.Errorf("reload: %v, want %v", err, tt.want)
				}
			case <-time.After(r.timeout + 5*time.Second):
				t.Fatal("reload did not return")
			}
			if n := failedReloads(t, r); n != 1 {
				t.Errorf("failed reloads counted: %v, want 1", n)
			}
			if logs.FilterMessageSnippet("reload refused").Len() != 1 {
				t.Errorf("refusal not logged: %v", logs.All())
			}
			if ys := r.current().book.Years(); len(ys) != 1 || ys[0] != 2025 {
				t.Errorf("in service after the refusal: %v", ys)
			}
		})
	}
}

// TestReloadTimeBound: a load that does not finish (a file system that
// does not answer) is given up at the reloader's deadline, logged and
// counted, and the next reload is not held by it.
func TestReloadTimeBound(t *testing.T) {
	if reloadTimeout > time.Minute {
		t.Errorf("reloadTimeout %v: a reload must give up within a minute", reloadTimeout)
	}
	core, logs := observer.New(zapcore.InfoLevel)
	r := boundsReloader(t, &config.Config{}, zap.New(core))
	if err := r.start(); err != nil {
		t.Fatal(err)
	}
	hang := make(chan struct{})
	defer close(hang)
	good := r.load
	r.load = func() (*content, error) { <-hang; return nil, errors.New("never") }
	r.timeout = time.Second // the configured bound, shortened for the test
	if err := r.Reload(); !errors.Is(err, errLoadTimeout) {
		t.Fatalf("hung load: %v, want the timeout", err)
	}
	if failedReloads(t, r) != 1 || logs.FilterMessageSnippet("reload refused").Len() != 1 {
		t.Errorf("the timeout was not counted and logged: %v", logs.All())
	}
	// The next reload, with the real loader and the configured bound (a
	// real load under -race on a busy machine takes more than the
	// shortened one).
	r.load, r.timeout = good, reloadTimeout
	if err := r.Reload(); err != nil {
		t.Errorf("the next reload: %v", err)
	}
}
