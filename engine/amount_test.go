package engine_test

import (
	"errors"
	"testing"

	"github.com/yibao/yibao/engine"
)

// The bound and the reasons every reader of an amount shares: the chat's
// bill and its parts, and the page's fields.
func TestCheckAmounts(t *testing.T) {
	max := engine.MaxAmount
	for _, tt := range []struct {
		name       string
		v          engine.Money
		bill, part error
	}{
		{"a bill", engine.Yuan(30000), nil, nil},
		{"one fen", mustMoney(t, "0.01"), nil, nil},
		{"nothing", engine.Yuan(0), engine.ErrAmountZero, nil},
		{"negative", engine.Yuan(-5), engine.ErrAmountNegative, engine.ErrAmountNegative},
		{"the bound", max, nil, nil},
		{"past the bound", max.Add(mustMoney(t, "0.01")), engine.ErrAmountTooLarge, engine.ErrAmountTooLarge},
	} {
		if err := engine.CheckBill(tt.v); !errors.Is(err, tt.bill) || (err == nil) != (tt.bill == nil) {
			t.Errorf("%s: CheckBill(%s) = %v, want %v", tt.name, tt.v, err, tt.bill)
		}
		if err := engine.CheckPart(tt.v); !errors.Is(err, tt.part) || (err == nil) != (tt.part == nil) {
			t.Errorf("%s: CheckPart(%s) = %v, want %v", tt.name, tt.v, err, tt.part)
		}
	}
}

func mustMoney(t *testing.T, s string) engine.Money {
	t.Helper()
	m, err := engine.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
