package main

import (
	"context"

	"fmt"
	"io"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/intents"
)

// messages collects a repeated -after flag.
type messages []string

func (m *messages) String() string     { return strings.Join(*m, " / ") }
func (m *messages) Set(s string) error { *m = append(*m, s); return nil }

// cmdExplain prints how the bot reads one message: the normalised text,
// the topic candidates with their scores, the slots, the kind of question
// and the dialog row chosen. Earlier messages (-after, in order) set the
// scene in a private in-memory conversation; nothing touches a real one.
func cmdExplain(e env) error {
	l := config.New(config.Chat)
	l.Positional = true
	var after messages
	l.FlagSet.Var(&after, "after", "an earlier message of the conversation (repeat, in order)")
	cfg, err := loadConfig(e, l)
	if err != nil {
		return err
	}
	args := l.FlagSet.Args()
	if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
		return usagef(`explain: give one message, e.g. yibao explain "住院5万能报多少" (earlier ones with -after)`)
	}
	c, err := loadContent(cfg)
	if err != nil {
		return err
	}
	b, err := newBot(c, memstore.New(e.now), e.now, zap.NewNop(), bot.Config{})
	if err != nil {
		return err
	}
	ctx := context.Background()
	const user = "explain"
	for _, m := range after {
		if _, err := b.Handle(ctx, bot.Message{User: user, Kind: bot.KindText, Text: m, Time: e.now()}); err != nil {
			return fmt.Errorf("explain: earlier message %q: %w", m, err)
		}
	}
	tr, reply, err := b.Explain(ctx, bot.Message{User: user, Kind: bot.KindText, Text: args[0], Time: e.now()})
	if err != nil {
		return err
	}
	printTrace(e.stdout, args[0], tr, reply)
	return nil
}

func printTrace(w io.Writer, text string, tr bot.Trace, reply string) {
	r := tr.Reading
	fmt.Fprintf(w, "message:     %s\n", text)
	fmt.Fprintf(w, "normalised:  %s\n", r.Normalized)
	fmt.Fprintf(w, "topic:       %s (confidence %.2f, decided by %s)\n", r.Intent, r.Confidence, howName(r.How))
	if len(r.Suggestions) > 0 {
		fmt.Fprintf(w, "offered:     %s\n", joinIntents(r.Suggestions))
	}
	if len(r.Also) > 0 {
		fmt.Fprintf(w, "also asks:   %s\n", joinIntents(r.Also))
	}
	var cands []string
	for _, s := range r.Topics {
		cands = append(cands, fmt.Sprintf("%s %.2f", s.Intent, s.P))
	}
	if len(cands) == 0 {
		cands = []string{"(no word the classifier knows)"}
	}
	fmt.Fprintf(w, "classifier:  %s\n", strings.Join(cands, ", "))
	ask := string(r.Ask)
	if ask == "" {
		ask = "-"
	}
	fmt.Fprintf(w, "question:    %s\n", ask)
	fmt.Fprintf(w, "slots:       %s\n", slotLine(r.Slots))
	if r.FollowUp {
		fmt.Fprintln(w, "follow-up:   yes (read against the last topic)")
	}
	fmt.Fprintf(w, "dialog:      %s --%s--> %s (read by %s, row %s)\n", tr.From, tr.Event, tr.To, tr.Rule, tr.Handler)
	fmt.Fprintf(w, "reply:\n%s\n", indent(reply))
}

func howName(h intents.How) string {
	if h == intents.HowNone {
		return "slots or dialog words"
	}
	return string(h)
}

func joinIntents(ins []intents.Intent) string {
	s := make([]string, len(ins))
	for i, in := range ins {
		s[i] = string(in)
	}
	return strings.Join(s, ", ")
}

// slotLine lists the slots the message filled, each with its role.
func slotLine(s intents.Slots) string {
	var parts []string
	add := func(ok bool, format string, args ...any) {
		if ok {
			parts = append(parts, fmt.Sprintf(format, args...))
		}
	}
	add(s.HasAmount, "bill=%s", s.Amount.Display())
	add(s.HasOutOfPolicy, "out-of-list=%s", s.OutOfPolicy.Display())
	add(s.HasPriorBasic, "already-reimbursed=%s", s.PriorBasic.Display())
	add(s.HasPriorSelfPay, "already-self-paid=%s", s.PriorSelfPay.Display())
	add(s.HasPremium, "premium=%s", s.Premium.Display())
	add(s.Tier.Valid(), "tier=%s", s.Tier)
	add(s.Level.Valid(), "level=%s", s.Level)
	add(s.Kind != "", "care=%s", s.Kind)
	add(s.Minor != nil, "minor=%v", s.Minor != nil && *s.Minor)
	add(s.Age > 0, "age=%d", s.Age)
	add(!s.Date.IsZero(), "date=%s", s.Date.Format(time.DateOnly))
	add(s.Year != 0, "year=%d", s.Year)
	add(s.DontKnow, "dont-know")
	add(s.Correction, "correction")
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
