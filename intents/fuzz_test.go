package intents_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yibao/yibao/intents"
)

// FuzzMatch: any text is answered without panic, with a non-negative
// amount, a known intent, a score in [0,1], at most three suggestions, and
// the same slots as Extract.
func FuzzMatch(f *testing.F) {
	for _, c := range loadCases(f) {
		f.Add(c.Text)
	}
	for _, s := range []string{
		"", "😀", "\xff\xfe\xfd", "住院\xc0\x80五万", "-5万", "--5w", "负五万", "0元", "0.0001元",
		"九九九九九九九九九九九九亿亿亿亿万万万", "99999999999999999999999999元", "1,000,000,000,000,000元",
		"十百千万亿", "千万别", "万一", "１２，３４５．６７８９元", "2025-13-45", "2月29号", "2024年2月29日",
		"一二三四五六七八九十", "5w5w5w5k", "1.2.3.4.5", "¥-100", "...........", strings.Repeat("住院5万", 2500),
		strings.Repeat("\u202e\u200b", 100), "\x00\x01\x02", "零〇", "二〇二五年〇月〇日",
	} {
		f.Add(s)
	}
	m := newMatcher(f)
	now := testNow(f)
	known := map[intents.Intent]bool{intents.Unknown: true}
	for _, in := range m.Intents() {
		known[in] = true
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := m.Match(text, now)
		// An amount is negative exactly when said with a minus, so that
		// no one computes "-5万" as a bill of 5万.
		if r.Slots.HasAmount && r.Slots.Amount.IsNegative() != r.Slots.AmountNegative {
			t.Errorf("Match(%q): amount %s, AmountNegative %v", text, r.Slots.Amount, r.Slots.AmountNegative)
		}
		if !r.Slots.HasAmount && !r.Slots.Amount.IsZero() {
			t.Errorf("Match(%q): amount %s without HasAmount", text, r.Slots.Amount)
		}
		if !known[r.Intent] {
			t.Errorf("Match(%q): intent %q not in the catalogue", text, r.Intent)
		}
		if r.Score < 0 || r.Score > 1 || len(r.Suggestions) > 3 {
			t.Errorf("Match(%q): score %v, %d suggestions", text, r.Score, len(r.Suggestions))
		}
		if !utf8.ValidString(r.Normalized) {
			t.Errorf("Match(%q): Normalized %q is not valid UTF-8", text, r.Normalized)
		}
		if d := slotDiff(m.Extract(text, now), r.Slots); len(d) > 0 {
			t.Errorf("Extract(%q) differs from Match: %v", text, d)
		}
	})
}

func TestLongMessageIsQuick(t *testing.T) {
	m := newMatcher(t)
	long := strings.Repeat("医保报销住院门诊交多少钱😀\xff", 1000)
	r := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			m.Match(long, testNow(b))
		}
	})
	if per := r.NsPerOp(); per > 50_000_000 {
		t.Errorf("Match of a %d-byte message took %d ns", len(long), per)
	}
}
