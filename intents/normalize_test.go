package intents_test

import (
	"testing"

	"github.com/yibao/yibao/intents"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"full-width digits and letters", "ＡＢＣ１２３", "abc123"},
		{"full-width punctuation and space removed", "住院，５万！　能报吗？", "住院5万能报吗"},
		{"lower case", "Hello WORLD", "helloworld"},
		{"traditional characters", "醫療保險繳費門診級檔報銷", "医疗保险缴费门诊级档报销"},
		{"financial numerals", "伍萬元", "五万元"},
		{"thousands separator kept between digits", "12,000元", "12,000元"},
		{"full-width comma between digits kept", "12，000元", "12,000元"},
		{"date separators kept", "2025-01-15 和 2025/01/15", "2025-01-15和2025/01/15"},
		{"decimal point kept", "3.5万", "3.5万"},
		{"punctuation not between digits removed", "5万.能报-吗/", "5万能报吗"},
		{"yen sign removed", "￥8000", "8000"},
		{"emoji removed", "住院😀5万👍", "住院5万"},
		{"invalid UTF-8 dropped", "住院\xff\xfe5万", "住院5万"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := intents.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMatchReportsNormalizedText(t *testing.T) {
	m := newMatcher(t)
	if got := m.Match("住院，５万！", testNow(t)).Normalized; got != "住院5万" {
		t.Errorf("Normalized = %q, want 住院5万", got)
	}
}
