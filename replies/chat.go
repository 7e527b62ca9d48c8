package replies

import (
	"errors"
	"fmt"

	"github.com/yibao/yibao/engine"
)

// The dialog core's own lines: what it says when a turn cannot go on as
// usual, the notes above a question, the labels of its numbered options
// and the pieces of its recaps. They live here, with every other text the
// resident reads, so that bot/ decides and replies/ words.

// Lines said as they are.
const (
	// Conflict: the same user's messages raced past every retry.
	Conflict = "刚才消息有点多，没来得及处理，请再发一次。"
	// CalculatorDown opens the rules shown instead of an estimate that
	// cannot run without the dialog store.
	CalculatorDown = "报销计算器暂时不可用，请过几分钟再试。下面先介绍报销规则："
	// MemoryDown answers a menu number when the store cannot say which menu
	// was shown.
	MemoryDown = "系统暂时记不住刚才的菜单，请直接打字提问，例如“住院怎么报销”“交多少钱”。"
	// TypeInstead ends a menu shown while numbers cannot be read.
	TypeInstead = "（暂时不能用数字选菜单，请直接打字提问。）"

	AssumeAllInList   = "好的，先按费用全部在目录内估算。"
	AmountNotPositive = "金额要大于0，请再说一下费用是多少。"
	AmountTooLarge    = "这个金额太大了，请检查一下是不是多打了几个0。"
	AmountWrong       = "这个金额不对，请检查一下再说一次。"
	OutOfListOverBill = "自费部分比总费用还多，这次按费用全部在目录内计算。"
	EstimateFailed    = "抱歉，计算出了问题，请回复“帮我算”重新开始。"
	NoSuchChoice      = "没有这个选项，请回复问题下面列出的数字。"
	Restarted         = "好的，重新开始。"
	EstimateLeft      = "好的，已退出报销计算。"
	FirstStepAlready  = "已经是第一步了。"
	SteppedBack       = "好的，回到上一步。"
	// NotCovered: a grade whose ordinary outpatient care the fund does not
	// pay, in a question's option.
	NotCovered = "普通门诊不报"
)

// Option labels.
const (
	LabelChangeAmount    = "换个金额再算"
	LabelDeductOutOfList = "扣除自费（目录外）部分再算"
	LabelChangeOutOfList = "改自费（目录外）部分"
	LabelAssumptions     = "看全部说明"
	LabelTierDetails     = "看举例和计算前提"
	LabelEstimateNew     = "重新算一笔"
	LabelMainMenu        = "主菜单"
	LabelMore            = "查看余下内容"
	LabelInpatientRules  = "住院怎么报销"
	LabelMinorInpatient  = "孩子住院怎么报"
	LabelEstimate        = "帮我算能报多少"
	LabelEstimateIn      = "帮我算住院能报多少"
	LabelYearPrice       = "一年交多少钱"
	LabelPrice           = "交多少钱"
	LabelHowToPay        = "怎么交费"
	LabelHotline         = "咨询电话"
	LabelPaidHowToCheck  = "交了怎么查"
)

// Who names the patient in a recap.
const (
	WhoAdult = "成人"
	WhoMinor = "未成年人"
)

// NoOption answers a number that is no option: k options are on screen,
// or none (k == 0, the menu has expired).
func NoOption(n, k int) string {
	if k == 0 {
		return fmt.Sprintf("没有找到选项 %d，可能菜单已经过期了。", n)
	}
	return fmt.Sprintf("没有选项 %d，请回复 1 到 %d 之间的数字。", n, k)
}

// AssumeTier1 says the estimate goes on with 一档, and what 二档 would give
// more of (Tier2Better).
func AssumeTier1(better string) string { return "好的，先按一档估算（" + better + "）。" }

// TierGuessed is the assumption of a tier the resident was unsure of.
func TierGuessed(better string) string {
	return "您不确定档次，先按一档估算（" + better + "）"
}

// Tier2Better says what 二档 gives more of, for outpatient care or a stay.
func Tier2Better(outpatient bool) string {
	if outpatient {
		return "二档门诊一年能报的限额更高"
	}
	return "二档住院报销比例更高、限额更高"
}

// LevelOptionsHint names the year of the terms beside a question's grades.
func LevelOptionsHint(year int) string { return fmt.Sprintf("括号里是%d年度的标准。", year) }

// Noted says back the answers so far.
func Noted(recap string) string { return "已记下：" + recap }

// OutOfListOverTotal refuses an out-of-list part larger than the bill.
func OutOfListOverTotal(total string) string {
	return fmt.Sprintf("自费部分不能超过总费用%s元。", total)
}

// NoSuchPremium answers a yearly sum that is no tier's price.
func NoSuchPremium(year int, tier1, tier2, said string) string {
	return fmt.Sprintf("%d年度一档每人%s元、二档每人%s元，没有%s元这一档。", year, tier1, tier2, said)
}

// InpatientTerms says in a few characters what a grade pays a stay for a
// tier: "起付线800元，二档报50%".
func InpatientTerms(deductible, tier, ratio string) string {
	return fmt.Sprintf("起付线%s元，%s报%s", deductible, tier, ratio)
}

// OutpatientTerms says what a grade pays for outpatient care: "报50%",
// or "超过100元的部分报50%" when there is a deductible ("" for none).
func OutpatientTerms(deductible, ratio string) string {
	if deductible == "" {
		return "报" + ratio
	}
	return fmt.Sprintf("超过%s元的部分报%s", deductible, ratio)
}

// LevelLine is one grade's line in a tier's summary.
func LevelLine(level, deductible, ratio string) string {
	return fmt.Sprintf("%s医院：起付线%s元，报%s", level, deductible, ratio)
}

// TierPriceNote follows a lone tier's clarifying question with its price.
func TierPriceNote(year int, tier, price string) string {
	return fmt.Sprintf("（%d年度%s每人每年交%s元）", year, tier, price)
}

// Labels of the options under a lone tier.
func LabelTierPrice(tier string) string     { return tier + "一年交多少钱" }
func LabelTierInpatient(tier string) string { return "按" + tier + "算住院能报多少" }
func LabelTierOutpatient(tier string) string {
	return "按" + tier + "算门诊能报多少"
}

// Pieces of a recap ("住院 · 二档 · 三级医院 · 50,000元").
func RecapTierGuessed(tier string) string   { return tier + "（不确定，先按一档）" }
func RecapLevel(level string) string        { return level + "医院" }
func RecapAmount(amount string) string      { return amount + "元" }
func RecapRoughAmount(amount string) string { return "约" + amount + "元" }
func RecapOutOfList(amount string) string   { return "其中自费" + amount + "元" }
func RecapPriorBasic(amount string) string  { return "今年已报" + amount + "元" }
func RecapPriorSelf(amount string) string   { return "今年已自付" + amount + "元" }

// AnotherStay says a second stay was counted with the first one's
// payments toward the year's cap and the critical-illness deductible.
func AnotherStay(basic, self string) string {
	return "按同一年的第二次住院算：上次住院医保已报" + basic + "元、自付" + self + "元，计入今年累计（封顶线和大病起付线按全年算）。"
}

// What the user sees when the webhook cannot answer in time or fails:
// always a kind answer, never an error status, which the user would see as
// "该公众号暂时无法提供服务".
const (
	TimeoutText = "抱歉，系统有点忙，这条消息没来得及处理。请过一会儿再发一次。"
	ErrorText   = "抱歉，刚才出了点问题，请稍后再发一次。"
)

// NoText stands, in the usage statistics, for a message not understood
// that had no text: a voice message the platform could not transcribe.
const NoText = "（没有文字）"

// AmountNegative refuses a bill said with a minus: it is never computed as
// the positive sum.
const AmountNegative = "费用不会是负数，请再说一下花了多少钱（比如 3000 或 2万）。"

// CheckAmount asks to confirm a bill before computing: one said roughly
// ("大约3万元"), a hospital stay too small to be likely (tooSmall), or a
// clinic bill too large to be likely (tooLarge).
func CheckAmount(kind, amount string, approx, tooSmall, tooLarge bool) Question {
	var prompt string
	switch {
	case approx:
		prompt = fmt.Sprintf("您说的是大约%s元，按%s元算吗？", amount, amount)
	case tooSmall:
		prompt = fmt.Sprintf("%s费用只有%s元吗？住院一般至少几百元，是不是少了“万”或“千”？", kind, amount)
	case tooLarge:
		prompt = fmt.Sprintf("%s费用%s元吗？普通门诊很少这么多，如果是住院请回复“住院”。", kind, amount)
	default:
		prompt = fmt.Sprintf("%s费用按%s元算吗？", kind, amount)
	}
	return Question{
		Prompt:  prompt,
		Options: []string{fmt.Sprintf("是，按%s元算", amount), "重新输入金额"},
		Help:    "回复 1 按这个金额算；回复 2 或直接说准确的金额，比如“住院花了32000”。",
	}
}

// RoughAmount says back a bill given roughly in answer to "大概多少钱".
func RoughAmount(amount string) string { return "按您说的大约" + amount + "元估算。" }

// BillRefusal says why a bill was not taken, for one of engine's amount
// reasons (engine.CheckBill).
func BillRefusal(err error) string {
	switch {
	case errors.Is(err, engine.ErrAmountNegative):
		return AmountNegative
	case errors.Is(err, engine.ErrAmountZero):
		return AmountNotPositive
	case errors.Is(err, engine.ErrAmountTooLarge):
		return AmountTooLarge
	}
	return AmountWrong
}

// PartRefusal says why a part of a bill or a sum paid before was not
// taken (engine.CheckPart): whichever the reason, it is said back as wrong,
// since the bill itself still counts.
func PartRefusal(error) string { return AmountWrong }
