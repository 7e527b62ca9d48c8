// Package pii finds the numbers in free text that identify a person:
// mainland ID-card numbers, mobile numbers and bank-card numbers, however
// people write them. It is the one detector behind the logs' and the
// stats' masking (bot/redact) and the amount reader (intents), so that a
// number masked in one place is never taken for money in another. It is a
// pure leaf package: no imports beyond the standard library.
package pii

import (
	"unicode"
	"unicode/utf8"
)

// Kind is what a personal number is.
type Kind uint8

const (
	Mobile Kind = iota + 1 // 11 digits starting with 1
	IDCard                 // 18 (17 and a check digit or X) or the old 15
	Other                  // any other run of 12 or more digits: bank cards, +86 numbers
)

// Span is one personal number in a text: its runes [From, To) of the
// text's runes, and the positions of its digits (and X), in order.
type Span struct {
	From, To int
	Digits   []int
	Kind     Kind
}

// Find returns the personal numbers in rs.
//
// A number is digit groups joined by up to maxGap separators: anything
// people type (or paste) between groups: spaces of every width, including
// thin, zero-width and ideographic ones, hyphens, dashes and the minus
// sign, dots, slashes, commas, colons, 、, brackets and plus, half- or
// full-width. A digit is an ASCII or full-width digit or a Chinese digit
// (〇零一二三四五六七八九, 幺 as people read a 1 aloud, and the financial
// 壹贰叁肆伍陆柒捌玖): "一三八 一二三四 五六七八" is a mobile number. A
// check digit X after 17 digits makes an ID card. What is found:
//
//   - 18 digits (or 17 and X), or 15: an ID card;
//   - 11 digits starting with 1: a mobile number;
//   - 12 or more digits otherwise: a bank card, a number with +86, or a
//     number run together with another.
//
// Landlines (11 digits starting with 0) and shorter numbers are not
// personal: the ones residents quote are public hotlines. Amounts and
// dates are never long enough unless written against other numbers;
// joining too much only masks more.
func Find(rs []rune) []Span { return find(rs, false) }

// find is Find; with words, a Chinese digit after a whole number in figures
// is left to the words it starts (see scanRun).
func find(rs []rune, words bool) []Span {
	var out []Span
	for i := 0; i < len(rs); {
		if !IsDigit(rs[i]) {
			i++
			continue
		}
		end, idx := scanRun(rs, i, words)
		if k := classify(rs, idx); k != 0 {
			out = append(out, Span{From: i, To: end, Digits: idx, Kind: k})
		}
		i = end
	}
	return out
}

// MayContain is a fast test: false means Find finds nothing in s.
func MayContain(s string) bool {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= '0' && c <= '9' {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if IsDigit(r) {
			n++
		}
		i += size
	}
	return n >= 11
}

// Contains reports whether s holds a personal number.
func Contains(s string) bool {
	return MayContain(s) && len(Find([]rune(s))) > 0
}

// Mask masks the personal numbers in s: an ID card keeps its first 3 and
// last character ("500**************X"), a mobile its first 3 and last 4
// ("138****5678", the usual convention), anything else its last 4.
// Separators stay.
func Mask(s string) string {
	if !MayContain(s) {
		return s
	}
	rs := []rune(s)
	spans := Find(rs)
	if len(spans) == 0 {
		return s
	}
	for _, sp := range spans {
		n := len(sp.Digits)
		head, tail := 0, 4
		switch sp.Kind {
		case IDCard:
			head, tail = 3, 1
		case Mobile:
			head, tail = 3, 4
		}
		for _, p := range sp.Digits[head : n-tail] {
			rs[p] = '*'
		}
	}
	return string(rs)
}

// Blank replaces each personal number in s, separators included, with one
// space, and reports whether there was any: what is left can be read for
// amounts and dates without any part of the number becoming one.
func Blank(s string) (string, bool) {
	if !MayContain(s) {
		return s, false
	}
	rs := []rune(s)
	spans := find(rs, true)
	if len(spans) == 0 {
		return s, false
	}
	out := make([]rune, 0, len(rs))
	last := 0
	for _, sp := range spans {
		out = append(out, rs[last:sp.From]...)
		out = append(out, ' ')
		last = sp.To
	}
	out = append(out, rs[last:]...)
	return string(out), true
}

// IsDigit reports whether r is a digit as people write one in a number.
func IsDigit(r rune) bool {
	return value(r) >= 0
}

// value is r's digit value, or -1.
func value(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	switch r {
	case '〇', '零', '○':
		return 0
	case '一', '幺', '壹':
		return 1
	case '二', '贰':
		return 2
	case '三', '叁':
		return 3
	case '四', '肆':
		return 4
	case '五', '伍':
		return 5
	case '六', '陆':
		return 6
	case '七', '柒':
		return 7
	case '八', '捌':
		return 8
	case '九', '玖':
		return 9
	}
	return -1
}

func isX(r rune) bool { return r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' }

// maxGap is the most separators joined between two digit groups: enough
// for a run of spaces typed to line groups up.
const maxGap = 8

// IsSeparator reports whether r is something people type (or paste)
// between the digit groups of one number.
func IsSeparator(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '―', '−', '－', '~', '～', '﹣',
		'.', '．', '。', '·', '・', '•', '∙',
		'/', '／', '\\', '＼', '|', '｜', '_', '＿',
		',', '，', '、', '､', ':', '：', ';', '；',
		'(', ')', '（', '）', '[', ']', '【', '】', '+', '＋', '*', '#', '＃',
		'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u180e', '\u00ad':
		return true
	}
	// Every space: tab, no-break, thin, hair, ideographic, ...
	return unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || unicode.Is(unicode.Cf, r)
}

// scanRun reads the digit run starting at rs[start]: digit groups joined
// by up to maxGap separators, and a check digit X (after separators or
// not) when it makes an ID-card number. It returns where the run ends and
// the positions of its digits (and X).
func scanRun(rs []rune, start int, words bool) (end int, idx []int) {
	i := start
	for {
		for i < len(rs) && IsDigit(rs[i]) {
			idx = append(idx, i)
			i++
		}
		gap := i
		for gap < len(rs) && gap-i < maxGap && IsSeparator(rs[gap]) {
			gap++
		}
		// With words, a whole number followed by a Chinese digit in
		// another group ends there: the digit starts a word ("电话
		// 13512345678 二档", "身份证…，一档"). Masking does not split:
		// mixed scripts join, as people and pastes mix them, and a
		// masked digit too many costs nothing.
		whole := words && (classify(rs, idx) == Mobile || len(idx) == 18 || len(idx) == 15)
		if gap > i && gap < len(rs) && IsDigit(rs[gap]) && !(whole && chinese(rs[gap]) != chinese(rs[i-1])) {
			i = gap
			continue
		}
		if len(idx) == 17 && gap < len(rs) && isX(rs[gap]) {
			idx = append(idx, gap)
			i = gap + 1
		}
		return i, idx
	}
}

// chinese reports whether the digit r is written as a Chinese character.
func chinese(r rune) bool {
	return r >= 0x2E80 && !(r >= '０' && r <= '９')
}

func classify(rs []rune, idx []int) Kind {
	switch n := len(idx); {
	case n == 18 || n == 15:
		return IDCard
	case n == 11 && value(rs[idx[0]]) == 1:
		return Mobile
	case n >= 12:
		return Other
	}
	return 0
}
