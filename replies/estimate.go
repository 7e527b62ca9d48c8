package replies

import (
	"fmt"
	"strings"

	"github.com/yibao/yibao/engine"
)

// Estimate writes a calculator result for a phone screen: the figures with
// their working, the year whose rules were used, and what was assumed.
func Estimate(e engine.Estimate) string {
	var b strings.Builder
	fmt.Fprintf(&b, "【%s报销估算】按%d年度标准\n", e.Kind, e.Year)
	b.WriteString(describe(e))
	b.WriteString("\n\n")
	writeWorking(&b, e)
	fmt.Fprintf(&b, "合计报销：%s元\n个人负担：%s元", e.Total.Display(), e.OutOfPocket.Display())
	if len(e.Assumptions) > 0 {
		b.WriteString("\n\n说明：")
		for _, a := range e.Assumptions {
			b.WriteString("\n• ")
			b.WriteString(a.Text)
		}
	}
	b.WriteString("\n估算仅供参考，以医院实际结算为准。")
	return b.String()
}

// EstimateWorking is the working of an estimate, one step a line, worded
// as in the chat reply, for callers that lay the figures out themselves.
func EstimateWorking(e engine.Estimate) []string {
	var b strings.Builder
	writeWorking(&b, e)
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

func writeWorking(b *strings.Builder, e engine.Estimate) {
	if e.Kind == engine.KindInpatient {
		inpatientWorking(b, e)
		return
	}
	outpatientWorking(b, e)
}

func describe(e engine.Estimate) string {
	who := "成人"
	if e.Minor {
		who = "未成年人"
	}
	parts := []string{e.Tier.String(), e.Level.String() + "医院"}
	if e.Kind == engine.KindInpatient {
		parts = append(parts, who)
	}
	s := strings.Join(parts, " · ") + fmt.Sprintf("\n%s费用%s元", e.Kind, e.Cost.Display())
	if e.OutOfPolicy.IsPositive() {
		s += fmt.Sprintf("（其中目录外%s元）", e.OutOfPolicy.Display())
	}
	return s
}

func inpatientWorking(b *strings.Builder, e engine.Estimate) {
	base := e.InPolicy
	fmt.Fprintf(b, "基本医保：%s × %s", minusDeductible(base, e.Deductible), e.Ratio.Percent())
	if e.MinorBonus.Decimal().IsPositive() {
		fmt.Fprintf(b, "（含未成年人加%s）", e.MinorBonus.Percent())
	}
	if !base.GreaterThan(e.Deductible) {
		fmt.Fprintf(b, "\n费用没有超过起付线，基本医保不支付：0元\n")
	} else if e.BasicCapped {
		fmt.Fprintf(b, " = %s元，超过年度限额，只能报%s元\n", e.BasicUncapped.Display(), e.Basic.Display())
	} else {
		fmt.Fprintf(b, " = %s元\n", e.Basic.Display())
	}
	if e.Critical.IsPositive() {
		fmt.Fprintf(b, "大病保险：全年累计自付%s元，超过起付线%s元的部分 × %s = %s元",
			e.CriticalBase.Display(), e.CriticalDeductible.Display(), e.CriticalRatio.Percent(), e.Critical.Display())
		if e.CriticalCapped {
			b.WriteString("（已到年度限额）")
		}
		b.WriteString("\n")
	} else {
		fmt.Fprintf(b, "大病保险：全年累计自付%s元，未超过起付线%s元，不支付\n", e.CriticalBase.Display(), e.CriticalDeductible.Display())
	}
}

func outpatientWorking(b *strings.Builder, e engine.Estimate) {
	switch {
	case !e.Covered:
		fmt.Fprintf(b, "%s医院的普通门诊不在居民医保报销范围：0元\n", e.Level)
	case !e.InPolicy.GreaterThan(e.Deductible):
		fmt.Fprintf(b, "门诊统筹：费用没有超过起付线%s元，不支付：0元\n", e.Deductible.Display())
	default:
		fmt.Fprintf(b, "门诊统筹：%s × %s = %s元",
			minusDeductible(e.InPolicy, e.Deductible), e.Ratio.Percent(), e.BasicUncapped.Display())
		if e.BasicCapped {
			fmt.Fprintf(b, "，超过今年可用的门诊额度（%s元），只能报%s元", e.Room.Display(), e.Basic.Display())
		}
		b.WriteString("\n")
	}
}

func minusDeductible(cost, deductible engine.Money) string {
	if deductible.IsZero() {
		return cost.Display() + "（无起付线）"
	}
	return fmt.Sprintf("(%s − 起付线%s)", cost.Display(), deductible.Display())
}

// BenefitStart writes when cover starts for a payment date.
func BenefitStart(r engine.BenefitStart, hotline string) string {
	paid := engine.ChineseDate(r.Paid)
	switch r.Rule {
	case engine.StartEnrolment:
		return fmt.Sprintf("%s缴费，在%d年度集中参保期内，%s起享受待遇。", paid, r.Year, engine.ChineseDate(r.Start))
	case engine.StartLate:
		return fmt.Sprintf("%s缴费，在%d年度补缴期内，从缴清费用的次月1日，即%s起享受待遇。", paid, r.Year, engine.ChineseDate(r.Start))
	}
	return fmt.Sprintf("%s缴费从哪天起能报销：%s。请拨打%s问清楚。", paid, r.Reason, hotline)
}
