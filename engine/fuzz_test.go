package engine_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/yibao/yibao/engine"
)

// FuzzInpatient checks the calculator's invariants over any input: no
// panic, nothing negative, never more than the bill, and never less
// reimbursement for a bigger bill.
func FuzzInpatient(f *testing.F) {
	f.Add(int64(2000000), int64(0), int64(0), int64(0), uint8(1), uint8(2), false, int64(5000))
	f.Add(int64(20000000), int64(100000), int64(7500000), int64(1500000), uint8(2), uint8(3), true, int64(1))
	f.Add(int64(80001), int64(0), int64(0), int64(1690100), uint8(1), uint8(1), false, int64(99))
	s := year(f, 2025)
	f.Fuzz(func(t *testing.T, costFen, outFen, priorBasicFen, priorSelfFen int64, tier, level uint8, minor bool, moreFen int64) {
		abs := func(v int64) engine.Money {
			if v < 0 {
				v = -v
			}
			if v < 0 { // MinInt64
				v = 0
			}
			return engine.MoneyOf(decimal.New(v%1_000_000_000_00, -2))
		}
		cost := abs(costFen)
		out := engine.MinMoney(abs(outFen), cost)
		in := engine.InpatientInput{Tier: engine.Tier(tier%2 + 1), Level: engine.Level(level%3 + 1), Minor: minor,
			Cost: cost, OutOfPolicy: out, PriorBasic: abs(priorBasicFen), PriorSelfPay: abs(priorSelfFen)}
		e, err := s.EstimateInpatient(in)
		if err != nil {
			t.Fatalf("%+v: %v", in, err)
		}
		if e.Basic.IsNegative() || e.Critical.IsNegative() || e.OutOfPocket.IsNegative() {
			t.Fatalf("negative figure: %+v", e)
		}
		if e.Total.GreaterThan(cost) {
			t.Fatalf("reimbursed %s > cost %s", e.Total, cost)
		}
		in.Cost = cost.Add(abs(moreFen))
		e2, err := s.EstimateInpatient(in)
		if err != nil {
			t.Fatal(err)
		}
		if e2.Total.LessThan(e.Total) {
			t.Fatalf("cost up %s → %s, reimbursed down %s → %s", cost, in.Cost, e.Total, e2.Total)
		}
	})
}

func FuzzOutpatient(f *testing.F) {
	f.Add(int64(20000), int64(0), int64(0), uint8(1), uint8(1), int64(100))
	s := year(f, 2025)
	f.Fuzz(func(t *testing.T, costFen, outFen, usedFen int64, tier, level uint8, moreFen int64) {
		abs := func(v int64) engine.Money {
			if v < 0 {
				v = -v
			}
			if v < 0 {
				v = 0
			}
			return engine.MoneyOf(decimal.New(v%1_000_000_000_00, -2))
		}
		cost := abs(costFen)
		in := engine.OutpatientInput{Tier: engine.Tier(tier%2 + 1), Level: engine.Level(level%3 + 1),
			Cost: cost, OutOfPolicy: engine.MinMoney(abs(outFen), cost), Used: abs(usedFen)}
		e, err := s.EstimateOutpatient(in)
		if err != nil {
			t.Fatal(err)
		}
		if e.Basic.IsNegative() || e.Total.GreaterThan(cost) || e.Basic.GreaterThan(s.Outpatient.Limit(in.Tier)) {
			t.Fatalf("bad result %+v", e)
		}
		in.Cost = cost.Add(abs(moreFen))
		e2, err := s.EstimateOutpatient(in)
		if err != nil {
			t.Fatal(err)
		}
		if e2.Total.LessThan(e.Total) {
			t.Fatalf("cost up, reimbursed down: %s → %s", e.Total, e2.Total)
		}
	})
}
