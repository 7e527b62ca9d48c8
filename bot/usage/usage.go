// Package usage counts how the bot is used, per day, in Redis, so that the
// operator can see what to add to the catalogue: the questions the bot did
// not understand (masked, counted), the intents asked most, messages per
// day, and degraded replies and rejected pushes.
//
// Each day's counts live under their own keys with a TTL (Options.Keep),
// and the distinct texts kept per day are capped (Options.MaxTexts; beyond
// it they are only counted), so memory stays bounded whatever users type.
//
// Recording is off the reply path: Handler hands each event to a bounded
// queue that one goroutine writes to Redis in batches; when Redis is slow
// and the queue is full, events are dropped (and counted as such) rather
// than delaying a reply.
package usage

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/redact"
	"github.com/yibao/yibao/replies"
)

// Options configure the Recorder; zero fields take the defaults.
type Options struct {
	Prefix   string         // key prefix ("yibao:usage:")
	Keep     time.Duration  // how long a day's counts are kept (35 days)
	MaxTexts int            // distinct not-understood texts kept per day (2000)
	PerUser  int            // not-understood texts one user adds per day (20); beyond, only counted
	Location *time.Location // where a day starts (China, UTC+8)
	Queue    int            // events waiting to be written (10000)
	Now      func() time.Time
	Log      *zap.Logger
}

func (o Options) withDefaults() Options {
	if o.Prefix == "" {
		o.Prefix = "yibao:usage:"
	}
	if o.Keep <= 0 {
		o.Keep = 35 * 24 * time.Hour
	}
	if o.MaxTexts <= 0 {
		o.MaxTexts = 2000
	}
	if o.PerUser <= 0 {
		o.PerUser = 20
	}
	if o.Location == nil {
		o.Location = time.FixedZone("CST", 8*3600)
	}
	if o.Queue <= 0 {
		o.Queue = 10000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = zap.NewNop()
	}
	return o
}

// maxTextRunes bounds one stored text: enough to recognise a question.
const maxTextRunes = 80

// NoText stands for a message not understood that had no text: a voice
// message the platform could not transcribe.
// Its text is replies'.
const NoText = replies.NoText

// The lists of questions kept per day for the operator: not understood,
// answered with little confidence, and said not to have helped.
const (
	ListUnknown   = "unknown"
	ListUnsure    = "unsure"
	ListUnhelpful = "unhelpful"
)

// event is one thing to count.
type event struct {
	at       time.Time
	intent   string // "" for none (events, media)
	list     string // which list text goes to (ListUnknown, ...)
	unknown  string // the masked text kept in list
	user     string // who asked it, hashed (redact.UserID)
	message  bool
	degraded bool
	rejected bool
}

// Recorder writes usage counts to Redis. Start its writer with Run.
type Recorder struct {
	// last remembers each user's last question (masked, with the topic
	// it got), so that "答非所问" can be counted against it. It is this
	// replica's memory only: a complaint that reaches another replica
	// is counted without the question.
	last    *lru.Cache[string, string]
	rdb     redis.UniversalClient
	opt     Options
	queue   chan event
	dropped atomic.Int64
	done    chan struct{}
	// lastWarn is when a failed write was last logged (by Run's goroutine
	// only): a Redis that is down would otherwise log once per message.
	lastWarn time.Time
}

// New makes a Recorder on rdb.
func New(rdb redis.UniversalClient, opt Options) *Recorder {
	opt = opt.withDefaults()
	last, _ := lru.New[string, string](lastQuestions)
	return &Recorder{last: last, rdb: rdb, opt: opt, queue: make(chan event, opt.Queue), done: make(chan struct{})}
}

// Handler wraps next so that every message it answers is counted.
func (r *Recorder) Handler(next contract.Handler) contract.Handler {
	return handler{next: next, rec: r}
}

type handler struct {
	next contract.Handler
	rec  *Recorder
}

func (h handler) Handle(ctx context.Context, m contract.Message) (contract.Reply, error) {
	reply, err := h.next.Handle(ctx, m)
	if err == nil && !reply.Duplicate { // a platform retry was counted the first time
		h.rec.Message(m, reply)
	}
	return reply, err
}

// lastQuestions bounds the users whose last question is remembered.
const lastQuestions = 10000

// NotSeen stands for the question a complaint was about when this replica
// did not answer it.
const NotSeen = "(?)"

// Message counts one answered message, and keeps its text in a list when
// the bot did not understand it, answered it unsure, or was told it did
// not help.
func (r *Recorder) Message(m contract.Message, reply contract.Reply) {
	e := event{at: r.opt.Now(), degraded: reply.Degraded}
	switch m.Kind {
	case contract.KindText, contract.KindVoice, contract.KindMenu:
		e.message = true
		e.intent = reply.Intent
		if m.Kind == contract.KindMenu {
			break
		}
		user := redact.UserID(m.User)
		text := Mask(m.Text)
		if text == "" {
			text = NoText // a voice message without a transcript
		}
		switch {
		case reply.Unhelpful != "":
			q, ok := r.last.Get(user)
			if !ok {
				q = NotSeen
			}
			e.list, e.unknown = ListUnhelpful, "["+reply.Unhelpful+"] "+q
		case reply.Intent == "unknown":
			e.list, e.unknown = ListUnknown, text
		case reply.Unsure:
			e.list, e.unknown = ListUnsure, fmt.Sprintf("[%s %.2f] %s", reply.Intent, reply.Confidence, text)
		}
		if e.list != "" {
			e.user = user
		}
		if reply.Unhelpful == "" {
			r.last.Add(user, text)
		}
	}
	r.enqueue(e)
}

// Rejected counts a push the webhook refused (bad signature, stale, broken).
func (r *Recorder) Rejected() { r.enqueue(event{at: r.opt.Now(), rejected: true}) }

func (r *Recorder) enqueue(e event) {
	select {
	case r.queue <- e:
	default:
		r.dropped.Add(1)
	}
}

// Mask is a question as stored: personal numbers masked and control and
// bidi characters escaped (bot/redact), spaces folded, at most
// maxTextRunes characters.
func Mask(text string) string {
	s := redact.Text(strings.Join(strings.FieldsFunc(text, unicode.IsSpace), " "))
	if utf8.RuneCountInString(s) > maxTextRunes {
		s = string([]rune(s)[:maxTextRunes]) + "…"
	}
	return s
}

// Run writes queued events until ctx ends, then writes what is left and
// returns. Events are gathered for up to a second (or a full batch) and
// written summed, so counting costs Redis a few commands a second rather
// than two per message.
func (r *Recorder) Run(ctx context.Context) {
	defer close(r.done)
	batch := make([]event, 0, 1024)
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	for {
		select {
		case e := <-r.queue:
			if batch = append(batch, e); len(batch) == cap(batch) {
				r.write(batch)
				batch = batch[:0]
			}
		case <-tick.C:
			if len(batch) > 0 {
				r.write(batch)
				batch = batch[:0]
			}
		case <-ctx.Done():
			if batch = r.drain(batch); len(batch) > 0 {
				r.write(batch)
			}
			return
		}
	}
}

// flushEvery bounds how long an event waits before it is written.
const flushEvery = time.Second

// Wait returns once Run has returned.
func (r *Recorder) Wait() { <-r.done }

func (r *Recorder) drain(batch []event) []event {
	for len(batch) < cap(batch) {
		select {
		case e := <-r.queue:
			batch = append(batch, e)
		default:
			return batch
		}
	}
	return batch
}

// addText counts a not-understood text unless its user already added
// PerUser texts that day (then it counts as "capped": one user cannot fill
// the day's list, nor push a text up it), or the day already holds
// MaxTexts others (then it counts as "other"). The per-user counts, one
// small field per user who was not understood, live two days.
var addText = redis.NewScript(`
if ARGV[4] ~= "" then
  local n = redis.call("HINCRBY", KEYS[3], ARGV[4], 1)
  redis.call("PEXPIRE", KEYS[3], ARGV[6])
  if n > tonumber(ARGV[5]) then
    redis.call("HINCRBY", KEYS[2], ARGV[7] .. "_capped", 1)
    return 0
  end
end
if redis.call("ZSCORE", KEYS[1], ARGV[1]) or redis.call("ZCARD", KEYS[1]) < tonumber(ARGV[2]) then
  redis.call("ZINCRBY", KEYS[1], 1, ARGV[1])
else
  redis.call("HINCRBY", KEYS[2], ARGV[7] .. "_other", 1)
end
redis.call("PEXPIRE", KEYS[1], ARGV[3])
return 0`)

// write sends a batch in one pipeline. Its deadline is its own: a batch
// taken from the queue is written even when Run is being stopped.
func (r *Recorder) write(batch []event) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	pipe := r.rdb.Pipeline()
	keep := r.opt.Keep
	// Sum the batch per key and field first: one HINCRBY each.
	sums := map[string]map[string]int64{}
	add := func(key, field string, n int64) {
		if sums[key] == nil {
			sums[key] = map[string]int64{}
		}
		sums[key][field] += n
	}
	for _, e := range batch {
		k := r.keys(e.at)
		if e.message {
			add(k.counts, "messages", 1)
		}
		if e.degraded {
			add(k.counts, "degraded", 1)
		}
		if e.rejected {
			add(k.counts, "rejected", 1)
		}
		if e.intent != "" {
			add(k.intents, e.intent, 1)
		}
		if e.unknown != "" {
			addText.Eval(ctx, pipe, []string{k.list(e.list), k.counts, k.users}, e.unknown, r.opt.MaxTexts, keep.Milliseconds(),
				e.user, r.opt.PerUser, (48 * time.Hour).Milliseconds(), e.list)
		}
	}
	if n := r.dropped.Swap(0); n > 0 {
		add(r.keys(r.opt.Now()).counts, "dropped", n)
	}
	for key, fields := range sums {
		for field, n := range fields {
			pipe.HIncrBy(ctx, key, field, n)
		}
		pipe.PExpire(ctx, key, keep)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		if now := time.Now(); now.Sub(r.lastWarn) > 30*time.Second {
			r.lastWarn = now
			r.opt.Log.Warn("usage stats not written (logged at most every 30s)", zap.Int("events", len(batch)), zap.Error(err))
		}
	}
}

// dayKeys are one day's keys.
type dayKeys struct{ counts, intents, texts, users string }

// list is the key of one of the day's lists of questions; the list of
// questions not understood keeps its original key.
func (k dayKeys) list(name string) string {
	if name == ListUnknown {
		return k.texts
	}
	return strings.TrimSuffix(k.texts, ListUnknown) + name
}

func (r *Recorder) keys(t time.Time) dayKeys {
	return keysFor(r.opt.Prefix, t.In(r.opt.Location).Format(time.DateOnly))
}

// keysFor puts a day's keys in one hash slot ({day}), so that the script
// touching two of them also works on Redis Cluster.
func keysFor(prefix, day string) dayKeys {
	p := prefix + "{" + day + "}:"
	return dayKeys{counts: p + "counts", intents: p + "intents", texts: p + "unknown", users: p + "unknown_users"}
}
