package intents

import (
	"slices"

	"github.com/shopspring/decimal"

	"github.com/yibao/yibao/engine"
)

// maxFieldRunes bounds a form field's text: an amount is short.
const maxFieldRunes = 32

// noChars is the empty set, read-only: a field has no words after its
// number that could change what the number counts.
var noChars charSet

// ReadAmount reads a form field that holds one amount of yuan, in any shape
// the chat reads ("12000", "12,000", "3.5万", "三万五", "1.5w", "８０００",
// "¥1,234.5", "5万元"), strictly: a field holds one amount and nothing
// else, so anything left over is an error, not a guess, and a rough amount
// ("3来万", "七千多") is refused. It is the chat's numeral reader with the
// page's discipline; its errors are engine's amount reasons, and the units
// it takes after the number are the lexicon's form.yuan_units.
func (lx *Lexicon) ReadAmount(s string) (engine.Money, error) {
	rs := trimRunes(fold(s))
	if len(rs) == 0 {
		return engine.Money{}, engine.ErrAmountEmpty
	}
	if len(rs) > maxFieldRunes {
		return engine.Money{}, engine.ErrNotAmount
	}
	if rs[0] == '¥' {
		rs = trimRunes(rs[1:])
	}
	if len(rs) > 0 && (rs[0] == '-' || rs[0] == '−') {
		return engine.Money{}, engine.ErrAmountNegative
	}
	if fractionDigits(rs) > 4 {
		// Beyond what the numeral reader keeps (ten-thousandths): finer
		// than any fen a field could mean.
		return engine.Money{}, engine.ErrAmountBelowFen
	}
	n := readNumeral(rs, 0, noStop, &noChars)
	if n.end == n.start || !n.ascii && !n.chinese {
		return engine.Money{}, engine.ErrNotAmount
	}
	if n.overflow {
		return engine.Money{}, engine.ErrAmountTooLarge
	}
	if rest := string(trimRunes(rs[n.end:])); rest != "" && !slices.Contains(lx.List("form.yuan_units"), rest) {
		return engine.Money{}, engine.ErrNotAmount
	}
	d := decimal.New(n.value, -4)
	switch {
	case d.GreaterThan(engine.MaxAmount.Decimal()):
		return engine.Money{}, engine.ErrAmountTooLarge
	case !d.Equal(d.Round(2)):
		return engine.Money{}, engine.ErrAmountBelowFen
	}
	return engine.MoneyOf(d), nil
}

func trimRunes(rs []rune) []rune {
	for len(rs) > 0 && rs[0] == ' ' {
		rs = rs[1:]
	}
	for len(rs) > 0 && rs[len(rs)-1] == ' ' {
		rs = rs[:len(rs)-1]
	}
	return rs
}

// fractionDigits counts the digits after the first decimal point, without
// trailing zeros.
func fractionDigits(rs []rune) int {
	i := slices.Index(rs, '.')
	if i < 0 {
		return 0
	}
	n, zeros := 0, 0
	for _, r := range rs[i+1:] {
		if !isASCIIDigit(r) {
			break
		}
		n++
		if r == '0' {
			zeros++
		} else {
			zeros = 0
		}
	}
	return n - zeros
}
