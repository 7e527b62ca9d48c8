package replies

import (
	"fmt"
	"strconv"
	"strings"
)

// The estimate dialog's questions. Each asks for one thing and says how to
// answer (numbered options for fixed choices, examples for amounts) and
// what to do when unsure; the bot shows the options with the same numbered
// lines as every menu, and reminds how to go back or leave, since many
// users do not know they can.

// Question is one question of the estimate as the user reads it.
type Question struct {
	Prompt  string   // the question itself
	Options []string // the numbered answers, in order ("回复 1 住院")
	Hint    string   // how else to answer, under the options
	Help    string   // the answer to "不知道": how to tell
}

// DialogHint ends every question.
const DialogHint = "（回复“上一步”修改，“取消”退出）"

// AskKind asks whether the bill is for a hospital stay or a clinic visit.
func AskKind() Question {
	return Question{
		Prompt:  "您想算住院费用，还是门诊费用？",
		Options: []string{"住院", "门诊"},
		Help:    "办了入院手续、在医院住下治疗的是住院；看病、拿药当天回家的是门诊。",
	}
}

// AskTier asks for the contribution tier; contributions name their year,
// since that is how people remember which one they paid.
func AskTier(year int, tier1, tier2 string) Question {
	return Question{
		Prompt: "您参保的是哪一档？",
		Options: []string{
			fmt.Sprintf("一档（%d年度每人%s元）", year, tier1),
			fmt.Sprintf("二档（%d年度每人%s元）", year, tier2),
		},
		Hint: "也可以说交了多少钱；不清楚可回复“不知道”，先按一档估算。",
		Help: fmt.Sprintf("档次看交了多少钱：%d年度交%s元的是一档，交%s元的是二档。缴费记录可以在“重庆医保”公众号或支付宝、微信的缴费记录里查。", year, tier1, tier2),
	}
}

// AskLevel asks for the hospital's grade, in everyday names.
func AskLevel(kind string) Question {
	return Question{
		Prompt: kind + "的医院是哪一级？",
		Options: []string{
			"一级：乡镇卫生院、社区医院、诊所",
			"二级：区县医院等",
			"三级：三甲等大医院",
		},
		Help: "医院等级一般写在医院大门、挂号单或医院官网上（比如“三级甲等”）。乡镇卫生院、社区卫生服务中心是一级；" +
			"区县人民医院、中医院多是二级或三级；市里的大医院、医科大学附属医院多是三级。实在不确定，可以打医院电话问。",
	}
}

// AskAmount asks for the bill.
func AskAmount(kind string) Question {
	if kind == "门诊" {
		return Question{
			Prompt: "这次门诊一共花了多少钱？",
			Hint:   "例如：200、350元、1千2",
			Help:   "看收费单据上的合计金额；记不清的话，说个大概的数也可以，例如200。",
		}
	}
	return Question{
		Prompt: "这次住院总费用大概多少钱？",
		Hint:   "例如：5万、8000、三万五",
		Help:   "看出院结算单上的“总费用”；还没出院的，说个大概的数也可以，例如5万。",
	}
}

// AskMinor asks whether the patient is under 18 (their ratio is higher).
func AskMinor() Question {
	return Question{
		Prompt:  "病人是未满18岁的未成年人吗？（未成年人住院报销比例高5个百分点）",
		Options: []string{"是", "不是"},
		Help:    "看病人的年龄：不满18周岁的算未成年人，回复 1；18岁及以上回复 2。",
	}
}

// AskOutOfPolicy asks for the part of the bill the list does not cover.
func AskOutOfPolicy() Question {
	return Question{
		Prompt: "其中医保目录外（自费）的部分大概多少钱？",
		Hint:   "医院结算单上“自费”“全自费”那一栏就是，这部分不报销。例如：3000；没有就回复 0",
		Help:   "不清楚的话先按全部在目录内估算。",
	}
}

// Expired tells a user coming back that their estimate timed out.
func Expired(minutes int) string {
	return fmt.Sprintf("刚才的计算超过%d分钟没有继续，已经结束了。需要的话可以重新算。", minutes)
}

// ResumeHint follows an answer given in the middle of a dialog.
func ResumeHint() string {
	return "——刚才的报销计算还在，回复“继续”接着算。"
}

// Options writes numbered choices, one a line: the one place that writes
// "回复 N", so every menu and question reads the same and digits mean the
// same everywhere.
func Options(labels []string) string {
	n := 0
	for _, l := range labels {
		n += len("\n回复 10 ") + len(l)
	}
	var b strings.Builder
	b.Grow(n)
	for i, l := range labels {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("回复 ")
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteByte(' ')
		b.WriteString(l)
	}
	return b.String()
}

// Menu appends numbered follow-ups to a text, after a blank line.
func Menu(text string, labels []string) string {
	switch {
	case len(labels) == 0:
		return text
	case text == "":
		return Options(labels)
	}
	return text + "\n\n" + Options(labels)
}
