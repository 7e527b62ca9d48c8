package replies_test

import (
	"strings"
	"testing"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// TestEstimateFits renders calculator results with the longest values the
// dialog accepts (a bill just under 100 million yuan, every assumption,
// capped funds) and checks each fits one passive reply with its menu.
func TestEstimateFits(t *testing.T) {
	book, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	sel, err := book.ForYear(2099) // a fallback year: one more assumption
	if err != nil {
		t.Fatal(err)
	}
	huge, _ := engine.ParseMoney("99999999.99")
	in, err := sel.EstimateInpatient(engine.InpatientInput{Tier: engine.Tier1, Level: engine.Level3, Minor: true,
		Cost: huge, OutOfPolicy: engine.Yuan(1234567), PriorBasic: engine.Yuan(1), PriorSelfPay: engine.Yuan(1)})
	if err != nil {
		t.Fatal(err)
	}
	in.Assumptions = append(in.Assumptions, engine.Assumption{Code: "tier_guessed", Kind: engine.KindInpatient})
	out, err := sel.EstimateOutpatient(engine.OutpatientInput{Tier: engine.Tier2, Level: engine.Level2, Cost: huge})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []engine.Estimate{in, out} {
		text := replies.Menu(replies.Estimate(e), []string{"换个金额再算", "重新算一笔", "主菜单"})
		if len(text) > replies.MaxBytes {
			t.Errorf("%s estimate is %d bytes:\n%s", e.Kind, len(text), text)
		}
		if !strings.Contains(text, "2025年度") || !strings.Contains(text, "2099年度的标准还没有录入") {
			t.Errorf("%s estimate does not name its year and the fallback:\n%s", e.Kind, text)
		}
	}
}
