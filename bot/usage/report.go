package usage

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/redact"
)

// Report is what the stats say over some days.
type Report struct {
	From, To time.Time // the first and last day, inclusive
	Days     []Day     // oldest first
	// Unknown are the questions not understood, most asked first.
	Unknown []Count
	// UnknownOther counts questions not understood beyond the daily cap
	// on distinct texts.
	UnknownOther int64
	// UnknownCapped counts questions not understood beyond each user's
	// daily cap.
	UnknownCapped int64
	// Unsure are the questions answered below the confidence line
	// ("[topic confidence] text"), and Unhelpful the questions a resident
	// said the answer to did not help ("[topic] text"), most first.
	Unsure, Unhelpful []Count
	// The three lists as groups of alike questions, largest first.
	UnknownGroups, UnsureGroups, UnhelpfulGroups []Group
	Intents                                      []Count // most asked first
	Total                                        Day     // the sums over the days (Date empty)
}

// Day is one day's counts.
type Day struct {
	Date     string `json:"date"`
	Messages int64  `json:"messages"`
	Unknown  int64  `json:"unknown"`
	Degraded int64  `json:"degraded"`
	Rejected int64  `json:"rejected"`
	Dropped  int64  `json:"dropped,omitempty"` // events not recorded (Redis too slow)
}

// Count is how often something was asked.
type Count struct {
	Text  string `json:"text"`
	Count int64  `json:"count"`
}

// Read gathers the report for the days days ending today (in opt's
// Location), with the top most frequent texts and intents.
func Read(ctx context.Context, rdb redis.UniversalClient, opt Options, days, top int) (*Report, error) {
	opt = opt.withDefaults()
	if days < 1 {
		days = 1
	}
	today := opt.Now().In(opt.Location)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, opt.Location)
	rep := &Report{From: today.AddDate(0, 0, -(days - 1)), To: today}
	texts := map[string]int64{}
	unsure, unhelpful := map[string]int64{}, map[string]int64{}
	intents := map[string]int64{}
	for d := rep.From; !d.After(today); d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		k := keysFor(opt.Prefix, day)
		pipe := rdb.Pipeline()
		counts := pipe.HGetAll(ctx, k.counts)
		in := pipe.HGetAll(ctx, k.intents)
		tx := pipe.ZRangeWithScores(ctx, k.texts, 0, -1)
		us := pipe.ZRangeWithScores(ctx, k.list(ListUnsure), 0, -1)
		uh := pipe.ZRangeWithScores(ctx, k.list(ListUnhelpful), 0, -1)
		if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
			return nil, fmt.Errorf("usage: reading %s: %w", day, err)
		}
		c := counts.Val()
		row := Day{Date: day, Messages: num(c["messages"]), Degraded: num(c["degraded"]), Rejected: num(c["rejected"]), Dropped: num(c["dropped"])}
		rep.UnknownOther += num(c["unknown_other"])
		rep.UnknownCapped += num(c["unknown_capped"])
		row.Unknown = num(c["unknown_other"]) + num(c["unknown_capped"])
		// What Redis holds is shown to people: escaped again, for counts
		// written before texts were escaped, or by anything else.
		for intent, n := range in.Val() {
			intents[redact.Printable(intent)] += num(n)
		}
		for _, z := range tx.Val() {
			texts[redact.Text(z.Member.(string))] += int64(z.Score)
			row.Unknown += int64(z.Score)
		}
		for _, z := range us.Val() {
			unsure[redact.Text(z.Member.(string))] += int64(z.Score)
		}
		for _, z := range uh.Val() {
			unhelpful[redact.Text(z.Member.(string))] += int64(z.Score)
		}
		rep.Days = append(rep.Days, row)
		rep.Total.Messages += row.Messages
		rep.Total.Unknown += row.Unknown
		rep.Total.Degraded += row.Degraded
		rep.Total.Rejected += row.Rejected
		rep.Total.Dropped += row.Dropped
	}
	rep.Unknown = ranked(texts, top)
	rep.Unsure = ranked(unsure, top)
	rep.Unhelpful = ranked(unhelpful, top)
	rep.UnknownGroups = Grouped(ranked(texts, 0), top)
	rep.UnsureGroups = Grouped(ranked(unsure, 0), top)
	rep.UnhelpfulGroups = Grouped(ranked(unhelpful, 0), top)
	rep.Intents = ranked(intents, top)
	return rep, nil
}

func num(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// ranked sorts by count, then text, and keeps the top n (all when n <= 0).
func ranked(m map[string]int64, n int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{Text: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Text < out[j].Text
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
