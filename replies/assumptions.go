package replies

import (
	"fmt"
	"time"

	"github.com/yibao/yibao/engine"
)

// AssumptionText words one premise of an estimate, in full, from its code
// and the figures it names. An unknown code (a release's engine ahead of
// its replies) is said as the code, never dropped.
func AssumptionText(a engine.Assumption) string {
	switch a.Code {
	case "first_claim_basic":
		return "假设今年基本医保还没有报销过（已报过的，年度限额会相应减少）"
	case "first_claim_critical":
		return "假设今年此前没有其他住院自付费用（大病保险按全年累计自付计算）"
	case "critical_deductible":
		return fmt.Sprintf("大病保险起付线按%s元估算，以医保部门当年公布为准", a.Amount.Display())
	case "critical_cap_raises":
		return "没有计入连续参保、上年未报销可能带来的大病保险限额提高（重庆具体办法待确认）"
	case "not_covered":
		return fmt.Sprintf("%s医院的普通门诊费用，居民医保不报销", a.Level)
	case "deductible_basis":
		text := fmt.Sprintf("起付线%s元按本次就诊扣除估算", a.Amount.Display())
		if a.Unclear {
			text += "（政策没有写明按次还是按年扣，请以医院结算为准）"
		}
		return text
	case "limit_unused":
		return fmt.Sprintf("假设今年%s门诊报销额度%s元还没有用过", a.Tier, a.Amount.Display())
	case "year_fallback":
		return yearFallback(a, "估算")
	case "all_in_policy":
		return "假设费用全部在医保报销目录内；目录外（自费）部分不报销"
	case "designated":
		return "假设在本地定点医疗机构就医并直接结算"
	case "tier_guessed":
		return TierGuessed(Tier2Better(a.Kind == engine.KindOutpatient))
	}
	return a.Code
}

// TierAssumptionText words one premise of the tier comparison, where the
// same codes read as conditions of a worked example.
func TierAssumptionText(a engine.Assumption) string {
	switch a.Code {
	case "year_fallback":
		return yearFallback(a, "计算")
	case "one_admission":
		return "一年只住院一次（每次住院都扣起付线，次数多时金额会高一些）"
	case "all_in_policy":
		return "费用都在医保目录内（目录外的自费部分两档都不报）"
	case "first_claim":
		return "当年没有别的报销"
	}
	return AssumptionText(a)
}

// yearFallback says an earlier year's rules were used: to estimate a
// bill, or to work out the tier comparison (verb).
func yearFallback(a engine.Assumption, verb string) string {
	if a.Partial {
		return fmt.Sprintf("%d年度只收录了交费标准，报销规定按%d年度%s", a.Asked, a.Year, verb)
	}
	return fmt.Sprintf("%d年度的标准还没有录入，按%d年度标准%s", a.Asked, a.Year, verb)
}

// Assumption is a premise as the estimate API gives it: its code and its
// words.
type Assumption struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// Assumptions words an estimate's premises for the API (never nil, so the
// JSON holds a list).
func Assumptions(as []engine.Assumption, text func(engine.Assumption) string) []Assumption {
	out := make([]Assumption, len(as))
	for i, a := range as {
		out[i] = Assumption{Code: a.Code, Text: text(a)}
	}
	return out
}

// StartGapText says why the data cannot tell when cover starts.
func StartGapText(r engine.BenefitStart) string {
	switch r.Gap {
	case engine.StartAfterNewest:
		return fmt.Sprintf("现有资料只写到%d年度：%s以后缴费从何时开始享受待遇，资料没有说明", r.Year, ChineseDate(r.Edge))
	case engine.StartBeforeOldest:
		return fmt.Sprintf("%s以前的缴费规定不在现有资料里", ChineseDate(r.Edge))
	}
	return "这个日期不在资料写明的集中参保期或补缴期内"
}

// ChineseDate writes a day as residents read it: 2025年3月1日.
func ChineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}
