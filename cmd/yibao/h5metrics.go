package main

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/yibao/yibao/bot/h5"
)

// pageMetrics counts the estimate page and its API from outside the
// handler: the status code says everything an operator needs (served,
// refused and why, failed), so bot/h5 stays free of Prometheus and the
// counts survive a reload, which replaces the handler.
type pageMetrics struct {
	requests *prometheus.CounterVec   // route, code class
	refused  *prometheus.CounterVec   // reason
	latency  *prometheus.HistogramVec // route
}

// refusalReasons names the API's refusals by their status code. A code
// not listed (404 for an unknown asset) is counted as a request only.
var refusalReasons = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusMethodNotAllowed:      "method",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnsupportedMediaType:  "not_json",
	http.StatusUnprocessableEntity:   "invalid",
	http.StatusTooManyRequests:       "rate_limited",
}

func newPageMetrics(reg prometheus.Registerer) *pageMetrics {
	m := &pageMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "yibao_h5_requests_total",
			Help: "Requests to the estimate page (route=page) and its API (route=api), by status class (2xx, 4xx, 5xx).",
		}, []string{"route", "code"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "yibao_h5_refused_total",
			Help: "Estimate API requests refused, by reason: invalid (422, a field to correct), rate_limited (429), too_large (413), bad_request (400), not_json (415), method (405).",
		}, []string{"reason"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "yibao_h5_request_duration_seconds",
			Help:    "Time to answer the estimate page and its API.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	// Every series exists from the start, so rates and the error-share
	// alert see the first event instead of a series appearing at 1.
	for _, route := range []string{"page", "api"} {
		for _, code := range []string{"2xx", "4xx", "5xx"} {
			m.requests.WithLabelValues(route, code)
		}
		m.latency.WithLabelValues(route)
	}
	for _, reason := range refusalReasons {
		m.refused.WithLabelValues(reason)
	}
	reg.MustRegister(m.requests, m.refused, m.latency)
	return m
}

// wrap counts h's answers, by route.
func (m *pageMetrics) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := routeOf(r.URL.Path)
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		m.requests.WithLabelValues(route, strconv.Itoa(sw.status/100)+"xx").Inc()
		if reason, ok := refusalReasons[sw.status]; ok && route == "api" {
			m.refused.WithLabelValues(reason).Inc()
		}
	})
}

// routeOf names the page's routes for the metrics.
func routeOf(path string) string {
	if path == h5.APIPath {
		return "api"
	}
	return "page"
}
