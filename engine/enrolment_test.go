package engine_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yibao/yibao/engine"
)

func TestEmbeddedEnrolmentRules(t *testing.T) {
	r := year(t, 2025).EnrolmentRules
	if r == nil {
		t.Fatal("2025 has no enrolment rules")
	}
	if r.Confirmed {
		t.Error("Chongqing's implementation is not in the sources: confirmed must be false")
	}
	if !strings.Contains(r.Source.Name, "国办发〔2024〕38号") {
		t.Errorf("source %q does not name 国办发〔2024〕38号", r.Source.Name)
	}
	got := []int{r.FixedMonths, r.MonthsPerBreakYear, r.MonthsOffPerYearPaidBack, r.ContinuousAfterYears}
	if want := []int{3, 1, 1, 4}; !slices.Equal(got, want) {
		t.Errorf("months and years %v, want %v", got, want)
	}
	if r.FirstBreakYear != engine.FirstYearUnknown {
		t.Errorf("first break year %q: the texts found do not settle it", r.FirstBreakYear)
	}
	if r.ContinuousRaiseMin.String() != "1000.00" || r.NoClaimRaiseMin.String() != "1000.00" {
		t.Errorf("raises %s and %s, want 1000 each", r.ContinuousRaiseMin, r.NoClaimRaiseMin)
	}
}

func TestExplainBreak(t *testing.T) {
	tests := []struct {
		name     string
		sel      func(testing.TB) engine.Selection
		c        engine.BreakCase
		hasCase  bool
		variable [2]int // min, max
		off      int
		total    [2]int
	}{
		// 2025: fixed 3 months; whether the first year adds a month is
		// unknown, so N years give N−1 to N months of variable part.
		{name: "general", sel: y2025, c: engine.BreakCase{}},
		{name: "one year", sel: y2025, c: engine.BreakCase{YearsBroken: 1},
			hasCase: true, variable: [2]int{0, 1}, off: 1, total: [2]int{3, 4}},
		{name: "two years", sel: y2025, c: engine.BreakCase{YearsBroken: 2},
			hasCase: true, variable: [2]int{1, 2}, off: 2, total: [2]int{4, 5}},
		{name: "three years, one paid back", sel: y2025, c: engine.BreakCase{YearsBroken: 3, YearsPaidBack: 1, PaidBackSaid: true},
			hasCase: true, variable: [2]int{1, 2}, off: 1, total: [2]int{4, 5}},
		{name: "two years, both paid back", sel: y2025, c: engine.BreakCase{YearsBroken: 2, YearsPaidBack: 2, PaidBackSaid: true},
			// 1–2 months less 2: nothing left of the variable part.
			hasCase: true, variable: [2]int{0, 0}, off: 2, total: [2]int{3, 3}},
		{name: "nothing paid back, said", sel: y2025, c: engine.BreakCase{YearsBroken: 2, PaidBackSaid: true},
			hasCase: true, variable: [2]int{1, 2}, off: 0, total: [2]int{4, 5}},
		// Made-up 2030: fixed 2 months and the first year counts, so the
		// figure is one number.
		{name: "made-up: two years", sel: madeUp, c: engine.BreakCase{YearsBroken: 2},
			hasCase: true, variable: [2]int{2, 2}, off: 2, total: [2]int{4, 4}},
		{name: "made-up: two years, one paid back", sel: madeUp, c: engine.BreakCase{YearsBroken: 2, YearsPaidBack: 1, PaidBackSaid: true},
			hasCase: true, variable: [2]int{1, 1}, off: 1, total: [2]int{3, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.sel(t)
			x, err := s.ExplainBreak(tt.c)
			if err != nil {
				t.Fatal(err)
			}
			if x.Year != s.Year || x.HasCase != tt.hasCase || x.Rules.Source.Name == "" {
				t.Errorf("year %d has case %v source %q", x.Year, x.HasCase, x.Rules.Source.Name)
			}
			if x.FixedMonths != s.EnrolmentRules.FixedMonths {
				t.Errorf("fixed %d months, want the data's %d", x.FixedMonths, s.EnrolmentRules.FixedMonths)
			}
			got := [5]int{x.VariableMonthsMin, x.VariableMonthsMax, x.PaidBackMonthsOff, x.TotalMonthsMin, x.TotalMonthsMax}
			if want := [5]int{tt.variable[0], tt.variable[1], tt.off, tt.total[0], tt.total[1]}; got != want {
				t.Errorf("variable min/max, off, total min/max = %v, want %v", got, want)
			}
		})
	}
}

func TestExplainBreakBadInput(t *testing.T) {
	s := year(t, 2025)
	for _, c := range []engine.BreakCase{
		{YearsBroken: -1},
		{YearsBroken: 2, YearsPaidBack: 3, PaidBackSaid: true},
		{YearsBroken: 2, YearsPaidBack: -1, PaidBackSaid: true},
	} {
		if _, err := s.ExplainBreak(c); !engine.IsInputError(err) {
			t.Errorf("%+v: err = %v, want an input error", c, err)
		}
	}
	bare := *s.Policy
	bare.EnrolmentRules = nil
	if _, err := bare.ExplainBreak(engine.BreakCase{YearsBroken: 1}); !errors.Is(err, engine.ErrNoEnrolmentRules) {
		t.Errorf("no rules: err = %v", err)
	}
}

// A malformed enrolment_rules section is reported field by field.
func TestEnrolmentRulesProblems(t *testing.T) {
	tests := []struct {
		name   string
		oldNew []string
		want   string
	}{
		{"fractional months", []string{"fixed_months: 3", "fixed_months: 2.5"}, "enrolment_rules.waiting_period.fixed_months: 2.5 is not a whole number of months"},
		{"days for months", []string{"fixed_months: 3", "fixed_months: 90"}, "enrolment_rules.waiting_period.fixed_months: 90 months is outside 0–12"},
		{"missing months", []string{"    months_per_break_year: 1", "    # months_per_break_year: 1"}, "enrolment_rules.waiting_period.months_per_break_year: missing"},
		{"negative payback", []string{"months_off_per_year_paid_back: 1", "months_off_per_year_paid_back: -1"}, "enrolment_rules.waiting_period.months_off_per_year_paid_back: -1 months is outside 0–12"},
		{"bad first year", []string{"first_break_year: unknown", "first_break_year: maybe"}, `enrolment_rules.waiting_period.first_break_year: "maybe": want counted, not_counted or unknown`},
		{"no confirmed flag", []string{"  confirmed: false\n  waiting_period:", "  waiting_period:"}, "enrolment_rules.confirmed: missing"},
		{"no source", []string{"name: 国务院办公厅《关于健全基本医疗保险参保长效机制的指导意见》（国办发〔2024〕38号）", `name: ""`}, "enrolment_rules.source.name: missing"},
		{"negative raise", []string{"critical_cap_raise_min: 1000    # 之后", "critical_cap_raise_min: -1000    # 之后"}, "enrolment_rules.continuous_enrolment.critical_cap_raise_min: -1000 is negative"},
		{"zero years", []string{"after_years: 4", "after_years: 0"}, "enrolment_rules.continuous_enrolment.after_years: 0 years is outside 1–50"},
		{"not a number", []string{"fixed_months: 3", "fixed_months: 三"}, "is not an amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writePolicy(t, dir, "2025.yaml", tt.oldNew...)
			_, err := engine.LoadDir(dir)
			var ps engine.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err = %v, want Problems", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("problems:\n%s\nwant one containing %q", err, tt.want)
			}
			if !strings.HasPrefix(ps[0].String(), filepath.Join(dir, "2025.yaml")+": ") {
				t.Errorf("problem %q does not start with the file name", ps[0])
			}
		})
	}
}

// The section is optional: a year without it loads, and explains nothing.
func TestEnrolmentRulesOptional(t *testing.T) {
	data := embedded2025(t)
	i := strings.Index(data, "# The national rules on enrolment")
	j := strings.Index(data, "hotlines:")
	data = data[:i] + data[j:]
	// Its provenance goes with it: a status for figures the file lacks is refused.
	k := strings.Index(data, "  enrolment_rules:\n")
	l := k + strings.Index(data[k:], "\n\n")
	p, err := engine.ParsePolicy("2025.yaml", []byte(data[:k]+data[l:]))
	if err != nil {
		t.Fatal(err)
	}
	if p.EnrolmentRules != nil {
		t.Error("rules from nowhere")
	}
}

func y2025(tb testing.TB) engine.Selection { return year(tb, 2025) }
