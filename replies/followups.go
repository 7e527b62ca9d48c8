package replies

import "fmt"

// Short answers to follow-ups read against the last topic ("那二档呢" after
// the contribution answer), and the bot's clarifying questions. Each names
// the year its figures belong to.

// YearNote says plainly that the figures are an earlier year's, when the
// year asked about has none yet; empty otherwise.
func YearNote(asked, year int, hotline string) string {
	if asked <= year {
		return ""
	}
	return fmt.Sprintf("（%d年度的标准还没有录入，下面是%d年度的；%d年度请拨打%s确认。）\n", asked, year, asked, hotline)
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

// Unclear re-asks a question whose answer could not be read.
func Unclear(hotline string) string {
	return fmt.Sprintf("这个回答我没看懂。想问别的可以直接问，或拨打%s。", hotline)
}
