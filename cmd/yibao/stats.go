package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/yibao/yibao/bot/redisstore"
	botusage "github.com/yibao/yibao/bot/usage"
	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/intents"
)

// cmdStats prints what serve counted in Redis: the questions the bot did
// not understand (what to add to the catalogue), the intents asked most,
// messages per day, degraded replies and rejected pushes.
func cmdStats(e env) error {
	l := config.New(config.Stats)
	since := l.FlagSet.String("since", "7d", "how far back: days (7d) or a duration (36h); days are China's calendar days, today included")
	top := l.FlagSet.Int("top", 20, "how many questions and intents to list")
	asJSON := l.FlagSet.Bool("json", false, "print the report as JSON")
	explain := l.FlagSet.Bool("explain", false, "under each group of questions, how the bot reads its first one now (as yibao explain)")
	cfg, err := loadConfig(e, l)
	if err != nil {
		return err
	}
	days, err := parseDays(*since)
	if err != nil {
		return usagef("--since %q: %v", *since, err)
	}
	if *top < 1 {
		return usagef("--top must be at least 1")
	}
	if !cfg.RedisURL.IsSet() {
		return usagef("stats are read from Redis: set REDIS_URL (the one serve uses)")
	}
	rdb, err := redisClient(cfg)
	if err != nil {
		return err
	}
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := botusage.Read(ctx, rdb, botusage.Options{Now: e.now}, days, *top)
	if err != nil {
		err = redisstore.Explain(context.Background(), cfg.RedisURL.Reveal(), err)
		return fmt.Errorf("%s", cfg.Scrub(err.Error()))
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{
			"from": rep.From.Format(time.DateOnly), "to": rep.To.Format(time.DateOnly),
			"days": rep.Days, "total": rep.Total, "unknown": nonNil(rep.Unknown),
			"unknown_over_cap": rep.UnknownOther, "unknown_over_user_cap": rep.UnknownCapped, "intents": nonNil(rep.Intents),
			"unknown_groups": nonNilGroups(rep.UnknownGroups), "unsure_groups": nonNilGroups(rep.UnsureGroups),
			"unhelpful_groups": nonNilGroups(rep.UnhelpfulGroups),
		})
	}
	var reader func(string) string
	if *explain {
		c, err := loadContent(cfg)
		if err != nil {
			return err
		}
		reader = func(text string) string { return readingLine(c.matcher, text, e.now()) }
	}
	printStats(e, rep, days, reader)
	return nil
}

func nonNilGroups(g []botusage.Group) []botusage.Group {
	if g == nil {
		return []botusage.Group{}
	}
	return g
}

// readingLine is explain's reading of a listed question, in one line.
func readingLine(m *intents.Matcher, text string, now time.Time) string {
	if i := strings.Index(text, "] "); strings.HasPrefix(text, "[") && i > 0 {
		text = text[i+2:]
	}
	r := m.Match(text, now)
	var cands []string
	for _, s := range r.Topics {
		if len(cands) < 3 {
			cands = append(cands, fmt.Sprintf("%s %.2f", s.Intent, s.P))
		}
	}
	return fmt.Sprintf("now read as %s (%s), classifier: %s", r.Intent, howName(r.How), strings.Join(cands, ", "))
}

func nonNil(c []botusage.Count) []botusage.Count {
	if c == nil {
		return []botusage.Count{}
	}
	return c
}

// parseDays turns 7d or 36h into whole days, at least 1.
func parseDays(s string) (int, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		d, err := strconv.Atoi(n)
		if err != nil || d < 1 || d > 366 {
			return 0, fmt.Errorf("want a number of days from 1 to 366, like 7d")
		}
		return d, nil
	}
	dur, err := time.ParseDuration(s)
	if err != nil || dur <= 0 {
		return 0, fmt.Errorf("want days (7d) or a duration (36h)")
	}
	return int((dur + 24*time.Hour - 1) / (24 * time.Hour)), nil
}

// printGroups lists groups of alike questions: the group's total and its
// first question, then the others under it; with explain, how the bot
// reads the first one now.
func printGroups(w io.Writer, title string, groups []botusage.Group, explain func(string) string) {
	fmt.Fprintln(w, "\n"+title)
	if len(groups) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	for _, g := range groups {
		fmt.Fprintf(w, "%6d  %s\n", g.Count, g.Texts[0].Text)
		for _, c := range g.Texts[1:] {
			fmt.Fprintf(w, "        also (%d): %s\n", c.Count, c.Text)
		}
		if explain != nil {
			fmt.Fprintf(w, "        -> %s\n", explain(g.Texts[0].Text))
		}
	}
}

func printStats(e env, rep *botusage.Report, days int, explain func(string) string) {
	w := e.stdout
	fmt.Fprintf(w, "yibao usage, %s to %s (%d day(s), China time)\n\n", rep.From.Format(time.DateOnly), rep.To.Format(time.DateOnly), days)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "date\tmessages\tnot understood\tdegraded\trejected\t")
	for _, d := range append(rep.Days, rep.Total) {
		date := d.Date
		if date == "" {
			date = "total"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", date, d.Messages, d.Unknown, d.Degraded, d.Rejected)
	}
	tw.Flush()
	if rep.Total.Dropped > 0 {
		fmt.Fprintf(w, "(%d event(s) were not recorded: Redis was too slow)\n", rep.Total.Dropped)
	}

	printGroups(w, "Not understood, most asked first, alike questions together (numbers masked): add examples or a topic to the catalogue",
		rep.UnknownGroups, explain)
	if rep.UnknownOther > 0 {
		fmt.Fprintf(w, "%6d  (others, beyond the daily cap on distinct texts)\n", rep.UnknownOther)
	}
	if rep.UnknownCapped > 0 {
		fmt.Fprintf(w, "%6d  (beyond %s, one user's daily cap)\n", rep.UnknownCapped, "the 20 texts")
	}
	printGroups(w, "Answered with little confidence ([topic confidence]): check the topic was right", rep.UnsureGroups, explain)
	printGroups(w, "Said not to help ([topic shown] the question before)", rep.UnhelpfulGroups, explain)
	fmt.Fprintln(w, "\nAsked most, by intent")
	if len(rep.Intents) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	for _, c := range rep.Intents {
		fmt.Fprintf(w, "%6d  %s\n", c.Count, c.Text)
	}
}
