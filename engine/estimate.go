package engine

import (
	"errors"
	"fmt"
)

// Assumption is something an estimate took for granted, said so that the
// answer is honest about it: a code, stable for machines, and the figures
// it names. The words are replies' (replies.AssumptionText), so every text
// a resident reads lives there.
type Assumption struct {
	Code string
	// Year is the benefit year whose rules were used, Asked the one asked
	// about (year_fallback); Partial: the year asked has its contribution
	// recorded and nothing more.
	Year, Asked int
	Partial     bool
	// Amount is the figure the premise names: a deductible
	// (critical_deductible, deductible_basis) or a yearly limit
	// (limit_unused).
	Amount Money
	Tier   Tier
	Level  Level
	// Kind is the care whose ratios 二档 raises (tier_guessed).
	Kind Kind
	// Unclear: the rules do not say whether the outpatient deductible is
	// taken per visit or per year (deductible_basis).
	Unclear bool
}

// InpatientInput describes one hospital stay.
type InpatientInput struct {
	Tier  Tier
	Level Level
	Minor bool
	// Cost is the whole bill; OutOfPolicy is the part of it outside the
	// reimbursement list (目录外/自费), which is never reimbursed.
	Cost        Money
	OutOfPolicy Money
	// PriorBasic is what the basic fund already paid this calendar year;
	// PriorSelfPay is the in-policy self-pay already counted this year
	// toward the critical-illness deductible.
	PriorBasic   Money
	PriorSelfPay Money
}

// OutpatientInput describes one outpatient bill.
type OutpatientInput struct {
	Tier        Tier
	Level       Level
	Cost        Money
	OutOfPolicy Money
	Used        Money // outpatient reimbursement already received this year
}

// Estimate is a calculator's result with its working.
type Estimate struct {
	Year      int // the benefit year whose rules were applied
	AskedYear int
	Fallback  bool // AskedYear had no data; Year's rules were used
	// AskedPartial: AskedYear's file has only some figures (its
	// contribution), so Year's rules were used for the rest.
	AskedPartial bool

	Kind  Kind
	Tier  Tier
	Level Level
	Minor bool

	Cost, OutOfPolicy, InPolicy Money

	Covered    bool  // false where the scheme pays nothing at this level (三级 outpatient)
	Deductible Money // 起付线
	Ratio      Ratio // incl. the minors' bonus
	MinorBonus Ratio
	// Basic is what the basic fund pays: (InPolicy − Deductible) × Ratio,
	// limited to Room, what is left of the yearly cap or limit.
	BasicUncapped Money
	Room          Money
	Basic         Money
	BasicCapped   bool

	SelfPay            Money // in-policy cost the basic fund left to the insured
	CriticalBase       Money // the year's cumulative in-policy self-pay, incl. this stay
	CriticalDeductible Money
	CriticalRatio      Ratio
	Critical           Money
	CriticalCapped     bool

	// BasicExact and CriticalExact are the funds before settling to the
	// fen: a summary over many bills (the tier advisor) compares these, so
	// that its figures do not jump by a fen from one bill to the next.
	BasicExact, CriticalExact Money

	Total       Money // Basic + Critical, each settled to the fen
	OutOfPocket Money // Cost − Total

	Assumptions []Assumption
}

// InputError is a request that cannot be answered as asked: the field at
// fault and a code saying why (replies words it for the resident: codes,
// not sentences, cross this boundary). Got is the value refused, where the
// code's sentence names it.
type InputError struct {
	Field, Code string
	Got         int
}

// The codes of InputError.
const (
	CodeTierInvalid        = "tier_invalid"
	CodeLevelInvalid       = "level_invalid"
	CodeNegative           = "amount_negative"
	CodeOutOfListOverTotal = "out_of_list_over_total"
	CodeYearsTooLarge      = "years_too_large"
	CodePaidBackOverBroken = "paid_back_over_broken"
)

func (e *InputError) Error() string { return fmt.Sprintf("%s: %s (%d)", e.Field, e.Code, e.Got) }

// IsInputError reports whether err is the caller's bad input.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

func checkCommon(t Tier, l Level, cost, outOfPolicy Money) error {
	switch {
	case !t.Valid():
		return &InputError{Field: "tier", Code: CodeTierInvalid, Got: int(t)}
	case !l.Valid():
		return &InputError{Field: "level", Code: CodeLevelInvalid, Got: int(l)}
	case cost.IsNegative():
		return &InputError{Field: "cost", Code: CodeNegative}
	case outOfPolicy.IsNegative():
		return &InputError{Field: "out_of_policy", Code: CodeNegative}
	case outOfPolicy.GreaterThan(cost):
		return &InputError{Field: "out_of_policy", Code: CodeOutOfListOverTotal}
	}
	return nil
}

// EstimateInpatient estimates what the basic fund and critical-illness insurance
// pay for one hospital stay.
func (s Selection) EstimateInpatient(in InpatientInput) (Estimate, error) {
	if err := checkCommon(in.Tier, in.Level, in.Cost, in.OutOfPolicy); err != nil {
		return Estimate{}, err
	}
	if in.PriorBasic.IsNegative() || in.PriorSelfPay.IsNegative() {
		return Estimate{}, &InputError{Field: "prior", Code: CodeNegative}
	}
	p := s.Policy
	lv := p.Inpatient.Level(in.Level)
	e := s.newEstimate(KindInpatient, in.Tier, in.Level, in.Cost, in.OutOfPolicy)
	e.Minor = in.Minor
	e.Covered = true
	e.Deductible = lv.Deductible
	e.Ratio = lv.Ratio(in.Tier)
	if in.Minor {
		e.MinorBonus = p.Inpatient.MinorBonus
		e.Ratio = e.Ratio.Add(e.MinorBonus)
	}
	e.BasicUncapped = e.InPolicy.Sub(e.Deductible).Floor0().Mul(e.Ratio)
	e.Room = p.Inpatient.Cap(in.Tier).Sub(in.PriorBasic).Floor0()
	// Each fund settles to the fen before the next one looks at what is
	// left, so every line of a reply agrees with the totals.
	e.BasicExact = MinMoney(e.BasicUncapped, e.Room)
	e.Basic = e.BasicExact.RoundFen()
	e.BasicCapped = e.BasicUncapped.GreaterThan(e.Room)

	c := p.Critical
	e.SelfPay = e.InPolicy.Sub(e.Basic)
	e.CriticalBase = in.PriorSelfPay.Add(e.SelfPay)
	e.CriticalDeductible = c.Deductible
	e.CriticalRatio = c.Ratio
	// What critical illness pays on the year so far, less what it paid
	// before this stay: both figures come from the same rule, so a stay
	// that crosses the deductible or the cap is counted correctly.
	before := criticalFor(c, in.PriorSelfPay)
	after := criticalFor(c, e.CriticalBase)
	e.Critical = after.Sub(before).RoundFen()
	e.CriticalExact = criticalFor(c, in.PriorSelfPay.Add(e.InPolicy.Sub(e.BasicExact))).Sub(before)
	e.CriticalCapped = c.Cap.LessThan(e.CriticalBase.Sub(c.Deductible).Floor0().Mul(c.Ratio))

	s.finish(&e)
	if in.PriorBasic.IsZero() {
		e.Assumptions = append(e.Assumptions, Assumption{Code: "first_claim_basic"})
	}
	if in.PriorSelfPay.IsZero() {
		e.Assumptions = append(e.Assumptions, Assumption{Code: "first_claim_critical"})
	}
	// The national raises of the 大病 cap (continuous enrolment, a year
	// without claims) are not counted; they can change only an estimate
	// the cap limits, where the reply names them (replies.EstimateBrief).
	if p.EnrolmentRules != nil {
		e.Assumptions = append(e.Assumptions, CriticalRaisesAssumption)
	}
	if !c.Confirmed {
		e.Assumptions = append(e.Assumptions, Assumption{Code: "critical_deductible", Amount: c.Deductible})
	}
	return e, nil
}

func criticalFor(c CriticalRules, selfPay Money) Money {
	return MinMoney(selfPay.Sub(c.Deductible).Floor0().Mul(c.Ratio), c.Cap)
}

// EstimateOutpatient estimates what the basic fund pays for one 普通门诊 bill.
func (s Selection) EstimateOutpatient(in OutpatientInput) (Estimate, error) {
	if err := checkCommon(in.Tier, in.Level, in.Cost, in.OutOfPolicy); err != nil {
		return Estimate{}, err
	}
	if in.Used.IsNegative() {
		return Estimate{}, &InputError{Field: "used", Code: CodeNegative}
	}
	o := s.Policy.Outpatient
	lv := o.Level(in.Level)
	e := s.newEstimate(KindOutpatient, in.Tier, in.Level, in.Cost, in.OutOfPolicy)
	e.Covered = lv.Covered
	e.Room = o.Limit(in.Tier).Sub(in.Used).Floor0()
	if lv.Covered {
		e.Deductible = lv.Deductible
		e.Ratio = lv.Ratio
		e.BasicUncapped = e.InPolicy.Sub(e.Deductible).Floor0().Mul(e.Ratio)
		e.BasicExact = MinMoney(e.BasicUncapped, e.Room)
		e.Basic = e.BasicExact.RoundFen()
		e.BasicCapped = e.BasicUncapped.GreaterThan(e.Room)
	}
	e.SelfPay = e.InPolicy.Sub(e.Basic)
	s.finish(&e)
	if !lv.Covered {
		e.Assumptions = append(e.Assumptions, Assumption{Code: "not_covered", Level: in.Level})
	}
	if lv.Covered && lv.Deductible.IsPositive() && o.DeductibleBasis != "year" {
		e.Assumptions = append(e.Assumptions, Assumption{Code: "deductible_basis", Amount: lv.Deductible,
			Unclear: o.DeductibleBasis == "unknown"})
	}
	if lv.Covered && in.Used.IsZero() {
		e.Assumptions = append(e.Assumptions, Assumption{Code: "limit_unused", Tier: in.Tier, Amount: o.Limit(in.Tier)})
	}
	return e, nil
}

func (s Selection) newEstimate(k Kind, t Tier, l Level, cost, outOfPolicy Money) Estimate {
	return Estimate{
		Year: s.Year, AskedYear: s.Asked, Fallback: s.Fallback, AskedPartial: s.Partial,
		Kind: k, Tier: t, Level: l,
		Cost: cost, OutOfPolicy: outOfPolicy, InPolicy: cost.Sub(outOfPolicy),
	}
}

// finish totals an estimate and adds the assumptions every estimate shares.
func (s Selection) finish(e *Estimate) {
	// The funds settle to the fen, and what the insured pays is the rest of
	// the bill, so the figures shown always add up to the cost.
	e.Total = e.Basic.Add(e.Critical)
	e.OutOfPocket = e.Cost.Sub(e.Total)
	if s.Partial || s.Fallback {
		e.Assumptions = append(e.Assumptions, s.fallbackAssumption())
	}
	if e.OutOfPolicy.IsZero() {
		e.Assumptions = append(e.Assumptions, Assumption{Code: "all_in_policy"})
	}
	e.Assumptions = append(e.Assumptions, Assumption{Code: "designated"})
}

// fallbackAssumption says that the rules of an earlier year were used.
func (s Selection) fallbackAssumption() Assumption {
	return Assumption{Code: "year_fallback", Year: s.Year, Asked: s.Asked, Partial: s.Partial}
}
