package replies

import (
	"fmt"
	"strings"
	"time"

	"github.com/yibao/yibao/engine"
)

// BreakAnswer answers 断缴/断保/补缴/等待期 questions for a phone screen: the
// national rule in plain words, what it means for the person's case when
// x.HasCase (they said how many years they broke), the year whose data it
// comes from, and the hotline to confirm Chongqing's details while the data
// marks them unconfirmed. x comes from engine.Policy.ExplainBreak.
func BreakAnswer(x engine.BreakExplanation, hotline string) string {
	r := x.Rules
	var b strings.Builder
	b.WriteString("【断保和等待期】\n")
	if x.HasCase {
		caseLine(&b, x)
	}
	if r.Confirmed {
		fmt.Fprintf(&b, "重庆的规定（%d年度资料，依据%s）：\n", x.Year, r.Source.Name)
	} else {
		fmt.Fprintf(&b, "国家的规定（%s，%d年起实行）：\n", shortSource(r.Source.Name), r.AppliesFrom.Year())
	}
	fmt.Fprintf(&b, "• 没在集中参保期参保，或者断保后再参保的，交费后要过%d个月固定等待期，才开始享受医保待遇；等待期内看病，医保基金不支付。\n", r.FixedMonths)
	fmt.Fprintf(&b, "• 断保的，原则上每多断1年，再加%d个月变动等待期；每补缴1年，可减少%d个月变动等待期。\n",
		r.MonthsPerBreakYear, r.MonthsOffPerYearPaidBack)
	fmt.Fprintf(&b, "• 连续参保满%d年后，每多连续参保1年，大病保险最高支付限额提高不少于%s元；当年没有报销过的，第二年大病保险限额提高不少于%s元。\n",
		r.ContinuousAfterYears, r.ContinuousRaiseMin.Display(), r.NoClaimRaiseMin.Display())
	if !r.Confirmed {
		fmt.Fprintf(&b, "\n重庆具体怎么执行（等待期多长、哪些人不用等），我们的资料（%d年度）里还没有，请拨打%s确认。", x.Year, hotline)
	} else {
		fmt.Fprintf(&b, "\n有疑问请拨打%s。", hotline)
	}
	return b.String()
}

// caseLine is what the rule gives for the years the person said.
func caseLine(b *strings.Builder, x engine.BreakExplanation) {
	r, c := x.Rules, x.Case
	fmt.Fprintf(b, "您断保%d年", c.YearsBroken)
	if c.PaidBackSaid {
		fmt.Fprintf(b, "、补缴了%d年", c.YearsPaidBack)
	}
	b.WriteString("，按国家文件的原则：")
	fmt.Fprintf(b, "固定等待期%d个月", x.FixedMonths)
	switch {
	case x.VariableMonthsMax == 0:
		b.WriteString("，没有变动等待期")
	case x.VariableMonthsMin == x.VariableMonthsMax:
		fmt.Fprintf(b, "，加变动等待期%d个月", x.VariableMonthsMax)
	default:
		fmt.Fprintf(b, "，加变动等待期%d到%d个月", x.VariableMonthsMin, x.VariableMonthsMax)
	}
	if x.TotalMonthsMin == x.TotalMonthsMax {
		fmt.Fprintf(b, "，交费后大约%d个月才能报销。", x.TotalMonthsMax)
	} else {
		fmt.Fprintf(b, "，交费后大约%d到%d个月才能报销。", x.TotalMonthsMin, x.TotalMonthsMax)
	}
	if r.FirstBreakYear == engine.FirstYearUnknown && x.VariableMonthsMin != x.VariableMonthsMax {
		b.WriteString("（断保的第一年算不算，文件没有说清，所以是个范围。）")
	}
	if !c.PaidBackSaid && x.PaidBackMonthsOff > 0 {
		fmt.Fprintf(b, "补缴断保的年份，最多可少等%d个月。", x.PaidBackMonthsOff)
	}
	b.WriteString("\n\n")
}

// shortSource keeps a document's number, "国办发〔2024〕38号", from a full
// title with the number in brackets; otherwise the whole name.
func shortSource(name string) string {
	if i := strings.LastIndex(name, "（"); i >= 0 && strings.HasSuffix(name, "）") {
		return strings.TrimSuffix(name[i+len("（"):], "）")
	}
	return name
}

// NextYearAnswer answers questions about a benefit year the data does not
// have yet ("明年交多少", "2027年什么时候交", "今年交费开始没有"): it names
// the newest year we have, shows that year's contributions and payment
// windows as the pattern, says the asked year's figures and dates are not
// recorded yet, and gives the hotline. It never names a figure or date of
// the asked year. newest is the book's newest policy; asked is the benefit
// year asked about (0 when the question named none: the year after newest;
// newest.Year itself gives that year's figures without the "not recorded").
func NextYearAnswer(newest *engine.Policy, asked int, hotline string) string {
	if asked == 0 {
		asked = newest.Year + 1
	}
	// Years the book holds are the contribution guide's to answer; an
	// older one here would only mislabel the newest year's figures.
	asked = max(asked, newest.Year)
	var b strings.Builder
	fmt.Fprintf(&b, "【%d年度交费】\n", asked)
	if asked > newest.Year {
		fmt.Fprintf(&b, "%d年度的交费标准和交费时间，我们这里还没有录入，以重庆市医保部门公布的为准。\n\n", asked)
		fmt.Fprintf(&b, "现有资料最新的是%d年度，可以参考：\n", newest.Year)
	} else {
		fmt.Fprintf(&b, "%d年度：\n", newest.Year)
	}
	t1, _ := newest.Contribution(engine.Tier1)
	t2, _ := newest.Contribution(engine.Tier2)
	fmt.Fprintf(&b, "• %d年度交费：一档%s元，二档%s元（每人每年）\n", newest.Year, t1.Display(), t2.Display())
	fmt.Fprintf(&b, "• 集中参保期：%s至%s，%s起享受待遇\n",
		ChineseDate(newest.Enrolment.Start), ChineseDate(newest.Enrolment.End),
		ChineseDate(newest.EnrolmentBenefitsFrom))
	fmt.Fprintf(&b, "• 补缴期：%s至%s，交清后次月1日起享受待遇\n",
		ChineseDate(newest.LatePayment.Start), ChineseDate(newest.LatePayment.End))
	if asked > newest.Year {
		if w := windowPattern(newest); w != "" {
			fmt.Fprintf(&b, "也就是说，%d年度是%s交费。\n", newest.Year, w)
		}
		fmt.Fprintf(&b, "\n%d年度什么时候开始交、交多少，请拨打%s问清楚，或留意重庆市医疗保障局的通知。", asked, hotline)
	} else {
		fmt.Fprintf(&b, "\n有疑问请拨打%s。", hotline)
	}
	return b.String()
}

// windowPattern says where a year's enrolment window sits relative to its
// benefit year, from the data: "在上一年9月13日至12月31日".
func windowPattern(p *engine.Policy) string {
	s, e := p.Enrolment.Start, p.Enrolment.End
	if s.Year() != p.Year-1 || e.Year() != p.Year-1 {
		return ""
	}
	return fmt.Sprintf("在上一年%s至%s", monthDay(s), monthDay(e))
}

func monthDay(t time.Time) string { return fmt.Sprintf("%d月%d日", int(t.Month()), t.Day()) }

// WaitingPeriodNote is one line of context for answers about when cover
// starts (the benefit-start calculator's "not known" included): the
// national waiting period, and the hotline while Chongqing's rules are
// unconfirmed. It is empty when the year's data has no enrolment rules.
func WaitingPeriodNote(r *engine.EnrolmentRules, hotline string) string {
	if r == nil {
		return ""
	}
	if r.Confirmed {
		return fmt.Sprintf("另外，不在集中参保期参保或断保后再参保的，有%d个月固定等待期，断保时间长还会更久。", r.FixedMonths)
	}
	return fmt.Sprintf("另外，按国家规定（%s），不在集中参保期参保或断保后再参保的，有%d个月固定等待期，断保时间长还会更久；重庆具体怎么执行，请拨打%s确认。",
		shortSource(r.Source.Name), r.FixedMonths, hotline)
}
