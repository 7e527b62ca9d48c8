package intents

import (
	"strings"

	"github.com/shopspring/decimal"
	"github.com/yibao/yibao/engine"
)

// number classifies one numeral by what surrounds it: an age, a year, an
// amount of money, or none of these.
//
// It returns where the number ends: past n.end when a unit follows a word
// of approximation ("3来万" is about 30,000, never 3元).
func (x *extractor) number(rs []rune, n numeral) int {
	if n.overflow || n.end <= n.start {
		return n.end
	}
	lx := x.lx
	approx := lx.saidRoughly(rs, &n)
	k := lx.skipFillers(rs, skipSpaces(rs, n.end))
	prev := prevRune(rs, n.start)
	switch {
	case lx.ageUnits.startsAt(rs, k) > 0:
		if v := n.wholeValue(); v >= 0 && v <= 150 {
			x.setAge(v)
		}
		return n.end
	case lx.babyAge.startsAt(rs, k) > 0:
		x.minorYes = true // a baby's age in months
		return n.end
	case hasPrefix(rs, k, "年"):
		x.yearBefore(rs, n, k, prev)
		return n.end
	case k < len(rs) && lx.notMoneyAfter.has(rs[k]) && lx.moneyThenWord.startsAt(rs, k) == 0:
		return n.end
	case k < len(rs) && isASCIILetter(rs[k]) && lx.moneyMarks.startsAt(rs, k) == 0:
		return n.end // "5kg", the x of an ID number
	case prev == '第', lx.percentBefore.endsAt(rs, n.start) > 0:
		return n.end // "第3次", "百分之五十"
	case lx.capBefore.endsAt(rs, n.start) > 0, lx.capBefore.endsAt(rs, lx.trimBefore(rs, n.start)) > 0:
		x.capAsked = true // "一年最多报12万": a cap, and the message asks about caps
		return n.end
	}

	marked := n.bigUnit || prev == '¥' || prev == '$' || lx.moneyMarks.startsAt(rs, k) > 0
	if n.single && n.value == scale && lx.togetherAfter.startsAt(rs, k) > 0 && lx.notTogetherAfter.startsAt(rs, k) == 0 {
		return n.end // 一块 is "together"
	}
	if !marked {
		switch {
		case !n.bigUnit && !n.fraction && lx.ageDoneAfter.startsAt(rs, k) > 0 && lx.saysAge(rs, n, true):
			if v := n.wholeValue(); v > 0 && v <= 150 {
				x.setAge(v) // "我妈今年七十多了", "大人 70多了": an age, not a sum
			}
			return n.end
		case !n.bigUnit && !n.fraction && !approx && endsClause(rs, n.end) && lx.saysAge(rs, n, false) && n.wholeValue() <= maxBareAge:
			// "一档，区医院，住院1万4，我62", "今年45，在三甲住院": a
			// number ending its clause right after a person or 今年 is
			// their age; a sum that small would not follow a person.
			x.setAge(n.wholeValue())
			return n.end
		case n.single, n.chinese && !n.unit:
			return n.end // "算一下", "二〇二五"
		case n.ascii && !n.unit && x.notMoneyDigits(rs, n, k, prev):
			return n.end
		}
	}
	if n.value > 1_000_000_000*scale && !marked {
		return n.end // no bill is that large: a number of some other kind
	}
	if before := lx.trimBefore(rs, n.start); lx.phoneBefore.endsAt(rs, before) > 0 || lx.measureBefore.endsAt(rs, before) > 0 {
		return n.end // "手机号：138…", "卡号 6217…", "血压160"
	}
	role, weak := lx.roleOf(rs, n, k)
	if role == rolePremium && !x.s.HasPremium {
		x.s.PremiumUpTo = lx.premiumUpTo(rs, n)
	}
	negative := lx.negativeBefore.endsAt(rs, n.start) > 0
	approx = approx || lx.roughAfterUnit(rs, k)
	x.setRole(role, weak, sum{v: n.value, marked: marked, approx: approx, negative: negative})
	return n.end
}

// saidRoughly reports whether the number n is said approximately: a word
// such as 大概 before it ("大概3万"), or 多, 来, 左右 right after it ("两千
// 多", "3来万"). When a unit follows that word ("3来万", "十几万"), the
// unit belongs to the number: n then ends after it and counts it, so that
// the round figure is read (30,000), not the digit before the word.
func (lx *lexicon) saidRoughly(rs []rune, n *numeral) bool {
	rough := false
	for i := n.start; ; {
		for i > 0 && rs[i-1] == ' ' {
			i--
		}
		if lx.approxBefore.endsAt(rs, i) > 0 {
			rough = true
			break
		}
		l := lx.beforeFillers.endsAt(rs, i)
		if l == 0 {
			break
		}
		i -= l
	}
	j := skipSpaces(rs, n.end)
	l := lx.numberFillers.startsAt(rs, j)
	if l == 0 || lx.notRoughAfter.startsAt(rs, j+l) > 0 {
		return rough // "5000多少": a question, not "more than 5000"
	}
	if u := j + l; u < len(rs) && !n.bigUnit {
		if m := bigUnitValue(rs[u]); m > 0 {
			if v, ok := mul(n.value, m); ok {
				n.value, n.end, n.unit, n.bigUnit = v, u+1, true, true
			}
		}
	}
	return true
}

// roughAfterUnit reports whether a word of approximation follows a sum's
// unit ("8000块左右", "两万块钱的样子" does not count): k is where the unit
// starts.
func (lx *lexicon) roughAfterUnit(rs []rune, k int) bool {
	u := lx.unitsAfter.startsAt(rs, k)
	if u == 0 {
		return false
	}
	j := skipSpaces(rs, k+u)
	l := lx.numberFillers.startsAt(rs, j)
	return l > 0 && lx.notRoughAfter.startsAt(rs, j+l) == 0
}

// bigUnitValue is the value of a unit of a hundred or more, else 0.
func bigUnitValue(r rune) int64 {
	switch r {
	case '百':
		return 100
	case '千':
		return 1000
	case '万':
		return 10000
	case '亿':
		return 100_000_000
	}
	return 0
}

// premiumUpTo is where a premium said as "七百多" (more than 700) ends:
// one step of its last figure further, 800; "一千多" is below 2000. It is
// zero for a sum said exactly, and for "左右", which may be either side.
func (lx *lexicon) premiumUpTo(rs []rune, n numeral) engine.Money {
	j := skipSpaces(rs, n.end)
	if lx.moreThan.startsAt(rs, j) == 0 {
		return engine.Money{}
	}
	v := n.value / scale
	if v <= 0 || n.value%scale != 0 {
		return engine.Money{}
	}
	step := int64(1)
	for v%(step*10) == 0 {
		step *= 10
	}
	return engine.MoneyOf(decimal.New(v+step, 0))
}

// saysAge reports whether the words right before n name a person or say
// 今年: "我妈今年七十多了", "我62". With sep, one comma may stand between
// them ("我爸，75了").
func (lx *lexicon) saysAge(rs []rune, n numeral, sep bool) bool {
	if v := n.wholeValue(); v <= 0 || v > 150 {
		return false
	}
	before := lx.trimBefore(rs, n.start)
	if sep && before > 1 && strings.ContainsRune(",，", rs[before-1]) {
		before--
	}
	return lx.ageBefore.endsAt(rs, before) > 0 || before > 0 && lx.personBefore.has(rs[before-1])
}

// maxBareAge bounds an age said without 岁 or 了: above it a number after a
// person is more likely something else.
const maxBareAge = 110

// notMoneyDigits tells bare ASCII numbers that are not money: phone and ID
// numbers, area codes, hotlines, times, and a year written alone.
func (x *extractor) notMoneyDigits(rs []rune, n numeral, k int, prev rune) bool {
	switch {
	case n.intDigits >= 8: // phone, ID card, account
		return true
	case n.leadZero && n.intDigits >= 3: // area code "023"
		return true
	case n.intDigits == 5 && hasPrefix(rs, n.start, "123"): // 12393, 12333
		return true
	case k+1 < len(rs) && (rs[k] == '-' || rs[k] == ':') && isASCIIDigit(rs[k+1]):
		return true
	case (prev == '-' || prev == ':') && n.start >= 2 && isASCIIDigit(rs[n.start-2]):
		return true
	case x.lx.dialBefore.has(prev):
		return true
	case n.intDigits == 3 && n.wholeValue() == 120 && (x.lx.ambulanceBefore.has(prev) || x.lx.ambulanceAfter.startsAt(rs, k) > 0):
		return true // "叫120救护车": the ambulance's number
	}
	if v := n.wholeValue(); n.intDigits == 4 && !n.fraction && abs(v-x.now.Year()) <= 5 {
		x.setYear(v)
		return true
	}
	return false
}

// yearBefore handles a number followed by 年: a year when it looks like
// one ("2025年", "二〇二五年", "26年" near now), otherwise a duration
// ("交了15年"); never money.
func (x *extractor) yearBefore(rs []rune, n numeral, k int, prev rune) {
	v := n.wholeValue()
	switch {
	case v < 0:
	case (n.intDigits == 4 || (n.chinese && !n.unit && n.end-n.start == 4)) && v >= 1990 && v <= 2100:
		x.setYear(v)
	case n.ascii && n.intDigits == 2 && !n.unit && !x.lx.notYearBefore.has(prev) &&
		!(k+1 < len(rs) && x.lx.durationAfterYear.has(rs[k+1])) &&
		abs(2000+v-x.now.Year()) <= 5:
		x.setYear(2000 + v)
	}
}

func skipSpaces(rs []rune, i int) int {
	for i < len(rs) && rs[i] == ' ' {
		i++
	}
	return i
}

func (lx *lexicon) skipFillers(rs []rune, i int) int {
	if l := lx.numberFillers.startsAt(rs, i); l > 0 {
		return skipSpaces(rs, i+l)
	}
	return i
}

func prevRune(rs []rune, i int) rune {
	for i--; i >= 0; i-- {
		if rs[i] != ' ' {
			return rs[i]
		}
	}
	return 0
}

// hasPrefix reports whether rs[i:] starts with s.
func hasPrefix(rs []rune, i int, s string) bool {
	for _, r := range s {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
