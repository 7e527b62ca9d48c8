package pii_test

import (
	"strings"
	"testing"

	"github.com/yibao/yibao/intents/pii"
)

// personalForms are the ways residents (and the probe of issue 21) wrote
// phone, ID-card and bank-card numbers.
var personalForms = []string{
	"13812345678", "138 1234 5678", "138-1234-5678", "138.1234.5678", "138/1234/5678",
	"138，1234，5678", "138：1234：5678", "138:1234:5678", "+86 138 1234 5678", "+8613812345678",
	"(+86)138-1234-5678", "１３８１２３４５６７８", "一三八一二三四五六七八", "幺三八 幺二三四 五六七八",
	"138    1234    5678", "138\u20091234\u20095678", "138\u200b1234\u200b5678", "138\u22121234\u22125678",
	"500101199001011234", "50010119900101123X", "500101 19900101 1234", "5001 0119 9001 0112 3 X",
	"五〇〇一〇一一九九〇〇一〇一一二三四", "500101900101123", "6222 0212 3456 7890", "6222021234567890123",
}

func TestFindsEveryForm(t *testing.T) {
	for _, s := range personalForms {
		if !pii.Contains("我的号码是" + s + "谢谢") {
			t.Errorf("Contains(%q) = false", s)
		}
		out, ok := pii.Blank("电话" + s + "，住院")
		if !ok || strings.ContainsFunc(out, pii.IsDigit) || !strings.HasSuffix(out, " ，住院") {
			t.Errorf("Blank(%q) = %q, %v: want the number gone and the rest kept", s, out, ok)
		}
	}
}

func TestLeavesOrdinaryNumbers(t *testing.T) {
	for _, s := range []string{"住院花了50000元", "2025-01-01 住院", "023-88979966", "02388979966", "打12345或12393",
		"1234567890", "一二三", "3.5万", "12,000", "5万 3000", "二〇二五年一月一日", "第一二三条"} {
		if pii.Contains(s) {
			t.Errorf("Contains(%q) = true", s)
		}
	}
}

// TestBlankLeavesTheWordAfter: for the amount reader, a whole number in
// figures ends where a Chinese digit in another group starts a word, so the
// tier said after a phone or ID number is still read; masking still joins
// every group (TestFindsEveryForm).
func TestBlankLeavesTheWordAfter(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"电话13512345678 二档 三甲", "电话  二档 三甲"},
		{"身份证500102195803152316，一档，县医院", "身份证 ，一档，县医院"},
	} {
		got, ok := pii.Blank(tt.in)
		if !ok || got != tt.want {
			t.Errorf("Blank(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	if got := pii.Mask("电话13512345678 二"); got == "电话135****5678 二" {
		t.Errorf("Mask split a run the masking must keep whole: %q", got)
	}
}
