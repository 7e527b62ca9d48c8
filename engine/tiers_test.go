package engine_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/yibao/yibao/engine"
)

// madeUp loads testdata/madeup/2030.yaml, a made-up year (see its header).
func madeUp(t testing.TB) engine.Selection {
	t.Helper()
	b, err := engine.Load(filepath.Join("testdata", "madeup"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.ForYear(2030)
	if err != nil || s.Fallback {
		t.Fatalf("2030: %v (fallback %v)", err, s.Fallback)
	}
	return s
}

// neverPaysBack is 2025 with 二档 made 50,000 元 dearer than 一档: more than
// the 40,000 元 its higher basic-fund cap can ever add.
func neverPaysBack(t testing.TB) engine.Selection {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("policies", "2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.ParsePolicy("dear.yaml", []byte(replaceOnce(t, string(data), "tier2: 775", "tier2: 50400")))
	if err != nil {
		t.Fatal(err)
	}
	return engine.Selection{Policy: p, Asked: p.Year}
}

type wantRange struct {
	from, to string // to is "" for open-ended
}

// TestAdviseTiers works each figure by hand from the year's data. Below the
// 大病 deductible both tiers pay (bill − deductible) × ratio, and 二档's
// ratio is 5 points higher at every level (minors too: both get +5), so
// 二档 pays 0.05 × (bill − deductible) more.
func TestAdviseTiers(t *testing.T) {
	tests := []struct {
		name    string
		sel     func(testing.TB) engine.Selection
		minor   bool
		diff    string
		levels  [3][]wantRange // 一级, 二级, 三级
		outGain string
		outPays bool
		example [3]string // bill, gain, net at 三级
	}{
		{
			// 2025: 775 − 400 = 375; 0.05 × (bill − d) = 375 at bill = d + 7,500:
			// 一级 100 + 7,500 = 7,600; 二级 300 + 7,500 = 7,800; 三级 800 + 7,500 = 8,300.
			// Past that the gain dips where 大病 starts paying 一档 first (三级
			// adult: 一档's self-pay 0.5 × bill + 400 reaches 16,901 at 33,002,
			// gain 1,610.10; 二档's 0.45 × bill + 440 at 36,580, gain there
			// 0.4 × 0.05 × 35,780 = 715.60) but never back under 375, and
			// with every cap reached it is 120,000 − 80,000 = 40,000.
			// Outpatient: limits 300 and 500, so at most 200 more: < 375.
			// Example: 10,000 at 三级: 一档 9,200 × 50% = 4,600, 二档 × 55% =
			// 5,060: 460 more, 85 more than the 375.
			name: "2025 adult", sel: func(tb testing.TB) engine.Selection { return year(tb, 2025) },
			diff: "375.00",
			levels: [3][]wantRange{
				{{"7600.00", ""}}, {{"7800.00", ""}}, {{"8300.00", ""}},
			},
			outGain: "200.00", example: [3]string{"10000.00", "460.00", "85.00"},
		},
		{
			// Minors: ratios 5 points higher in both tiers, so the same
			// 0.05 × (bill − d) below 大病. 三级: 一档's self-pay 0.45 × bill + 440
			// reaches 16,901 at 36,580 (gain 1,789); 二档's 0.4 × bill + 480 at
			// 41,052.50 (gain 0.02 × 40,252.50 = 805.05): still above 375.
			// Example: 10,000 at 三级: 9,200 × 55% = 5,060 and × 60% = 5,520.
			name: "2025 minor", sel: func(tb testing.TB) engine.Selection { return year(tb, 2025) }, minor: true,
			diff: "375.00",
			levels: [3][]wantRange{
				{{"7600.00", ""}}, {{"7800.00", ""}}, {{"8300.00", ""}},
			},
			outGain: "200.00", example: [3]string{"10000.00", "460.00", "85.00"},
		},
		{
			// Made-up 2030: 1,400 − 400 = 1,000, reached at d + 20,000:
			// 一级 20,100; 二级 20,300; 三级 (d 1,000) 21,000.
			// 三级 adult: 大病 starts for 一档 at 0.5 × bill + 500 = 16,901, bill
			// 32,802; from there gain = 0.05 × (bill − 1,000) − 0.6 × (0.5 × bill
			// + 500 − 16,901) = 9,790.60 − 0.25 × bill, which falls to 1,000 at
			// 35,162.40; 二档's 大病 starts at 0.45 × bill + 550 = 16,901 (36,335.56),
			// then gain = 0.4 × 0.05 × (bill − 1,000), back to 1,000 at 51,000.
			// 二级: the dip bottoms at 0.02 × (66,704 − 300) = 1,328.08 > 1,000.
			// Outpatient: 1,500 − 300 = 1,200 ≥ 1,000.
			// Example: 三级 pays back from 51,000 → 60,000: 一档 59,000 × 50% =
			// 29,500, self-pay 30,500, 大病 (30,500 − 16,901) × 60% = 8,159.40,
			// total 37,659.40; 二档 × 55% = 32,450, self-pay 27,550, 大病 6,389.40,
			// total 38,839.40: 1,180 more, 180 more than 1,000.
			name: "made-up 2030 adult", sel: madeUp, diff: "1000.00",
			levels: [3][]wantRange{
				{{"20100.00", ""}}, {{"20300.00", ""}}, {{"21000.00", "35162.40"}, {"51000.00", ""}},
			},
			outGain: "1200.00", outPays: true, example: [3]string{"60000.00", "1180.00", "180.00"},
		},
		{
			// Minor 三级: gain = 0.05 × (bill − 1,000) until 一档's self-pay
			// 0.45 × bill + 550 reaches 16,901; then 9,760.60 − 0.22 × bill,
			// at least 1,000 up to 39,820.90 (39,820.91 gives 999.9998);
			// 二档's 大病 starts at 0.4 × bill + 600 = 16,901 (40,752.50), then
			// 0.02 × (bill − 1,000) is 1,000 again at 51,000.
			// Example at 60,000: 一档 59,000 × 55% = 32,450, 大病 (27,550 −
			// 16,901) × 60% = 6,389.40; 二档 × 60% = 35,400, 大病 (24,600 −
			// 16,901) × 60% = 4,619.40: 40,019.40 − 38,839.40 = 1,180.
			name: "made-up 2030 minor", sel: madeUp, minor: true, diff: "1000.00",
			levels: [3][]wantRange{
				{{"20100.00", ""}}, {{"20300.00", ""}}, {{"21000.00", "39820.90"}, {"51000.00", ""}},
			},
			outGain: "1200.00", outPays: true, example: [3]string{"60000.00", "1180.00", "180.00"},
		},
		{
			// 50,000 more for 二档 while its higher cap adds 40,000 at most.
			name: "never pays back", sel: neverPaysBack, diff: "50000.00",
			outGain: "200.00",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := tt.sel(t).AdviseTiers(tt.minor)
			if err != nil {
				t.Fatal(err)
			}
			if a.PremiumDifference.String() != tt.diff {
				t.Errorf("premium difference %s, want %s", a.PremiumDifference, tt.diff)
			}
			for i, l := range []engine.Level{engine.Level1, engine.Level2, engine.Level3} {
				b, ok := a.BreakEven(l)
				if !ok {
					t.Fatalf("no entry for %s", l)
				}
				want := tt.levels[i]
				if len(b.Ranges) != len(want) {
					t.Errorf("%s: ranges %v, want %v", l, b.Ranges, want)
					continue
				}
				for j, r := range b.Ranges {
					if r.From.String() != want[j].from || r.OpenEnded != (want[j].to == "") ||
						(want[j].to != "" && r.To.String() != want[j].to) {
						t.Errorf("%s: range %d = %+v, want %+v", l, j, r, want[j])
					}
				}
				wantPays := len(want) > 0
				if b.PaysBack != wantPays {
					t.Errorf("%s: pays back %v, want %v", l, b.PaysBack, wantPays)
				}
				if wantPays && b.From.String() != want[len(want)-1].from {
					t.Errorf("%s: from %s, want %s", l, b.From, want[len(want)-1].from)
				}
				if !wantPays && !b.From.IsZero() {
					t.Errorf("%s: never pays back but from = %s", l, b.From)
				}
			}
			if a.OutpatientMaxGain.String() != tt.outGain || a.OutpatientPaysBack != tt.outPays {
				t.Errorf("outpatient max gain %s pays back %v, want %s %v",
					a.OutpatientMaxGain, a.OutpatientPaysBack, tt.outGain, tt.outPays)
			}
			switch {
			case tt.example[0] == "" && a.Example != nil:
				t.Errorf("example %+v, want none", a.Example.Bill)
			case tt.example[0] != "" && a.Example == nil:
				t.Errorf("no example, want one at %s", tt.example[0])
			case a.Example != nil:
				e := a.Example
				if got := [3]string{e.Bill.String(), e.Gain.String(), e.Net.String()}; got != tt.example {
					t.Errorf("example bill, gain, net = %v, want %v", got, tt.example)
				}
				if e.Tier1.Year != a.Year || e.Level != engine.Level3 || e.Minor != tt.minor {
					t.Errorf("example is for %d %s minor=%v", e.Tier1.Year, e.Level, e.Minor)
				}
			}
			if !hasCode(a.Assumptions, "critical_cap_raises") || !hasCode(a.Assumptions, "one_admission") {
				t.Errorf("assumptions %v lack the cap raises or the one-admission line", a.Assumptions)
			}
		})
	}
}

func TestAdviseTiersFallbackYear(t *testing.T) {
	a, err := year(t, 2027).AdviseTiers(false)
	if err != nil {
		t.Fatal(err)
	}
	if a.Year != 2025 || a.AskedYear != 2027 || !a.Fallback || !hasCode(a.Assumptions, "year_fallback") {
		t.Errorf("year %d asked %d fallback %v %v", a.Year, a.AskedYear, a.Fallback, a.Assumptions)
	}
	// 2025: 80/85, 70/75, 50/55 at the three levels, 5 points each.
	if got := a.RatioGain.Percent(); got != "5%" {
		t.Errorf("ratio gain %s, want 5%%", got)
	}
}

// TestBreakEvenProperty checks the definitions against the calculators on
// random bills: a bill reaches (tier 2's extra reimbursement ≥ the premium
// difference) exactly when it lies in one of Ranges; From is the smallest
// bill from which every larger bill reaches, so one fen less does not.
func TestBreakEvenProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 2025))
	sels := map[string]engine.Selection{"2025": year(t, 2025), "2030": madeUp(t), "dear": neverPaysBack(t)}
	fen := func(n int64) engine.Money { return engine.MoneyOf(decimal.New(n, -2)) }
	for name, s := range sels {
		for _, minor := range []bool{false, true} {
			a, err := s.AdviseTiers(minor)
			if err != nil {
				t.Fatal(err)
			}
			reaches := func(l engine.Level, bill engine.Money) bool {
				c, err := s.CompareTiers(l, minor, bill)
				if err != nil {
					t.Fatal(err)
				}
				return !c.Gain.LessThan(a.PremiumDifference)
			}
			for _, b := range a.Inpatient {
				inRanges := func(bill engine.Money) bool {
					for _, r := range b.Ranges {
						if !bill.LessThan(r.From) && (r.OpenEnded || !bill.GreaterThan(r.To)) {
							return true
						}
					}
					return false
				}
				top := int64(100_000_000) // 1,000,000 元, past every 2025/2030 cap
				var probes []int64
				for range 3000 {
					probes = append(probes, rng.Int64N(top))
				}
				for _, r := range b.Ranges { // the edges, and just beside them
					f := r.From.Decimal().Shift(2).IntPart()
					probes = append(probes, f-1, f, f+1)
					if !r.OpenEnded {
						to := r.To.Decimal().Shift(2).IntPart()
						probes = append(probes, to-1, to, to+1)
					}
				}
				for _, n := range probes {
					if n < 0 {
						continue
					}
					bill := fen(n)
					if got, want := reaches(b.Level, bill), inRanges(bill); got != want {
						t.Fatalf("%s minor=%v %s bill %s: reaches %v, in ranges %v (%v)", name, minor, b.Level, bill, got, want, b.Ranges)
					}
					if b.PaysBack && !bill.LessThan(b.From) && !reaches(b.Level, bill) {
						t.Fatalf("%s minor=%v %s: bill %s ≥ from %s does not reach", name, minor, b.Level, bill, b.From)
					}
				}
				if b.PaysBack && b.From.IsPositive() {
					below := b.From.Sub(fen(1))
					if reaches(b.Level, below) {
						t.Errorf("%s minor=%v %s: %s, one fen under from %s, reaches too", name, minor, b.Level, below, b.From)
					}
				}
				// Past the search's end the gain no longer changes.
				if n := len(b.Ranges); b.PaysBack {
					end := b.Ranges[n-1].To
					c1, _ := s.CompareTiers(b.Level, minor, end)
					c2, _ := s.CompareTiers(b.Level, minor, end.Add(engine.Yuan(10_000_000)))
					if !c1.Gain.Equal(c2.Gain) || !c1.Gain.Equal(b.LargeBillGain) {
						t.Errorf("%s %s: gain %s at %s, %s far past it, large-bill gain %s", name, b.Level, c1.Gain, end, c2.Gain, b.LargeBillGain)
					}
				}
			}
		}
	}
}

func hasCode(as []engine.Assumption, code string) bool {
	for _, a := range as {
		if a.Code == code {
			return true
		}
	}
	return false
}

func replaceOnce(t testing.TB, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("no %q", old)
	}
	return strings.Replace(s, old, new, 1)
}
