package engine

import (
	"fmt"
	"slices"
	"sync"

	"github.com/shopspring/decimal"
)

// TierComparison is one yearly in-policy inpatient bill priced under both
// tiers by the inpatient calculator.
type TierComparison struct {
	Level Level
	Minor bool
	Bill  Money
	// Tier1 and Tier2 are the calculator's estimates of the bill, as a
	// first claim of the year, all of it in the reimbursement list.
	Tier1, Tier2 Estimate
	// Gain is what tier 2 reimburses more (basic fund and 大病 together),
	// before each fund is settled to the fen. See AdviseTiers for why.
	Gain Money
	// Net is Gain less the premium difference: what tier 2 leaves the
	// insured better off (negative: worse off) over the year.
	Net Money
}

// CompareTiers prices one yearly in-policy inpatient bill at a level under
// both tiers.
func (s Selection) CompareTiers(level Level, minor bool, bill Money) (TierComparison, error) {
	c := TierComparison{Level: level, Minor: minor, Bill: bill}
	var err error
	if c.Tier1, err = s.EstimateInpatient(InpatientInput{Tier: Tier1, Level: level, Minor: minor, Cost: bill}); err != nil {
		return TierComparison{}, fmt.Errorf("tier 1: %w", err)
	}
	if c.Tier2, err = s.EstimateInpatient(InpatientInput{Tier: Tier2, Level: level, Minor: minor, Cost: bill}); err != nil {
		return TierComparison{}, fmt.Errorf("tier 2: %w", err)
	}
	c.Gain = c.Tier2.BasicExact.Add(c.Tier2.CriticalExact).Sub(c.Tier1.BasicExact).Sub(c.Tier1.CriticalExact)
	c.Net = c.Gain.Sub(s.premiumDifference())
	return c, nil
}

func (s Selection) premiumDifference() Money {
	return s.contribution[Tier2].Sub(s.contribution[Tier1])
}

// BillRange is a range of yearly bills, to the fen, both ends included.
// OpenEnded ranges go on for every larger bill; To is then the bill past
// which nothing changes any more (every cap is reached).
type BillRange struct {
	From, To  Money
	OpenEnded bool
}

// TierBreakEven is where tier 2 pays back its extra contribution for
// inpatient care at one hospital level.
type TierBreakEven struct {
	Level Level
	// PaysBack is true when, from some bill on, tier 2's extra
	// reimbursement covers its extra contribution for every larger bill;
	// From is then the smallest such bill, to the fen. When false, no
	// amount of hospital costs pays the difference back for sure, and
	// From is zero: there is no figure to give.
	PaysBack bool
	From     Money
	// Ranges are all the bills at which the extra reimbursement reaches
	// the extra contribution, ascending. The 大病 fund can make the gain
	// dip (tier 1 leaves more self-pay, so 大病 starts paying tier 1
	// first), so there may be more than one; when PaysBack the last one
	// is open-ended and starts at From.
	Ranges []BillRange
	// LargeBillGain is what tier 2 pays more once every cap is reached.
	LargeBillGain Money
}

// TierAdvice is the tier comparison of one benefit year, for adults or minors.
type TierAdvice struct {
	Year      int
	AskedYear int
	Fallback  bool
	Minor     bool

	Tier1, Tier2      Money // the year's contributions
	PremiumDifference Money // Tier2 − Tier1
	// RatioGain is how much higher tier 2's inpatient ratio is, when it is
	// the same at every level; zero otherwise.
	RatioGain Ratio

	// Inpatient has one entry per hospital level: 一级, 二级, 三级.
	Inpatient []TierBreakEven

	// OutpatientLimit1 and 2 are the yearly 普通门诊 limits; tier 2 can
	// add at most OutpatientMaxGain for outpatient care in a year, which
	// OutpatientPaysBack says covers the premium difference or not.
	OutpatientLimit1, OutpatientLimit2 Money
	OutpatientMaxGain                  Money
	OutpatientPaysBack                 bool

	// Example is a worked bill at a 三级 hospital at or just above its
	// break-even (rounded up to a whole 10,000 元, at least 10,000); nil when
	// tier 2 never pays back there.
	Example *TierComparison

	Assumptions []Assumption
}

// BreakEven returns the entry for a level.
func (a TierAdvice) BreakEven(l Level) (TierBreakEven, bool) {
	for _, b := range a.Inpatient {
		if b.Level == l {
			return b, true
		}
	}
	return TierBreakEven{}, false
}

// AdviseTiers finds, for a resident's yearly in-policy inpatient bill at
// each hospital level, the smallest bill from which tier 2's extra
// reimbursement (basic fund and 大病 together, caps included) covers its
// extra contribution, and what tier 2 adds for outpatient care at most.
//
// Every figure comes from the calculators applied to this year's data, so
// another year's file gives other figures. The gain is compared before each
// fund is settled to the fen: settling two funds separately moves their
// difference by a fen either way from one bill to the next, which would
// make the answer hinge on rounding rather than on the rules.
//
// The gain is not monotone in the bill, so it is not found by one
// bisection. Instead the bill axis is cut where either tier's estimate
// changes regime (basic fund starts paying or reaches its cap, 大病 starts
// paying or reaches its cap: each is a flag of the estimate that flips
// once as the bill grows, found by bisection). Between two cuts every fund
// is linear in the bill, so the gain is too: its end points show where it
// reaches the premium difference, and a bisection finds that bill to the
// fen. Past the last cut the gain no longer changes.
//
// The answer depends only on the year's data and minor, and costs about
// 5 ms of CPU (60 estimates), so it is worked out once per policy (once
// per data load) and shared: a stream of requests for it costs no more
// than any other.
func (s Selection) AdviseTiers(minor bool) (TierAdvice, error) {
	if s.Policy.advice == nil {
		a, err := s.adviseTiers(minor)
		return a, err
	}
	m := &s.Policy.advice[0]
	if minor {
		m = &s.Policy.advice[1]
	}
	m.once.Do(func() {
		m.a, m.err = Selection{Policy: s.Policy, Asked: s.Year}.adviseTiers(minor)
	})
	if m.err != nil {
		return TierAdvice{}, m.err
	}
	a := m.a
	a.AskedYear, a.Fallback = s.Asked, s.Fallback
	// Callers may change what they get; the shared one stays as worked out.
	a.Inpatient = slices.Clone(a.Inpatient)
	if a.Example != nil {
		ex := *a.Example
		a.Example = &ex
	}
	a.Assumptions = s.tierAssumptions()
	return a, nil
}

// tierAdviceOnce is one AdviseTiers answer, worked out on first use.
type tierAdviceOnce struct {
	once sync.Once
	a    TierAdvice
	err  error
}

func (s Selection) adviseTiers(minor bool) (TierAdvice, error) {
	a := TierAdvice{
		Year: s.Year, AskedYear: s.Asked, Fallback: s.Fallback, Minor: minor,
		Tier1: s.contribution[Tier1], Tier2: s.contribution[Tier2],
		PremiumDifference: s.premiumDifference(),
		OutpatientLimit1:  s.Outpatient.Limit(Tier1),
		OutpatientLimit2:  s.Outpatient.Limit(Tier2),
	}
	a.RatioGain = s.Inpatient.uniformGain()
	for _, l := range []Level{Level1, Level2, Level3} {
		b, err := s.breakEven(l, minor, a.PremiumDifference)
		if err != nil {
			return TierAdvice{}, fmt.Errorf("%d tier advice, %s: %w", s.Year, l, err)
		}
		a.Inpatient = append(a.Inpatient, b)
	}
	gain, err := s.outpatientMaxGain()
	if err != nil {
		return TierAdvice{}, fmt.Errorf("%d tier advice, outpatient: %w", s.Year, err)
	}
	a.OutpatientMaxGain = gain
	a.OutpatientPaysBack = !gain.LessThan(a.PremiumDifference)

	if b, _ := a.BreakEven(Level3); b.PaysBack {
		bill := MaxMoney(roundUpTo(b.From, 10000), Yuan(10000))
		ex, err := s.CompareTiers(Level3, minor, bill)
		if err != nil {
			return TierAdvice{}, err
		}
		a.Example = &ex
	}
	a.Assumptions = s.tierAssumptions()
	return a, nil
}

func (s Selection) tierAssumptions() []Assumption {
	var as []Assumption
	if s.Fallback {
		as = append(as, s.fallbackAssumption())
	}
	as = append(as, Assumption{Code: "one_admission"}, Assumption{Code: "all_in_policy"}, Assumption{Code: "first_claim"})
	if !s.Critical.Confirmed {
		as = append(as, Assumption{Code: "critical_deductible", Amount: s.Critical.Deductible})
	}
	as = append(as, CriticalRaisesAssumption)
	return as
}

// CriticalRaisesAssumption says that an estimate leaves out the national
// incentives that raise the 大病 cap (国办发〔2024〕38号): continuous
// enrolment and a year without claims. Chongqing's figures for them are
// not in the sources, so no estimate counts them.
var CriticalRaisesAssumption = Assumption{Code: "critical_cap_raises"}

// breakEven finds where tier 2 pays back at one level (see AdviseTiers).
func (s Selection) breakEven(level Level, minor bool, diff Money) (TierBreakEven, error) {
	b := TierBreakEven{Level: level}
	top := s.saturation(level, minor)
	var failed error
	gain := func(fen int64) Money {
		c, err := s.CompareTiers(level, minor, fromFen(fen))
		if err != nil && failed == nil {
			failed = err
		}
		return c.Gain
	}
	reaches := func(fen int64) bool { return !gain(fen).LessThan(diff) }

	// Cut the axis where either tier's estimate changes regime. Each
	// flag is false for small bills and, once true, stays true.
	cuts := []int64{0}
	for _, t := range []Tier{Tier1, Tier2} {
		est := func(fen int64) Estimate {
			e, err := s.EstimateInpatient(InpatientInput{Tier: t, Level: level, Minor: minor, Cost: fromFen(fen)})
			if err != nil && failed == nil {
				failed = err
			}
			return e
		}
		flags := []func(Estimate) bool{
			func(e Estimate) bool { return e.BasicExact.IsPositive() },
			func(e Estimate) bool { return e.BasicCapped },
			func(e Estimate) bool { return e.CriticalExact.IsPositive() },
			func(e Estimate) bool { return e.CriticalCapped },
		}
		for _, flag := range flags {
			if flag(est(top)) {
				cuts = append(cuts, firstTrue(0, top, func(n int64) bool { return flag(est(n)) }))
			}
		}
	}
	segs := segments(cuts, top)

	// On each segment the gain is linear: the bills where it reaches diff
	// are the whole segment, none of it, or one end up to a bill found by
	// bisection.
	var ranges [][2]int64
	for _, sg := range segs {
		lo, hi := sg[0], sg[1]
		okLo, okHi := reaches(lo), reaches(hi)
		var r [2]int64
		switch {
		case okLo && okHi:
			r = [2]int64{lo, hi}
		case okHi: // rising through diff
			r = [2]int64{firstTrue(lo, hi, reaches), hi}
		case okLo: // falling through diff
			r = [2]int64{lo, firstTrue(lo, hi, func(n int64) bool { return !reaches(n) }) - 1}
		default:
			continue
		}
		if n := len(ranges); n > 0 && ranges[n-1][1]+1 == r[0] {
			ranges[n-1][1] = r[1]
		} else {
			ranges = append(ranges, r)
		}
	}
	if failed != nil {
		return TierBreakEven{}, failed
	}
	for _, r := range ranges {
		b.Ranges = append(b.Ranges, BillRange{From: fromFen(r[0]), To: fromFen(r[1]), OpenEnded: r[1] == top})
	}
	if n := len(b.Ranges); n > 0 && b.Ranges[n-1].OpenEnded {
		b.PaysBack = true
		b.From = b.Ranges[n-1].From
	}
	b.LargeBillGain = gain(top)
	return b, failed
}

// segments splits [0, top] fen into ranges that each start at a cut.
func segments(cuts []int64, top int64) [][2]int64 {
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	var segs [][2]int64
	for i, st := range cuts {
		if st > top {
			break
		}
		end := top
		if i+1 < len(cuts) && cuts[i+1] <= top {
			end = cuts[i+1] - 1
		}
		segs = append(segs, [2]int64{st, end})
	}
	return segs
}

// firstTrue is the smallest n in [lo, hi] with pred(n), given pred(hi) and
// that pred, once true, stays true.
func firstTrue(lo, hi int64, pred func(int64) bool) int64 {
	for lo < hi {
		mid := lo + (hi-lo)/2
		if pred(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// saturation is a bill, in fen, past which neither tier's estimate changes
// regime any more: both basic funds and both 大病 funds have reached their
// caps (or never pay). It bounds the search; it is not an answer itself.
func (s Selection) saturation(level Level, minor bool) int64 {
	lv := s.Inpatient.Level(level)
	c := s.Critical
	var top decimal.Decimal
	for _, t := range []Tier{Tier1, Tier2} {
		r := lv.Ratio(t)
		if minor {
			r = r.Add(s.Inpatient.MinorBonus)
		}
		basicFull, basicPaid := lv.Deductible.d, decimal.Zero
		if r.d.IsPositive() {
			basicPaid = s.Inpatient.Cap(t).d
			basicFull = basicFull.Add(basicPaid.Div(r.d))
		}
		selfPayFull := c.Deductible.d
		if c.Ratio.d.IsPositive() {
			selfPayFull = selfPayFull.Add(c.Cap.d.Div(c.Ratio.d))
		}
		top = decimal.Max(top, basicFull, basicPaid.Add(selfPayFull))
	}
	// One yuan past it, so that the last regime change lies inside.
	return top.Add(decimal.NewFromInt(1)).Shift(2).Ceil().IntPart()
}

// outpatientMaxGain is the most tier 2 pays more for 普通门诊 in a year. At
// each level the gain min(x, limit2) − min(x, limit1) of the reimbursable
// amount x moves one way as x grows, so its largest value is at no bill or
// at a bill past both limits.
func (s Selection) outpatientMaxGain() (Money, error) {
	var best Money
	lim := decimal.Max(s.Outpatient.Limit(Tier1).d, s.Outpatient.Limit(Tier2).d)
	for _, l := range []Level{Level1, Level2, Level3} {
		lv := s.Outpatient.Level(l)
		if !lv.Covered || !lv.Ratio.d.IsPositive() {
			continue
		}
		past := MoneyOf(lv.Deductible.d.Add(lim.Div(lv.Ratio.d)).Add(decimal.NewFromInt(1)).Ceil())
		for _, bill := range []Money{{}, past} {
			var e [3]Estimate
			for _, t := range []Tier{Tier1, Tier2} {
				var err error
				if e[t], err = s.EstimateOutpatient(OutpatientInput{Tier: t, Level: l, Cost: bill}); err != nil {
					return Money{}, err
				}
			}
			best = MaxMoney(best, e[Tier2].BasicExact.Sub(e[Tier1].BasicExact))
		}
	}
	return best, nil
}

func fromFen(n int64) Money { return Money{decimal.New(n, -2)} }

// roundUpTo rounds m up to a whole multiple of step yuan.
func roundUpTo(m Money, step int64) Money {
	st := decimal.NewFromInt(step)
	return Money{m.d.Div(st).Ceil().Mul(st)}
}

// uniformGain is how much higher tier 2's ratio is than tier 1's, when
// that is the same at every level; zero when it differs.
func (r InpatientRules) uniformGain() Ratio {
	var gain decimal.Decimal
	for i, l := range []Level{Level1, Level2, Level3} {
		lv := r.Level(l)
		g := lv.Ratio(Tier2).Decimal().Sub(lv.Ratio(Tier1).Decimal())
		if i > 0 && !g.Equal(gain) {
			return Ratio{}
		}
		gain = g
	}
	return Ratio{gain}
}
