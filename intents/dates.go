package intents

import "time"

func noStop(int) bool { return false }

// date reads a calendar date starting at rs[i] and returns how many runes
// it took (0 if none): "2025-01-15", "2025/1/15", "2025.1.15",
// "2025年1月15日", "二〇二五年一月十五号", "1月15号" (this year),
// "2025年1月" (the 1st).
func (x *extractor) date(rs []rune, i int) int {
	if !isNumeralStart(rs[i]) || (i > 0 && isASCIIDigit(rs[i-1])) {
		return 0
	}
	if l := x.numericDate(rs, i); l > 0 {
		return l
	}
	return x.chineseDate(rs, i)
}

// numericDate reads YYYY-MM-DD with '-', '/' or '.' as the separator.
func (x *extractor) numericDate(rs []rune, i int) int {
	y, j := digitsAt(rs, i, 4, 4)
	if j == 0 || j >= len(rs) {
		return 0
	}
	sep := rs[j]
	if sep != '-' && sep != '/' && sep != '.' {
		return 0
	}
	mo, k := digitsAt(rs, j+1, 1, 2)
	if k == 0 || k >= len(rs) || rs[k] != sep {
		return 0
	}
	d, l := digitsAt(rs, k+1, 1, 2)
	if l == 0 || !x.setValidDate(y, mo, d) {
		return 0
	}
	x.setYear(y)
	return l - i
}

// digitsAt reads between lo and hi ASCII digits at rs[i], not followed by
// another digit, and returns the value and the index after them (0 if none).
func digitsAt(rs []rune, i, lo, hi int) (int, int) {
	v, j := 0, i
	for j < len(rs) && isASCIIDigit(rs[j]) {
		if j-i == hi {
			return 0, 0
		}
		v = v*10 + int(rs[j]-'0')
		j++
	}
	if j-i < lo {
		return 0, 0
	}
	return v, j
}

func (x *extractor) chineseDate(rs []rune, i int) int {
	year, j := 0, i
	if n := readNumeral(rs, i, noStop, x.lx.notMoneyAfter); n.end < len(rs) && rs[n.end] == '年' {
		v := n.wholeValue()
		switch {
		case (n.intDigits == 4 || (n.chinese && n.end-n.start == 4)) && v >= 1990 && v <= 2100:
			year = v
		case n.ascii && n.intDigits == 2 && v >= 0:
			year = 2000 + v // "25年3月": only with a month after it
		default:
			return 0
		}
		j = n.end + 1
	}
	if j >= len(rs) || !isNumeralStart(rs[j]) {
		return 0
	}
	mn := readNumeral(rs, j, noStop, x.lx.notMoneyAfter)
	month := mn.wholeValue()
	if mn.end >= len(rs) || rs[mn.end] != '月' || month < 1 || month > 12 {
		return 0
	}
	k := mn.end + 1
	if k < len(rs) && rs[k] == '份' {
		k++
	}
	if k < len(rs) && isNumeralStart(rs[k]) {
		dn := readNumeral(rs, k, noStop, x.lx.notMoneyAfter)
		if dn.end < len(rs) && (rs[dn.end] == '日' || rs[dn.end] == '号') {
			y := year
			switch {
			case y != 0:
			case x.relYearEnd == i && x.relYearEnd > 0:
				y = x.relYear
			default:
				y = x.now.Year()
			}
			if !x.setValidDate(y, month, dn.wholeValue()) {
				return 0
			}
			if year != 0 {
				x.setYear(year)
			}
			return dn.end + 1 - i
		}
	}
	if year == 0 {
		return 0 // "12月" alone is a month, not a date
	}
	x.setValidDate(year, month, 1)
	x.setYear(year)
	return k - i
}

// setValidDate records the date if it exists (no 2月30日).
func (x *extractor) setValidDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, x.now.Location())
	if t.Day() != d {
		return false
	}
	x.setDate(t)
	return true
}
