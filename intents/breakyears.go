package intents

import (
	"regexp"
	"strconv"
)

// yearsRe finds "两年", "3年", "十年" in normalised text.
var yearsRe = regexp.MustCompile(`(?:^|[^0-9])([0-9]{1,2}|[一二两三四五六七八九十]{1,2})年`)

// BreakYears reads how many years a person says they did not pay ("断保两
// 年了", "3年没交", "去年没交" is one); 0 when the message does not say.
// Only a count of years is read, never a calendar year ("2023年").
func (m *Matcher) BreakYears(norm string) int {
	if containsAny(norm, m.lx.lastYearBreak) {
		return 1
	}
	found := yearsRe.FindStringSubmatch(norm)
	if found == nil {
		return 0
	}
	if n, err := strconv.Atoi(found[1]); err == nil {
		return n
	}
	return smallChineseNumber(found[1])
}

// smallChineseNumber reads 一 to 九十九 written with 十.
func smallChineseNumber(s string) int {
	digits := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return digits[rs[0]]
	case rs[0] == '十':
		return 10 + digits[rs[1]]
	case rs[1] == '十':
		return digits[rs[0]] * 10
	}
	return 0
}
