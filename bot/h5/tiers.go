package h5

import (
	"fmt"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// Tiers is the tier comparison, as `yibao estimate --kind tiers --json`
// gives it, plus each level's break-even worded as the chat words it. A
// break_even value is null where 二档 never pays back at that level.
type Tiers struct {
	Kind               string                `json:"kind"`
	Year               int                   `json:"year"`
	AskedYear          int                   `json:"asked_year"`
	Fallback           bool                  `json:"fallback"`
	Minor              bool                  `json:"minor"`
	Tier1              string                `json:"tier1"`
	Tier2              string                `json:"tier2"`
	PremiumDifference  string                `json:"premium_difference"`
	BreakEven          map[string]*string    `json:"break_even"`
	BreakEvenText      map[string]string     `json:"break_even_text"`
	PayBackRanges      map[string][]BillSpan `json:"pay_back_ranges"`
	OutpatientLimit1   string                `json:"outpatient_limit1"`
	OutpatientLimit2   string                `json:"outpatient_limit2"`
	OutpatientMaxGain  string                `json:"outpatient_max_gain"`
	OutpatientPaysBack bool                  `json:"outpatient_pays_back"`
	Example            *TierExample          `json:"example,omitempty"`
	Assumptions        []replies.Assumption  `json:"assumptions"`
}

// BillSpan is a range of yearly bills where 二档 pays back; To is null
// when it goes on for every larger bill.
type BillSpan struct {
	From string  `json:"from"`
	To   *string `json:"to"`
}

// TierExample is one worked bill priced under both tiers.
type TierExample struct {
	Level           int    `json:"level"`
	Bill            string `json:"bill"`
	Tier1Total      string `json:"tier1_reimbursed"`
	Tier2Total      string `json:"tier2_reimbursed"`
	ExtraReimbursed string `json:"extra_reimbursed"`
	Net             string `json:"net"`
}

// TiersOf is the tier comparison as the API and `yibao estimate --kind
// tiers --json` give it.
func TiersOf(a engine.TierAdvice) Tiers {
	out := Tiers{
		Kind: "tiers", Year: a.Year, AskedYear: a.AskedYear, Fallback: a.Fallback, Minor: a.Minor,
		Tier1: a.Tier1.String(), Tier2: a.Tier2.String(), PremiumDifference: a.PremiumDifference.String(),
		BreakEven: map[string]*string{}, BreakEvenText: map[string]string{}, PayBackRanges: map[string][]BillSpan{},
		OutpatientLimit1: a.OutpatientLimit1.String(), OutpatientLimit2: a.OutpatientLimit2.String(),
		OutpatientMaxGain: a.OutpatientMaxGain.String(), OutpatientPaysBack: a.OutpatientPaysBack,
		Assumptions: replies.Assumptions(a.Assumptions, replies.TierAssumptionText),
	}
	for _, b := range a.Inpatient {
		key := fmt.Sprintf("inpatient_level_%d", b.Level)
		out.BreakEven[key] = nil
		if b.PaysBack {
			s := b.From.String()
			out.BreakEven[key] = &s
		}
		out.BreakEvenText[key] = replies.TierBreakEven(b)
		out.PayBackRanges[key] = []BillSpan{}
		for _, r := range b.Ranges {
			span := BillSpan{From: r.From.String()}
			if !r.OpenEnded {
				to := r.To.String()
				span.To = &to
			}
			out.PayBackRanges[key] = append(out.PayBackRanges[key], span)
		}
	}
	if x := a.Example; x != nil {
		out.Example = &TierExample{Level: int(x.Level), Bill: x.Bill.String(),
			Tier1Total: x.Tier1.Total.String(), Tier2Total: x.Tier2.Total.String(),
			ExtraReimbursed: x.Gain.RoundFen().String(), Net: x.Net.RoundFen().String()}
	}
	return out
}
