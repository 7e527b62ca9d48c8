package redact_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/yibao/yibao/bot/redact"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"no digits", "住院怎么报销", "住院怎么报销"},
		{"amount stays", "花了50000元，自付12000", "花了50000元，自付12000"},
		{"date stays", "2025-01-01 住院", "2025-01-01 住院"},
		{"id card", "身份证500101199001011234谢谢", "身份证500**************4谢谢"},
		{"id card with X", "50010119900101123X", "500**************X"},
		{"id card with x", "id:50010119900101123x.", "id:500**************x."},
		{"mobile", "电话13812345678", "电话138****5678"},
		{"mobile grouped", "打 138 1234 5678 找我", "打 138 **** 5678 找我"},
		{"mobile hyphens", "138-1234-5678", "138-****-5678"},
		{"landline stays", "医保中心023-88979966", "医保中心023-88979966"},
		{"landline no hyphen stays", "02388979966", "02388979966"},
		{"hotline stays", "打12345或12393", "打12345或12393"},
		{"bank card", "卡号6222021234567890123", "卡号***************0123"},
		{"bank card grouped", "6222 0212 3456 7890", "**** **** **** 7890"},
		{"plus 86", "+8613812345678", "+*********5678"},
		{"full-width mobile", "１３８１２３４５６７８", "１３８****５６７８"},
		{"ten digits stay", "1234567890", "1234567890"},
		{"two numbers", "13812345678和13987654321", "138****5678和139****4321"},
		{"a date run into a mobile is masked with it", "2025 01 01 13812345678", "**** ** ** *******5678"},
		{"date and amount apart stay", "2025年1月1日住院，花了50000元", "2025年1月1日住院，花了50000元"},
		{"mobile with dots", "138.1234.5678", "138.****.5678"},
		{"mobile with slashes", "138/1234/5678", "138/****/5678"},
		{"mobile with full-width commas", "138，1234，5678", "138，****，5678"},
		{"mobile with spaced hyphens", "138 - 1234 - 5678", "138 - **** - 5678"},
		{"mobile in odd groups", "1 38 12 345 678", "1 38 ** **5 678"},
		{"id card in spaced groups", "500101 19900101 12 34", "500*** ******** ** *4"},
		{"id card with a spaced X", "5001 0119 9001 0112 3 X", "500* **** **** **** * X"},
		// Issue 21: forms that leaked.
		{"mobile with full-width colons", "138：1234：5678", "138：****：5678"},
		{"mobile in Chinese digits", "电话一三八一二三四五六七八", "电话一三八****五六七八"},
		{"mobile read aloud", "幺三八 幺二三四 五六七八", "幺三八 **** 五六七八"},
		{"id card in Chinese digits", "五〇〇一〇一一九九〇〇一〇一一二三四", "五〇〇**************四"},
		{"mobile split by many spaces", "138    1234    5678", "138    ****    5678"},
		{"mobile split by thin spaces", "138\u20091234\u20095678", "138\u2009****\u20095678"},
		{"mobile split by zero-width spaces (escaped, as Printable does)", "138\u200b1234\u200b5678", `138\u200b****\u200b5678`},
		{"mobile split by minus signs", "138\u22121234\u22125678", "138\u2212****\u22125678"},
		{"old id card", "500101900101123", "500***********3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redact.Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestNumbersNeverLeak: a mobile or ID-card number, in any grouping, with
// any separators people type, in any text, never comes out whole: no five
// of its digits in a row survive.
func TestNumbersNeverLeak(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 23))
	seps := []string{" ", "-", ".", "/", ",", "，", "、", "。", "．", "－", "—", "　", "·", "(", ")", "（", "）", "_", "|", "\\", "~", "+", "\t",
		":", "：", "\u2212", "\u2009", "\u202f", "\u200a", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0", "    "}
	texts := []string{"", "我的电话", "手机号：", "身份证号码是", "tel:", "abc", "2025年", "花了5000元，", "请回电", "。", " ", "号码 ", "x", "（", "5", "0"}
	chinese := []rune("〇一二三四五六七八九")
	digit := func(d byte) string {
		switch rng.IntN(8) {
		case 0, 1:
			return string(rune('０' + rune(d-'0'))) // full-width
		case 2:
			if d == '1' && rng.IntN(2) == 0 {
				return "幺" // a 1 read aloud
			}
			if d == '0' && rng.IntN(2) == 0 {
				return "零"
			}
			return string(chinese[d-'0'])
		}
		return string(d)
	}
	for range 20000 {
		var number string
		switch rng.IntN(3) {
		case 0:
			number = fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.Int64N(1e9))
		case 1:
			number = fmt.Sprintf("62%014d", rng.Int64N(1e14)) // a bank card
		default:
			number = fmt.Sprintf("%06d%08d%03d", 110000+rng.IntN(550000), 19300101+rng.IntN(900000), rng.IntN(1000))
			if rng.IntN(11) == 10 {
				number += []string{"X", "x", "Ｘ"}[rng.IntN(3)]
			} else {
				number += strconv.Itoa(rng.IntN(10))
			}
		}
		var b strings.Builder
		b.WriteString(texts[rng.IntN(len(texts))])
		for i := 0; i < len(number); {
			n := min(1+rng.IntN(6), len(number)-i)
			for _, c := range []byte(number[i : i+n]) {
				if c >= '0' && c <= '9' {
					b.WriteString(digit(c))
				} else {
					b.WriteByte(c)
				}
			}
			i += n
			if i < len(number) && rng.IntN(3) > 0 {
				for range 1 + rng.IntN(maxSeps) {
					b.WriteString(seps[rng.IntN(len(seps))])
				}
			}
		}
		b.WriteString(texts[rng.IntN(len(texts))])
		in := b.String()
		out := digitsOnly(redact.Text(in))
		digits := digitsOnly(number)
		for i := 0; i+5 <= len(digits); i++ {
			if strings.Contains(out, digits[i:i+5]) {
				t.Fatalf("Text(%q) = %q: %q of %s survives", in, redact.Text(in), digits[i:i+5], number)
			}
		}
	}
}

// maxSeps is how many separators the property test puts between groups
// (one of them may be four spaces): what Text joins.
const maxSeps = 2

// digitsOnly keeps digits (full-width made ASCII) and the mask, so that
// digits separated only by separators read as one string.
func digitsOnly(s string) string {
	s = escapes.ReplaceAllString(s, " ") // Printable's escapes are no digits
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '*':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + r - '０')
		case chineseDigit[r] != 0:
			b.WriteRune(chineseDigit[r])
		case unicode.IsLetter(r) && r != 'x' && r != 'X' && r != 'Ｘ':
			b.WriteRune('|') // a word ends a number
		}
	}
	return b.String()
}

var escapes = regexp.MustCompile(`\\(x[0-9a-f]{2}|u[0-9a-f]{4})`)

var chineseDigit = map[rune]rune{'〇': '0', '零': '0', '一': '1', '幺': '1', '二': '2', '三': '3', '四': '4', '五': '5', '六': '6', '七': '7', '八': '8', '九': '9'}

func TestUserID(t *testing.T) {
	a, b := redact.UserID("o6_bmjrPTlm6_2sgVt7hMZOPfL2M"), redact.UserID("o6_bmjrPTlm6_2sgVt7hMZOPfL2N")
	if len(a) != 12 || a == b {
		t.Fatalf("UserID: %q, %q: want 12 hex digits, different for different ids", a, b)
	}
	if a != redact.UserID("o6_bmjrPTlm6_2sgVt7hMZOPfL2M") {
		t.Fatal("UserID is not stable")
	}
	if redact.UserID("") != "" {
		t.Fatal("empty id should stay empty")
	}
}
