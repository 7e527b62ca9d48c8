package bot_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/bot/redisstore"
)

// stores are the backends the bot-level tests run against: memory and
// miniredis always, the real Redis when REDIS_URL names one.
func stores(t testing.TB) map[string]func(t testing.TB) bot.Store {
	m := map[string]func(t testing.TB) bot.Store{
		"memory": func(t testing.TB) bot.Store { return memstore.New(nil) },
		"miniredis": func(t testing.TB) bot.Store {
			mr := miniredis.RunT(t)
			c := redis.NewClient(&redis.Options{Addr: mr.Addr()})
			t.Cleanup(func() { c.Close() })
			return redisstore.New(c, redisstore.Options{})
		},
		"miniredis-autopipeline": func(t testing.TB) bot.Store {
			mr := miniredis.RunT(t)
			c := redis.NewClient(&redis.Options{Addr: mr.Addr()})
			t.Cleanup(func() { c.Close() })
			return redisstore.New(c, redisstore.Options{AutoPipeline: true})
		},
	}
	if url := os.Getenv("REDIS_URL"); url != "" {
		m["redis"] = func(t testing.TB) bot.Store {
			prefix := fmt.Sprintf("yibao-test-%s-%d:", strings.ReplaceAll(t.Name(), "/", "-"), os.Getpid())
			// As serve runs it: commits batched.
			s, err := redisstore.Open(url, redisstore.Options{Prefix: prefix, AutoPipeline: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				opts, _ := redis.ParseURL(url)
				c := redis.NewClient(opts)
				defer c.Close()
				ctx := context.Background()
				keys, _ := c.Keys(ctx, prefix+"*").Result()
				if len(keys) > 0 {
					c.Del(ctx, keys...)
				}
				s.Close()
			})
			return s
		}
	}
	return m
}

// TestConcurrentAnswers sends 50 answers of one user at once through two
// bot replicas sharing a store (each with its own cache, as two processes
// would have): whatever order they land in, no answer may be lost, so the
// dialog ends with every fact given.
func TestConcurrentAnswers(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			store := open(t)
			replicas := []*harness{newHarness(t, store), newHarness(t, store)}
			ctx := context.Background()
			if _, err := replicas[0].bot.Handle(ctx, bot.Message{User: "u", ID: "start", Text: "帮我算算"}); err != nil {
				t.Fatal(err)
			}
			before, err := store.Load(ctx, "u")
			if err != nil {
				t.Fatal(err)
			}
			answers := []string{"住院", "二档", "三级医院", "5万", "成年人"}
			var wg sync.WaitGroup
			for i := range 50 {
				wg.Go(func() {
					m := bot.Message{User: "u", ID: fmt.Sprint("m", i), Text: answers[i%len(answers)]}
					if _, err := replicas[i%2].bot.Handle(ctx, m); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			// Every message changes the state once (each answer at least
			// moves the dialog's clock), so the version must have moved on
			// by exactly one per message: none lost, none applied twice.
			after, err := store.Load(ctx, "u")
			if err != nil {
				t.Fatal(err)
			}
			if got := after.Version - before.Version; got != 50 {
				t.Errorf("state moved %d versions for 50 messages", got)
			}
			r, err := replicas[0].bot.Handle(ctx, bot.Message{User: "u", ID: "end", Text: "继续"})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"二档·三级医院·成人", "住院费用50,000元", "医保能报"} {
				if !strings.Contains(r.Text, want) {
					t.Fatalf("final reply lacks %q; an answer was lost:\n%s", want, r.Text)
				}
			}
		})
	}
}

// TestRetryAcrossReplicas: the platform's retry of a message may reach
// another replica; it gets the first reply and the dialog moves once.
func TestRetryAcrossReplicas(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			store := open(t)
			a, b := newHarness(t, store), newHarness(t, store)
			ctx := context.Background()
			send := func(h *harness, id, text string) bot.Reply {
				t.Helper()
				r, err := h.bot.Handle(ctx, bot.Message{User: "u", ID: id, Text: text})
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			send(a, "1", "住院能报多少")
			first := send(a, "2", "上一步")
			retry := send(b, "2", "上一步")
			if !retry.Duplicate || retry.Text != first.Text {
				t.Fatalf("retry: duplicate=%v\nfirst: %q\nretry: %q", retry.Duplicate, first.Text, retry.Text)
			}
		})
	}
}

// TestReplayMovesNothing: a push seen again within the reply TTL, on
// either replica, moves nothing. The newest gets its first reply (a
// platform retry); an older one gets none (the platform shows nothing),
// since only the newest reply is kept. After the TTL an id is forgotten.
func TestReplayMovesNothing(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			store := open(t)
			a := newHarness(t, store)
			b := newHarness(t, store)
			ctx := context.Background()
			send := func(h *harness, id, text string) bot.Reply {
				t.Helper()
				r, err := h.bot.Handle(ctx, bot.Message{User: "u", ID: id, Text: text})
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			send(a, "1", "住院能报多少")
			send(a, "2", "二档")
			third := send(a, "3", "三级医院")
			before, err := store.Load(ctx, "u")
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range []*harness{a, b} {
				if r := send(h, "1", "住院能报多少"); !r.Duplicate || r.Text != "" {
					t.Errorf("older push again: duplicate=%v text=%q, want a duplicate with no reply", r.Duplicate, r.Text)
				}
				if r := send(h, "3", "三级医院"); !r.Duplicate || r.Text != third.Text {
					t.Errorf("newest push again: duplicate=%v text=%q, want its first reply", r.Duplicate, r.Text)
				}
			}
			if after, err := store.Load(ctx, "u"); err != nil || after.Version != before.Version {
				t.Errorf("replays moved the state from version %d to %d (%v)", before.Version, after.Version, err)
			}
			a.clock.Add(bot.DefaultReplyTTL + time.Second)
			if r := send(a, "1", "住院能报多少"); r.Duplicate {
				t.Errorf("a push after the reply TTL was taken for a duplicate")
			}
		})
	}
}

// TestUnfollowForgets: unsubscribing deletes the user's state.
func TestUnfollowForgets(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	h.bot.Handle(ctx, bot.Message{User: "u", ID: "1", Text: "住院能报多少"})
	if r, _ := h.bot.Handle(ctx, bot.Message{User: "u", ID: "2", Kind: bot.KindUnfollow}); r.Text != "" {
		t.Errorf("unfollow reply %q, want none", r.Text)
	}
	rec, err := h.store.Load(ctx, "u")
	if err != nil || rec.Version != 0 || rec.Data != nil {
		t.Errorf("state after unfollow: %+v %v", rec, err)
	}
}

// TestRepliesFit: whatever is sent, no reply exceeds the passive limit,
// and a long one is split with the rest one digit away.
func TestRepliesFit(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	inputs := []string{strings.Repeat("住院", 5000), strings.Repeat("😀", 3000), "\xff\xfe住院", "", "  ", "1", "0", "99999999999999999999万"}
	for i, in := range inputs {
		r, err := h.bot.Handle(ctx, bot.Message{User: "u", ID: fmt.Sprint(i), Text: in})
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if len(r.Text) > 2000 || r.Text == "" {
			t.Errorf("%.20q: reply of %d bytes", in, len(r.Text))
		}
	}
}

func BenchmarkEstimateDialog(b *testing.B) {
	dialog := []string{"住院能报多少", "二档", "三级医院", "5万", "不是", "菜单"}
	for name, open := range stores(b) {
		b.Run(name, func(b *testing.B) {
			h := newHarness(b, open(b))
			ctx := context.Background()
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				text := dialog[n%len(dialog)]
				user := fmt.Sprint("u", (n/len(dialog))%1000)
				if _, err := h.bot.Handle(ctx, bot.Message{User: user, ID: fmt.Sprint(n), Text: text}); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/message")
		})
	}
}

// FuzzHandle: any text, in any dialog state the previous messages left,
// gets a non-empty reply that fits one message, and never a panic.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{"住院5万能报多少", "二档", "3", "0", "自费100", "上一步", "\xff", strings.Repeat("报", 3000), "9999999999万", "1月15号交的"} {
		f.Add("住院能报多少", s)
	}
	h := newHarness(f, nil)
	n := 0
	f.Fuzz(func(t *testing.T, first, second string) {
		n++
		for i, text := range []string{first, second} {
			r, err := h.bot.Handle(context.Background(), bot.Message{User: fmt.Sprint("fuzz", n), ID: fmt.Sprint(n, "-", i), Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if r.Text == "" || len(r.Text) > 2000 {
				t.Fatalf("%q then %q: reply of %d bytes", first, second, len(r.Text))
			}
		}
	})
}

// TestLongReplySplits: a reply over the limit comes in parts, each within
// it and cut between characters, the rest one digit away, until the
// original menu comes back.
func TestLongReplySplits(t *testing.T) {
	ctx := context.Background()
	full, err := newHarness(t, nil).bot.Handle(ctx, bot.Message{User: "u", ID: "1", Text: "住院怎么报销"})
	if err != nil {
		t.Fatal(err)
	}
	const limit = 300
	h := newHarnessWith(t, nil, bot.Config{MaxReplyBytes: limit})
	const more = "\n\n回复 1 查看余下内容"
	var parts []string
	r, err := h.bot.Handle(ctx, bot.Message{User: "u", ID: "1", Text: "住院怎么报销"})
	for i := 2; err == nil; i++ {
		if len(r.Text) > limit || !utf8.ValidString(r.Text) {
			t.Fatalf("part %d: %d bytes, valid UTF-8 %v", i-1, len(r.Text), utf8.ValidString(r.Text))
		}
		if !strings.HasSuffix(r.Text, more) {
			parts = append(parts, r.Text)
			break
		}
		parts = append(parts, strings.TrimSuffix(r.Text, more))
		r, err = h.bot.Handle(ctx, bot.Message{User: "u", ID: fmt.Sprint(i), Text: "1"})
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) < 3 {
		t.Fatalf("only %d parts for a %d-byte reply", len(parts), len(full.Text))
	}
	if got, want := strings.Join(parts, ""), strings.ReplaceAll(full.Text, "\n", ""); strings.ReplaceAll(got, "\n", "") != want {
		t.Errorf("parts do not add up to the reply:\n%s\n---\n%s", got, full.Text)
	}
	// The last part carries the guide's own menu: its "1" opens that entry.
	r, err = h.bot.Handle(ctx, bot.Message{User: "u", ID: "last", Text: "1"})
	if err != nil || strings.Contains(r.Text, "余下内容") || r.Intent == "more" {
		t.Errorf("after the last part, 1 gave %q (%v)", r.Intent, err)
	}
}

// blockingStore holds every Commit until released, as a frozen Redis would.
type blockingStore struct {
	bot.Store
	entered chan struct{}
	release chan struct{}
}

func (s *blockingStore) Commit(ctx context.Context, u string, c bot.Commit) (bot.CommitResult, error) {
	s.entered <- struct{}{}
	<-s.release
	return s.Store.Commit(ctx, u, c)
}

// TestWaiterGivesUpAtDeadline: a message queued behind the same user's
// message stuck on the store is answered without state when its own
// deadline comes, instead of waiting for the stuck one.
func TestWaiterGivesUpAtDeadline(t *testing.T) {
	store := &blockingStore{Store: memstore.New(time.Now), entered: make(chan struct{}, 1), release: make(chan struct{})}
	h := newHarnessWith(t, store, bot.Config{StoreTimeout: time.Minute})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = h.bot.Handle(context.Background(), bot.Message{User: "u", ID: "1", Text: "住院能报多少"})
	}()
	<-store.entered
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	r, err := h.bot.Handle(ctx, bot.Message{User: "u", ID: "2", Text: "二档交多少钱"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Degraded || r.Text == "" {
		t.Errorf("the waiting message got %+v; want a degraded reply", r)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the waiting message took %v", d)
	}
	close(store.release)
	<-done
}
