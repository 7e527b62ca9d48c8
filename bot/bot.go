package bot

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"go.uber.org/zap"

	"github.com/yibao/yibao/bot/redact"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// The defaults of Config's durations; `yibao serve`'s configuration takes
// its defaults from these, so there is one source.
const (
	DefaultDialogTTL = 30 * time.Minute
	DefaultStateTTL  = 24 * time.Hour
	// DefaultReplyTTL outlives the webhook's replay window with the
	// default clock skew (2 × 5 min, plus a minute): a push replayed
	// inside the window finds its reply. serve derives it from the skew
	// it is given; a test checks the two agree on the defaults.
	DefaultReplyTTL = 11 * time.Minute
)

// Config tunes the bot; zero fields take the defaults.
type Config struct {
	DialogTTL     time.Duration  // an estimate left idle this long is over (DefaultDialogTTL)
	StateTTL      time.Duration  // how long the store keeps a user's state (DefaultStateTTL)
	ReplyTTL      time.Duration  // how long an answered message is remembered, so a retry or replay moves nothing (DefaultReplyTTL)
	StoreTimeout  time.Duration  // one store call's budget (1s)
	MaxReplyBytes int            // longest reply in UTF-8 bytes (2000)
	CacheSize     int            // users whose state is kept in process (100000)
	Location      *time.Location // where "today" is (Asia/Shanghai)
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.DialogTTL, DefaultDialogTTL)
	def(&c.StateTTL, DefaultStateTTL)
	def(&c.ReplyTTL, DefaultReplyTTL)
	def(&c.StoreTimeout, time.Second)
	if c.MaxReplyBytes <= 0 {
		c.MaxReplyBytes = replies.MaxBytes
	}
	if c.CacheSize <= 0 {
		c.CacheSize = 100_000
	}
	if c.Location == nil {
		c.Location = time.FixedZone("CST", 8*3600) // China has one zone and no DST
	}
	return c
}

// Deps are what the bot is built from.
type Deps struct {
	Book    *engine.Book
	Matcher *intents.Matcher
	Catalog *intents.Catalogue
	Guides  *replies.Guides
	Store   Store
	Now     func() time.Time // nil means time.Now
	Log     *zap.Logger      // nil means no logging
	// Questions are added to the estimate's form, asked after its own.
	Questions []Question
}

// Bot answers residents' messages. It is safe for concurrent use.
type Bot struct {
	Deps
	cfg Config
	// cache holds the state this process last stored per user, so the
	// common path makes a single store call (the versioned commit); a
	// stale entry is caught by the version check and replaced.
	cache *lru.Cache[string, Record]
	locks *userLocks
	form  *form
	pages *pages
	// labels finds a menu line from its words: page → normalised label →
	// key, built once since guides and catalogue are fixed for a Bot.
	labels map[PageRef]map[string]replies.MenuKey
	// asked keeps the estimate's questions as rendered (askKey →
	// replies.Question): a few per year, so it needs no bound.
	asked sync.Map
}

// New checks the dependencies and builds a Bot.
func New(d Deps, cfg Config) (*Bot, error) {
	if d.Book == nil || d.Matcher == nil || d.Catalog == nil || d.Guides == nil || d.Store == nil {
		return nil, errors.New("bot: book, matcher, catalogue, guides and store are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = zap.NewNop()
	}
	cfg = cfg.withDefaults()
	cache, err := lru.New[string, Record](cfg.CacheSize)
	if err != nil {
		return nil, fmt.Errorf("bot: state cache: %w", err)
	}
	form, err := newForm(d.Questions)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	b := &Bot{Deps: d, cfg: cfg, cache: cache, locks: newUserLocks(), form: form}
	b.pages = newPages(d.Book, d.Guides)
	b.labels = labelIndex(d.Guides, d.Catalog)
	return b, nil
}

// maxAttempts bounds retries when another replica changed the same user's
// state between our read and our write. Such races need one user's
// messages to reach two replicas at once, so they are rare and short; a
// jittered pause lets the other replica finish before we try again.
const maxAttempts = 16

// duplicateIntent is the Intent of a reply to a message answered before
// whose first answer is no longer kept.
const duplicateIntent = "duplicate"

// Handle answers one message. Errors are not returned for anything a user
// did: bad input gets a kind reply, and a store that is down gets a reply
// made without state (Reply.Degraded).
func (b *Bot) Handle(ctx context.Context, m Message) (Reply, error) {
	now := b.Now().In(b.cfg.Location)
	if m.Kind == KindUnfollow {
		return b.forget(ctx, m.User), nil
	}
	unlock, err := b.locks.lock(ctx, m.User)
	if err != nil {
		// Waiting behind a message stuck on a slow store: answer without
		// state now rather than miss the platform's deadline.
		return b.degraded(m, now, fmt.Errorf("%w: waiting for the user's previous message: %v", ErrStoreUnavailable, err)), nil
	}
	defer unlock()

	rec, ok := b.cache.Get(m.User)
	if !ok && m.ID == "" {
		// Without a message id a commit may be skipped, so the stored state
		// must be read; with one, the commit's version check reads it for us.
		loaded, err := b.storeLoad(ctx, m.User)
		if err != nil {
			return b.degraded(m, now, err), nil
		}
		rec = loaded
	}
	var id uint64
	if m.ID != "" {
		id = answerID(m.ID)
	}
	for attempt := range maxAttempts {
		sess, err := decodeSession(rec.Data)
		if err != nil {
			b.Log.Warn("discarding unreadable session", zap.String("user", redact.UserID(m.User)), zap.Error(err))
			sess = Session{}
		}
		if m.ID != "" {
			if found, newest := sess.Answered.find(id, now.Add(-b.cfg.ReplyTTL)); found {
				r := Reply{Intent: duplicateIntent, Duplicate: true}
				if newest {
					r.Text, r.Intent = string(sess.Answered.Reply), cmp.Or(sess.Answered.Intent, duplicateIntent)
				}
				return r, nil
			}
		}
		out := b.respond(sess, m, now, false)
		if m.ID != "" {
			out.sess.Answered = sess.Answered.add(id, out.text, out.intent, now, b.cfg.ReplyTTL)
		}
		data := encodeSession(out.sess)
		reply := out.reply()
		if m.ID == "" && bytes.Equal(data, rec.Data) {
			b.noteUnknown(m, reply)
			return reply, nil
		}
		// Once ctx has ended the caller has answered without this step
		// (the webhook's "请再发一次"): committing it now would contradict
		// that answer.
		if err := ctx.Err(); err != nil {
			return Reply{}, fmt.Errorf("bot: not committed, the caller's deadline passed: %w", err)
		}
		res, err := b.storeCommit(ctx, m.User, Commit{
			Version: rec.Version, Data: data, StateTTL: b.cfg.StateTTL, Idempotent: m.ID != "",
		})
		switch {
		case err != nil:
			b.cache.Remove(m.User)
			return b.degraded(m, now, err), nil
		case res.Conflict:
			rec = res.Current
			b.cache.Add(m.User, rec)
			if attempt > 0 {
				pause(ctx, attempt)
			}
			continue
		}
		b.cache.Add(m.User, Record{Version: res.Version, Data: data})
		b.noteUnknown(m, reply)
		return reply, nil
	}
	b.Log.Warn("gave up after repeated state conflicts", zap.String("user", redact.UserID(m.User)))
	return Reply{Text: replies.Conflict, Intent: "conflict"}, nil
}

// unsureLine is the confidence below which an answered topic counts as
// unsure in the statistics, so the operator sees what the bot guessed.
const unsureLine = 0.5

// reply is the outcome as the transport sees it.
func (o outcome) reply() Reply {
	r := o.trace.Reading
	answered := r.Intent != intents.Unknown && (r.How == intents.HowModel || r.How == intents.HowKeyword || r.How == intents.HowAgreed)
	return Reply{
		Text: o.text, Intent: o.intent, Confidence: r.Confidence, Unhelpful: o.unhelpful,
		Unsure: answered && r.Confidence < unsureLine,
	}
}

// Explain reads a message as Handle would, in the user's current state,
// and says how: the reading and the machine's row. Nothing is stored, so
// an operator can ask why without changing the conversation.
func (b *Bot) Explain(ctx context.Context, m Message) (Trace, string, error) {
	now := b.Now().In(b.cfg.Location)
	rec, err := b.storeLoad(ctx, m.User)
	if err != nil {
		return Trace{}, "", fmt.Errorf("explain: load state: %w", err)
	}
	sess, err := decodeSession(rec.Data)
	if err != nil {
		sess = Session{}
	}
	out := b.respond(sess, m, now, false)
	return out.trace, out.text, nil
}

// noteUnknown logs what the bot could not place, redacted, so that the
// operator can see which questions the catalogue lacks.
func (b *Bot) noteUnknown(m Message, r Reply) {
	if r.Intent == string(intents.Unknown) && m.Kind == KindText {
		b.Log.Info("unknown question", zap.String("user", redact.UserID(m.User)), zap.String("text", redact.Text(truncate(m.Text, 200))))
	}
}

// pause waits a random moment that grows with the attempt, at most 10ms.
func pause(ctx context.Context, attempt int) {
	d := time.Duration(rand.Int64N(int64(min(attempt, 10)) * int64(time.Millisecond)))
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func (b *Bot) storeLoad(ctx context.Context, user string) (Record, error) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.StoreTimeout)
	defer cancel()
	return b.Store.Load(ctx, user)
}

func (b *Bot) storeCommit(ctx context.Context, user string, c Commit) (CommitResult, error) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.StoreTimeout)
	defer cancel()
	return b.Store.Commit(ctx, user, c)
}

// forget deletes a user's state when they unsubscribe.
func (b *Bot) forget(ctx context.Context, user string) Reply {
	b.cache.Remove(user)
	ctx, cancel := context.WithTimeout(ctx, b.cfg.StoreTimeout)
	defer cancel()
	if err := b.Store.Delete(ctx, user); err != nil {
		b.Log.Warn("delete state on unfollow", zap.String("user", redact.UserID(user)), zap.Error(err))
		return Reply{Intent: "unfollow", Degraded: true}
	}
	return Reply{Intent: "unfollow"}
}

// userLocks serialises one user's messages within this process, so that
// concurrent messages of a user do not fight over the version; other users
// are not held up (striped by hash).
type userLocks struct {
	seed maphash.Seed
	// Each stripe is a one-slot channel rather than a mutex, so that a
	// waiter can give up when its deadline comes.
	stripes [256]chan struct{}
}

func newUserLocks() *userLocks {
	l := &userLocks{seed: maphash.MakeSeed()}
	for i := range l.stripes {
		l.stripes[i] = make(chan struct{}, 1)
	}
	return l
}

// lock waits for the user's stripe until ctx ends.
func (l *userLocks) lock(ctx context.Context, user string) (unlock func(), err error) {
	c := l.stripes[maphash.String(l.seed, user)%uint64(len(l.stripes))]
	select {
	case c <- struct{}{}:
		return func() { <-c }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
