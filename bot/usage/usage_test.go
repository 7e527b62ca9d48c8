package usage_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap/zaptest"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/storetest"
	"github.com/yibao/yibao/bot/usage"
)

// fakeBot answers by the message text: "?..." is not understood, "dup" is
// a platform retry, "down" a degraded reply; anything else is its intent.
type fakeBot struct{}

func (fakeBot) Handle(_ context.Context, m contract.Message) (contract.Reply, error) {
	switch {
	case m.Kind == contract.KindMenu:
		return contract.Reply{Text: "x", Intent: m.Key}, nil
	case m.Kind == contract.KindVoice:
		return contract.Reply{Text: "x", Intent: "unknown"}, nil
	case m.Kind != contract.KindText:
		return contract.Reply{Text: "welcome", Intent: "greeting"}, nil
	case strings.HasPrefix(m.Text, "?"):
		return contract.Reply{Text: "x", Intent: "unknown"}, nil
	case m.Text == "dup":
		return contract.Reply{Text: "x", Intent: "hotline", Duplicate: true}, nil
	case m.Text == "down":
		return contract.Reply{Text: "x", Intent: "hotline", Degraded: true}, nil
	}
	return contract.Reply{Text: "x", Intent: m.Text}, nil
}

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func TestRecordAndReport(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	for name, rdb := range storetest.Redises(t) {
		t.Run(name, func(t *testing.T) {
			prefix := fmt.Sprintf("yibao-test:usage:%d:", time.Now().UnixNano())
			t.Cleanup(func() {
				keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
				if len(keys) > 0 {
					rdb.Del(context.Background(), keys...)
				}
			})
			clk := &clock{t: time.Date(2026, 11, 22, 23, 30, 0, 0, cst)}
			opt := usage.Options{Prefix: prefix, MaxTexts: 3, Keep: 48 * time.Hour, Now: clk.Now, Log: zaptest.NewLogger(t)}
			rec := usage.New(rdb, opt)
			ctx, cancel := context.WithCancel(context.Background())
			go rec.Run(ctx)
			h := rec.Handler(fakeBot{})
			say := func(text string) {
				t.Helper()
				if _, err := h.Handle(context.Background(), contract.Message{User: "u", Kind: contract.KindText, Text: text}); err != nil {
					t.Fatal(err)
				}
			}
			// Yesterday: two messages.
			say("hotline")
			say("?怎么报销")
			// Today.
			clk.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, cst))
			for range 3 {
				say("?我的身份证 500101199001011234 能报吗")
			}
			say("?怎么报销")
			say("?a")
			say("?b") // a fourth distinct text today: over the cap of 3
			say("?c")
			say("hotline")
			say("dup") // a retry: not counted again
			say("down")
			h.Handle(context.Background(), contract.Message{User: "u", Kind: contract.KindMenu, Key: "payment"})
			h.Handle(context.Background(), contract.Message{User: "u", Kind: contract.KindFollow})
			// A voice message without a transcript, not understood (over
			// the cap too).
			h.Handle(context.Background(), contract.Message{User: "u", Kind: contract.KindVoice})
			rec.Rejected()
			rec.Rejected()
			cancel()
			rec.Wait()

			rep, err := usage.Read(context.Background(), rdb, opt, 2, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Days) != 2 || rep.Days[0].Date != "2026-11-22" || rep.Days[1].Date != "2026-11-23" {
				t.Fatalf("days %+v", rep.Days)
			}
			if d := rep.Days[0]; d.Messages != 2 || d.Unknown != 1 {
				t.Errorf("yesterday %+v", d)
			}
			want := usage.Day{Date: "2026-11-23", Messages: 11, Unknown: 8, Degraded: 1, Rejected: 2}
			if d := rep.Days[1]; d != want {
				t.Errorf("today %+v\nwant  %+v", d, want)
			}
			if rep.UnknownOther != 3 {
				t.Errorf("over the cap: %d, want 3 (?b, ?c and the voice)", rep.UnknownOther)
			}
			// Ranked, masked, top 2.
			if len(rep.Unknown) != 2 || rep.Unknown[0].Count != 3 || rep.Unknown[1] != (usage.Count{Text: "?怎么报销", Count: 2}) {
				t.Fatalf("unknown %+v", rep.Unknown)
			}
			if got := rep.Unknown[0].Text; strings.Contains(got, "500101199001011234") || !strings.Contains(got, "500") {
				t.Errorf("stored text %q: the ID number must be masked", got)
			}
			if len(rep.Intents) != 2 || rep.Intents[0] != (usage.Count{Text: "unknown", Count: 9}) || rep.Intents[1] != (usage.Count{Text: "hotline", Count: 3}) {
				t.Errorf("intents %+v", rep.Intents)
			}
			// Every key expires.
			keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
			if len(keys) == 0 {
				t.Fatal("nothing written")
			}
			for _, k := range keys {
				if ttl := rdb.PTTL(context.Background(), k).Val(); ttl <= 0 || ttl > 48*time.Hour {
					t.Errorf("%s: TTL %v", k, ttl)
				}
			}
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  我的电话 13812345678  能报吗 ", "我的电话 138****5678 能报吗"},
		{strings.Repeat("很", 100), strings.Repeat("很", 80) + "…"},
		{"住院\n\n报销", "住院 报销"},
	}
	for _, tt := range tests {
		if got := usage.Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestVoiceWithoutTranscript: a voice message not understood is listed as
// such, so the not-understood counts add up.
func TestVoiceWithoutTranscript(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: miniredis.RunT(t).Addr()})
	defer rdb.Close()
	rec := usage.New(rdb, usage.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	go rec.Run(ctx)
	rec.Handler(fakeBot{}).Handle(context.Background(), contract.Message{User: "u", Kind: contract.KindVoice})
	cancel()
	rec.Wait()
	rep, err := usage.Read(context.Background(), rdb, usage.Options{}, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Unknown) != 1 || rep.Unknown[0] != (usage.Count{Text: usage.NoText, Count: 1}) || rep.Total.Unknown != 1 {
		t.Errorf("unknown %+v, total %+v", rep.Unknown, rep.Total)
	}
}
