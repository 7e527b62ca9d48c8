package main

import (
	"github.com/yibao/yibao/intents"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap"
)

// TestPageMetrics: the real page, mounted as serve mounts it, counted by
// route and status class, its refusals by reason, its latency observed.
func TestPageMetrics(t *testing.T) {
	book, err := loadBook("")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	page, err := newH5(book, intents.DefaultLexicon(), func() time.Time { return now }, zap.NewNop(), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	m := newPageMetrics(reg)
	mux := http.NewServeMux()
	mountH5(mux, m.wrap, page)
	do := func(method, path, body string) int {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		return w.Code
	}
	if c := do("GET", "/h5/", ""); c != 200 {
		t.Fatalf("page: %d", c)
	}
	if c := do("POST", "/api/v1/estimate", `{"kind":"inpatient","tier":1,"level":3,"cost":"5万"}`); c != 200 {
		t.Fatalf("estimate: %d", c)
	}
	if c := do("POST", "/api/v1/estimate", `{"kind":"inpatient","tier":1,"level":3,"cost":"很多"}`); c != 422 {
		t.Fatalf("invalid: %d", c)
	}
	if c := do("POST", "/api/v1/estimate", `{`+strings.Repeat(" ", 8<<10)+`}`); c != 413 {
		t.Fatalf("too large: %d", c)
	}
	limited := 0
	for range 20 { // the bucket holds 10
		if do("POST", "/api/v1/estimate", `{"kind":"contribution","tier":1}`) == 429 {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("no request was rate-limited")
	}
	for _, tt := range []struct {
		c    prometheus.Collector
		want float64
	}{
		{m.requests.WithLabelValues("page", "2xx"), 1},
		{m.requests.WithLabelValues("api", "4xx"), float64(2 + limited)},
		{m.requests.WithLabelValues("api", "5xx"), 0},
		{m.refused.WithLabelValues("invalid"), 1},
		{m.refused.WithLabelValues("too_large"), 1},
		{m.refused.WithLabelValues("rate_limited"), float64(limited)},
	} {
		if got := value(t, tt.c); got != tt.want {
			t.Errorf("%s = %v, want %v", desc(tt.c), got, tt.want)
		}
	}
	for _, route := range []string{"page", "api"} {
		ch := make(chan prometheus.Metric, 1)
		m.latency.WithLabelValues(route).(prometheus.Histogram).Collect(ch)
		var h dto.Metric
		if err := (<-ch).Write(&h); err != nil {
			t.Fatal(err)
		}
		if h.GetHistogram().GetSampleCount() == 0 {
			t.Errorf("no latency observed for %s", route)
		}
	}
}

// value is a counter's current value.
func value(t *testing.T, c prometheus.Collector) float64 {
	t.Helper()
	ch := make(chan prometheus.Metric, 1)
	c.Collect(ch)
	var m dto.Metric
	if err := (<-ch).Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

func desc(c prometheus.Collector) string {
	ch := make(chan *prometheus.Desc, 1)
	c.Describe(ch)
	return (<-ch).String()
}
