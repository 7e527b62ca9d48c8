package replies

import (
	"github.com/shopspring/decimal"

	"fmt"
	"strings"

	"github.com/yibao/yibao/engine"
)

// TierAdvice answers "一档还是二档划算" for a phone screen, the advice
// first: at which yearly hospital costs 二档's extra reimbursement covers
// its extra contribution, what it adds for clinic care, and the prices,
// stated as facts (the choice stays the resident's). The worked example and
// what the figures assume are TierAdviceDetails, behind a numbered option.
// a comes from engine.Selection.AdviseTiers; hotline is the number to call.
func TierAdvice(a engine.TierAdvice, hotline string) string {
	var b strings.Builder
	who := ""
	if a.Minor {
		who = "（未成年人）"
	}
	fmt.Fprintf(&b, "【一档还是二档】%d年度规定%s\n", a.Year, who)
	if a.Fallback {
		fmt.Fprintf(&b, "%d年度的报销规定还没录入。\n", a.AskedYear)
	}
	// "划算": 二档's extra reimbursement covers its extra contribution.
	b.WriteString("一年目录内住院费用到这个数，二档就划算：\n")
	for _, be := range a.Inpatient {
		fmt.Fprintf(&b, "• %s医院：%s\n", be.Level, breakEvenText(be))
	}
	switch {
	case a.OutpatientMaxGain.IsZero():
		b.WriteString("门诊：两档报得一样。\n")
	case a.OutpatientPaysBack:
		fmt.Fprintf(&b, "门诊：二档一年最多多报%s元。\n", a.OutpatientMaxGain.Display())
	default:
		fmt.Fprintf(&b, "门诊：二档一年最多多报%s元，只靠门诊补不回。\n", a.OutpatientMaxGain.Display())
	}
	if gain := a.RatioGain.Decimal(); gain.IsPositive() {
		// What 二档 buys, beside what it costs: the question is mostly
		// "多报好多".
		fmt.Fprintf(&b, "一档%s元，二档%s元，多交%s元，住院比例高%s个百分点。\n", a.Tier1.Display(), a.Tier2.Display(),
			a.PremiumDifference.Display(), gain.Mul(decimal.NewFromInt(100)).String())
	} else {
		fmt.Fprintf(&b, "二档每年多交%s元（一档%s元，二档%s元）。\n", a.PremiumDifference.Display(), a.Tier1.Display(), a.Tier2.Display())
	}
	fmt.Fprintf(&b, "选哪档您定，咨询%s", hotline)
	return b.String()
}

// TierAdviceDetails is what TierAdvice leaves out: the clinic limits, a
// worked example and what the figures assume.
func TierAdviceDetails(a engine.TierAdvice, hotline string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "【一档还是二档：举例和前提】按%d年度规定\n", a.Year)
	fmt.Fprintf(&b, "划算，是说二档多报的钱补得上多交的%s元。\n", a.PremiumDifference.Display())
	if !a.OutpatientMaxGain.IsZero() {
		fmt.Fprintf(&b, "门诊：二档把普通门诊年度限额从%s元提高到%s元。\n", a.OutpatientLimit1.Display(), a.OutpatientLimit2.Display())
	}
	if e := a.Example; e != nil {
		fmt.Fprintf(&b, "举例：在%s医院住院，目录内费用%s元，一档报%s元，二档报%s元，二档多报%s元",
			e.Level, e.Bill.Display(), e.Tier1.Total.Display(), e.Tier2.Total.Display(), e.Gain.RoundFen().Display())
		switch {
		case e.Net.IsNegative():
			fmt.Fprintf(&b, "，比多交的%s元少%s元。\n", a.PremiumDifference.Display(), e.Net.Neg().RoundFen().Display())
		default:
			fmt.Fprintf(&b, "，扣掉多交的%s元，还多%s元。\n", a.PremiumDifference.Display(), e.Net.RoundFen().Display())
		}
	}
	if len(a.Assumptions) > 0 {
		// The example is the answer; its premises follow it.
		b.WriteString("\n按以下情况计算：")
		for _, as := range a.Assumptions {
			b.WriteString("\n• ")
			b.WriteString(TierAssumptionText(as))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "选哪一档由您自己决定；政策以医保部门公布为准，咨询%s。想按自己的情况算一算，回复“算一算”。", hotline)
	return b.String()
}

// TierBreakEven says at which yearly bills 二档 pays back its extra
// contribution at one level ("约7,600元以上"), as TierAdvice words it.
func TierBreakEven(be engine.TierBreakEven) string { return breakEvenText(be) }

// breakEvenText says at which bills tier 2 pays back at one level.
func breakEvenText(be engine.TierBreakEven) string {
	var closed []string
	for _, r := range be.Ranges {
		if !r.OpenEnded {
			closed = append(closed, fmt.Sprintf("%s至%s元", r.From.Display(), r.To.Display()))
		}
	}
	switch {
	case be.PaysBack && len(closed) == 0:
		return fmt.Sprintf("约%s元以上", be.From.Display())
	case be.PaysBack:
		// The 大病 fund pays 一档 first, so there is a stretch in between
		// where 二档 falls short again: say where it is.
		return fmt.Sprintf("约%s元以上（另外%s之间也够）", be.From.Display(), strings.Join(closed, "、"))
	case len(closed) > 0:
		return fmt.Sprintf("只有费用在%s之间才够", strings.Join(closed, "、"))
	}
	return "费用再高，二档多报的也补不回多交的钱"
}
