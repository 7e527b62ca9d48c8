package bot_test

import (
	"bufio"
	"context"

	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

var update = flag.Bool("update", false, "rewrite the golden dialog transcripts in testdata/dialogs")

var cst = time.FixedZone("CST", 8*3600)

// fakeClock is a settable clock for transcripts.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// switchableStore fails every call while down, as a Redis outage would.
type switchableStore struct {
	bot.Store
	mu   sync.Mutex
	down bool
}

func (s *switchableStore) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return fmt.Errorf("%w: connection refused", bot.ErrStoreUnavailable)
	}
	return nil
}

func (s *switchableStore) Load(ctx context.Context, u string) (bot.Record, error) {
	if err := s.err(); err != nil {
		return bot.Record{}, err
	}
	return s.Store.Load(ctx, u)
}

func (s *switchableStore) Commit(ctx context.Context, u string, c bot.Commit) (bot.CommitResult, error) {
	if err := s.err(); err != nil {
		return bot.CommitResult{}, err
	}
	return s.Store.Commit(ctx, u, c)
}

func (s *switchableStore) Delete(ctx context.Context, u string) error {
	if err := s.err(); err != nil {
		return err
	}
	return s.Store.Delete(ctx, u)
}

type harness struct {
	bot   *bot.Bot
	clock *fakeClock
	store *switchableStore
}

func newHarness(t testing.TB, store bot.Store) *harness {
	t.Helper()
	return newHarnessWith(t, store, bot.Config{})
}

func newHarnessWith(t testing.TB, store bot.Store, cfg bot.Config) *harness {
	t.Helper()
	return newHarnessDeps(t, store, cfg, func(*bot.Deps) {})
}

// newHarnessDeps builds the harness with what change makes of the
// bot's dependencies.
func newHarnessDeps(t testing.TB, store bot.Store, cfg bot.Config, change func(*bot.Deps)) *harness {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, cst)}
	if store == nil {
		store = memstore.New(clock.Now)
	}
	sw := &switchableStore{Store: store}
	// The bot logs a bug (a transition the machine does not declare, a
	// guide that does not render) at error level: any such line fails the
	// test that made it.
	core, logs := observer.New(zap.ErrorLevel)
	t.Cleanup(func() {
		for _, e := range logs.All() {
			t.Errorf("bot logged an error: %s %v", e.Message, e.ContextMap())
		}
	})
	deps := builtInDeps(t)
	deps.Store, deps.Now, deps.Log = sw, clock.Now, zap.New(core)
	change(&deps)
	b, err := bot.New(deps, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{bot: b, clock: clock, store: sw}
}

// builtInDeps are the bot's dependencies built from the embedded data,
// with no store.
func builtInDeps(t testing.TB) bot.Deps {
	t.Helper()
	book, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cat := intents.DefaultCatalogue()
	matcher, err := intents.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	guides, err := replies.DefaultGuides()
	if err != nil {
		t.Fatal(err)
	}
	return bot.Deps{Book: book, Matcher: matcher, Catalog: cat, Guides: guides}
}

// TestTranscripts replays every testdata/dialogs/*.txt conversation and
// compares the bot's replies with the ones written there. A transcript is a
// chat log: "> " lines are what the user sends, "< " lines the bot's reply,
// "# " lines comments, "@ " lines directives:
//
//	@ clock 2025-01-10 09:00   set the clock (China time)
//	@ wait 31m                 let time pass
//	@ store down | store up    make the dialog store fail or recover
//	@ user NAME                send as another user
//	@ follow | unfollow | image | voice TEXT | voice | click KEY | retry
//
// "@ retry" sends the previous message again with the same message id, as
// the platform does when it did not get the reply in time.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/dialogs/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no transcripts in testdata/dialogs")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := replay(t, string(want))
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(want) {
				t.Errorf("transcript differs (run go test ./bot -update and review the diff):\n%s", diffLines(string(want), got))
			}
		})
	}
}

func replay(t *testing.T, script string) string {
	h := newHarness(t, nil)
	var out strings.Builder
	user := "user-1"
	var last bot.Message
	id := 0
	send := func(m bot.Message) {
		m.User, m.Time = user, h.clock.Now()
		if m.ID == "" {
			id++
			m.ID = fmt.Sprintf("%s-%d", user, id)
		}
		last = m
		r, err := h.bot.Handle(context.Background(), m)
		if err != nil {
			t.Fatalf("handle %+v: %v", m, err)
		}
		if len(r.Text) > 2000 {
			t.Errorf("reply of %d bytes to %q", len(r.Text), m.Text)
		}
		flags := ""
		if r.Degraded {
			flags += " [degraded]"
		}
		if r.Duplicate {
			flags += " [duplicate]"
		}
		if r.Text == "" {
			out.WriteString("<" + flags + " (no reply)\n")
			return
		}
		for i, line := range strings.Split(r.Text, "\n") {
			if i == 0 && flags != "" {
				line = strings.TrimSpace(flags) + " " + line
			}
			out.WriteString(strings.TrimRight("< "+line, " ") + "\n")
		}
	}
	sc := bufio.NewScanner(strings.NewReader(script))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "<"):
			continue // a reply: regenerated below
		case strings.HasPrefix(line, "> "):
			out.WriteString(line + "\n")
			send(bot.Message{Kind: bot.KindText, Text: strings.TrimPrefix(line, "> ")})
		case strings.HasPrefix(line, "@ "):
			out.WriteString(line + "\n")
			directive(t, h, strings.Fields(strings.TrimPrefix(line, "@ ")), &user, &last, send)
		default:
			out.WriteString(line + "\n")
		}
	}
	return out.String()
}

func directive(t *testing.T, h *harness, f []string, user *string, last *bot.Message, send func(bot.Message)) {
	arg := func(i int) string {
		if len(f) <= i {
			t.Fatalf("directive %v needs an argument", f)
		}
		return f[i]
	}
	switch f[0] {
	case "clock":
		c, err := time.ParseInLocation("2006-01-02 15:04", arg(1)+" "+arg(2), cst)
		if err != nil {
			t.Fatal(err)
		}
		h.clock.Set(c)
	case "wait":
		d, err := time.ParseDuration(arg(1))
		if err != nil {
			t.Fatal(err)
		}
		h.clock.Add(d)
	case "store":
		h.store.mu.Lock()
		h.store.down = arg(1) == "down"
		h.store.mu.Unlock()
	case "user":
		*user = arg(1)
	case "follow":
		send(bot.Message{Kind: bot.KindFollow})
	case "unfollow":
		send(bot.Message{Kind: bot.KindUnfollow})
	case "image":
		send(bot.Message{Kind: bot.KindMedia})
	case "voice":
		send(bot.Message{Kind: bot.KindVoice, Text: strings.Join(f[1:], " ")})
	case "click":
		send(bot.Message{Kind: bot.KindMenu, Key: arg(1)})
	case "retry":
		send(*last)
	default:
		t.Fatalf("unknown directive %v", f)
	}
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want: %s\n  got:  %s\n", i+1, wl, gl)
			if b.Len() > 3000 {
				break
			}
		}
	}
	return b.String()
}
