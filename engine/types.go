// Package engine holds Chongqing residents' medical insurance rules as
// per-benefit-year data and the calculators that apply them. It knows nothing
// of chat, WeChat or storage: callers pass plain values and get results that
// carry their year, their working and their assumptions.
package engine

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Tier is the contribution tier a resident chose (一档 or 二档).
type Tier int

const (
	TierUnknown Tier = 0
	Tier1       Tier = 1
	Tier2       Tier = 2
)

// Valid reports whether t is a tier the scheme has.
func (t Tier) Valid() bool { return t == Tier1 || t == Tier2 }

// Other is the scheme's other tier, TierUnknown for an invalid one.
func (t Tier) Other() Tier {
	switch t {
	case Tier1:
		return Tier2
	case Tier2:
		return Tier1
	}
	return TierUnknown
}

// String gives the tier as residents write it.
func (t Tier) String() string {
	switch t {
	case Tier1:
		return "一档"
	case Tier2:
		return "二档"
	}
	return fmt.Sprintf("档次%d", int(t))
}

// Level is a medical institution's grade: 一级 (including township health
// centres and community clinics), 二级 or 三级.
type Level int

const (
	LevelUnknown Level = 0
	Level1       Level = 1
	Level2       Level = 2
	Level3       Level = 3
)

// Valid reports whether l is a grade the rules know.
func (l Level) Valid() bool { return l >= Level1 && l <= Level3 }

// String gives the level as residents write it.
func (l Level) String() string {
	switch l {
	case Level1:
		return "一级"
	case Level2:
		return "二级"
	case Level3:
		return "三级"
	}
	return fmt.Sprintf("%d级", int(l))
}

// Kind is the kind of care a bill is for.
type Kind string

const (
	KindUnknown    Kind = ""
	KindInpatient  Kind = "inpatient"
	KindOutpatient Kind = "outpatient"
)

// String gives the kind in Chinese.
func (k Kind) String() string {
	switch k {
	case KindInpatient:
		return "住院"
	case KindOutpatient:
		return "门诊"
	}
	return string(k)
}

// ParseKind accepts the command-line spelling of a kind.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "inpatient", "住院":
		return KindInpatient, nil
	case "outpatient", "门诊":
		return KindOutpatient, nil
	}
	return KindUnknown, fmt.Errorf("unknown kind %q (want inpatient or outpatient)", s)
}

// Money is an amount in yuan, exact. It is rounded to the fen only when shown.
type Money struct{ d decimal.Decimal }

// Yuan makes Money from a whole number of yuan.
func Yuan(n int64) Money { return Money{decimal.NewFromInt(n)} }

// MoneyOf wraps a decimal amount of yuan.
func MoneyOf(d decimal.Decimal) Money { return Money{d} }

// ParseMoney reads a plain decimal amount of yuan such as "12000" or "350.5".
func ParseMoney(s string) (Money, error) {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return Money{}, fmt.Errorf("not an amount: %q", s)
	}
	return Money{d}, nil
}

// Decimal returns the exact amount.
func (m Money) Decimal() decimal.Decimal { return m.d }

func (m Money) Add(o Money) Money        { return Money{m.d.Add(o.d)} }
func (m Money) Sub(o Money) Money        { return Money{m.d.Sub(o.d)} }
func (m Money) Mul(r Ratio) Money        { return Money{m.d.Mul(r.d)} }
func (m Money) Cmp(o Money) int          { return m.d.Cmp(o.d) }
func (m Money) Neg() Money               { return Money{m.d.Neg()} }
func (m Money) IsZero() bool             { return m.d.IsZero() }
func (m Money) IsNegative() bool         { return m.d.IsNegative() }
func (m Money) IsPositive() bool         { return m.d.IsPositive() }
func (m Money) Equal(o Money) bool       { return m.d.Equal(o.d) }
func (m Money) LessThan(o Money) bool    { return m.d.LessThan(o.d) }
func (m Money) GreaterThan(o Money) bool { return m.d.GreaterThan(o.d) }
func (m Money) Floor0() Money            { return MaxMoney(m, Money{}) }
func MinMoney(a, b Money) Money          { return Money{decimal.Min(a.d, b.d)} }
func MaxMoney(a, b Money) Money          { return Money{decimal.Max(a.d, b.d)} }

// Times is m for each of n (a household's contributions).
func (m Money) Times(n int) Money { return Money{m.d.Mul(decimal.NewFromInt(int64(n)))} }

// RoundFen rounds half-up to the fen, as a payment is settled.
func (m Money) RoundFen() Money { return Money{m.d.Round(2)} }

// String is the amount rounded to the fen with two decimals: "54560.00".
func (m Money) String() string { return m.d.StringFixed(2) }

// Display is the amount for people: thousands separated, fen only when there
// are any ("13,790", "61,859.40").
func (m Money) Display() string {
	s := m.d.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "00" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Ratio is a share between 0 and 1, such as a reimbursement ratio.
type Ratio struct{ d decimal.Decimal }

// RatioOf wraps a decimal share.
func RatioOf(d decimal.Decimal) Ratio { return Ratio{d} }

// Decimal returns the exact share.
func (r Ratio) Decimal() decimal.Decimal { return r.d }

// Add returns r+o (minors' bonus points), capped at 1.
func (r Ratio) Add(o Ratio) Ratio {
	s := r.d.Add(o.d)
	if s.GreaterThan(decimal.NewFromInt(1)) {
		s = decimal.NewFromInt(1)
	}
	return Ratio{s}
}

// Percent shows the share as "55%" (or "62.5%").
func (r Ratio) Percent() string {
	return r.d.Mul(decimal.NewFromInt(100)).String() + "%"
}

// String is the share as a plain decimal, "0.55".
func (r Ratio) String() string { return r.d.String() }
