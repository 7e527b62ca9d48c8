package engine

import (
	"errors"
	"fmt"
	"time"
)

// EnrolmentRules are the national rules on enrolment that apply from 2025
// (国办发〔2024〕38号): a waiting period before benefits start for those who
// enrol outside the enrolment window or after a break, and raises of the 大病
// cap that reward continuous enrolment and a year without claims.
type EnrolmentRules struct {
	Source      Source
	AppliesFrom time.Time
	// Confirmed is true only when the figures are known to be Chongqing's
	// own. While false they are the national rule, and answers must say
	// that Chongqing's details are to be confirmed.
	Confirmed bool

	// FixedMonths is the waiting period for anyone who enrols outside the
	// enrolment window or after a break.
	FixedMonths int
	// MonthsPerBreakYear is the variable part added, in principle, for each
	// further year of break; MonthsOffPerYearPaidBack is what each year
	// paid back (补缴) can take off that variable part.
	MonthsPerBreakYear       int
	MonthsOffPerYearPaidBack int
	// FirstBreakYear says whether the first year of a break already adds
	// to the variable part: FirstYearCounted, FirstYearNotCounted or
	// FirstYearUnknown (the texts found do not settle it).
	FirstBreakYear string

	// After ContinuousAfterYears continuous years, the 大病 cap rises by at
	// least ContinuousRaiseMin for each further continuous year.
	ContinuousAfterYears int
	ContinuousRaiseMin   Money
	// After a year without reimbursement from the fund, the next year's 大病
	// cap rises by at least NoClaimRaiseMin.
	NoClaimRaiseMin Money
}

// How the first year of a break counts toward the variable waiting period.
const (
	FirstYearCounted    = "counted"
	FirstYearNotCounted = "not_counted"
	FirstYearUnknown    = "unknown"
)

func (c *checker) enrolmentRules(f *yamlEnrolmentRules) *EnrolmentRules {
	const sec = "enrolment_rules"
	r := &EnrolmentRules{
		Source:      Source{Name: f.Source.Name, Date: f.Source.Date.t, Note: f.Source.Note},
		AppliesFrom: f.AppliesFrom.t,
	}
	if f.Source.Name == "" {
		c.addf(sec+".source.name", "missing: name the document the rules come from")
	}
	if !f.AppliesFrom.set {
		c.addf(sec+".applies_from", "missing")
	}
	if f.Confirmed == nil {
		c.addf(sec+".confirmed", "missing: write false until the region's own rules are found")
	} else {
		r.Confirmed = *f.Confirmed
	}
	w := f.WaitingPeriod
	r.FixedMonths = c.months(sec+".waiting_period.fixed_months", w.FixedMonths)
	r.MonthsPerBreakYear = c.months(sec+".waiting_period.months_per_break_year", w.MonthsPerBreakYear)
	r.MonthsOffPerYearPaidBack = c.months(sec+".waiting_period.months_off_per_year_paid_back", w.MonthsOffPerYearPaidBack)
	switch w.FirstBreakYear {
	case FirstYearCounted, FirstYearNotCounted, FirstYearUnknown:
		r.FirstBreakYear = w.FirstBreakYear
	case "":
		c.addf(sec+".waiting_period.first_break_year", "missing: write counted, not_counted or unknown")
	default:
		c.addf(sec+".waiting_period.first_break_year", "%q: want counted, not_counted or unknown", w.FirstBreakYear)
	}
	ce := f.ContinuousEnrolment
	r.ContinuousAfterYears = c.count(sec+".continuous_enrolment.after_years", ce.AfterYears, "years", 1, 50)
	r.ContinuousRaiseMin = c.money(sec+".continuous_enrolment.critical_cap_raise_min", ce.CriticalCapRaiseMin)
	r.NoClaimRaiseMin = c.money(sec+".no_claim.critical_cap_raise_min", f.NoClaim.CriticalCapRaiseMin)
	return r
}

// months reads a number of months: a whole number up to a year (a larger
// figure is most likely days written as months).
func (c *checker) months(field string, a yamlAmount) int {
	return c.count(field, a, "months", 0, 12)
}

// count reads a whole number of unit between lo and hi.
func (c *checker) count(field string, a yamlAmount, unit string, lo, hi int64) int {
	switch {
	case !a.set:
		c.addf(field, "missing")
	case !a.d.IsInteger():
		c.addf(field, "%s is not a whole number of %s", a.d, unit)
	case a.d.IntPart() < lo || a.d.IntPart() > hi:
		c.addf(field, "%s %s is outside %d–%d", a.d, unit, lo, hi)
	default:
		return int(a.d.IntPart())
	}
	return 0
}

// ErrNoEnrolmentRules is returned when a year's data has no enrolment rules.
var ErrNoEnrolmentRules = errors.New("no enrolment rules in the policy data")

// BreakCase is what a resident said about a break in enrolment. The zero
// value asks for the rule in general.
type BreakCase struct {
	// YearsBroken is how many years they did not pay; 0 when not said.
	YearsBroken int
	// YearsPaidBack is how many of those years they paid back (补缴), when
	// PaidBackSaid.
	YearsPaidBack int
	PaidBackSaid  bool
}

// BreakExplanation is what the national rule means for a break: the rule's
// figures and, for a stated number of years, the waiting period they give.
// The variable part is a range whenever the data leaves open how the first
// year of a break counts: it is never narrowed by a guess.
type BreakExplanation struct {
	Year  int // the benefit year whose data holds the rules
	Rules EnrolmentRules
	Case  BreakCase
	// HasCase is true when Case.YearsBroken was given: the months below
	// are then filled.
	HasCase bool

	FixedMonths int
	// VariableMonthsMin and Max bound the variable part after what was
	// paid back; equal when the data settles how the first year counts.
	VariableMonthsMin, VariableMonthsMax int
	// PaidBackMonthsOff is what paying back the years said takes off (or,
	// when nothing was said about paying back, what paying back every year
	// of the break could take off at most). VariableMonths are after it
	// only when Case.PaidBackSaid.
	PaidBackMonthsOff int
	TotalMonthsMin    int
	TotalMonthsMax    int
}

// ExplainBreak applies the year's enrolment rules to a break. It returns
// ErrNoEnrolmentRules when the year's file has none, and an InputError for
// a case that cannot be (negative years, more paid back than broken).
func (p *Policy) ExplainBreak(c BreakCase) (BreakExplanation, error) {
	if p.EnrolmentRules == nil {
		return BreakExplanation{}, fmt.Errorf("%d: %w", p.Year, ErrNoEnrolmentRules)
	}
	switch {
	case c.YearsBroken < 0:
		return BreakExplanation{}, &InputError{Field: "years_broken", Code: CodeNegative}
	case c.YearsBroken > 100:
		return BreakExplanation{}, &InputError{Field: "years_broken", Code: CodeYearsTooLarge}
	case c.YearsPaidBack < 0:
		return BreakExplanation{}, &InputError{Field: "years_paid_back", Code: CodeNegative}
	case c.PaidBackSaid && c.YearsPaidBack > c.YearsBroken && c.YearsBroken > 0:
		return BreakExplanation{}, &InputError{Field: "years_paid_back", Code: CodePaidBackOverBroken}
	}
	r := *p.EnrolmentRules
	x := BreakExplanation{Year: p.Year, Rules: r, Case: c, FixedMonths: r.FixedMonths}
	if c.YearsBroken == 0 {
		return x, nil
	}
	x.HasCase = true
	// Further years of break beyond the first, and all of them: which one
	// adds to the variable part depends on how the first year counts.
	low, high := c.YearsBroken-1, c.YearsBroken
	switch r.FirstBreakYear {
	case FirstYearCounted:
		low = high
	case FirstYearNotCounted:
		high = low
	}
	paidBack := c.YearsBroken
	if c.PaidBackSaid {
		paidBack = c.YearsPaidBack
	}
	// Paying back shortens only the variable part, never below nothing.
	x.PaidBackMonthsOff = min(paidBack*r.MonthsOffPerYearPaidBack, high*r.MonthsPerBreakYear)
	off := 0
	if c.PaidBackSaid {
		off = x.PaidBackMonthsOff
	}
	x.VariableMonthsMin = max(0, low*r.MonthsPerBreakYear-off)
	x.VariableMonthsMax = max(0, high*r.MonthsPerBreakYear-off)
	x.TotalMonthsMin = x.FixedMonths + x.VariableMonthsMin
	x.TotalMonthsMax = x.FixedMonths + x.VariableMonthsMax
	return x, nil
}
