package wechat

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Outcomes of a request, the "outcome" label of the request counter.
const (
	outcomeOK                = "ok"
	outcomeDuplicate         = "duplicate"
	outcomeDegraded          = "degraded"
	outcomeRejectedSignature = "rejected_signature"
	outcomeStale             = "stale"
	outcomeReplayed          = "replayed"
	outcomeTooLarge          = "too_large"
	outcomeBadRequest        = "bad_request"
	outcomeTimeout           = "timeout"
	outcomeError             = "error"
)

// maxIntents bounds the intent label: the bot has a fixed set of intents,
// but a bug there must not turn into unbounded series here.
const maxIntents = 64

// Metrics are the webhook's Prometheus metrics. A nil *Metrics records
// nothing.
type Metrics struct {
	requests    *prometheus.CounterVec
	latency     prometheus.Histogram
	dedupHits   *prometheus.CounterVec
	storeErrors prometheus.Counter
	unknown     prometheus.Counter

	mu      sync.Mutex
	intents map[string]struct{}
}

// NewMetrics creates the metrics and registers them with reg (when not nil).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "yibao_wechat_requests_total",
			Help: "Pushes from the platform by message kind, the intent the bot saw and the outcome.",
		}, []string{"kind", "intent", "outcome"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "yibao_wechat_request_duration_seconds",
			Help:    "Time from receiving a push to answering it.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 4.5},
		}),
		dedupHits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "yibao_wechat_dedup_hits_total",
			Help: "Platform retries answered with the first reply: waited for in this process (inflight) or found in the store (store).",
		}, []string{"where"}),
		storeErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "yibao_wechat_store_errors_total",
			Help: "Replies made without the user's state because the dialog store failed.",
		}),
		unknown: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "yibao_wechat_unknown_questions_total",
			Help: "Messages the bot could not match to any intent.",
		}),
		intents: make(map[string]struct{}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.latency, m.dedupHits, m.storeErrors, m.unknown)
	}
	return m
}

func (m *Metrics) observe(kind, intent, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(kind, m.intentLabel(intent), outcome).Inc()
	m.latency.Observe(d.Seconds())
}

func (m *Metrics) dedup(where string) {
	if m != nil {
		m.dedupHits.WithLabelValues(where).Inc()
	}
}

func (m *Metrics) reply(r replyFlags) {
	if m == nil {
		return
	}
	if r.degraded {
		m.storeErrors.Inc()
	}
	if r.unknown {
		m.unknown.Inc()
	}
}

type replyFlags struct{ degraded, unknown bool }

// intentLabel passes through up to maxIntents distinct well-formed intent
// names and folds anything else into "other".
func (m *Metrics) intentLabel(intent string) string {
	if intent == "" {
		return "none"
	}
	if len(intent) > 40 {
		return "other"
	}
	for i := 0; i < len(intent); i++ {
		c := intent[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return "other"
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.intents[intent]; ok {
		return intent
	}
	if len(m.intents) >= maxIntents {
		return "other"
	}
	m.intents[intent] = struct{}{}
	return intent
}
