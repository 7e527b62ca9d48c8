package replies

import (
	"fmt"
	"strings"
)

// The estimate dialog's questions. Each asks for one thing, shows how to
// answer (digits for fixed choices, examples for amounts) and reminds how
// to go back or leave, since many users do not know they can.

const dialogHint = "（回复“上一步”修改，“取消”退出）"

// AskKind asks whether the bill is for a hospital stay or a clinic visit.
func AskKind() string {
	return "您想算住院费用，还是门诊费用？\n回复 1 住院\n回复 2 门诊\n" + dialogHint
}

// AskTier asks for the contribution tier; contributions name their year.
func AskTier(year int, tier1, tier2 string) string {
	return fmt.Sprintf("您参保的是哪一档？\n回复 1 一档（%d年度每人%s元）\n回复 2 二档（%d年度每人%s元）\n"+
		"不清楚可回复“不知道”，先按一档估算。\n%s", year, tier1, year, tier2, dialogHint)
}

// AskLevel asks for the hospital's grade, in everyday names.
func AskLevel(kind string) string {
	return fmt.Sprintf("%s的医院是哪一级？\n回复 1 一级：乡镇卫生院、社区医院、诊所\n回复 2 二级：区县医院等\n"+
		"回复 3 三级：三甲等大医院\n不确定的话，可以问医院或看挂号单。\n%s", kind, dialogHint)
}

// AskAmount asks for the bill.
func AskAmount(kind string) string {
	if kind == "门诊" {
		return "这次门诊一共花了多少钱？\n例如：200、350元、1千2\n" + dialogHint
	}
	return "这次住院总费用大概多少钱？\n例如：5万、8000、三万五\n" + dialogHint
}

// AskMinor asks whether the patient is under 18 (their ratio is higher).
func AskMinor() string {
	return "病人是未满18岁的未成年人吗？（未成年人住院报销比例高5个百分点）\n回复 1 是\n回复 2 不是\n" + dialogHint
}

// AskOutOfPolicy asks for the part of the bill the list does not cover.
func AskOutOfPolicy() string {
	return "其中医保目录外（自费）的部分大概多少钱？\n医院结算单上“自费”“全自费”那一栏就是，这部分不报销。\n例如：3000；没有就回复 0\n" + dialogHint
}

// Reask prefixes a question with why the last answer was not taken.
func Reask(why, question string) string {
	return why + "\n\n" + question
}

// Expired tells a user coming back that their estimate timed out.
func Expired(minutes int) string {
	return fmt.Sprintf("刚才的计算超过%d分钟没有继续，已经结束了。需要的话可以重新算。", minutes)
}

// ResumeHint follows an answer given in the middle of a dialog.
func ResumeHint() string {
	return "\n\n——刚才的报销计算还在，回复“继续”接着算。"
}

// Menu appends numbered follow-ups to a text.
func Menu(text string, labels []string) string {
	if len(labels) == 0 {
		return text
	}
	var b strings.Builder
	b.WriteString(text)
	b.WriteString("\n")
	for i, l := range labels {
		fmt.Fprintf(&b, "\n回复 %d %s", i+1, l)
	}
	return b.String()
}
