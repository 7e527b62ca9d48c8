package replies_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

func policy2025(tb testing.TB) *engine.Policy {
	tb.Helper()
	ps, err := engine.DefaultPolicies()
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range ps {
		if p.Year == 2025 {
			return p
		}
	}
	tb.Fatal("no 2025 policy built in")
	return nil
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// SampleFacts2025 documents what NewFacts makes of the built-in 2025 file.
func TestNewFactsMatchesSample(t *testing.T) {
	book, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	got := replies.WithYear(replies.NewFacts(policy2025(t), 2025, day(2024, 10, 8)), book, 2025, day(2024, 10, 8))
	if want := replies.SampleFacts2025(); !reflect.DeepEqual(got, want) {
		t.Fatalf("NewFacts(2025) =\n%+v\nSampleFacts2025 =\n%+v", got, want)
	}
}

func TestNewFactsSeasonAndFallback(t *testing.T) {
	tests := []struct {
		name     string
		asked    int
		today    time.Time
		season   string
		fallback bool
	}{
		{"before enrolment", 2025, day(2024, 8, 1), replies.SeasonBefore, false},
		{"first day of enrolment", 2025, day(2024, 9, 13), replies.SeasonEnrolment, false},
		{"last day of enrolment", 2025, day(2024, 12, 31), replies.SeasonEnrolment, false},
		{"late window", 2025, day(2025, 1, 20), replies.SeasonLate, false},
		{"last late day", 2025, day(2025, 2, 28), replies.SeasonLate, false},
		{"after the late window", 2025, day(2025, 3, 1), replies.SeasonClosed, false},
		{"a year with no data", 2026, day(2026, 11, 23), replies.SeasonClosed, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := replies.NewFacts(policy2025(t), tt.asked, tt.today)
			if f.Season != tt.season || f.Fallback != tt.fallback || f.Year != 2025 || f.AskedYear != tt.asked {
				t.Errorf("season %q fallback %t year %d asked %d; want %q %t 2025 %d",
					f.Season, f.Fallback, f.Year, f.AskedYear, tt.season, tt.fallback, tt.asked)
			}
			if want := replies.ChineseDate(tt.today); f.Today != want {
				t.Errorf("Today = %q, want %q", f.Today, want)
			}
		})
	}
}

// The 2025 texts, rendered from the built-in policy file, carry the figures
// of the sources that file names, and name their year.
func TestFiguresAgreeWithPolicy(t *testing.T) {
	g := defaultGuides(t)
	f := replies.NewFacts(policy2025(t), 2025, day(2024, 10, 8))
	tests := []struct {
		key  string
		want []string
	}{
		{"contribution", []string{"2025年度", "一档：400元", "二档：775元", "不少于670元", "一档报50%，二档报55%",
			"2024年9月13日至2024年12月31日", "2025年1月1日起"}},
		{"payment", []string{"2025年度一档400元，二档775元", "重庆税务", "渝快办", "重庆农商行App", "税务服务厅"}},
		{"family_pay", []string{"2025年度一档400元，二档775元", "重庆医保", "职工医疗个人账户代缴城乡居民医疗保险"}},
		{"deadline", []string{"2025年度", "2024年9月13日至2024年12月31日", "2025年1月1日起", "2025年1月1日至2025年2月28日",
			"下个月1日", "2025年2月28日以后交费", "资料没有写", "023-12393"}},
		{"inpatient", []string{"2025年度", "三级医院：起付线800元，一档报50%，二档报55%", "二级医院：起付线300元，一档报70%，二档报75%",
			"一级及以下医院（乡镇卫生院、社区医院等）：起付线100元，一档报80%，二档报85%",
			"再高5个百分点", "一档80,000元，二档120,000元", "目录外", "不报销"}},
		{"inpatient_minor", []string{"2025年度", "高5个百分点", "一档报55%，二档报60%", "一档报75%，二档报80%", "一档报85%，二档报90%"}},
		{"outpatient", []string{"2025年度", "一级及以下医院（乡镇卫生院、社区医院等）：没有起付线，报60%", "二级医院：超过200元的部分报40%",
			"三级医院：普通门诊不报销", "一档300元，二档500元", "每次看病都算，还是一年只算一次，资料没有写明", "目录外"}},
		{"critical", []string{"2025年度", "按每人每年16,901元估算，以医保部门当年公布为准", "60%", "200,000元", "目录外"}},
		{"employee_individual", []string{"2025年度", "一档：3,075元", "二档：6,765元"}},
		{"about", []string{"2025年度", "一档400元，二档775元", "不少于670元"}},
		{"hotline", []string{"023-12393", "023-88979966", "12333"}},
		{"materials", []string{"身份证", "户口簿", "原件和复印件"}},
		{"enrol_online", []string{"重庆市医疗保障局", "服务大厅", "居民参保", "城乡居民参保登记"}},
		{"payment_status", []string{"支付宝微信订单查询", "我的医保", "缴费记录", "身份证"}},
		{"claims", []string{"医保卡", "电子凭证", "备案", "联网", "急诊"}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			text := render(t, g, replies.GuideKey(tt.key), f).Text
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, text)
				}
			}
			// Figures of other years, or the seeds' known errors, never appear.
			for _, bad := range []string{"2023年度", "2025年12月31日", "18,797", "19,856", "2,910", "6,402"} {
				if strings.Contains(text, bad) {
					t.Errorf("contains %q:\n%s", bad, text)
				}
			}
		})
	}
}

// With no data for the year asked, every guide that shows figures says
// which year they are, that the asked year's are to be confirmed, and how.
func TestFallbackIsSaid(t *testing.T) {
	g := defaultGuides(t)
	f := replies.NewFacts(policy2025(t), 2026, day(2026, 11, 23))
	for _, key := range []string{"contribution", "deadline", "inpatient", "inpatient_minor", "outpatient", "critical", "employee_individual", "about"} {
		text := render(t, g, replies.GuideKey(key), f).Text
		for _, w := range []string{"2026年度", "还没有收录", "2025年度"} {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", key, w, text)
			}
		}
	}
	// After the 2025 windows nothing says when or how to pay for 2026.
	for _, key := range []string{"contribution", "payment", "deadline"} {
		text := render(t, g, replies.GuideKey(key), f).Text
		if !strings.Contains(text, "已经过了") || !strings.Contains(text, "023-12393") {
			t.Errorf("%s does not say the windows have passed and whom to call:\n%s", key, text)
		}
		if strings.Contains(text, "2026年度集中参保期") || strings.Contains(text, "现在是") {
			t.Errorf("%s invents a 2026 window:\n%s", key, text)
		}
	}
}
