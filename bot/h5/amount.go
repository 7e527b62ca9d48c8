package h5

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/yibao/yibao/engine"
)

// maxAmount bounds what a field takes: no bill a resident brings is near
// it, and a bound keeps a typo (an extra 万) from reading as a real bill.
var maxAmount = decimal.NewFromInt(100_000_000)

// Reasons an amount is refused; the API turns them into sentences that
// name the field.
var (
	errNotAmount   = errors.New("not an amount")
	errNegative    = errors.New("negative")
	errTooLarge    = errors.New("too large")
	errBelowFen    = errors.New("finer than a fen")
	errAmountEmpty = errors.New("empty")
)

// unit is a unit people write after an amount, with the power of ten it
// multiplies by.
type unit struct {
	suffix string
	exp    int32
}

// amountUnits orders the units a Config gives (the lexicon's form units)
// longest first, so that "万元" is cut before "元".
func amountUnits(m map[string]int32) ([]unit, error) {
	us := make([]unit, 0, len(m))
	for s, exp := range m {
		if s == "" || s != strings.ToLower(toHalfWidth(s)) || exp < 0 || exp > 8 {
			return nil, fmt.Errorf("h5: amount unit %q (×10^%d): want a unit as typed, lower case and half-width, of ×1 to ×10^8", s, exp)
		}
		us = append(us, unit{s, exp})
	}
	slices.SortFunc(us, func(a, b unit) int {
		return cmp.Or(utf8.RuneCountInString(b.suffix)-utf8.RuneCountInString(a.suffix), strings.Compare(a.suffix, b.suffix))
	})
	return us, nil
}

// parseAmount reads an amount of yuan as people type it into a form:
// "12000", "12,000", "3.5万", "5万元", "８０００", "¥1,234.5". It is strict
// where the chat's reading is lenient: a form field holds one amount and
// nothing else, so anything left over is an error, not a guess. units
// are the units it takes after the number, longest first (amountUnits).
func parseAmount(s string, units []unit) (engine.Money, error) {
	s = strings.ToLower(strings.TrimSpace(toHalfWidth(s)))
	if s == "" {
		return engine.Money{}, errAmountEmpty
	}
	if len(s) > 32 {
		return engine.Money{}, errNotAmount
	}
	s = strings.TrimSpace(strings.TrimPrefix(s, "¥"))
	var exp int32
	for _, u := range units {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, exp = strings.TrimSpace(rest), u.exp
			break
		}
	}
	if strings.HasPrefix(s, "-") {
		return engine.Money{}, errNegative
	}
	s = strings.ReplaceAll(s, ",", "")
	// decimal would also take "1e5" and "+5"; neither is how anyone
	// writes a bill.
	if s == "" || strings.Trim(s, "0123456789.") != "" || strings.Count(s, ".") > 1 || s == "." {
		return engine.Money{}, errNotAmount
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return engine.Money{}, errNotAmount
	}
	d = d.Shift(exp)
	switch {
	case d.GreaterThan(maxAmount):
		return engine.Money{}, errTooLarge
	case !d.Equal(d.Round(2)):
		return engine.Money{}, errBelowFen
	}
	return engine.MoneyOf(d), nil
}

// toHalfWidth turns the full-width digits and punctuation a Chinese
// keyboard produces into ASCII.
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '，':
			return ','
		case r == '\uff0e' || r == '\u3002': // full-width and ideographic full stops
			return '.'
		case r == '－':
			return '-'
		case r == '￥':
			return '¥'
		case r == 'Ｗ' || r == 'ｗ':
			return 'w'
		case r == 'Ｋ' || r == 'ｋ':
			return 'k'
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}
