package bot

import (
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.uber.org/zap"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// builtinQuestions are the estimate's own questions in the order they are
// asked: the form's rows (see question). A bill's facts may come in any
// order and any message; the form asks the first row still needed.
var builtinQuestions = []question{{
	slot:    SlotKind,
	needed:  func(f Facts) bool { return f.Kind == engine.KindUnknown },
	ask:     func(*turn) replies.Question { return replies.AskKind() },
	choices: []intents.Slots{{Kind: engine.KindInpatient}, {Kind: engine.KindOutpatient}},
	fills:   func(s intents.Slots) bool { return s.Kind != engine.KindUnknown },
	recap: func(f Facts) string {
		if f.Kind == engine.KindUnknown {
			return ""
		}
		return f.Kind.String()
	},
}, {
	slot:   SlotTier,
	needed: func(f Facts) bool { return !f.Tier.Valid() },
	ask: func(t *turn) replies.Question {
		sel := t.selection()
		t1, _ := sel.Contribution(engine.Tier1)
		t2, _ := sel.Contribution(engine.Tier2)
		return replies.AskTier(sel.Year, t1.Display(), t2.Display())
	},
	choices: []intents.Slots{{Tier: engine.Tier1}, {Tier: engine.Tier2}},
	// The question prints each tier's price, so people answer with it
	// ("交的775那个", "四百"): a sum that is a tier's price is that
	// tier, not a new bill.
	read: func(b *Bot, norm string, s *intents.Slots) {
		readPlainAmount(b, norm, s)
		if s.HasAmount && !s.HasPremium && !s.Tier.Valid() && !b.Matcher.Mentions(intents.WordsBillCue, norm) {
			if _, ok := b.tierOfPremium(s.Amount); ok || s.Amount.LessThan(engine.Yuan(2000)) {
				s.Premium, s.HasPremium = s.Amount, true
				s.Amount, s.HasAmount = engine.Money{}, false
			}
		}
	},
	fills: func(s intents.Slots) bool { return s.Tier.Valid() || s.HasPremium },
	assume: func(d *Dialog) string {
		d.Tier, d.TierGuessed = engine.Tier1, true
		return replies.AssumeTier1(tier2Better(d.Kind))
	},
	recap: func(f Facts) string {
		switch {
		case !f.Tier.Valid():
			return ""
		case f.TierGuessed:
			return replies.RecapTierGuessed(f.Tier.String())
		}
		return f.Tier.String()
	},
}, {
	slot:   SlotLevel,
	needed: func(f Facts) bool { return !f.Level.Valid() },
	ask: func(t *turn) replies.Question {
		// With the tier known, each grade shows what it pays, so the
		// question already answers "能报多少" in part.
		d := t.sess.Dialog
		q := replies.AskLevel(d.Kind.String())
		if d.Tier.Valid() {
			sel := t.selection()
			for i, l := range []engine.Level{engine.Level1, engine.Level2, engine.Level3} {
				q.Options[i] += "（" + levelTerms(sel.Policy, d.Kind, d.Tier, l) + "）"
			}
			q.Hint = replies.LevelOptionsHint(sel.Year)
		}
		return q
	},
	choices: []intents.Slots{{Level: engine.Level1}, {Level: engine.Level2}, {Level: engine.Level3}},
	fills:   func(s intents.Slots) bool { return s.Level.Valid() },
	recap: func(f Facts) string {
		if !f.Level.Valid() {
			return ""
		}
		return replies.RecapLevel(f.Level.String())
	},
}, {
	slot:        SlotAmount,
	needed:      func(f Facts) bool { return !f.Amount.IsPositive() },
	ask:         func(t *turn) replies.Question { return replies.AskAmount(t.sess.Dialog.Kind.String()) },
	takesNumber: true,
	read:        readPlainAmount,
	fills:       func(s intents.Slots) bool { return s.HasAmount },
	recap: func(f Facts) string {
		switch {
		case !f.Amount.IsPositive():
			return ""
		case f.AmountApprox && !f.AmountChecked:
			return replies.RecapRoughAmount(f.Amount.Display())
		}
		return replies.RecapAmount(f.Amount.Display())
	},
}, {
	// Asked before anything is computed from a bill said roughly or
	// hard to believe.
	slot:   SlotAmountCheck,
	needed: func(f Facts) bool { return (f.AmountApprox || f.AmountDoubt) && !f.AmountChecked },
	ask: func(t *turn) replies.Question {
		d := t.sess.Dialog
		return replies.CheckAmount(d.Kind.String(), d.Amount.Display(), d.AmountApprox,
			d.Kind == engine.KindInpatient && d.AmountDoubt, d.Kind == engine.KindOutpatient && d.AmountDoubt)
	},
	// The numbered answers and 是/不是 are read by checkAmount: 1
	// keeps the bill, 2 asks for it again.
	choices: []intents.Slots{{}, {}},
	fills:   func(intents.Slots) bool { return false },
}, {
	// The minors' ratio differs for a stay only.
	slot:    SlotMinor,
	needed:  func(f Facts) bool { return f.Kind == engine.KindInpatient && f.Who == WhoUnknown },
	ask:     func(*turn) replies.Question { return replies.AskMinor() },
	choices: []intents.Slots{{Minor: ptr(true)}, {Minor: ptr(false)}},
	read: func(b *Bot, norm string, s *intents.Slots) {
		if v, ok := yesNo(b, norm); ok && s.Minor == nil {
			s.Minor = ptr(v)
		}
		if s.Minor == nil && b.Matcher.Opens(intents.WordsNegation, norm) && !s.HasAmount && !s.Level.Valid() &&
			!s.Tier.Valid() && s.Kind == engine.KindUnknown {
			// "不是 对了有2万是自费的": the answer, then more facts
			// (but "不是三级 是二级" corrects the grade).
			s.Minor = ptr(false)
		}
	},
	fills: func(s intents.Slots) bool { return s.Minor != nil },
	recap: func(f Facts) string { return f.Who.String() },
}, {
	// Asked only when the resident offered the out-of-list part.
	slot:        SlotOutOfPolicy,
	needed:      func(f Facts) bool { return f.WantOut && !f.OutGiven },
	ask:         func(*turn) replies.Question { return replies.AskOutOfPolicy() },
	takesNumber: true,
	read: func(b *Bot, norm string, s *intents.Slots) {
		readPlainAmount(b, norm, s)
		switch {
		case s.HasOutOfPolicy:
		case s.HasAmount:
			// The number asked for is the out-of-list part, not a bill.
			s.OutOfPolicy, s.HasOutOfPolicy = s.Amount, true
			s.Amount, s.HasAmount = engine.Money{}, false
		case b.Matcher.Says(intents.WordsNoneOutside, norm):
			s.OutOfPolicy, s.HasOutOfPolicy = engine.Money{}, true
		}
	},
	fills: func(s intents.Slots) bool { return s.HasOutOfPolicy },
	assume: func(d *Dialog) string {
		d.WantOut = false
		return replies.AssumeAllInList
	},
	recap: func(f Facts) string {
		if !f.OutGiven {
			return ""
		}
		return replies.RecapOutOfList(f.OutOfPolicy.Display())
	},
}}

// answers reports whether a message answers the question for slot.
func (b *Bot) answers(slot Slot, s intents.Slots, norm string) bool {
	if _, ok := yesNo(b, norm); ok && slot == SlotAmountCheck {
		return true
	}
	q, ok := b.form.row(slot)
	if !ok {
		return false
	}
	if q.read != nil {
		q.read(b, norm, &s)
	}
	return q.fills(s)
}

// readPlainAmount reads a message that is only a number of yuan ("5",
// "0", "350元"): not money to the extractor, but the answer to "how much".
func readPlainAmount(b *Bot, norm string, s *intents.Slots) {
	if s.HasAmount {
		return
	}
	n := norm
	for _, unit := range b.Matcher.Lexicon().List(string(intents.WordsPlainUnits)) {
		n = strings.TrimSuffix(n, unit)
	}
	if n == "" || strings.Trim(n, "0123456789.") != "" {
		return
	}
	if d, err := decimal.NewFromString(n); err == nil {
		s.Amount, s.HasAmount = engine.MoneyOf(d), true
	}
}

// askKey is what a question's text depends on: rendered questions are kept
// per key, since their figures are formatted from decimals.
type askKey struct {
	slot Slot
	year int
	kind engine.Kind
	tier engine.Tier
}

// question renders the question for slot, once per year, kind and tier.
func (t *turn) question(slot Slot) replies.Question {
	return t.asked(slot).q
}

// askedQuestion is a question rendered, and as a page.
type askedQuestion struct {
	q replies.Question
	p page
}

func (t *turn) asked(slot Slot) askedQuestion {
	d := t.sess.Dialog
	if slot == SlotAmountCheck {
		// It says back the resident's own figure: rendered each time,
		// since keeping one per figure would let the cache grow without
		// bound.
		return t.render(slot)
	}
	k := askKey{slot, t.selection().Year, d.Kind, d.Tier}
	if a, ok := t.b.asked.Load(k); ok {
		return a.(askedQuestion)
	}
	a := t.render(slot)
	t.b.asked.Store(k, a)
	return a
}

// render asks the form's question for slot (settleAsking has made sure the
// form holds it).
func (t *turn) render(slot Slot) askedQuestion {
	row, ok := t.b.form.row(slot)
	if !ok {
		row, _ = t.b.form.row(SlotKind) // a bug: ask from the start rather than panic
	}
	return renderQuestion(row.name, row.ask(t))
}

// renderQuestion lays a question out as a page.
func renderQuestion(name string, q replies.Question) askedQuestion {
	opts := make([]option, len(q.Options))
	for i, l := range q.Options {
		opts[i] = option{label: l}
	}
	footer := replies.DialogHint
	if q.Hint != "" {
		footer = q.Hint + "\n" + footer
	}
	return askedQuestion{q, page{intent: "estimate_" + name, body: q.Prompt, options: opts, footer: footer, question: true}}
}

// ask renders the pending question.
func (t *turn) ask(slot Slot) page { return t.asked(slot).p }

// next asks the first unanswered question, or shows the result.
func (t *turn) next() page {
	d := t.sess.Dialog
	d.Asking = t.b.form.missing(d.Facts)
	if d.Asking == SlotNone {
		return t.result()
	}
	if recap := t.b.form.recap(d.Facts); recap != "" {
		// Say back what was understood, so a misread answer is caught
		// before the result.
		t.note(replies.Noted(recap))
	}
	return t.ask(d.Asking)
}

// apply records the facts a message gave. It returns why an answer was
// not taken ("" when all were); the answers that were fine are kept.
func (t *turn) apply(s intents.Slots) string {
	d := t.sess.Dialog
	n := d.Facts
	// A sum that cannot be right is refused on its own: the rest of the
	// message still counts ("二档 三级 住院0元 成人" keeps 二档, 三级, 成人).
	// The last part refused is the one said.
	why := t.applyChoices(&n, &s)
	for _, w := range []string{t.applyBill(&n, s), applySums(&n, s)} {
		if w != "" {
			why = w
		}
	}
	twoBills := s.MoreBills && s.HasAmount && n.Amount.Equal(s.Amount)
	if n.Kind == engine.KindUnknown && !s.TwoKinds && n.Amount.IsPositive() && t.b.implausible(engine.KindOutpatient, n.Amount) {
		// "三甲医院花了8万": no clinic bill is that large, so it is a
		// stay; said, so that a resident who meant otherwise can say so.
		n.Kind = engine.KindInpatient
		why = strings.TrimSpace(why + "\n" + replies.KindFromAmount())
	}
	n.AmountDoubt = n.Amount.IsPositive() && !n.AmountChecked && t.b.implausible(n.Kind, n.Amount)
	n.Named = withNamed(n.Named, s.Extra)
	if !n.equal(d.Facts) {
		d.push()
		d.Facts = n
	}
	if twoBills {
		// "一次2万一次3万": bills are never added up, as each stay has its
		// own deductible.
		why = strings.TrimSpace(why + "\n" + t.twoStays(s.NextBill))
	}
	return why
}

// twoStays takes a message's second bill as a second stay in the same
// year when everything else is known: the first stay's payments become
// this year's priors (as "又住了一次" does after a result) and the line
// says what the first paid and what both pay together. Otherwise the
// first bill is computed and the line says how to give the next.
func (t *turn) twoStays(next engine.Money) string {
	d := t.sess.Dialog
	first := d.Amount
	if d.Kind != engine.KindInpatient || t.b.form.missing(d.Facts) != SlotNone ||
		engine.CheckBill(next) != nil || t.b.implausible(engine.KindInpatient, next) {
		// Not all known, or a second bill the first would not have been
		// taken as (over the bound, too small for a stay): the first alone.
		return replies.FirstBillOnly(first.Display())
	}
	e1, err := t.estimate()
	if err != nil {
		return replies.FirstBillOnly(first.Display())
	}
	before := d.Facts
	d.PriorBasic, d.PriorSelfPay, d.Amount = d.PriorBasic.Add(e1.Basic), d.PriorSelfPay.Add(e1.SelfPay), next
	e2, err := t.estimate()
	if err != nil {
		d.Facts = before // the second bill cannot be computed: the first stands alone
		return replies.FirstBillOnly(first.Display())
	}
	return replies.TwoStays(first.Display(), e1.Total.Display(), next.Display(), e1.Total.Add(e2.Total).Display())
}

// applyChoices takes the kind of care, the tier (or the premium naming
// it), the grade and the patient.
func (t *turn) applyChoices(n *Facts, s *intents.Slots) string {
	var why string
	if s.Kind != engine.KindUnknown {
		n.Kind = s.Kind
	}
	if s.HasPremium && !s.Tier.Valid() {
		if tier, ok := t.b.tierOfPremiumSaid(*s); ok {
			s.Tier = tier
		} else {
			why = t.premiumUnknown(s.Premium)
		}
	}
	if s.Tier.Valid() {
		n.Tier, n.TierGuessed = s.Tier, false
	}
	if s.Level.Valid() {
		n.Level = s.Level
	}
	if w := whoOf(s.Minor); w != WhoUnknown {
		n.Who = w
	}
	return why
}

// applyBill takes the bill, or refuses it with the reason.
func (t *turn) applyBill(n *Facts, s intents.Slots) string {
	d := t.sess.Dialog
	if !s.HasAmount {
		if d.Asking == SlotNone && !s.Correction && s.Kind != engine.KindUnknown && d.Kind != engine.KindUnknown && s.Kind != d.Kind {
			// "门诊能报多少" after an inpatient result: the bill shown was
			// the stay's, so the clinic bill is asked for, never assumed;
			// what this year's claims took belonged to the other kind too.
			n.Amount, n.AmountApprox, n.AmountChecked = engine.Money{}, false, false
			n.OutOfPolicy, n.OutGiven, n.WantOut = engine.Money{}, false, false
			n.PriorBasic, n.PriorSelfPay = engine.Money{}, engine.Money{}
		}
		return ""
	}
	if s.AmountNegative && !s.Amount.IsNegative() {
		// "-0": said with a minus all the same.
		return replies.BillRefusal(engine.ErrAmountNegative)
	}
	// The engine's bound and reasons, which the page's fields use too.
	if err := engine.CheckBill(s.Amount); err != nil {
		return replies.BillRefusal(err)
	}
	switch {
	case s.AmountApprox && d.Asking == SlotAmount:
		// The question asked for the bill "大概": a rough answer is what
		// it invited, so it is said back, not questioned.
		n.Amount, n.AmountApprox, n.AmountChecked = s.Amount, false, false
		t.note(replies.RoughAmount(s.Amount.Display()))
	default:
		n.Amount, n.AmountApprox, n.AmountChecked = s.Amount, s.AmountApprox, false
	}
	return ""
}

// applySums takes the out-of-list part and this year's priors, each
// refused on its own when it cannot be right.
func applySums(n *Facts, s intents.Slots) string {
	var why string
	sane := func(v engine.Money) bool {
		if err := engine.CheckPart(v); err != nil {
			why = replies.PartRefusal(err)
			return false
		}
		return true
	}
	if s.HasOutOfPolicy && sane(s.OutOfPolicy) {
		if n.Amount.IsPositive() && s.OutOfPolicy.GreaterThan(n.Amount) {
			why = replies.OutOfListOverTotal(n.Amount.Display())
		} else {
			n.OutOfPolicy, n.OutGiven, n.WantOut = s.OutOfPolicy, true, true
		}
	}
	if s.HasPriorBasic && sane(s.PriorBasic) {
		n.PriorBasic = s.PriorBasic
	}
	if s.HasPriorSelfPay && sane(s.PriorSelfPay) {
		n.PriorSelfPay = s.PriorSelfPay
	}
	return why
}

// implausible reports whether a bill is outside the bounds the lexicon
// gives for its kind of care: a hospital stay of a few yuan is more
// likely a missing 万, a clinic bill of tens of thousands a stay.
func (b *Bot) implausible(k engine.Kind, amount engine.Money) bool {
	p := b.Matcher.Lexicon().Plausible
	switch k {
	case engine.KindInpatient:
		return amount.Decimal().LessThan(p.InpatientMin)
	case engine.KindOutpatient:
		return amount.Decimal().GreaterThan(p.OutpatientMax)
	}
	return false
}

// checkAmount takes the answer to the amount check: yes keeps the bill as
// said; no drops it, so that it is asked again.
func (d *Dialog) checkAmount(yes bool) {
	d.push()
	if yes {
		d.AmountChecked = true
		return
	}
	d.Amount, d.AmountApprox, d.AmountDoubt, d.AmountChecked = engine.Money{}, false, false, false
}

// tierOfPremiumSaid finds the tier a premium names: exactly, or, when it
// was said roughly ("七百多"), the one tier priced in that range.
func (b *Bot) tierOfPremiumSaid(s intents.Slots) (engine.Tier, bool) {
	if !s.PremiumUpTo.IsPositive() {
		return b.tierOfPremium(s.Premium)
	}
	sel, err := b.Book.ForYear(b.Book.Newest().Year)
	if err != nil {
		return 0, false
	}
	var found []engine.Tier
	for _, tier := range []engine.Tier{engine.Tier1, engine.Tier2} {
		if c, err := sel.Contribution(tier); err == nil && !c.LessThan(s.Premium) && c.LessThan(s.PremiumUpTo) {
			found = append(found, tier)
		}
	}
	if len(found) != 1 {
		return 0, false
	}
	return found[0], true
}

// tiersByPrice reads again a message that names both tiers by their
// yearly prices ("400和775有啥区别", "交400还是775"): the figures are the
// tiers, not a bill, so the message is read with the tiers' names in their
// place. The prices are any year's the book has.
func (b *Bot) tiersByPrice(res intents.Result, now time.Time) intents.Result {
	if !res.Slots.HasAmount && !res.Slots.HasPremium {
		return res
	}
	norm := res.Normalized
	runs := digitRuns(norm)
	if len(runs) < 2 {
		return res
	}
	units := b.Matcher.Lexicon().List("amount.units_after")
	for _, y := range b.Book.Years() {
		sel, err := b.Book.ForYear(y)
		if err != nil {
			continue
		}
		at := map[engine.Tier]int{}
		for _, tier := range []engine.Tier{engine.Tier1, engine.Tier2} {
			c, err := sel.Contribution(tier)
			if err != nil {
				break
			}
			for i, r := range runs {
				if v, err := decimal.NewFromString(norm[r[0]:r[1]]); err == nil && v.Equal(c.Decimal()) {
					at[tier] = i + 1
					break
				}
			}
		}
		if at[engine.Tier1] == 0 || at[engine.Tier2] == 0 {
			continue
		}
		var out strings.Builder
		last := 0
		for i, r := range runs {
			out.WriteString(norm[last:r[0]])
			last = r[1]
			var tier engine.Tier
			switch i + 1 {
			case at[engine.Tier1]:
				tier = engine.Tier1
			case at[engine.Tier2]:
				tier = engine.Tier2
			default:
				out.WriteString(norm[r[0]:r[1]])
				continue
			}
			out.WriteString(tier.String())
			// "400元跟775元": the unit goes with the price.
			for _, u := range units {
				if strings.HasPrefix(norm[last:], u) {
					last += len(u)
					break
				}
			}
		}
		out.WriteString(norm[last:])
		return b.Matcher.Match(out.String(), now)
	}
	return res
}

// digitRuns finds the runs of ASCII digits in s, as byte ranges.
func digitRuns(s string) [][2]int {
	var runs [][2]int
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		runs = append(runs, [2]int{i, j})
		i = j
	}
	return runs
}

// tierOfPremium finds the tier whose yearly contribution is the sum said,
// in any year the book has (people remember what they paid).
func (b *Bot) tierOfPremium(p engine.Money) (engine.Tier, bool) {
	years := b.Book.Years()
	for i := len(years) - 1; i >= 0; i-- {
		sel, err := b.Book.ForYear(years[i])
		if err != nil {
			continue
		}
		for _, tier := range []engine.Tier{engine.Tier1, engine.Tier2} {
			if c, err := sel.Contribution(tier); err == nil && c.Equal(p) {
				return tier, true
			}
		}
	}
	return 0, false
}

func (t *turn) premiumUnknown(p engine.Money) string {
	sel := t.selection()
	t1, _ := sel.Contribution(engine.Tier1)
	t2, _ := sel.Contribution(engine.Tier2)
	return replies.NoSuchPremium(sel.Year, t1.Display(), t2.Display(), p.Display())
}

// selection is the policy for today's benefit year (or the newest before it).
func (t *turn) selection() engine.Selection {
	sel, err := t.b.Book.ForDate(t.now)
	if err != nil {
		// Today is older than every policy year (a wrong clock): use the oldest.
		sel, _ = t.b.Book.ForYear(t.b.Book.Years()[0])
	}
	return sel
}

// estimate runs the calculator on the dialog's facts.
func (t *turn) estimate() (engine.Estimate, error) {
	d := t.sess.Dialog
	sel := t.selection()
	out := d.OutOfPolicy
	if out.GreaterThan(d.Amount) {
		// The bill was changed to less than its out-of-list part.
		t.note(replies.OutOfListOverBill)
		d.OutOfPolicy, d.OutGiven, d.WantOut, out = engine.Money{}, false, false, engine.Money{}
	}
	in := CalcInput{
		Inpatient: engine.InpatientInput{Tier: d.Tier, Level: d.Level, Minor: d.Who == WhoMinor,
			Cost: d.Amount, OutOfPolicy: out, PriorBasic: d.PriorBasic, PriorSelfPay: d.PriorSelfPay},
		Outpatient: engine.OutpatientInput{Tier: d.Tier, Level: d.Level, Cost: d.Amount,
			OutOfPolicy: out, Used: d.PriorBasic},
	}
	t.b.form.input(d.Facts, &in)
	var (
		e   engine.Estimate
		err error
	)
	if d.Kind == engine.KindInpatient {
		e, err = sel.EstimateInpatient(in.Inpatient)
	} else {
		e, err = sel.EstimateOutpatient(in.Outpatient)
	}
	if err != nil {
		return e, err
	}
	if d.OutGiven {
		// The user said how much is outside the list (perhaps none): that
		// is no longer an assumption.
		e.Assumptions = slices.DeleteFunc(e.Assumptions, func(a engine.Assumption) bool { return a.Code == "all_in_policy" })
	}
	if d.TierGuessed {
		e.Assumptions = append([]engine.Assumption{{Code: "tier_guessed", Kind: d.Kind}}, e.Assumptions...)
	}
	return e, nil
}

// Menu keys of a result.
const (
	keyAssumptions  replies.MenuKey = "estimate_assumptions"
	keyYearUsed     replies.MenuKey = "year_used"
	keyUnhelpful    replies.MenuKey = "unhelpful"
	keyChangeAmount replies.MenuKey = "estimate_amount"
	keyOutOfPolicy  replies.MenuKey = "estimate_out_of_policy"
	keyEstimateNew  replies.MenuKey = "estimate_new"
)

func (t *turn) resultOptions() []option {
	opts := make([]option, len(resultKeys))
	for i, k := range resultKeys {
		opts[i] = option{resultLabels[i], k}
	}
	if d := t.sess.Dialog; d != nil && d.OutGiven {
		opts[slices.Index(resultKeys, keyOutOfPolicy)].label = replies.LabelChangeOutOfList
	}
	return opts
}

func (t *turn) result() page {
	e, err := t.estimate()
	if err != nil {
		// The dialog only stores valid answers, so this is a bug: say sorry
		// and start over rather than loop on it.
		t.b.Log.Error("estimate", zap.Error(err))
		t.sess.Dialog = nil
		return page{intent: "estimate_error", body: replies.EstimateFailed}
	}
	t.sess.Topic = Topic{Key: topicResult, Tier: t.sess.Dialog.Tier}
	return page{intent: "estimate_result", body: replies.EstimateBrief(e), options: t.resultOptions(), ref: pageResult}
}

// priorsRecap says back this year's earlier claims, which no question
// asks for: they are given unasked ("今年已经报了5万").
func (f Facts) priorsRecap() []string {
	var parts []string
	if f.PriorBasic.IsPositive() {
		parts = append(parts, replies.RecapPriorBasic(f.PriorBasic.Display()))
	}
	if f.PriorSelfPay.IsPositive() {
		parts = append(parts, replies.RecapPriorSelf(f.PriorSelfPay.Display()))
	}
	return parts
}

// yesNo reads a whole message that answers a yes/no question.
func yesNo(b *Bot, norm string) (value, ok bool) {
	switch {
	case b.Matcher.Says(intents.WordsYes, norm):
		return true, true
	case b.Matcher.Says(intents.WordsNo, norm):
		return false, true
	}
	return false, false
}

// ptr returns a pointer to its own copy of v, for the matcher's tri-state
// Minor.
func ptr(v bool) *bool { return &v }

// levelTerms says in a few characters what a grade pays for a tier:
// "起付线800元，报50%" or "不报".
func levelTerms(p *engine.Policy, k engine.Kind, tier engine.Tier, l engine.Level) string {
	if k == engine.KindInpatient {
		lv := p.Inpatient.Level(l)
		return replies.InpatientTerms(lv.Deductible.Display(), tier.String(), lv.Ratio(tier).Percent())
	}
	lv := p.Outpatient.Level(l)
	switch {
	case !lv.Covered:
		return replies.NotCovered
	case lv.Deductible.IsZero():
		return replies.OutpatientTerms("", lv.Ratio.Percent())
	}
	return replies.OutpatientTerms(lv.Deductible.Display(), lv.Ratio.Percent())
}

// tier2Better says what 二档 gives more of, for the kind of care.
func tier2Better(k engine.Kind) string {
	return replies.Tier2Better(k == engine.KindOutpatient)
}
