package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/yibao/yibao/bot/h5"
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
		return usagef("unknown kind %q: want inpatient, outpatient, contribution, start or tiers", *kind)
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
		var inErr *engine.InputError
		if errors.As(err, &inErr) {
			return usageError{inErr.Field + ": " + replies.InputMessage(inErr.Field, inErr.Code)}
		}
		return err
	}
	if *asJSON {
		out := h5.EstimateOf(est)
		out.Working = nil // the text output has it; the JSON keeps the figures
		return writeJSON(e, out)
	}
	fmt.Fprintln(e.stdout, replies.Estimate(est))
	return nil
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
		// kind, year and assumptions ({code, text}) as every kind has them.
		out := struct {
			Kind         string               `json:"kind"`
			Paid         string               `json:"paid"`
			Known        bool                 `json:"known"`
			BenefitStart *string              `json:"benefit_start"`
			Rule         string               `json:"rule"`
			Year         int                  `json:"year"`
			Assumptions  []replies.Assumption `json:"assumptions"`
		}{Kind: "start", Paid: paid, Known: r.Known, Rule: string(r.Rule), Year: r.Year, Assumptions: []replies.Assumption{}}
		if r.Known {
			s := r.Start.Format(time.DateOnly)
			out.BenefitStart = &s
		} else {
			out.Assumptions = append(out.Assumptions, replies.Assumption{Code: "start_unknown", Text: replies.StartGapText(r)})
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
		return writeJSON(e, h5.ContributionOf(sel, scheme, tier, amount))
	}
	fmt.Fprintf(e.stdout, "%d年度%s%s：每人每年%s元\n", sel.Year, label, tier, amount.Display())
	if sel.Fallback {
		fmt.Fprintf(e.stdout, "（%d年度标准还没有录入，以上为%d年度标准，以医保部门公布为准）\n", sel.Asked, sel.Year)
	}
	return nil
}

func estimateTiers(e env, sel engine.Selection, minor, asJSON bool) error {
	a, err := sel.AdviseTiers(minor)
	if err != nil {
		return err
	}
	if !asJSON {
		fmt.Fprintln(e.stdout, replies.TierAdvice(a, sel.Hotlines[0].Number))
		fmt.Fprintln(e.stdout)
		fmt.Fprintln(e.stdout, replies.TierAdviceDetails(a, sel.Hotlines[0].Number))
		return nil
	}
	return writeJSON(e, h5.TiersOf(a))
}

func writeJSON(e env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
