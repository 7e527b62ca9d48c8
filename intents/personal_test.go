package intents_test

import (
	"testing"
	"time"

	"github.com/yibao/yibao/intents"
)

// TestPersonalNumbersAreNotAmounts: a phone, ID-card or bank-card number is
// flagged and never becomes an amount (or any other number); a real sum
// beside it still does (issue 21, finding 5).
func TestPersonalNumbersAreNotAmounts(t *testing.T) {
	m, err := intents.New(intents.DefaultCatalogue())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)
	for _, s := range []string{"138.1234.5678", "+86 138 1234 5678", "500101 19900101 1234", "138：1234：5678",
		"一三八一二三四五六七八", "5001 0119 9001 0112 3 X", "6222 0212 3456 7890", "138\u200b1234\u200b5678"} {
		for _, sl := range []intents.Slots{m.Extract(s, now), m.Match(s, now).Slots} {
			if !sl.PersonalNumber || sl.HasAmount || sl.Year != 0 || sl.Age != 0 || !sl.Date.IsZero() {
				t.Errorf("%q: %+v, want a personal number and nothing else", s, sl)
			}
		}
	}
	sl := m.Match("电话13812345678 住院花了5万", now).Slots
	if !sl.PersonalNumber || !sl.HasAmount || sl.Amount.String() != "50000.00" {
		t.Errorf("a phone beside a bill: %+v, want the bill 50000.00 and the phone flagged", sl)
	}
}
