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
	kind := fs.String("kind", "", "inpatient, outpatient, contribution or start")
	tier := fs.Int("tier", 0, "contribution tier: 1 or 2")
	level := fs.Int("level", 0, "hospital level: 1, 2 or 3")
	var cost, outOfPolicy, priorBasic, priorSelf, used moneyFlag
	fs.Var(&cost, "cost", "the whole bill, yuan")
	fs.Var(&outOfPolicy, "out-of-policy", "the part of the bill outside the reimbursement list (目录外), yuan")
	fs.Var(&priorBasic, "prior-basic", "inpatient: what the basic fund already paid this year, yuan")
	fs.Var(&priorSelf, "prior-selfpay", "inpatient: in-policy self-pay already counted this year, yuan")
	fs.Var(&used, "used", "outpatient: outpatient reimbursement already received this year, yuan")
	minor := fs.Bool("minor", false, "the patient is under 18")
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
	if *kind == "contribution" {
		return estimateContribution(e, sel, engine.Tier(*tier), *scheme, *asJSON)
	}
	k, err := engine.ParseKind(*kind)
	if err != nil {
		return usageError{err.Error() + " (or contribution, start)"}
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
	fmt.Fprintln(e.stdout, replies.BenefitStart(r, book.Newest().Hotlines[0].Number))
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

func writeJSON(e env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
