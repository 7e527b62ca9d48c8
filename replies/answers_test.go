package replies_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

const hotline = "023-12393"

// answerMenu is a typical follow-up menu: every answer must fit with it.
var answerMenu = []string{"算一算", "交费标准", "主菜单"}

func selection(t *testing.T, y int) engine.Selection {
	t.Helper()
	b, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.ForYear(y)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkAnswer checks what every answer owes its reader: it fits one reply
// with a menu, names the year of its figures, and gives the hotline when
// asked to.
func checkAnswer(t *testing.T, name, text string, year int, wantHotline bool) {
	t.Helper()
	if n := len(replies.Menu(text, answerMenu)); n > replies.MaxBytes {
		t.Errorf("%s: %d bytes with a menu, want at most %d:\n%s", name, n, replies.MaxBytes, text)
	}
	if y := strconv.Itoa(year) + "年度"; !strings.Contains(text, y) {
		t.Errorf("%s does not name %s:\n%s", name, y, text)
	}
	if wantHotline && !strings.Contains(text, hotline) {
		t.Errorf("%s has no hotline:\n%s", name, text)
	}
	checkGolden(t, "answers/"+name, text)
}

// firstScreen is what a phone shows at a large font before scrolling:
// about 12 lines of 14 full-width characters.
const firstScreen = 12

func TestTierAdvice(t *testing.T) {
	for _, tt := range []struct {
		name  string
		year  int
		minor bool
		want  []string
	}{
		// The figures are the engine's (worked by hand in engine's tests).
		{"tiers.adult", 2025, false, []string{"多交375元", "一级医院：约7,600元以上", "二级医院：约7,800元以上", "三级医院：约8,300元以上",
			"一年最多多报200元，只靠门诊补不回", "从300元提高到500元", "目录内费用10,000元，一档报4,600元，二档报5,060元，二档多报460元", "还多85元",
			"大病保险起付线按16,901元估算", "没有计入连续参保", "回复“算一算”", "选哪一档由您自己决定"}},
		{"tiers.minor", 2025, true, []string{"（未成年人）", "三级医院：约8,300元以上", "一档报5,060元，二档报5,520元"}},
		{"tiers.fallback", 2027, false, []string{"2027年度的报销规定还没录入", "三级医院：约8,300元以上"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := selection(t, tt.year).AdviseTiers(tt.minor)
			if err != nil {
				t.Fatal(err)
			}
			first := replies.TierAdvice(a, hotline)
			// The advice leads and fits a phone's first screen; the
			// example and the assumptions are behind a numbered option.
			if n := screenRows(first); n > firstScreen {
				t.Errorf("the advice takes %d phone lines, more than the first screen's %d:\n%s", n, firstScreen, first)
			}
			if strings.Contains(first, "举例") || strings.Contains(first, "按以下情况") {
				t.Errorf("the first screen holds the details:\n%s", first)
			}
			text := first + "\n\n" + replies.TierAdviceDetails(a, hotline)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in:\n%s", w, text)
				}
			}
			checkAnswer(t, tt.name, text, 2025, true)
		})
	}
}

// Advice with a dip (二档 pays back, falls short, pays back again) and with
// no pay-back at all: the texts say so and give no figure that is not there.
func TestTierAdviceShapes(t *testing.T) {
	a, err := selection(t, 2025).AdviseTiers(false)
	if err != nil {
		t.Fatal(err)
	}
	m := func(s string) engine.Money {
		v, err := engine.ParseMoney(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	dip := a
	dip.Inpatient = []engine.TierBreakEven{
		{Level: engine.Level3, PaysBack: true, From: m("51000"), Ranges: []engine.BillRange{
			{From: m("21000"), To: m("35162.40")}, {From: m("51000"), To: m("470000"), OpenEnded: true}}},
		{Level: engine.Level2, Ranges: []engine.BillRange{{From: m("21000"), To: m("35162.40")}}},
		{Level: engine.Level1},
	}
	dip.Example = nil
	text := replies.TierAdvice(dip, hotline)
	for _, w := range []string{"三级医院：约51,000元以上（另外21,000至35,162.40元之间也够）",
		"二级医院：只有费用在21,000至35,162.40元之间才够", "一级医院：费用再高，二档多报的也补不回多交的钱"} {
		if !strings.Contains(text, w) {
			t.Errorf("no %q in:\n%s", w, text)
		}
	}
	if strings.Contains(text, "举例") {
		t.Errorf("an example with no example given:\n%s", text)
	}
	checkAnswer(t, "tiers.shapes", text, 2025, true)
}

func TestBreakAnswer(t *testing.T) {
	s := selection(t, 2025)
	for _, tt := range []struct {
		name string
		c    engine.BreakCase
		want []string
	}{
		{"break.general", engine.BreakCase{}, []string{"国办发〔2024〕38号，2025年起实行", "3个月固定等待期", "每多断1年，再加1个月变动等待期",
			"每补缴1年，可减少1个月", "连续参保满4年后", "不少于1,000元", "重庆具体怎么执行", "（2025年度）里还没有"}},
		{"break.two_years", engine.BreakCase{YearsBroken: 2}, []string{"您断保2年", "固定等待期3个月，加变动等待期1到2个月，交费后大约4到5个月才能报销",
			"断保的第一年算不算，文件没有说清", "补缴断保的年份，最多可少等2个月"}},
		{"break.paid_back", engine.BreakCase{YearsBroken: 2, YearsPaidBack: 2, PaidBackSaid: true},
			[]string{"您断保2年、补缴了2年", "固定等待期3个月，没有变动等待期，交费后大约3个月才能报销"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x, err := s.ExplainBreak(tt.c)
			if err != nil {
				t.Fatal(err)
			}
			text := replies.BreakAnswer(x, hotline)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in:\n%s", w, text)
				}
			}
			if strings.Contains(text, "重庆的规定") {
				t.Errorf("the national rule is shown as Chongqing's:\n%s", text)
			}
			checkAnswer(t, tt.name, text, 2025, true)
		})
	}
	// Once an operator confirms Chongqing's rules, they are shown as such.
	x, err := s.ExplainBreak(engine.BreakCase{YearsBroken: 1})
	if err != nil {
		t.Fatal(err)
	}
	x.Rules.Confirmed = true
	text := replies.BreakAnswer(x, hotline)
	if !strings.Contains(text, "重庆的规定（2025年度资料") || strings.Contains(text, "还没有") {
		t.Errorf("confirmed rules:\n%s", text)
	}
}

var yearMention = regexp.MustCompile(`(20\d\d)年`)

func TestNextYearAnswer(t *testing.T) {
	newest := selection(t, 2025).Policy
	for _, tt := range []struct {
		name  string
		asked int
		want  []string
	}{
		{"next_year.2027", 2027, []string{"【2027年度交费】", "2027年度的交费标准和交费时间，我们这里还没有录入", "现有资料最新的是2025年度",
			"一档400元，二档775元", "集中参保期：2024年9月13日至2024年12月31日", "补缴期：2025年1月1日至2025年2月28日",
			"2025年度是在上一年9月13日至12月31日交费"}},
		{"next_year.unnamed", 0, []string{"【2026年度交费】", "2026年度的交费标准"}},
		{"next_year.known", 2025, []string{"【2025年度交费】", "一档400元"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := replies.NextYearAnswer(newest, tt.asked, hotline)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in:\n%s", w, text)
				}
			}
			// No date or figure of a year we have no data for: the only
			// years named are the data's own and the one asked about.
			asked := tt.asked
			if asked == 0 {
				asked = 2026
			}
			for _, mm := range yearMention.FindAllStringSubmatch(text, -1) {
				if y := mm[1]; y != "2024" && y != "2025" && y != strconv.Itoa(asked) {
					t.Errorf("names %s年, which the data does not hold:\n%s", y, text)
				}
			}
			if tt.asked != 2025 && strings.Contains(text, strconv.Itoa(asked)+"年1月") {
				t.Errorf("invents a date in %d:\n%s", asked, text)
			}
			checkAnswer(t, tt.name, text, 2025, true)
		})
	}
}

func TestWaitingPeriodNote(t *testing.T) {
	s := selection(t, 2025)
	note := replies.WaitingPeriodNote(s.EnrolmentRules, hotline)
	for _, w := range []string{"国办发〔2024〕38号", "3个月固定等待期", hotline} {
		if !strings.Contains(note, w) {
			t.Errorf("no %q in %q", w, note)
		}
	}
	if got := replies.WaitingPeriodNote(nil, hotline); got != "" {
		t.Errorf("no rules, note %q", got)
	}
	// With the benefit-start answer it still fits one reply.
	start := mustBook(t).BenefitStart(day(2026, 11, 23))
	if text := replies.BenefitStart(start, hotline) + "\n" + note; len(replies.Menu(text, answerMenu)) > replies.MaxBytes || !strings.Contains(text, "2025年度") {
		t.Errorf("benefit start with the note:\n%s", text)
	}
}

func mustBook(t *testing.T) *engine.Book {
	t.Helper()
	b, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPriceChange(t *testing.T) {
	tests := []struct {
		name  string
		tiers []replies.TierPrices
		want  string
	}{
		{"same", []replies.TierPrices{{Tier: "一档", Now: "400", Before: "400"}, {Tier: "二档", Now: "775", Before: "775"}},
			"2026年度和2025年度的个人交费一样，没有涨：一档400元、二档775元。"},
		{"rose", []replies.TierPrices{{Tier: "一档", Now: "400", Before: "380", Up: "20", Rose: true}, {Tier: "二档", Now: "775", Before: "775"}},
			"2026年度个人交费：一档400元，比2025年度（380元）涨了20元；二档775元，和2025年度一样。"},
		{"fell", []replies.TierPrices{{Tier: "一档", Now: "380", Before: "400", Down: "20", Fell: true}},
			"2026年度个人交费：一档380元，比2025年度（400元）降了20元。"},
	}
	for _, tt := range tests {
		if got := replies.PriceChange(2026, 2025, tt.tiers); got != tt.want {
			t.Errorf("%s: PriceChange = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSubsidyChange(t *testing.T) {
	if got, want := replies.SubsidyChange(2025, "700", "670", "30", true), "政府每人补助不少于700元，比2025年度（670元）多30元。"; got != want {
		t.Errorf("SubsidyChange rose = %q, want %q", got, want)
	}
	if got, want := replies.SubsidyChange(2025, "670", "670", "0", false), "政府每人补助不少于670元（2025年度不少于670元）。"; got != want {
		t.Errorf("SubsidyChange same = %q, want %q", got, want)
	}
}
