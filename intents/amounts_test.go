package intents_test

import (
	"os"
	"testing"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// amountCase is one entry of testdata/amounts.yaml.
type amountCase struct {
	Text     string `yaml:"text"`
	Value    string `yaml:"value"`
	Approx   bool   `yaml:"approx"`
	Negative bool   `yaml:"negative"`
	None     bool   `yaml:"none"`
}

// TestAmountCorpus reads every shape of amount residents write: digits,
// units, separators, full-width digits, fen, places after a unit, 零,
// rough sums (flagged, read as the round figure) and negatives (flagged
// and negative), and numbers that are not money.
func TestAmountCorpus(t *testing.T) {
	data, err := os.ReadFile("testdata/amounts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []amountCase
	if err := yaml.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 50 {
		t.Fatalf("only %d cases read", len(cases))
	}
	m := newMatcher(t)
	now := testNow(t)
	for _, c := range cases {
		s := m.Extract(c.Text, now)
		if c.None {
			if s.HasAmount {
				t.Errorf("%q: amount %s, want none", c.Text, s.Amount)
			}
			continue
		}
		want, err := decimal.NewFromString(c.Value)
		if err != nil {
			t.Fatalf("%q: value %q: %v", c.Text, c.Value, err)
		}
		switch {
		case !s.HasAmount:
			t.Errorf("%q: no amount, want %s", c.Text, want)
		case !s.Amount.Decimal().Equal(want):
			t.Errorf("%q: amount %s, want %s", c.Text, s.Amount, want)
		case s.AmountApprox != c.Approx:
			t.Errorf("%q: approx %v, want %v", c.Text, s.AmountApprox, c.Approx)
		case s.AmountNegative != c.Negative:
			t.Errorf("%q: negative %v, want %v", c.Text, s.AmountNegative, c.Negative)
		}
	}
}
