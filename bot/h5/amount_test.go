package h5

import (
	"errors"
	"testing"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
)

// formUnits are the shipped lexicon's form units.
func formUnits(t testing.TB) []unit {
	t.Helper()
	us, err := amountUnits(intents.DefaultLexicon().FormUnits())
	if err != nil {
		t.Fatal(err)
	}
	return us
}

func TestParseAmount(t *testing.T) {
	units := formUnits(t)
	good := []struct{ in, want string }{
		{"12000", "12000.00"},
		{"12,000", "12000.00"},
		{"12，000", "12000.00"},
		{"5万", "50000.00"},
		{"3.5万", "35000.00"},
		{"3.5万元", "35000.00"},
		{"2.5w", "25000.00"},
		{"8千", "8000.00"},
		{"8K", "8000.00"},
		{"８０００", "8000.00"},
		{"１２．５", "12.50"},
		{" 350.5 元 ", "350.50"},
		{"200块钱", "200.00"},
		{"¥1,234.56", "1234.56"},
		{"0", "0.00"},
		{"1.2345万", "12345.00"},
	}
	for _, tt := range good {
		m, err := parseAmount(tt.in, units)
		if err != nil || m.String() != tt.want {
			t.Errorf("parseAmount(%q) = %s, %v; want %s", tt.in, m, err, tt.want)
		}
	}
	bad := []struct {
		in   string
		want error
	}{
		{"", errAmountEmpty},
		{"  ", errAmountEmpty},
		{"五万", errNotAmount},
		{"1e5", errNotAmount},
		{"+5", errNotAmount},
		{"1.2.3", errNotAmount},
		{".", errNotAmount},
		{"万", errNotAmount},
		{"5万5", errNotAmount},
		{"12 000", errNotAmount},
		{"-100", errNegative},
		{"－100", errNegative},
		{"10001万", errTooLarge},
		{"1.001", errBelowFen},
		{"1.2345678万", errBelowFen},
		{"123456789012345678901234567890123", errNotAmount},
	}
	for _, tt := range bad {
		if _, err := parseAmount(tt.in, units); !errors.Is(err, tt.want) {
			t.Errorf("parseAmount(%q): %v, want %v", tt.in, err, tt.want)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12,000", "3.5万", "-1", "1e5", "８"} {
		f.Add(s)
	}
	units := formUnits(f)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseAmount(s, units)
		if err == nil && (m.IsNegative() || m.GreaterThan(engine.MoneyOf(maxAmount))) {
			t.Errorf("parseAmount(%q) = %s", s, m)
		}
	})
}

// The units are the lexicon's: without them a field takes bare numbers
// only, and a unit given is read.
func TestAmountUnitsAreData(t *testing.T) {
	if _, err := parseAmount("5万", nil); !errors.Is(err, errNotAmount) {
		t.Errorf("5万 without units: %v, want errNotAmount", err)
	}
	us, err := amountUnits(map[string]int32{"元": 0, "万元": 4, "万": 4, "百": 2})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"3百": "300.00", "2万元": "20000.00", "7元": "7.00"} {
		if m, err := parseAmount(in, us); err != nil || m.String() != want {
			t.Errorf("parseAmount(%q) = %s, %v; want %s", in, m, err, want)
		}
	}
	if _, err := amountUnits(map[string]int32{"W": 4}); err == nil {
		t.Error("an upper-case unit is taken: it can never match a folded amount")
	}
}
