package intents

import (
	"regexp"
	"strconv"
	"unicode/utf8"
)

// yearsRe finds "两年", "3年", "十年" in normalised text.
var yearsRe = regexp.MustCompile(`(?:^|[^0-9])([0-9]{1,2}|[一二两三四五六七八九十]{1,2})年`)

// BreakYears reads how many years a person says they did not pay ("断保两
// 年了", "3年没交", "去年没交" is one); 0 when the message does not say.
// Only a count of years is read, never a calendar year ("2023年"), and
// only one a word for not paying stands beside (the lexicon's
// enrolment.break_before and break_after, fillers such as 了 between):
// "我连续交了5年", "交了5年 一直没断" are five years of paying, never a
// five-year break; "交了5年 中间断了2年" is a break of two.
func (m *Matcher) BreakYears(norm string) int {
	if containsAny(norm, m.lx.lastYearBreak) {
		return 1
	}
	rs := []rune(norm)
	for _, loc := range yearsRe.FindAllStringSubmatchIndex(norm, -1) {
		count := norm[loc[2]:loc[3]]
		start := utf8.RuneCountInString(norm[:loc[2]])
		end := utf8.RuneCountInString(norm[:loc[1]]) // after 年
		if !m.lx.breakBeside(rs, start, end) {
			continue
		}
		if n, err := strconv.Atoi(count); err == nil {
			return n
		}
		return smallChineseNumber(count)
	}
	return 0
}

// YearsAlone reads a message that is only a count of years ("3年", "两年
// 了"): the answer to "断了几年？", where the question gives the word for
// not paying. 0 for anything else.
func (m *Matcher) YearsAlone(norm string) int {
	loc := yearsRe.FindStringSubmatchIndex(norm)
	if loc == nil || loc[2] != 0 {
		return 0
	}
	rs := []rune(norm)
	j := utf8.RuneCountInString(norm[:loc[1]])
	for j < len(rs) {
		l := m.lx.breakFillers.startsAt(rs, j)
		if l == 0 {
			return 0
		}
		j += l
	}
	count := norm[loc[2]:loc[3]]
	if n, err := strconv.Atoi(count); err == nil {
		return n
	}
	return smallChineseNumber(count)
}

// endsBefore reports whether one of words ends at rs[i], or before the
// break fillers that end there.
func (lx *lexicon) endsBefore(words wordSet, rs []rune, i int) bool {
	for {
		if words.endsAt(rs, i) > 0 {
			return true
		}
		l := lx.breakFillers.endsAt(rs, i)
		if l == 0 {
			return false
		}
		i -= l
	}
}

// breakBeside reports whether a word for not paying stands right before
// the count of years at rs[start:end] ("断缴了两年") or right after it
// ("3年没交"), fillers aside, and no word for paying stands right before
// it ("我连续交了5年").
func (lx *lexicon) breakBeside(rs []rune, start, end int) bool {
	// A word for not paying wins over one for paying inside it: "停交了
	// 十二年" ends with 交了 too.
	if lx.endsBefore(lx.breakBefore, rs, start) {
		return true
	}
	if lx.endsBefore(lx.paidBefore, rs, start) {
		return false // "连续交了5年 断保了会怎样": five years paid
	}
	j := end
	for {
		if lx.breakAfter.startsAt(rs, j) > 0 {
			return true
		}
		l := lx.breakFillers.startsAt(rs, j)
		if l == 0 {
			return false
		}
		j += l
	}
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

// countRe finds a small count in normalised text ("3", "三", "十二").
var countRe = regexp.MustCompile(`[0-9]{1,2}|[一二两三四五六七八九十]{1,2}`)

// People reads how many people a message says a contribution is for ("一
// 家三口都交二档", "我们屋头4个人一共交好多", "两口子"): a count before one of
// the lexicon's people.count_units and not before one of
// people.count_not_after ("三个月"), or one of people.pairs. 0 when the
// message names no household; counts of one, or above 20, are not
// households.
func (m *Matcher) People(norm string) int {
	if containsAny(norm, m.lx.pairs) {
		return 2
	}
	rs := []rune(norm)
	for _, loc := range countRe.FindAllStringIndex(norm, -1) {
		end := utf8.RuneCountInString(norm[:loc[1]])
		l := m.lx.countUnits.startsAt(rs, end)
		if l == 0 || m.lx.countNotAfter.startsAt(rs, end+l) > 0 {
			continue
		}
		if start := utf8.RuneCountInString(norm[:loc[0]]); start > 0 && (rs[start-1] >= '0' && rs[start-1] <= '9' || rs[start-1] == '第') {
			continue // part of a longer number, or an ordinal
		}
		count := norm[loc[0]:loc[1]]
		n, err := strconv.Atoi(count)
		if err != nil {
			n = smallChineseNumber(count)
		}
		if n >= 2 && n <= 20 {
			return n
		}
	}
	return 0
}
