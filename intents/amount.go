package intents

import (
	"github.com/shopspring/decimal"
	"github.com/yibao/yibao/engine"
)

// number classifies one numeral by what surrounds it: an age, a year, an
// amount of money, or none of these.
func (x *extractor) number(rs []rune, n numeral) {
	if n.overflow || n.end <= n.start {
		return
	}
	lx := x.lx
	k := lx.skipFillers(rs, skipSpaces(rs, n.end))
	prev := prevRune(rs, n.start)
	switch {
	case lx.ageUnits.startsAt(rs, k) > 0:
		if v := n.wholeValue(); v >= 0 && v <= 150 {
			x.setAge(v)
		}
		return
	case lx.babyAge.startsAt(rs, k) > 0:
		x.minorYes = true // a baby's age in months
		return
	case hasPrefix(rs, k, "年"):
		x.yearBefore(rs, n, k, prev)
		return
	case k < len(rs) && lx.notMoneyAfter.has(rs[k]) && lx.moneyThenWord.startsAt(rs, k) == 0:
		return
	case k < len(rs) && isASCIILetter(rs[k]):
		return // "5kg", the x of an ID number
	case prev == '第':
		return
	}

	marked := n.bigUnit || prev == '¥' || prev == '$' || lx.moneyMarks.startsAt(rs, k) > 0
	if n.single && n.value == scale && hasPrefix(rs, k, "块") && !hasPrefix(rs, k, "块钱") {
		return // 一块 is "together"
	}
	if !marked {
		switch {
		case !n.bigUnit && !n.fraction && hasPrefix(rs, k, "了") && lx.saysAge(rs, n):
			if v := n.wholeValue(); v > 0 && v <= 150 {
				x.setAge(v) // "我妈今年七十多了", "大人 70多了": an age, not a sum
			}
			return
		case n.single, n.chinese && !n.unit:
			return // "算一下", "二〇二五"
		case n.ascii && !n.unit && x.notMoneyDigits(rs, n, k, prev):
			return
		}
	}
	if n.value > 1_000_000_000*scale && !marked {
		return // no bill is that large: a number of some other kind
	}
	if lx.phoneBefore.endsAt(rs, lx.trimBefore(rs, n.start)) > 0 {
		return // "手机号：138…", "卡号 6217…"
	}
	role, weak := lx.roleOf(rs, n, k)
	if role == rolePremium && !x.s.HasPremium {
		x.s.PremiumUpTo = lx.premiumUpTo(rs, n)
	}
	x.setRole(role, weak, n.value, marked)
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

// saysAge reports whether the bare number n, followed by 了, is an age:
// under 150, after a word for a person or for time passing.
func (lx *lexicon) saysAge(rs []rune, n numeral) bool {
	if v := n.wholeValue(); v <= 0 || v > 150 {
		return false
	}
	before := lx.trimBefore(rs, n.start)
	return lx.ageBefore.endsAt(rs, before) > 0 || before > 0 && lx.personBefore.has(rs[before-1])
}

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
