package intents

// Numbers are read into integers counted in ten-thousandths (fixed4), so
// that "3.5万" is exact without floating point; Money is built from them
// with decimal.New(v, -4).
const (
	scale    = 10000
	maxValue = 1_000_000_000_000 * scale // beyond any bill: 1万亿 yuan
)

// numeral is one number as written: "5万", "三万五", "12,000", "1.5k",
// "二〇二五". Its value is in fixed4.
type numeral struct {
	start, end int // rune span in the folded text
	value      int64
	intDigits  int  // ASCII digits before any decimal point
	leadZero   bool // ASCII digits starting with 0 ("023")
	ascii      bool // has ASCII digits
	chinese    bool // has Chinese digits
	unit       bool // has 十, 百, 千, 万, 亿, w or k
	bigUnit    bool // has 百 or larger (w and k included)
	fraction   bool
	single     bool // one Chinese digit, nothing else ("一" in "一下")
	overflow   bool
}

func chineseDigit(r rune) int {
	switch r {
	case '零', '〇':
		return 0
	case '一':
		return 1
	case '二', '两':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	}
	return -1
}

func smallUnit(r rune) int64 {
	switch r {
	case '十':
		return 10
	case '百':
		return 100
	case '千':
		return 1000
	}
	return 0
}

func isNumeralStart(r rune) bool {
	return isASCIIDigit(r) || chineseDigit(r) >= 0 || r == '十'
}

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' }

// mul multiplies two non-negative values, saturating at maxValue (and
// reporting it) instead of overflowing.
func mul(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	if a > maxValue/b {
		return maxValue, false
	}
	return a * b, true
}

func add(a, b int64) (int64, bool) {
	if a > maxValue-b {
		return maxValue, false
	}
	return a + b, true
}

// readNumeral reads the number starting at rs[i], which must satisfy
// isNumeralStart. stop reports positions where a slot word begins, so that
// "5万二档" is 5万 and 二档, not 52000.
//
// The rules are the everyday ones: units multiply what precedes them
// ("两千"), 万 and 亿 close a section ("1万2千"), and a single digit after
// a unit of a hundred or more is that unit's next place down ("三万五" =
// 35000, "一万二" = 12000, "两千五" = 2500, "一百五" = 150).
func readNumeral(rs []rune, i int, stop func(int) bool, counts *charSet) numeral {
	n := numeral{start: i}
	var (
		total, section, pending int64
		hasPending, single      bool
		afterUnit               bool // pending began right after a unit
		pendingStart            int  // where pending began
		lastUnit                int64
		chineseRun, prevDigit   int
		zeroGap                 bool // a 零 after a unit: no place is implied
		ok                      = true
	)
	j := i
	closeSection := func(u int64) {
		var o1, o2, o3 bool
		section, o1 = add(section, pending)
		section, o2 = mul(section, u)
		total, o3 = add(total, section)
		ok = ok && o1 && o2 && o3
		section, pending, hasPending = 0, 0, false
		lastUnit, n.unit, n.bigUnit = u, true, true
	}
loop:
	for j < len(rs) {
		if j > i && stop(j) {
			break
		}
		r := rs[j]
		switch {
		case isASCIIDigit(r):
			if hasPending {
				break loop
			}
			pendingStart = j
			v, end, a := readASCII(rs, j)
			n.ascii, n.fraction = true, n.fraction || a.fraction
			if j == i {
				n.intDigits, n.leadZero = a.intDigits, a.leadZero
			}
			ok = ok && !a.overflow
			pending, hasPending, afterUnit = v, true, lastUnit > 0
			single = a.intDigits == 1 && !a.fraction && !a.comma
			chineseRun = 0
			j = end
			if j < len(rs) && (rs[j] == 'w' || rs[j] == 'k') && (j+1 == len(rs) || !isASCIILetter(rs[j+1])) {
				if rs[j] == 'w' {
					closeSection(10000)
				} else {
					pending, ok = mulOK(pending, 1000, ok)
					section, ok = addOK(section, pending, ok)
					pending, hasPending, lastUnit, n.unit, n.bigUnit = 0, false, 1000, true, true
				}
				j++
			}
			continue
		case chineseDigit(r) == 0 && !hasPending && lastUnit >= 10 && j+1 < len(rs) && isNumeralStart(rs[j+1]):
			// "2万零5百", "两千零五十": 零 after a unit holds an empty
			// place; what follows is read in its own place, so "一万零五"
			// is 10,005, not 15,000.
			zeroGap = true
			j++
			continue
		case chineseDigit(r) >= 0:
			d := int64(chineseDigit(r))
			switch {
			case hasPending && chineseRun > 0:
				// Positional digits ("二〇二五"), or a range
				// ("五六千"), where the larger bound is taken.
				if chineseRun == 1 && int(d) == prevDigit+1 && j+1 < len(rs) && unitAhead(rs[j+1]) {
					pending = d * scale
				} else {
					pending, ok = mulOK(pending, 10, ok)
					pending, ok = addOK(pending, d*scale, ok)
				}
				chineseRun++
			case hasPending:
				break loop
			default:
				pending, hasPending, afterUnit, chineseRun = d*scale, true, lastUnit > 0, 1
				pendingStart = j
			}
			single = chineseRun == 1
			prevDigit = int(d)
			n.chinese = true
		case smallUnit(r) > 0:
			u := smallUnit(r)
			if !hasPending {
				if j > i && lastUnit != 10000 && lastUnit != 100_000_000 {
					break loop // "十百" is not a number
				}
				pending = scale // "十五", "一万十"
			}
			pending, ok = mulOK(pending, u, ok)
			section, ok = addOK(section, pending, ok)
			pending, hasPending, chineseRun, lastUnit = 0, false, 0, u
			n.unit = true
			n.bigUnit = n.bigUnit || u >= 100
		case r == '万':
			closeSection(10000)
		case r == '亿':
			closeSection(100_000_000)
		case r == ' ':
			k := j
			for k < len(rs) && rs[k] == ' ' {
				k++
			}
			if !hasPending || k == len(rs) || !(rs[k] == '万' || rs[k] == '千' || rs[k] == '亿') {
				break loop
			}
			j = k
			continue
		default:
			break loop
		}
		j++
	}
	if hasPending && afterUnit && lastUnit >= 10000 && j < len(rs) && counts.has(rs[j]) {
		// "5万1月15号": the 1 counts months, not thousands; the number
		// ends at the unit and the digit starts the next one.
		hasPending, j = false, pendingStart
	}
	if hasPending {
		if single && afterUnit && lastUnit >= 100 && !zeroGap {
			pending, ok = mulOK(pending, lastUnit/10, ok)
		}
		section, ok = addOK(section, pending, ok)
	}
	total, ok = addOK(total, section, ok)
	for j > i && rs[j-1] == ' ' {
		j--
	}
	n.end, n.value, n.overflow = j, total, !ok
	n.single = n.chinese && !n.ascii && !n.unit && j-i == 1
	return n
}

func unitAhead(r rune) bool {
	return smallUnit(r) > 0 || r == '万' || r == '亿'
}

func mulOK(a, b int64, ok bool) (int64, bool) {
	v, ok2 := mul(a, b)
	return v, ok && ok2
}

func addOK(a, b int64, ok bool) (int64, bool) {
	v, ok2 := add(a, b)
	return v, ok && ok2
}

type asciiInfo struct {
	intDigits int
	leadZero  bool
	fraction  bool
	comma     bool
	overflow  bool
}

// readASCII reads digits with optional thousands separators ("12,000":
// groups of exactly three) and a decimal part ("3.5"), in fixed4.
func readASCII(rs []rune, i int) (int64, int, asciiInfo) {
	var a asciiInfo
	var v int64
	ok := true
	j := i
	digit := func() {
		v, ok = mulOK(v, 10, ok)
		v, ok = addOK(v, int64(rs[j]-'0'), ok)
		a.intDigits++
		j++
	}
	a.leadZero = rs[i] == '0'
	for j < len(rs) && isASCIIDigit(rs[j]) {
		digit()
	}
	for a.intDigits <= 3 || a.comma {
		if j+3 < len(rs) && rs[j] == ',' && isASCIIDigit(rs[j+1]) && isASCIIDigit(rs[j+2]) && isASCIIDigit(rs[j+3]) &&
			(j+4 == len(rs) || !isASCIIDigit(rs[j+4])) {
			a.comma = true
			j++
			digit()
			digit()
			digit()
			continue
		}
		break
	}
	v, ok = mulOK(v, scale, ok)
	if j+1 < len(rs) && rs[j] == '.' && isASCIIDigit(rs[j+1]) {
		a.fraction = true
		j++
		place := int64(scale / 10)
		for j < len(rs) && isASCIIDigit(rs[j]) {
			v, ok = addOK(v, int64(rs[j]-'0')*place, ok)
			place /= 10 // digits past the fourth place are dropped
			j++
		}
	}
	a.overflow = !ok
	return v, j, a
}

// wholeValue is a numeral's value if it is a whole number that fits an
// int, else -1.
func (n numeral) wholeValue() int {
	if n.overflow || n.value%scale != 0 || n.value/scale > 1<<30 {
		return -1
	}
	return int(n.value / scale)
}
