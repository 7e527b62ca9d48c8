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
			b.WriteString(AssumptionText(a))
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
		fmt.Fprintf(b, "（含未成年人多的%s个百分点）", strings.TrimSuffix(e.MinorBonus.Percent(), "%"))
	}
	if !base.GreaterThan(e.Deductible) {
		fmt.Fprintf(b, "\n费用没有超过起付线，基本医保不支付：0元\n")
	} else if e.BasicCapped {
		// The product past the cap is no sum anyone gets: saying it reads
		// as a second answer, so the line goes straight to what is paid.
		fmt.Fprintf(b, "，超过年度限额，只能报%s元\n", e.Basic.Display())
	} else {
		fmt.Fprintf(b, " = %s元\n", e.Basic.Display())
	}
	b.WriteString(CriticalWorking(e))
	b.WriteString("\n")
}

// CriticalWorking is the critical-illness line of a stay's estimate.
func CriticalWorking(e engine.Estimate) string {
	if !e.Critical.IsPositive() {
		return fmt.Sprintf("大病保险：全年累计自付%s元，未超过起付线%s元，不支付", e.CriticalBase.Display(), e.CriticalDeductible.Display())
	}
	s := fmt.Sprintf("大病保险：全年累计自付%s元，超过起付线%s元的部分 × %s = %s元",
		e.CriticalBase.Display(), e.CriticalDeductible.Display(), e.CriticalRatio.Percent(), e.Critical.Display())
	if prior := e.CriticalBase.Sub(e.SelfPay); prior.IsPositive() {
		// With this year's earlier self-pay, only this stay's part above
		// the deductible is paid now: say which part, so the line adds up.
		part := e.CriticalBase.Sub(engine.MaxMoney(prior, e.CriticalDeductible))
		s = fmt.Sprintf("大病保险：全年累计自付%s元（此前%s元），本次超过起付线%s元的%s元 × %s = %s元",
			e.CriticalBase.Display(), prior.Display(), e.CriticalDeductible.Display(), part.Display(), e.CriticalRatio.Percent(), e.Critical.Display())
	}
	if e.CriticalCapped {
		s += "（已到年度限额）"
	}
	return s
}

// InLastEstimate introduces a line of the estimate just shown, before the
// rules it follows.
func InLastEstimate(line string) string {
	return "刚才这笔：" + line
}

func outpatientWorking(b *strings.Builder, e engine.Estimate) {
	switch {
	case !e.Covered:
		fmt.Fprintf(b, "%s医院的普通门诊不在居民医保报销范围：0元\n", e.Level)
	case !e.InPolicy.GreaterThan(e.Deductible):
		fmt.Fprintf(b, "门诊统筹：费用没有超过起付线%s元，不支付：0元\n", e.Deductible.Display())
	default:
		fmt.Fprintf(b, "门诊统筹：%s × %s", minusDeductible(e.InPolicy, e.Deductible), e.Ratio.Percent())
		if e.BasicCapped {
			fmt.Fprintf(b, "，超过今年可用的门诊额度，只能报额度内的%s元\n", e.Basic.Display())
			break
		}
		fmt.Fprintf(b, " = %s元\n", e.Basic.Display())
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
	paid := ChineseDate(r.Paid)
	switch r.Rule {
	case engine.StartEnrolment:
		return fmt.Sprintf("%s缴费，在%d年度集中参保期内，%s起享受待遇。", paid, r.Year, ChineseDate(r.Start))
	case engine.StartLate:
		return fmt.Sprintf("%s缴费，在%d年度补缴期内，从缴清费用的次月1日，即%s起享受待遇。", paid, r.Year, ChineseDate(r.Start))
	}
	return fmt.Sprintf("%s缴费从哪天起能报销：%s。请拨打%s问清楚。", paid, StartGapText(r), hotline)
}

// EstimateBrief writes a calculator result for a phone screen, answer
// first: what the insurance pays and what is left to the patient, with the
// year; then the working in a few lines; then the assumptions condensed to
// one line (EstimateAssumptions has them in full).
func EstimateBrief(e engine.Estimate) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s费用%s元", e.Kind, e.Cost.Display())
	if e.OutOfPolicy.IsPositive() {
		fmt.Fprintf(&b, "（其中目录外%s元）", e.OutOfPolicy.Display())
	}
	fmt.Fprintf(&b, "，%s，按%d年度标准", describeWho(e), e.Year)
	switch {
	case e.AskedPartial:
		fmt.Fprintf(&b, "（%d年度只收录了交费标准，报销规定用%d年度的）", e.AskedYear, e.Year)
	case e.Fallback:
		fmt.Fprintf(&b, "（%d年度的还没有录入）", e.AskedYear)
	}
	b.WriteString("：\n")
	fmt.Fprintf(&b, "医保能报：%s元\n自己付：%s元\n\n", e.Total.Display(), e.OutOfPocket.Display())
	b.WriteString("怎么算的：\n")
	switch e.Kind {
	case engine.KindInpatient:
		inpatientWorking(&b, e)
	default:
		outpatientWorking(&b, e)
	}
	if short := condensed(e.Assumptions, e.CriticalCapped); short != "" {
		fmt.Fprintf(&b, "按%s估算，以医院实际结算为准。", short)
	} else {
		b.WriteString("估算仅供参考，以医院实际结算为准。")
	}
	return b.String()
}

func describeWho(e engine.Estimate) string {
	parts := []string{e.Tier.String(), e.Level.String() + "医院"}
	if e.Kind == engine.KindInpatient {
		who := "成人"
		if e.Minor {
			who = "未成年人"
		}
		parts = append(parts, who)
	}
	return strings.Join(parts, "·")
}

// shortAssumptions name each assumption in a few characters, for the one
// line under a result; an assumption without a short name is left to the
// full list.
var shortAssumptions = map[string]string{
	"tier_guessed":         "一档（您不确定档次）",
	"all_in_policy":        "费用都在报销目录内",
	"designated":           "本地定点直接结算",
	"first_claim_basic":    "今年第一次报销",
	"first_claim_critical": "此前没有其他住院自付",
	"critical_deductible":  "大病起付线估算值",
	"deductible_basis":     "起付线按次扣",
	"limit_unused":         "门诊额度还没用过",
	"level_guessed":        "三级医院（您不确定等级）",
	"critical_cap_raises":  "不计连续参保等带来的大病限额提高",
}

// condensed joins the short names of the assumptions a result rests on,
// leaving out the year (said on its own line) and what the working says.
// When the 大病 cap limited the result, the raises of that cap it leaves
// out come first: they are what could change it.
func condensed(as []engine.Assumption, criticalCapped bool) string {
	var names []string
	for _, a := range as {
		if n, ok := shortAssumptions[a.Code]; ok {
			if a.Code == engine.CriticalRaisesAssumption.Code && criticalCapped {
				names = append([]string{n}, names...)
				continue
			}
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	if len(names) > 3 {
		return strings.Join(names[:3], "、") + fmt.Sprintf("等%d项假设", len(names))
	}
	return strings.Join(names, "、")
}

// EstimateAssumptions lists every assumption of a result in full.
func EstimateAssumptions(e engine.Estimate) string {
	var b strings.Builder
	// "为啥子扣了800": the working answers most whys; then what it assumed.
	fmt.Fprintf(&b, "刚才的%s估算（%d年度标准）是这样算的：\n", e.Kind, e.Year)
	writeWorking(&b, e)
	// The working is the answer to "为啥"; the premises follow it.
	b.WriteString("\n用到这些假设：")
	for _, a := range e.Assumptions {
		b.WriteString("\n• ")
		b.WriteString(AssumptionText(a))
	}
	b.WriteString("\n说得不对的，直接告诉我，比如“其中自费3000”“今年已经报过2万”“是二档”，我重新算。")
	return b.String()
}

// FirstBillOnly opens an estimate from a message that gave several bills:
// the first is computed, and the next is asked for as another stay.
func FirstBillOnly(first string) string {
	return fmt.Sprintf("先按第一笔%s元算（每次住院单独扣起付线，不能相加）；另一次算完后发“又住了一次，金额”，我连起来算。", first)
}

// TwoStays opens the second of two stays said in one message: the first
// stay's result, that the second below counts the first's payments, and
// what both pay together.
func TwoStays(first, firstPaid, second, bothPaid string) string {
	return fmt.Sprintf("两次住院分开算（每次都扣起付线）：第一次%s元，医保报%s元；下面是第二次%s元（算上第一次的报销和自付）。两次一共报%s元。", first, firstPaid, second, bothPaid)
}
