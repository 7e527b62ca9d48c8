package engine_test

import (
	"testing"

	"github.com/yibao/yibao/engine"
)

func mustBook(t testing.TB) *engine.Book {
	t.Helper()
	b, err := engine.Load("")
	if err != nil {
		t.Fatalf("load embedded policies: %v", err)
	}
	return b
}

func year(t testing.TB, y int) engine.Selection {
	t.Helper()
	s, err := mustBook(t).ForYear(y)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func m(t testing.TB, s string) engine.Money {
	t.Helper()
	v, err := engine.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestInpatient(t *testing.T) {
	tests := []struct {
		name                             string
		in                               engine.InpatientInput
		cost, out, priorBasic, priorSelf string
		basic, critical, total, pocket   string
		basicCapped, criticalCapped      bool
	}{
		{name: "brief example: tier 1 adult level 2, 20000",
			in: engine.InpatientInput{Tier: 1, Level: 2}, cost: "20000",
			basic: "13790.00", critical: "0.00", total: "13790.00", pocket: "6210.00"},
		{name: "brief example: tier 1 minor level 3, 200000, capped",
			in: engine.InpatientInput{Tier: 1, Level: 3, Minor: true}, cost: "200000",
			basic: "80000.00", critical: "61859.40", total: "141859.40", pocket: "58140.60", basicCapped: true},
		{name: "below the deductible pays nothing",
			in: engine.InpatientInput{Tier: 2, Level: 3}, cost: "799.99",
			basic: "0.00", critical: "0.00", total: "0.00", pocket: "799.99"},
		{name: "exactly the deductible pays nothing",
			in: engine.InpatientInput{Tier: 2, Level: 1}, cost: "100",
			basic: "0.00", critical: "0.00", total: "0.00", pocket: "100.00"},
		{name: "tier 2 level 1 adult",
			in: engine.InpatientInput{Tier: 2, Level: 1}, cost: "10000",
			basic: "8415.00", critical: "0.00", total: "8415.00", pocket: "1585.00"},
		{name: "tier 2 minor level 1: 85%+5 = 90%",
			in: engine.InpatientInput{Tier: 2, Level: 1, Minor: true}, cost: "10000",
			basic: "8910.00", critical: "0.00", total: "8910.00", pocket: "1090.00"},
		{name: "tier 2 minor level 3: 60%",
			in: engine.InpatientInput{Tier: 2, Level: 3, Minor: true}, cost: "50000",
			// self-pay 20480 passes 16901: (20480−16901)×0.6 = 2147.40
			basic: "29520.00", critical: "2147.40", total: "31667.40", pocket: "18332.60"},
		{name: "exactly at the tier 1 cap",
			// (100100 − 100) × 80% = 80000 exactly; self-pay 20100: (20100−16901)×0.6 = 1919.40
			in: engine.InpatientInput{Tier: 1, Level: 1}, cost: "100100",
			basic: "80000.00", critical: "1919.40", total: "81919.40", pocket: "18180.60"},
		{name: "past the tier 2 cap",
			in: engine.InpatientInput{Tier: 2, Level: 2}, cost: "200300",
			// uncapped 150000 → 120000; self-pay 80300; critical (80300−16901)×0.6 = 38039.40
			basic: "120000.00", critical: "38039.40", total: "158039.40", pocket: "42260.60", basicCapped: true},
		{name: "cap partly used earlier in the year",
			in: engine.InpatientInput{Tier: 1, Level: 2}, cost: "20000", priorBasic: "75000",
			basic: "5000.00", critical: "0.00", total: "5000.00", pocket: "15000.00", basicCapped: true},
		{name: "cap fully used earlier",
			in: engine.InpatientInput{Tier: 1, Level: 2}, cost: "20000", priorBasic: "90000",
			// self-pay 20000 crosses 16901: (20000−16901)×0.6 = 1859.40
			basic: "0.00", critical: "1859.40", total: "1859.40", pocket: "18140.60", basicCapped: true},
		{name: "priors cross the critical deductible",
			in: engine.InpatientInput{Tier: 1, Level: 2}, cost: "20000", priorSelf: "15000",
			// self-pay 6210; cumulative 21210; (21210−16901)×0.6 = 2585.40
			basic: "13790.00", critical: "2585.40", total: "16375.40", pocket: "3624.60"},
		{name: "priors already past the critical deductible",
			in: engine.InpatientInput{Tier: 1, Level: 2}, cost: "20000", priorSelf: "30000",
			basic: "13790.00", critical: "3726.00", total: "17516.00", pocket: "2484.00"},
		{name: "critical cap reached within the stay",
			in: engine.InpatientInput{Tier: 1, Level: 3}, cost: "1000000",
			// basic capped 80000; self-pay 920000; (920000−16901)×0.6 = 541859.4 → 200000
			basic: "80000.00", critical: "200000.00", total: "280000.00", pocket: "720000.00", basicCapped: true, criticalCapped: true},
		{name: "critical cap already partly used by priors",
			in: engine.InpatientInput{Tier: 1, Level: 3}, cost: "100000", priorBasic: "80000", priorSelf: "330000",
			// before: (330000−16901)×0.6 = 187859.4; after self-pay 100000 → 200000; pays 12140.60
			basic: "0.00", critical: "12140.60", total: "12140.60", pocket: "87859.40", basicCapped: true, criticalCapped: true},
		{name: "out-of-policy part is never reimbursed",
			in: engine.InpatientInput{Tier: 1, Level: 2}, cost: "25000", out: "5000",
			basic: "13790.00", critical: "0.00", total: "13790.00", pocket: "11210.00"},
		{name: "all out of policy",
			in: engine.InpatientInput{Tier: 2, Level: 3}, cost: "5000", out: "5000",
			basic: "0.00", critical: "0.00", total: "0.00", pocket: "5000.00"},
		{name: "fen rounding half up only for display",
			in: engine.InpatientInput{Tier: 1, Level: 3}, cost: "801.01",
			// 1.01 × 0.5 = 0.505 → 0.51; the rest of the bill is the insured's
			basic: "0.51", critical: "0.00", total: "0.51", pocket: "800.50"},
		{name: "zero cost",
			in: engine.InpatientInput{Tier: 1, Level: 1}, cost: "0",
			basic: "0.00", critical: "0.00", total: "0.00", pocket: "0.00"},
	}
	s := year(t, 2025)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Cost = m(t, tt.cost)
			for dst, src := range map[*engine.Money]string{&in.OutOfPolicy: tt.out, &in.PriorBasic: tt.priorBasic, &in.PriorSelfPay: tt.priorSelf} {
				if src != "" {
					*dst = m(t, src)
				}
			}
			e, err := s.EstimateInpatient(in)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{e.Basic.String(), e.Critical.String(), e.Total.String(), e.OutOfPocket.String()}
			want := []string{tt.basic, tt.critical, tt.total, tt.pocket}
			for i, name := range []string{"basic", "critical", "total", "out of pocket"} {
				if got[i] != want[i] {
					t.Errorf("%s = %s, want %s", name, got[i], want[i])
				}
			}
			if e.BasicCapped != tt.basicCapped || e.CriticalCapped != tt.criticalCapped {
				t.Errorf("capped basic=%v critical=%v, want %v %v", e.BasicCapped, e.CriticalCapped, tt.basicCapped, tt.criticalCapped)
			}
			if e.Year != 2025 || e.Fallback {
				t.Errorf("year %d fallback %v", e.Year, e.Fallback)
			}
		})
	}
}

func TestOutpatient(t *testing.T) {
	tests := []struct {
		name            string
		in              engine.OutpatientInput
		cost, used, out string
		basic, pocket   string
		covered, capped bool
		wantAssumption  string
	}{
		{name: "brief example: tier 1 level 1, 200", in: engine.OutpatientInput{Tier: 1, Level: 1}, cost: "200",
			basic: "120.00", pocket: "80.00", covered: true, wantAssumption: "limit_unused"},
		{name: "level 1 limit caps tier 1 at 300", in: engine.OutpatientInput{Tier: 1, Level: 1}, cost: "1000",
			basic: "300.00", pocket: "700.00", covered: true, capped: true},
		{name: "tier 2 limit 500", in: engine.OutpatientInput{Tier: 2, Level: 1}, cost: "1000",
			basic: "500.00", pocket: "500.00", covered: true, capped: true},
		{name: "limit partly used", in: engine.OutpatientInput{Tier: 2, Level: 1}, cost: "1000", used: "450",
			basic: "50.00", pocket: "950.00", covered: true, capped: true},
		{name: "limit used up", in: engine.OutpatientInput{Tier: 1, Level: 1}, cost: "100", used: "300",
			basic: "0.00", pocket: "100.00", covered: true, capped: true},
		{name: "level 2 with deductible", in: engine.OutpatientInput{Tier: 2, Level: 2}, cost: "700",
			basic: "200.00", pocket: "500.00", covered: true, wantAssumption: "deductible_basis"},
		{name: "level 2 below deductible", in: engine.OutpatientInput{Tier: 2, Level: 2}, cost: "150",
			basic: "0.00", pocket: "150.00", covered: true},
		{name: "level 3 not covered", in: engine.OutpatientInput{Tier: 2, Level: 3}, cost: "500",
			basic: "0.00", pocket: "500.00", covered: false, wantAssumption: "not_covered"},
		{name: "out-of-policy part", in: engine.OutpatientInput{Tier: 1, Level: 1}, cost: "300", out: "100",
			basic: "120.00", pocket: "180.00", covered: true},
	}
	s := year(t, 2025)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Cost = m(t, tt.cost)
			if tt.used != "" {
				in.Used = m(t, tt.used)
			}
			if tt.out != "" {
				in.OutOfPolicy = m(t, tt.out)
			}
			e, err := s.EstimateOutpatient(in)
			if err != nil {
				t.Fatal(err)
			}
			if e.Basic.String() != tt.basic || e.OutOfPocket.String() != tt.pocket {
				t.Errorf("basic %s out of pocket %s, want %s %s", e.Basic, e.OutOfPocket, tt.basic, tt.pocket)
			}
			if !e.Critical.IsZero() {
				t.Errorf("outpatient critical = %s", e.Critical)
			}
			if e.Covered != tt.covered || e.BasicCapped != tt.capped {
				t.Errorf("covered %v capped %v, want %v %v", e.Covered, e.BasicCapped, tt.covered, tt.capped)
			}
			if tt.wantAssumption != "" && !hasAssumption(e, tt.wantAssumption) {
				t.Errorf("assumptions %v lack %s", e.Assumptions, tt.wantAssumption)
			}
		})
	}
}

func hasAssumption(e engine.Estimate, code string) bool {
	for _, a := range e.Assumptions {
		if a.Code == code {
			return true
		}
	}
	return false
}

func TestEstimateAssumptions(t *testing.T) {
	s := year(t, 2025)
	e, err := s.EstimateInpatient(engine.InpatientInput{Tier: 1, Level: 2, Cost: engine.Yuan(20000)})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"all_in_policy", "first_claim_basic", "first_claim_critical", "critical_deductible", "designated", "critical_cap_raises"} {
		if !hasAssumption(e, code) {
			t.Errorf("missing assumption %s in %v", code, e.Assumptions)
		}
	}
	if hasAssumption(e, "year_fallback") {
		t.Error("2025 asked, 2025 used: no fallback assumption expected")
	}
	// 1,000,000 at 三级, 一档: 大病 reaches its 200,000 cap, which the national
	// continuous-enrolment and no-claim raises would lift: say they are not counted.
	e, err = s.EstimateInpatient(engine.InpatientInput{Tier: 1, Level: 3, Cost: engine.Yuan(1000000)})
	if err != nil {
		t.Fatal(err)
	}
	if !hasAssumption(e, "critical_cap_raises") {
		t.Errorf("capped 大病: assumptions %v lack critical_cap_raises", e.Assumptions)
	}
	e, err = s.EstimateInpatient(engine.InpatientInput{Tier: 1, Level: 2, Cost: engine.Yuan(20000), OutOfPolicy: engine.Yuan(1)})
	if err != nil {
		t.Fatal(err)
	}
	if hasAssumption(e, "all_in_policy") {
		t.Error("out-of-policy given: all_in_policy should not be assumed")
	}

	f := year(t, 2026)
	e, err = f.EstimateInpatient(engine.InpatientInput{Tier: 2, Level: 3, Cost: engine.Yuan(50000)})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Fallback || e.Year != 2025 || e.AskedYear != 2026 || !hasAssumption(e, "year_fallback") {
		t.Errorf("2026 asked: year %d asked %d fallback %v %v", e.Year, e.AskedYear, e.Fallback, e.Assumptions)
	}
}

func TestEstimateBadInput(t *testing.T) {
	s := year(t, 2025)
	tests := []struct {
		name string
		in   engine.InpatientInput
	}{
		{"tier 3", engine.InpatientInput{Tier: 3, Level: 1, Cost: engine.Yuan(100)}},
		{"tier 0", engine.InpatientInput{Tier: 0, Level: 1, Cost: engine.Yuan(100)}},
		{"level 0", engine.InpatientInput{Tier: 1, Level: 0, Cost: engine.Yuan(100)}},
		{"level 4", engine.InpatientInput{Tier: 1, Level: 4, Cost: engine.Yuan(100)}},
		{"negative cost", engine.InpatientInput{Tier: 1, Level: 1, Cost: engine.Yuan(-1)}},
		{"out of policy above cost", engine.InpatientInput{Tier: 1, Level: 1, Cost: engine.Yuan(100), OutOfPolicy: engine.Yuan(101)}},
		{"negative prior", engine.InpatientInput{Tier: 1, Level: 1, Cost: engine.Yuan(100), PriorBasic: engine.Yuan(-5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.EstimateInpatient(tt.in)
			if !engine.IsInputError(err) {
				t.Fatalf("err = %v, want an input error", err)
			}
		})
	}
	if _, err := s.EstimateOutpatient(engine.OutpatientInput{Tier: 1, Level: 1, Cost: engine.Yuan(1), Used: engine.Yuan(-1)}); !engine.IsInputError(err) {
		t.Errorf("negative used: err = %v", err)
	}
	if _, err := mustBook(t).ForYear(2019); err == nil {
		t.Error("2019: want ErrNoPolicy")
	}
}

// TestLinesAgree: every figure a reply shows is settled to the fen, so the
// year's self-pay the 大病 line shows is exactly the bill less what the basic
// fund paid (25,000.55 at 一档 二级 once showed 7,710.17 beside 7,710.16).
func TestLinesAgree(t *testing.T) {
	sel := year(t, 2025)
	for _, cost := range []string{"25000.55", "12345.67", "99999.99", "300.01", "1000000.05"} {
		for _, tier := range []engine.Tier{engine.Tier1, engine.Tier2} {
			for _, lv := range []engine.Level{1, 2, 3} {
				e, err := sel.EstimateInpatient(engine.InpatientInput{Tier: tier, Level: lv, Cost: m(t, cost)})
				if err != nil {
					t.Fatal(err)
				}
				for name, v := range map[string]engine.Money{"basic": e.Basic, "critical": e.Critical, "self-pay": e.SelfPay} {
					if !v.Equal(v.RoundFen()) {
						t.Errorf("%s %v %v: %s %s is not settled to the fen", cost, tier, lv, name, v.Decimal())
					}
				}
				if got, want := e.CriticalBase.Display(), e.Cost.Sub(e.Basic).Display(); got != want {
					t.Errorf("%s %v %v: 大病 line shows %s, bill less basic is %s", cost, tier, lv, got, want)
				}
				if e.Critical.IsZero() && e.OutOfPocket.Display() != e.SelfPay.Display() {
					t.Errorf("%s %v %v: 个人负担 %s but self-pay %s", cost, tier, lv, e.OutOfPocket.Display(), e.SelfPay.Display())
				}
			}
		}
	}
}
