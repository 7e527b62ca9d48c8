package intents_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai on machines without a zone database

	"go.yaml.in/yaml/v3"

	"github.com/shopspring/decimal"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
)

// testNow is the fixed "now" of every case: 2026-11-23 in Chongqing's zone.
func testNow(tb testing.TB) time.Time {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		tb.Fatalf("load zone: %v", err)
	}
	return time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
}

func newMatcher(tb testing.TB) *intents.Matcher {
	tb.Helper()
	m, err := intents.New(intents.DefaultCatalogue())
	if err != nil {
		tb.Fatalf("New(default catalogue): %v", err)
	}
	return m
}

// matchCase is one line of testdata/cases.yaml.
type matchCase struct {
	Name    string           `yaml:"name"`
	Text    string           `yaml:"text"`
	Intent  intents.Intent   `yaml:"intent"`
	Amount  string           `yaml:"amount"`
	Tier    int              `yaml:"tier"`
	Level   int              `yaml:"level"`
	Kind    engine.Kind      `yaml:"kind"`
	Minor   *bool            `yaml:"minor"`
	Age     int              `yaml:"age"`
	Date    string           `yaml:"date"`
	Year    int              `yaml:"year"`
	Suggest []intents.Intent `yaml:"suggest"`
	// Also: the second questions the message asks (Result.Also); a case
	// that lists none expects none.
	Also []intents.Intent `yaml:"also"`
	// The sums that are not the bill, and the dialog cues.
	OutOfPolicy  string `yaml:"out_of_policy"`
	PriorBasic   string `yaml:"prior_basic"`
	PriorSelfPay string `yaml:"prior_self_pay"`
	Premium      string `yaml:"premium"`
	PremiumUpTo  string `yaml:"premium_up_to"` // an approximate premium's bound
	Approx       bool   `yaml:"approx"`        // the amount was said roughly
	Negative     bool   `yaml:"negative"`      // the amount was said with a minus
	DontKnow     bool   `yaml:"dont_know"`
	Correction   bool   `yaml:"correction"`
	FollowUp     bool   `yaml:"follow_up"`
	// Sound marks a typo that only reading by pinyin gets right (see
	// TestSoundsAddNoFalseMatches).
	Sound bool `yaml:"sound"`
}

func loadCases(tb testing.TB) []matchCase {
	tb.Helper()
	data, err := os.ReadFile("testdata/cases.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	var cases []matchCase
	if err := dec.Decode(&cases); err != nil {
		tb.Fatalf("testdata/cases.yaml: %v", err)
	}
	for i := range cases {
		if cases[i].Name == "" {
			cases[i].Name = cases[i].Text
		}
	}
	return cases
}

// want builds the Slots a case expects; every field not listed is zero.
func (c matchCase) want(tb testing.TB, now time.Time) intents.Slots {
	tb.Helper()
	s := intents.Slots{
		Tier: engine.Tier(c.Tier), Level: engine.Level(c.Level), Kind: c.Kind,
		Minor: c.Minor, Age: c.Age, Year: c.Year,
	}
	money := func(field, v string) (engine.Money, bool) {
		if v == "" {
			return engine.Money{}, false
		}
		d, err := decimal.NewFromString(v)
		if err != nil {
			tb.Fatalf("case %q: %s %q: %v", c.Name, field, v, err)
		}
		return engine.MoneyOf(d), true
	}
	s.Amount, s.HasAmount = money("amount", c.Amount)
	s.OutOfPolicy, s.HasOutOfPolicy = money("out_of_policy", c.OutOfPolicy)
	s.PriorBasic, s.HasPriorBasic = money("prior_basic", c.PriorBasic)
	s.PriorSelfPay, s.HasPriorSelfPay = money("prior_self_pay", c.PriorSelfPay)
	s.Premium, s.HasPremium = money("premium", c.Premium)
	s.PremiumUpTo, _ = money("premium_up_to", c.PremiumUpTo)
	s.DontKnow, s.Correction = c.DontKnow, c.Correction
	s.AmountApprox, s.AmountNegative = c.Approx, c.Negative
	if c.Date != "" {
		d, err := time.ParseInLocation("2006-01-02", c.Date, now.Location())
		if err != nil {
			tb.Fatalf("case %q: date %q: %v", c.Name, c.Date, err)
		}
		s.Date = d
	}
	return s
}

// slotDiff lists the fields where got differs from want.
func slotDiff(got, want intents.Slots) []string {
	var d []string
	if got.HasAmount != want.HasAmount || !got.Amount.Equal(want.Amount) {
		d = append(d, fmt.Sprintf("amount %v/%s, want %v/%s", got.HasAmount, got.Amount.Decimal(), want.HasAmount, want.Amount.Decimal()))
	}
	sums := []struct {
		name          string
		gotOK, wantOK bool
		gotV, wantV   engine.Money
	}{
		{"out_of_policy", got.HasOutOfPolicy, want.HasOutOfPolicy, got.OutOfPolicy, want.OutOfPolicy},
		{"prior_basic", got.HasPriorBasic, want.HasPriorBasic, got.PriorBasic, want.PriorBasic},
		{"prior_self_pay", got.HasPriorSelfPay, want.HasPriorSelfPay, got.PriorSelfPay, want.PriorSelfPay},
		{"premium", got.HasPremium, want.HasPremium, got.Premium, want.Premium},
	}
	for _, x := range sums {
		if x.gotOK != x.wantOK || !x.gotV.Equal(x.wantV) {
			d = append(d, fmt.Sprintf("%s %v/%s, want %v/%s", x.name, x.gotOK, x.gotV.Decimal(), x.wantOK, x.wantV.Decimal()))
		}
	}
	if got.AmountApprox != want.AmountApprox || got.AmountNegative != want.AmountNegative {
		d = append(d, fmt.Sprintf("approx/negative %v/%v, want %v/%v", got.AmountApprox, got.AmountNegative, want.AmountApprox, want.AmountNegative))
	}
	if !got.PremiumUpTo.Equal(want.PremiumUpTo) {
		d = append(d, fmt.Sprintf("premium_up_to %s, want %s", got.PremiumUpTo.Decimal(), want.PremiumUpTo.Decimal()))
	}
	if got.DontKnow != want.DontKnow {
		d = append(d, fmt.Sprintf("dont_know %v, want %v", got.DontKnow, want.DontKnow))
	}
	if got.Correction != want.Correction {
		d = append(d, fmt.Sprintf("correction %v, want %v", got.Correction, want.Correction))
	}
	if got.Tier != want.Tier {
		d = append(d, fmt.Sprintf("tier %d, want %d", got.Tier, want.Tier))
	}
	if got.Level != want.Level {
		d = append(d, fmt.Sprintf("level %d, want %d", got.Level, want.Level))
	}
	if got.Kind != want.Kind {
		d = append(d, fmt.Sprintf("kind %q, want %q", got.Kind, want.Kind))
	}
	if showMinor(got.Minor) != showMinor(want.Minor) {
		d = append(d, fmt.Sprintf("minor %s, want %s", showMinor(got.Minor), showMinor(want.Minor)))
	}
	if got.Age != want.Age {
		d = append(d, fmt.Sprintf("age %d, want %d", got.Age, want.Age))
	}
	if !got.Date.Equal(want.Date) {
		d = append(d, fmt.Sprintf("date %s, want %s", got.Date, want.Date))
	}
	if got.Year != want.Year {
		d = append(d, fmt.Sprintf("year %d, want %d", got.Year, want.Year))
	}
	return d
}

func showMinor(b *bool) string {
	if b == nil {
		return "unset"
	}
	return fmt.Sprint(*b)
}

func TestMatchCases(t *testing.T) {
	m := newMatcher(t)
	now := testNow(t)
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			got := m.Match(c.Text, now)
			if got.Intent != c.Intent {
				t.Errorf("Match(%q).Intent = %s (suggestions %v), want %s", c.Text, got.Intent, got.Suggestions, c.Intent)
			}
			if !slices.Equal(got.Also, c.Also) {
				t.Errorf("Match(%q).Also = %v, want %v", c.Text, got.Also, c.Also)
			}
			if got.FollowUp != c.FollowUp {
				t.Errorf("Match(%q).FollowUp = %v, want %v", c.Text, got.FollowUp, c.FollowUp)
			}
			for _, d := range slotDiff(got.Slots, c.want(t, now)) {
				t.Errorf("Match(%q): %s", c.Text, d)
			}
			for _, s := range c.Suggest {
				if !slices.Contains(got.Suggestions, s) {
					t.Errorf("Match(%q).Suggestions = %v, want %s among them", c.Text, got.Suggestions, s)
				}
			}
		})
	}
}

// TestCasesCoverEveryIntent keeps the table honest: each intent of the
// catalogue is expected by at least one case.
func TestCasesCoverEveryIntent(t *testing.T) {
	seen := map[intents.Intent]int{}
	for _, c := range loadCases(t) {
		seen[c.Intent]++
	}
	for _, in := range intents.DefaultCatalogue().Intents() {
		if seen[in] == 0 {
			t.Errorf("no case expects %s", in)
		}
	}
	if n := len(loadCases(t)); n < 200 {
		t.Errorf("%d cases, want at least 200", n)
	}
}

// TestExtractAgreesWithMatch: the slots of a dialog answer are the slots
// Match would give for the same text.
func TestExtractAgreesWithMatch(t *testing.T) {
	m := newMatcher(t)
	now := testNow(t)
	for _, c := range loadCases(t) {
		if d := slotDiff(m.Extract(c.Text, now), m.Match(c.Text, now).Slots); len(d) > 0 {
			t.Errorf("Extract(%q) differs from Match: %v", c.Text, d)
		}
	}
}

func TestUnknownHasNoScoreAndFewSuggestions(t *testing.T) {
	m := newMatcher(t)
	now := testNow(t)
	for _, c := range loadCases(t) {
		got := m.Match(c.Text, now)
		if len(got.Suggestions) > 3 {
			t.Errorf("Match(%q): %d suggestions, want at most 3", c.Text, len(got.Suggestions))
		}
		switch {
		case got.Intent == intents.Unknown && got.Score != 0:
			t.Errorf("Match(%q): unknown with score %v", c.Text, got.Score)
		case got.Intent != intents.Unknown && (got.Score <= 0 || got.Score > 1):
			t.Errorf("Match(%q): score %v outside (0,1]", c.Text, got.Score)
		case got.Intent != intents.Unknown && len(got.Suggestions) > 0:
			t.Errorf("Match(%q): %s with suggestions %v", c.Text, got.Intent, got.Suggestions)
		}
	}
}
