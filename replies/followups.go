package replies

import (
	"fmt"
	"strings"

	"github.com/yibao/yibao/engine"
)

// Short answers to follow-ups read against the last topic ("那二档呢" after
// the contribution answer), and the bot's clarifying questions. Each names
// the year its figures belong to.

// YearNote says plainly that the figures are an earlier year's, when the
// year asked about has none yet; empty otherwise.
func YearNote(asked, year int, partial bool, hotline string) string {
	switch {
	case asked <= year:
		return ""
	case partial:
		return fmt.Sprintf("（%d年度只收录了交费标准，下面的报销规定是%d年度的；%d年度请拨打%s确认。）\n", asked, year, asked, hotline)
	}
	return fmt.Sprintf("（%d年度的标准还没有录入，下面是%d年度的；%d年度请拨打%s确认。）\n", asked, year, asked, hotline)
}

// HouseholdTotal answers what a household pays in all on one tier.
func HouseholdTotal(year, people int, tier, each, total string) string {
	return fmt.Sprintf("%d个人都交%s：%d年度每人%s元，%d人一共%s元。", people, tier, year, each, people, total)
}

// HouseholdTotals answers what a household pays in all, on each tier.
func HouseholdTotals(year, people int, each1, total1, each2, total2 string) string {
	return fmt.Sprintf("%d个人一共要交（%d年度）：都交一档%s元（每人%s元），都交二档%s元（每人%s元）。", people, year, total1, each1, total2, each2)
}

// PriceYearNote opens a price given from an earlier year than the one
// asked about, whose contribution is not recorded yet.
func PriceYearNote(asked, year int, hotline string) string {
	if asked <= year {
		return ""
	}
	return fmt.Sprintf("（%d年度的交费标准还没有录入，下面是%d年度的；%d年度请拨打%s确认。）\n", asked, year, asked, hotline)
}

// PayingNowFor opens a payment question asked of this calendar year
// ("今年的医保什么时候交") while residents pay for the next benefit year.
func PayingNowFor(calendar, benefit int) string {
	return fmt.Sprintf("现在（%d年内）交的，是%d年度的医保。", calendar, benefit)
}

// TierPrices is one tier's price in a year and the year before.
type TierPrices struct {
	Tier, Now, Before string
	// Up and Down are the rise and the fall, as figures; Rose and Fell
	// say which happened (neither: the same price).
	Up, Down   string
	Rose, Fell bool
}

// PriceChange compares a year's prices with the year before's.
func PriceChange(year, before int, tiers []TierPrices) string {
	var parts []string
	same := true
	for _, t := range tiers {
		switch {
		case t.Rose:
			same = false
			parts = append(parts, fmt.Sprintf("%s%s元，比%d年度（%s元）涨了%s元", t.Tier, t.Now, before, t.Before, t.Up))
		case t.Fell:
			same = false
			parts = append(parts, fmt.Sprintf("%s%s元，比%d年度（%s元）降了%s元", t.Tier, t.Now, before, t.Before, t.Down))
		default:
			parts = append(parts, fmt.Sprintf("%s%s元，和%d年度一样", t.Tier, t.Now, before))
		}
	}
	if same {
		return fmt.Sprintf("%d年度和%d年度的个人交费一样，没有涨：%s。", year, before, strings.Join(priceList(tiers), "、"))
	}
	return fmt.Sprintf("%d年度个人交费：%s。", year, strings.Join(parts, "；"))
}

// SubsidyChange follows PriceChange with the government's subsidy per
// person against the year before's.
func SubsidyChange(before int, now, was, diff string, rose bool) string {
	if !rose {
		return fmt.Sprintf("政府每人补助不少于%s元（%d年度不少于%s元）。", now, before, was)
	}
	return fmt.Sprintf("政府每人补助不少于%s元，比%d年度（%s元）多%s元。", now, before, was, diff)
}

func priceList(tiers []TierPrices) []string {
	var out []string
	for _, t := range tiers {
		out = append(out, t.Tier+t.Now+"元")
	}
	return out
}

// Unhelpful answers a resident who says the last answer did not help.
func Unhelpful(hotline string) string {
	return fmt.Sprintf("抱歉没帮上忙，已经记下来了，我们会改进。可以换个说法再问一次，或拨打医保咨询电话%s问人工。", hotline)
}

// YearUsed answers which year's rules the last answer used, and says so
// when it is not the year in force.
func YearUsed(year, asked int, partial bool, hotline string) string {
	switch {
	case asked > year && partial:
		return fmt.Sprintf("刚才用的是%d年度的报销标准。%d年度只收录了交费标准，报销规定还没有录入，有变化请以医保部门公布为准，可拨打%s确认。", year, asked, hotline)
	case asked > year:
		return fmt.Sprintf("刚才用的是%d年度的标准。%d年度的标准还没有录入，有变化请以医保部门公布为准，可拨打%s确认。", year, asked, hotline)
	}
	return fmt.Sprintf("刚才用的是%d年度的标准，就是现在执行的。", year)
}

// TierContribution answers what one tier costs a year.
func TierContribution(year int, tier, amount, otherTier, otherAmount string) string {
	return fmt.Sprintf("%d年度居民医保%s每人每年交%s元（%s是%s元）。", year, tier, amount, otherTier, otherAmount)
}

// MinorContribution answers what a child pays: the sources give one
// amount per person and tier, and no separate figure for minors.
func MinorContribution(year int, tier1, tier2, hotline string) string {
	return fmt.Sprintf("居民医保按人交，%d年度一档每人%s元、二档每人%s元；我们的资料里没有单独的未成年人缴费标准，"+
		"孩子在学校参保或有特殊情况的，请拨打%s确认。", year, tier1, tier2, hotline)
}

// ClarifyTier asks what a tier said on its own is about ("二档").
func ClarifyTier(tier string) string {
	return fmt.Sprintf("您想问%s的什么？", tier)
}

// ClarifyWho asks what a patient said on its own is about ("孩子").
func ClarifyWho(who string) string {
	return fmt.Sprintf("您想问%s的什么？", who)
}

// ClarifyTopics offers the closest topics to a message that named none
// clearly, with the hotline for anything else.
func ClarifyTopics(hotline string) string {
	return fmt.Sprintf("您想了解的是下面哪一项？都不是的话，可以换个说法，或拨打医保咨询电话%s。", hotline)
}

// PersonalNumber answers a phone, ID-card or bank-card number: the bot
// needs none, and keeps none.
func PersonalNumber() string {
	return "这串数字像是手机号、身份证号或银行卡号。算报销用不到这些，为保护您的隐私，我们不会记录，也请不要发送。"
}

// Unclear re-asks a question whose answer could not be read.
func Unclear(hotline string) string {
	return fmt.Sprintf("这个回答我没看懂。想问别的可以直接问，或拨打%s。", hotline)
}

// InpatientLevelRule answers "三级医院呢" after the inpatient rules: one
// grade's deductible and ratios, with the minors' bonus and the caps.
func InpatientLevelRule(year int, level string, deductible, ratio1, ratio2, bonus, cap1, cap2 string) string {
	return fmt.Sprintf("%d年度，在%s医院住院：每次先扣起付线%s元，剩下的一档报%s、二档报%s；未满18岁的再高%s个百分点。"+
		"基本医保一年最多报一档%s元、二档%s元。", year, level, deductible, ratio1, ratio2, bonus, cap1, cap2)
}

// InpatientTierRule answers a grade's inpatient rule for the one tier
// asked about ("二级医院一档住院报好多"): that tier's ratio and cap only.
func InpatientTierRule(year int, tier, level, deductible, ratio, bonus, limit string) string {
	return fmt.Sprintf("%d年度，%s在%s医院住院：每次先扣起付线%s元，剩下的报%s；未满18岁的再高%s个百分点。"+
		"基本医保一年最多报%s元。", year, tier, level, deductible, ratio, bonus, limit)
}

// MinorLevelRule answers a grade's inpatient rule asked about a child:
// the children's ratios (the extra points included), for both tiers.
func MinorLevelRule(year int, level, deductible, ratio1, ratio2, cap1, cap2 string) string {
	return fmt.Sprintf("%d年度，未满18岁的孩子在%s医院住院：每次先扣起付线%s元，剩下的一档报%s、二档报%s。"+
		"基本医保一年最多报一档%s元、二档%s元。", year, level, deductible, ratio1, ratio2, cap1, cap2)
}

// MinorTierRule answers it for a child on the one tier asked about.
func MinorTierRule(year int, tier, level, deductible, ratio, limit string) string {
	return fmt.Sprintf("%d年度，未满18岁的孩子交%s，在%s医院住院：每次先扣起付线%s元，剩下的报%s。基本医保一年最多报%s元。",
		year, tier, level, deductible, ratio, limit)
}

// OutpatientLevelRule answers "卫生院呢" after the outpatient rules.
func OutpatientLevelRule(year int, level string, covered bool, deductible, ratio, limit1, limit2 string) string {
	if !covered {
		return fmt.Sprintf("%d年度，%s医院的普通门诊费用居民医保不报销（住院可以报）。", year, level)
	}
	ded := "没有起付线，"
	if deductible != "0" {
		ded = "超过起付线" + deductible + "元的部分"
	}
	return fmt.Sprintf("%d年度，在%s医院看普通门诊：%s报%s；一年最多报一档%s元、二档%s元。", year, level, ded, ratio, limit1, limit2)
}

// WindowsPassed says the newest year's payment windows are over, with
// today's date, before an answer about a year not yet recorded.
func WindowsPassed(today string, year int, lateEnd string) string {
	return fmt.Sprintf("今天是%s，%d年度的交费时间已经过了（补缴期到%s截止）。", today, year, lateEnd)
}

// TierSummary answers a tier said after the overview ("二档呢"): what that
// tier pays for a hospital stay at each grade, its caps and its outpatient
// limit.
func TierSummary(year int, tier string, lines []string, cap, outLimit string) string {
	s := fmt.Sprintf("%d年度%s：\n住院（每次先扣起付线）：", year, tier)
	for _, l := range lines {
		s += "\n• " + l
	}
	return s + fmt.Sprintf("\n基本医保住院一年最多报%s元；普通门诊一年最多报%s元。", cap, outLimit)
}

// TierKindLimit answers "一档门诊报好多" before the grade is asked: the
// tier's yearly limit for that care; the grade's options show the rest.
func TierKindLimit(year int, tier string, inpatient bool, limit string) string {
	if inpatient {
		return fmt.Sprintf("%d年度%s住院，基本医保一年最多报%s元；每家医院报多少看等级，见下面。", year, tier, limit)
	}
	return fmt.Sprintf("%d年度%s的普通门诊一年最多报%s元；每家医院报多少看等级，见下面。", year, tier, limit)
}

// TierPremiumDiff says how much more tier 2 costs a year, before what the
// change does to a result.
func TierPremiumDiff(year int, diff string) string {
	return fmt.Sprintf("%d年度二档每人每年比一档多交%s元。", year, diff)
}

// TierChange says what changing the tier did to a result.
func TierChange(tier string, diff string, more bool) string {
	if more {
		return fmt.Sprintf("按%s算，比刚才多报%s元：", tier, diff)
	}
	return fmt.Sprintf("按%s算，比刚才少报%s元：", tier, diff)
}

// TierCompare answers how the result shown compares with another tier:
// what that tier pays for the same bill, and the difference.
func TierCompare(year int, mine, other, otherTotal, diff string, more bool) string {
	than := "多"
	if !more {
		than = "少"
	}
	return fmt.Sprintf("同样的费用按%s算（%d年度标准）能报%s元；%s比%s%s报%s元。下面是按%s算的：", other, year, otherTotal, mine, other, than, diff, mine)
}

// TopicMore answers a bare "how" after a guide ("咋个办理"): the guide said
// what the sources say; the rest is for the hotline.
func TopicMore(title, hotline string) string {
	return fmt.Sprintf("关于“%s”，我们的资料里能说的就是刚才那些。具体怎么办、要带什么，请拨打医保咨询电话%s问清楚。", title, hotline)
}

// Acknowledge answers a message that only acknowledges ("哦", "好的").
func Acknowledge() string {
	return "好的。还有问题直接问我，上面的数字也还能用。"
}

// KindFromAmount says a bill too large for a clinic is taken as a stay.
func KindFromAmount() string {
	return "这么大的金额一般是住院，先按住院算；是门诊的话回复“门诊”。"
}

// OneBillAtATime says the calculator takes one bill at a time when a
// message gives two ("她住院4万 我门诊250").
func OneBillAtATime() string {
	return "您说了住院和门诊两笔，我一次算一笔：先算这一笔，另一笔算完后分开发给我。"
}

// PriceLine answers "交好多钱" asked beside another question: the tier
// asked about, or both.
func PriceLine(year int, tier engine.Tier, tier1, tier2 string) string {
	switch tier {
	case engine.Tier1:
		return fmt.Sprintf("先说交费：%d年度一档每人每年%s元（二档%s元）。", year, tier1, tier2)
	case engine.Tier2:
		return fmt.Sprintf("先说交费：%d年度二档每人每年%s元（一档%s元）。", year, tier2, tier1)
	}
	return fmt.Sprintf("先说交费：%d年度每人每年一档%s元、二档%s元。", year, tier1, tier2)
}

// MinorsMore answers whether a child's stay is reimbursed more.
func MinorsMore(points string, year int) string {
	return fmt.Sprintf("是的：%d年度未满18岁的住院报销比例比大人高%s个百分点。下面帮您算一算：", year, points)
}
