package intents_test

import (
	"errors"
	"testing"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
)

// TestReadAmount: a form field read as the chat reads a sum, strictly.
func TestReadAmount(t *testing.T) {
	lx := intents.DefaultLexicon()
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
		{"￥３０００", "3000.00"},
		{"0", "0.00"},
		{"1.2345万", "12345.00"},
		// What the chat suggests, the page takes too.
		{"三万五", "35000.00"},
		{"五万", "50000.00"},
		{"5万5", "55000.00"},
		{"两千三百", "2300.00"},
		{"一万二千五百元", "12500.00"},
	}
	for _, tt := range good {
		m, err := lx.ReadAmount(tt.in)
		if err != nil || m.String() != tt.want {
			t.Errorf("ReadAmount(%q) = %s, %v; want %s", tt.in, m, err, tt.want)
		}
	}
	bad := []struct {
		in   string
		want error
	}{
		{"", engine.ErrAmountEmpty},
		{"  ", engine.ErrAmountEmpty},
		{"1e5", engine.ErrNotAmount},
		{"+5", engine.ErrNotAmount},
		{"1.2.3", engine.ErrNotAmount},
		{".", engine.ErrNotAmount},
		{"万", engine.ErrNotAmount},
		{"12 000", engine.ErrNotAmount},
		{"3来万", engine.ErrNotAmount},
		{"七千多", engine.ErrNotAmount},
		{"住院5万", engine.ErrNotAmount},
		{"-100", engine.ErrAmountNegative},
		{"－100", engine.ErrAmountNegative},
		{"10001万", engine.ErrAmountTooLarge},
		{"1.001", engine.ErrAmountBelowFen},
		{"1.2345678万", engine.ErrAmountBelowFen},
		{"123456789012345678901234567890123", engine.ErrNotAmount},
	}
	for _, tt := range bad {
		if m, err := lx.ReadAmount(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ReadAmount(%q) = %s, %v; want %v", tt.in, m, err, tt.want)
		}
	}
}

func FuzzReadAmount(f *testing.F) {
	for _, s := range []string{"12,000", "3.5万", "-1", "1e5", "８", "三万五", "1.5w"} {
		f.Add(s)
	}
	lx := intents.DefaultLexicon()
	f.Fuzz(func(t *testing.T, s string) {
		m, err := lx.ReadAmount(s)
		if err == nil && (m.IsNegative() || m.GreaterThan(engine.MaxAmount)) {
			t.Errorf("ReadAmount(%q) = %s: out of bounds", s, m)
		}
	})
}
