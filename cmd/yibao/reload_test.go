package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// TestReloadUnderTraffic reloads the data while messages are being
// answered: a valid change is served from then on, a broken guides file is
// refused (counted, the old text still served), and no message fails.
func TestReloadUnderTraffic(t *testing.T) {
	dir := t.TempDir()
	guides := filepath.Join(dir, "guides.yaml")
	write := func(data []byte) {
		t.Helper()
		if err := os.WriteFile(guides, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	original := replies.DefaultGuidesYAML()
	write(original)

	r, reg := startReloader(t, &config.Config{GuidesFile: guides})

	ask := func(user string, i int) (string, error) {
		rep, err := r.live.Handle(context.Background(), bot.Message{User: user, ID: fmt.Sprint(i), Kind: bot.KindMenu, Key: "hotline"})
		return rep.Text, err
	}
	// Traffic: several users asking for the hotlines until stopped.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var answered atomic.Int64
	errs := make(chan error, 4)
	for u := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				text, err := ask(fmt.Sprintf("user%d", u), i)
				if err != nil || !strings.Contains(text, "咨询电话") {
					errs <- fmt.Errorf("reply %q, error %v", text, err)
					return
				}
				answered.Add(1)
			}
		}()
	}

	// A valid change: the new heading is served from the reload on.
	write([]byte(strings.Replace(string(original), "【咨询电话】", "【咨询电话·新】", 1)))
	if err := r.Reload(); err != nil {
		t.Fatalf("valid reload: %v", err)
	}
	if text, _ := ask("after-valid", 1); !strings.Contains(text, "【咨询电话·新】") {
		t.Errorf("after a valid reload the reply is %q", text)
	}

	// A broken file: refused, counted, the previous data still answers.
	write([]byte("guides: [not: a, map"))
	if err := r.Reload(); err == nil {
		t.Fatal("a broken guides file was accepted")
	}
	if text, _ := ask("after-invalid", 1); !strings.Contains(text, "【咨询电话·新】") {
		t.Errorf("after a refused reload the reply is %q", text)
	}
	// A file that parses but fails validation (a required guide missing).
	write([]byte(strings.Replace(string(original), "  hotline:\n", "  hotline_gone:\n", 1)))
	if err := r.Reload(); err == nil {
		t.Fatal("guides without the hotline guide were accepted")
	}

	time.Sleep(20 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if answered.Load() == 0 {
		t.Error("no traffic was answered during the reloads")
	}
	if got := counterValue(t, reg, "yibao_reloads_total", "ok"); got != 1 {
		t.Errorf("ok reloads = %v, want 1", got)
	}
	if got := counterValue(t, reg, "yibao_reloads_total", "failed"); got != 2 {
		t.Errorf("failed reloads = %v, want 2", got)
	}
	if years := r.current().book.Years(); len(years) == 0 {
		t.Error("no policy years in service after the reloads")
	}
}

// startReloader starts a reloader serving cfg's data with an in-memory
// store, its metrics in the registry it returns.
func startReloader(t *testing.T, cfg *config.Config) (*reloader, *prometheus.Registry) {
	t.Helper()
	store := memstore.New(nil)
	reg := prometheus.NewRegistry()
	r := newReloader(
		func() (*content, error) { return loadContent(cfg) },
		func(c *content) (*served, error) {
			b, err := newBot(c, store, time.Now, zap.NewNop(), bot.Config{})
			return &served{bot: b}, err
		},
		zap.NewNop(), reg)
	if err := r.start(); err != nil {
		t.Fatal(err)
	}
	return r, reg
}

// counterValue reads one series of a counter from reg: the one whose only
// label has value label.
func counterValue(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if len(m.GetLabel()) == 1 && m.GetLabel()[0].GetValue() == label {
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no %s{%q}", name, label)
	return 0
}

// TestReloadSwapsThePage: a new year added to the policy directory reaches
// the estimate page with the reload, as it reaches the bot.
func TestReloadSwapsThePage(t *testing.T) {
	dir := t.TempDir()
	now := func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
	cfg := &config.Config{PolicyDir: dir}
	store := memstore.New(nil)
	r := newReloader(
		func() (*content, error) { return loadContent(cfg) },
		func(c *content) (*served, error) {
			b, err := newBot(c, store, now, zap.NewNop(), bot.Config{})
			if err != nil {
				return nil, err
			}
			page, err := newH5(c.book, c.matcher.Lexicon(), now, zap.NewNop(), false, nil)
			return &served{bot: b, page: page}, err
		},
		zap.NewNop(), prometheus.NewRegistry())
	if err := r.start(); err != nil {
		t.Fatal(err)
	}
	page := r.live.page()
	year := func() float64 {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, "/api/v1/estimate", strings.NewReader(`{"kind":"contribution","tier":1}`))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		page.ServeHTTP(w, req)
		var out struct{ Year float64 }
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != http.StatusOK {
			t.Fatalf("%d %v %s", w.Code, err, w.Body)
		}
		return out.Year
	}
	if y := year(); y != 2025 {
		t.Fatalf("before: year %v", y)
	}
	// 2026, confirmed: the draft with every mark removed.
	src, _ := engine.DefaultPolicyYAML(2025)
	d, err := engine.NewDraft(src, 2026)
	if err != nil {
		t.Fatal(err)
	}
	confirmed := regexp.MustCompile(`\s*# `+regexp.QuoteMeta(engine.UnconfirmedMark)).ReplaceAll(d.YAML, nil)
	if err := os.WriteFile(filepath.Join(dir, "2026.yaml"), confirmed, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	if y := year(); y != 2026 {
		t.Errorf("after the reload: year %v, want 2026", y)
	}
}
