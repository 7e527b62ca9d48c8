package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

func cmdEstimate(e env) error {
	l := config.New(config.Estimate)
	fs := l.FlagSet
	kind := fs.String("kind", "", "inpatient, outpatient, contribution, start or tiers")
	tier := fs.Int("tier", 0, "contribution tier: 1 or 2")
	level := fs.Int("level", 0, "hospital level: 1, 2 or 3")
	var cost, outOfPolicy, priorBasic, priorSelf, used moneyFlag
	fs.Var(&cost, "cost", "the whole bill, yuan")
	fs.Var(&outOfPolicy, "out-of-policy", "the part of the bill outside the reimbursement list (目录外), yuan")
	fs.Var(&priorBasic, "prior-basic", "inpatient: what the basic fund already paid this year, yuan")
	fs.Var(&priorSelf, "prior-selfpay", "inpatient: in-policy self-pay already counted this year, yuan")
	fs.Var(&used, "used", "outpatient: outpatient reimbursement already received this year, yuan")
	minor := fs.Bool("minor", false, "the patient is under 18 (inpatient, tiers)")
	year := fs.Int("year", 0, "benefit year (default: this year)")
	paid := fs.String("paid", "", "start: the day payment was completed, YYYY-MM-DD")
	scheme := fs.String("scheme", "resident", "contribution: resident or employee (employee insurance as an individual)")
	asJSON := fs.Bool("json", false, "print JSON for machines")
	cfg, err := loadConfig(e, l)
	if err != nil {
		return err
	}
	book, err := loadBook(cfg.PolicyDir)
	if err != nil {
		return err
	}
	if *kind == "start" {
		return estimateStart(e, book, *paid, *asJSON)
	}
	if *year == 0 {
		*year = e.now().Year()
	}
	sel, err := book.ForYear(*year)
	if err != nil {
		return usageError{err.Error()}
	}
	switch *kind {
	case "contribution":
		return estimateContribution(e, sel, engine.Tier(*tier), *scheme, *asJSON)
	case "tiers":
		return estimateTiers(e, sel, *minor, *asJSON)
	}
	k, err := engine.ParseKind(*kind)
	if err != nil {
		return usageError{err.Error() + " (or contribution, start, tiers)"}
	}
	if !cost.set {
		return usagef("--cost is required")
	}
	var est engine.Estimate
	switch k {
	case engine.KindInpatient:
		est, err = sel.EstimateInpatient(engine.InpatientInput{
			Tier: engine.Tier(*tier), Level: engine.Level(*level), Minor: *minor,
			Cost: cost.m, OutOfPolicy: outOfPolicy.m, PriorBasic: priorBasic.m, PriorSelfPay: priorSelf.m,
		})
	case engine.KindOutpatient:
		est, err = sel.EstimateOutpatient(engine.OutpatientInput{
			Tier: engine.Tier(*tier), Level: engine.Level(*level),
			Cost: cost.m, OutOfPolicy: outOfPolicy.m, Used: used.m,
		})
	}
	if err != nil {
		if engine.IsInputError(err) {
			return usageError{err.Error()}
		}
		return err
	}
	if *asJSON {
		return writeJSON(e, estimateJSON(est))
	}
	fmt.Fprintln(e.stdout, replies.Estimate(est))
	return nil
}

// estimateOut is the --json shape: money as strings with two decimals.
type estimateOut struct {
	Year            int                 `json:"year"`
	AskedYear       int                 `json:"asked_year"`
	Fallback        bool                `json:"fallback"`
	Kind            engine.Kind         `json:"kind"`
	Tier            int                 `json:"tier"`
	Level           int                 `json:"level"`
	Minor           bool                `json:"minor,omitempty"`
	Cost            string              `json:"cost"`
	OutOfPolicy     string              `json:"out_of_policy"`
	Deductible      string              `json:"deductible"`
	Ratio           string              `json:"ratio"`
	Basic           string              `json:"basic"`
	BasicCapped     bool                `json:"basic_capped"`
	Critical        *string             `json:"critical,omitempty"`
	CriticalCapped  bool                `json:"critical_capped,omitempty"`
	TotalReimbursed *string             `json:"total_reimbursed,omitempty"`
	OutOfPocket     string              `json:"out_of_pocket"`
	Assumptions     []engine.Assumption `json:"assumptions"`
}

func estimateJSON(e engine.Estimate) estimateOut {
	o := estimateOut{
		Year: e.Year, AskedYear: e.AskedYear, Fallback: e.Fallback,
		Kind: e.Kind, Tier: int(e.Tier), Level: int(e.Level), Minor: e.Minor,
		Cost: e.Cost.String(), OutOfPolicy: e.OutOfPolicy.String(),
		Deductible: e.Deductible.String(), Ratio: e.Ratio.String(),
		Basic: e.Basic.RoundFen().String(), BasicCapped: e.BasicCapped,
		OutOfPocket: e.OutOfPocket.String(), Assumptions: e.Assumptions,
	}
	if e.Kind == engine.KindInpatient {
		c, t := e.Critical.RoundFen().String(), e.Total.String()
		o.Critical, o.TotalReimbursed, o.CriticalCapped = &c, &t, e.CriticalCapped
	}
	return o
}

func estimateStart(e env, book *engine.Book, paid string, asJSON bool) error {
	if paid == "" {
		return usagef("--paid YYYY-MM-DD is required with --kind start")
	}
	day, err := time.Parse(time.DateOnly, paid)
	if err != nil {
		return usagef("--paid %q is not a date like 2025-01-15", paid)
	}
	r := book.BenefitStart(day)
	if asJSON {
		out := struct {
			Paid         string   `json:"paid"`
			Known        bool     `json:"known"`
			BenefitStart *string  `json:"benefit_start"`
			Rule         string   `json:"rule"`
			Year         int      `json:"year"`
			Assumptions  []string `json:"assumptions"`
		}{Paid: paid, Known: r.Known, Rule: string(r.Rule), Year: r.Year, Assumptions: []string{}}
		if r.Known {
			s := r.Start.Format(time.DateOnly)
			out.BenefitStart = &s
		} else {
			out.Assumptions = append(out.Assumptions, r.Reason)
		}
		return writeJSON(e, out)
	}
	hotline := book.Newest().Hotlines[0].Number
	fmt.Fprintln(e.stdout, replies.BenefitStart(r, hotline))
	if note := replies.WaitingPeriodNote(book.Newest().EnrolmentRules, hotline); !r.Known && note != "" {
		fmt.Fprintln(e.stdout, note) // outside the windows, a waiting period may apply too
	}
	return nil
}

func estimateContribution(e env, sel engine.Selection, tier engine.Tier, scheme string, asJSON bool) error {
	var (
		amount engine.Money
		err    error
		label  string
	)
	switch scheme {
	case "resident":
		amount, err = sel.Contribution(tier)
		label = "城乡居民医保"
	case "employee":
		amount, err = sel.EmployeeContribution(tier)
		label = "以个人身份参加职工医保"
	default:
		return usagef("--scheme %q: want resident or employee", scheme)
	}
	if err != nil {
		return usageError{err.Error()}
	}
	if asJSON {
		var assumptions []string
		if sel.Fallback {
			assumptions = append(assumptions, fmt.Sprintf("%d年度的标准还没有录入，按%d年度标准", sel.Asked, sel.Year))
		}
		return writeJSON(e, map[string]any{"year": sel.Year, "asked_year": sel.Asked, "fallback": sel.Fallback,
			"scheme": scheme, "tier": int(tier), "contribution": amount.String(), "assumptions": assumptions})
	}
	fmt.Fprintf(e.stdout, "%d年度%s%s：每人每年%s元\n", sel.Year, label, tier, amount.Display())
	if sel.Fallback {
		fmt.Fprintf(e.stdout, "（%d年度标准还没有录入，以上为%d年度标准，以医保部门公布为准）\n", sel.Asked, sel.Year)
	}
	return nil
}

// tiersOut is the --kind tiers --json shape. A break_even value is null
// where 二档 never pays back at that level: there is no figure to give.
type tiersOut struct {
	Year               int                   `json:"year"`
	AskedYear          int                   `json:"asked_year"`
	Fallback           bool                  `json:"fallback"`
	Minor              bool                  `json:"minor"`
	Tier1              string                `json:"tier1"`
	Tier2              string                `json:"tier2"`
	PremiumDifference  string                `json:"premium_difference"`
	BreakEven          map[string]*string    `json:"break_even"`
	PayBackRanges      map[string][]rangeOut `json:"pay_back_ranges"`
	OutpatientMaxGain  string                `json:"outpatient_max_gain"`
	OutpatientPaysBack bool                  `json:"outpatient_pays_back"`
	Example            *exampleOut           `json:"example,omitempty"`
	Assumptions        []engine.Assumption   `json:"assumptions"`
}

// rangeOut is a range of yearly bills where 二档 pays back; to is null
// when it goes on for every larger bill.
type rangeOut struct {
	From string  `json:"from"`
	To   *string `json:"to"`
}

type exampleOut struct {
	Level           int    `json:"level"`
	Bill            string `json:"bill"`
	Tier1Total      string `json:"tier1_reimbursed"`
	Tier2Total      string `json:"tier2_reimbursed"`
	ExtraReimbursed string `json:"extra_reimbursed"`
	Net             string `json:"net"`
}

func estimateTiers(e env, sel engine.Selection, minor, asJSON bool) error {
	a, err := sel.AdviseTiers(minor)
	if err != nil {
		return err
	}
	if !asJSON {
		fmt.Fprintln(e.stdout, replies.TierAdvice(a, sel.Hotlines[0].Number))
		return nil
	}
	out := tiersOut{
		Year: a.Year, AskedYear: a.AskedYear, Fallback: a.Fallback, Minor: a.Minor,
		Tier1: a.Tier1.String(), Tier2: a.Tier2.String(), PremiumDifference: a.PremiumDifference.String(),
		BreakEven: map[string]*string{}, PayBackRanges: map[string][]rangeOut{},
		OutpatientMaxGain: a.OutpatientMaxGain.String(), OutpatientPaysBack: a.OutpatientPaysBack,
		Assumptions: a.Assumptions,
	}
	for _, b := range a.Inpatient {
		key := fmt.Sprintf("inpatient_level_%d", b.Level)
		out.BreakEven[key] = nil
		if b.PaysBack {
			s := b.From.String()
			out.BreakEven[key] = &s
		}
		out.PayBackRanges[key] = []rangeOut{}
		for _, r := range b.Ranges {
			ro := rangeOut{From: r.From.String()}
			if !r.OpenEnded {
				to := r.To.String()
				ro.To = &to
			}
			out.PayBackRanges[key] = append(out.PayBackRanges[key], ro)
		}
	}
	if x := a.Example; x != nil {
		out.Example = &exampleOut{Level: int(x.Level), Bill: x.Bill.String(),
			Tier1Total: x.Tier1.Total.String(), Tier2Total: x.Tier2.Total.String(),
			ExtraReimbursed: x.Gain.RoundFen().String(), Net: x.Net.RoundFen().String()}
	}
	return writeJSON(e, out)
}

func writeJSON(e env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
