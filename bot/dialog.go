package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"go.uber.org/zap"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// maxAmount is the largest bill the dialog accepts: a bigger figure is far
// more likely a typo (or an ID number) than a real hospital bill.
var maxAmount = engine.Yuan(100_000_000)

// push saves the facts before an answer changes them, for 上一步.
func (d *Dialog) push() {
	d.History = append(d.History, d.Facts)
	if len(d.History) > maxHistory {
		d.History = d.History[len(d.History)-maxHistory:]
	}
}

// missing is the next question the dialog needs answered.
func (f Facts) missing() Slot {
	switch {
	case f.Kind == engine.KindUnknown:
		return SlotKind
	case !f.Tier.Valid():
		return SlotTier
	case !f.Level.Valid():
		return SlotLevel
	case f.Amount == "":
		return SlotAmount
	case f.Kind == engine.KindInpatient && f.Minor == nil:
		return SlotMinor
	case f.WantOut && f.OutOfPolicy == "":
		return SlotOutOfPolicy
	}
	return SlotNone
}

// startEstimate begins an estimate with whatever the first message said
// ("二档 三甲 住院10万").
func (t *turn) startEstimate(in intents.Intent) outcome {
	d := &Dialog{}
	if prev := t.sess.Dialog; prev != nil && prev.Asking == SlotNone {
		// A new bill after a result: keep who the user is (tier, minor).
		d.Tier, d.TierGuessed, d.Minor = prev.Tier, prev.TierGuessed, prev.Minor
	}
	switch in {
	case intents.EstimateInpatient:
		d.Kind = engine.KindInpatient
	case intents.EstimateOutpatient:
		d.Kind = engine.KindOutpatient
	}
	t.sess.Dialog = d
	if why := t.apply(d, t.res.Slots); why != "" {
		t.notes = append(t.notes, why)
	}
	return t.next()
}

// answer takes a message inside a dialog as answers to its questions. ok is
// false when the message holds nothing the dialog can use; unless anySlot,
// only a message that answers the pending question is taken.
func (t *turn) answer(anySlot bool) (outcome, bool) {
	d := t.sess.Dialog
	s := t.res.Slots
	norm := t.res.Normalized
	if v, ok := plainAmount(norm); ok && d.Asking.takesNumber() && !s.HasAmount {
		// A bare "5" or "0" is not money to the extractor, but it is the
		// answer to "how much".
		s.Amount, s.HasAmount = v, true
	}
	if d.Asking == SlotOutOfPolicy {
		if o, ok := t.answerOutOfPolicy(s, norm); ok {
			return o, true
		}
	}
	switch {
	case d.Asking == SlotMinor && s.Minor == nil:
		if v, ok := yesNo(norm); ok {
			s.Minor = ptr(v)
		}
	case d.Asking == SlotTier && !s.Tier.Valid():
		if dontKnow(norm) {
			d.push()
			d.Tier, d.TierGuessed = engine.Tier1, true
			return t.next(), true
		}
		if strings.Contains(norm, "档") {
			return t.reask("居民医保只有一档和二档。"), true
		}
	}
	if !hasDialogSlot(s) || (!anySlot && !fills(s, d.Asking)) {
		return outcome{}, false
	}
	if why := t.apply(d, s); why != "" {
		return t.reask(why), true
	}
	return t.next(), true
}

// answerOutOfPolicy takes the part of the bill outside the reimbursement
// list: asked for, or said after a result ("自费3000").
func (t *turn) answerOutOfPolicy(s intents.Slots, norm string) (outcome, bool) {
	d := t.sess.Dialog
	v := s.Amount
	switch {
	case s.HasAmount:
	case norm == "没有" || norm == "无" || norm == "没" || norm == "都能报":
		v = engine.Money{}
	default:
		return outcome{}, false
	}
	cost := engine.MoneyOf(decimal.RequireFromString(d.Amount))
	if v.GreaterThan(cost) {
		return t.reask(fmt.Sprintf("自费部分不能超过总费用%s元。", cost.Display())), true
	}
	d.push()
	d.WantOut, d.OutOfPolicy = true, v.Decimal().String()
	return t.next(), true
}

func mentionsOutOfPolicy(norm string) bool {
	for _, w := range []string{"自费", "目录外", "不能报", "报不了"} {
		if strings.Contains(norm, w) {
			return true
		}
	}
	return false
}

// plainAmount reads a message that is only a number of yuan ("5", "0",
// "350元").
func plainAmount(norm string) (engine.Money, bool) {
	n := strings.TrimSuffix(strings.TrimSuffix(norm, "元"), "块")
	if n == "" || strings.Trim(n, "0123456789.") != "" {
		return engine.Money{}, false
	}
	d, err := decimal.NewFromString(n)
	if err != nil {
		return engine.Money{}, false
	}
	return engine.MoneyOf(d), true
}

// fills reports whether the slots answer the question q.
func fills(s intents.Slots, q Slot) bool {
	switch q {
	case SlotKind:
		return s.Kind != engine.KindUnknown
	case SlotTier:
		return s.Tier.Valid()
	case SlotLevel:
		return s.Level.Valid()
	case SlotAmount:
		return s.HasAmount
	case SlotMinor:
		return s.Minor != nil
	case SlotOutOfPolicy:
		return s.HasAmount
	}
	return false
}

func hasDialogSlot(s intents.Slots) bool {
	return s.Kind != engine.KindUnknown || s.Tier.Valid() || s.Level.Valid() || s.HasAmount || s.Minor != nil
}

// apply records the slots a message gave. It returns why an answer was not
// taken ("" when all were), leaving the dialog as it was in that case.
func (t *turn) apply(d *Dialog, s intents.Slots) string {
	if !hasDialogSlot(s) {
		return ""
	}
	next := d.Facts
	if s.Kind != engine.KindUnknown {
		next.Kind = s.Kind
	}
	if s.Tier.Valid() {
		next.Tier, next.TierGuessed = s.Tier, false
	}
	if s.Level.Valid() {
		next.Level = s.Level
	}
	if s.Minor != nil {
		next.Minor = ptr(*s.Minor)
	}
	if s.HasAmount {
		switch {
		case !s.Amount.IsPositive():
			return "金额要大于0，请再说一下费用是多少。"
		case s.Amount.GreaterThan(maxAmount):
			return "这个金额太大了，请检查一下是不是多打了几个0。"
		}
		next.Amount = s.Amount.Decimal().String()
	}
	if !next.equal(d.Facts) {
		d.push()
		d.Facts = next
	}
	return ""
}

func (t *turn) answerDigit(n int) outcome {
	d := t.sess.Dialog
	var s intents.Slots
	switch d.Asking {
	case SlotKind:
		s.Kind = map[int]engine.Kind{1: engine.KindInpatient, 2: engine.KindOutpatient}[n]
	case SlotTier:
		if n == 1 || n == 2 {
			s.Tier = engine.Tier(n)
		}
	case SlotLevel:
		if n >= 1 && n <= 3 {
			s.Level = engine.Level(n)
		}
	case SlotMinor:
		if n == 1 || n == 2 {
			s.Minor = ptr(n == 1) // 1 是, 2 不是
		}
	}
	if !hasDialogSlot(s) {
		return t.reask("没有这个选项，请回复问题下面列出的数字。")
	}
	t.apply(d, s)
	return t.next()
}

func (t *turn) back() outcome {
	d := t.sess.Dialog
	if len(d.History) == 0 {
		t.notes = append(t.notes, "已经是第一步了。")
		return t.next()
	}
	d.Facts = d.History[len(d.History)-1]
	d.History = d.History[:len(d.History)-1]
	t.notes = append(t.notes, "好的，回到上一步。")
	return t.next()
}

// reask repeats the pending question with why the answer was not taken.
func (t *turn) reask(why string) outcome {
	t.notes = append(t.notes, why)
	return t.next()
}

// next asks the first unanswered question, or shows the result.
func (t *turn) next() outcome {
	d := t.sess.Dialog
	d.Updated = t.now
	d.Asking = d.missing()
	intent := "estimate_" + string(d.Asking)
	if d.Asking != SlotNone {
		if recap := d.recap(); recap != "" {
			// Say back what was understood, so a misread answer is
			// caught before the result.
			t.notes = append(t.notes, "已记下："+recap)
		}
	}
	switch d.Asking {
	case SlotKind:
		return t.finish(replies.AskKind(), intent, nil)
	case SlotTier:
		sel := t.selection()
		t1, _ := sel.Contribution(engine.Tier1)
		t2, _ := sel.Contribution(engine.Tier2)
		return t.finish(replies.AskTier(sel.Year, t1.Display(), t2.Display()), intent, nil)
	case SlotLevel:
		return t.finish(replies.AskLevel(d.Kind.String()), intent, nil)
	case SlotAmount:
		return t.finish(replies.AskAmount(d.Kind.String()), intent, nil)
	case SlotMinor:
		return t.finish(replies.AskMinor(), intent, nil)
	case SlotOutOfPolicy:
		return t.finish(replies.AskOutOfPolicy(), intent, nil)
	}
	return t.result()
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

func (t *turn) result() outcome {
	d := t.sess.Dialog
	sel := t.selection()
	amount := engine.MoneyOf(decimal.RequireFromString(d.Amount))
	var out engine.Money
	if d.OutOfPolicy != "" {
		out = engine.MoneyOf(decimal.RequireFromString(d.OutOfPolicy))
	}
	if out.GreaterThan(amount) {
		// The bill was changed to less than its out-of-policy part.
		t.notes = append(t.notes, "自费部分比总费用还多，这次按费用全部在目录内计算。")
		d.WantOut, d.OutOfPolicy, out = false, "", engine.Money{}
	}
	var (
		e   engine.Estimate
		err error
	)
	if d.Kind == engine.KindInpatient {
		e, err = sel.EstimateInpatient(engine.InpatientInput{Tier: d.Tier, Level: d.Level, Minor: *d.Minor, Cost: amount, OutOfPolicy: out})
	} else {
		e, err = sel.EstimateOutpatient(engine.OutpatientInput{Tier: d.Tier, Level: d.Level, Cost: amount, OutOfPolicy: out})
	}
	if err != nil {
		// The dialog only stores valid answers, so this is a bug: say sorry
		// and start over rather than loop on it.
		t.b.Log.Error("estimate", zap.Error(err))
		t.sess.Dialog = nil
		return t.finish("抱歉，计算出了问题，请回复“帮我算”重新开始。", "estimate_error", nil)
	}
	if d.OutOfPolicy != "" {
		// The user said how much is outside the list (perhaps none): that
		// is no longer an assumption.
		e.Assumptions = slices.DeleteFunc(e.Assumptions, func(a engine.Assumption) bool { return a.Code == "all_in_policy" })
	}
	if d.TierGuessed {
		e.Assumptions = append([]engine.Assumption{{Code: "tier_guessed",
			Text: "您不确定档次，先按一档估算（二档住院报销比例更高、限额更高）"}}, e.Assumptions...)
	}
	outLabel := "扣除自费（目录外）部分再算"
	if d.OutOfPolicy != "" {
		outLabel = "改自费（目录外）部分"
	}
	text := replies.Menu(replies.Estimate(e), []string{"换个金额再算", outLabel, "重新算一笔", "主菜单"})
	return t.finish(text, "estimate_result", []string{keyChangeAmount, keyOutOfPolicy, keyEstimateNew, keyHelp})
}

// recap lists the answers so far: "住院 · 二档 · 50,000元".
func (f Facts) recap() string {
	var parts []string
	if f.Kind != engine.KindUnknown {
		parts = append(parts, f.Kind.String())
	}
	if f.Tier.Valid() {
		tier := f.Tier.String()
		if f.TierGuessed {
			tier += "（不确定，先按一档）"
		}
		parts = append(parts, tier)
	}
	if f.Level.Valid() {
		parts = append(parts, f.Level.String()+"医院")
	}
	if f.Amount != "" {
		parts = append(parts, engine.MoneyOf(decimal.RequireFromString(f.Amount)).Display()+"元")
	}
	if f.Minor != nil {
		parts = append(parts, map[bool]string{true: "未成年人", false: "成人"}[*f.Minor])
	}
	if f.OutOfPolicy != "" {
		parts = append(parts, "其中自费"+engine.MoneyOf(decimal.RequireFromString(f.OutOfPolicy)).Display()+"元")
	}
	return strings.Join(parts, " · ")
}

func (f Facts) equal(o Facts) bool {
	sameMinor := (f.Minor == nil) == (o.Minor == nil) && (f.Minor == nil || *f.Minor == *o.Minor)
	f.Minor, o.Minor = nil, nil
	return sameMinor && f == o
}

func yesNo(s string) (value, ok bool) {
	switch s {
	case "是", "是的", "对", "对的", "嗯", "嗯嗯", "有", "yes", "y", "是未成年", "未成年人":
		return true, true
	case "不是", "否", "不", "没有", "no", "n", "成年", "成年了", "不是未成年", "满18了", "已成年":
		return false, true
	}
	return false, false
}

func dontKnow(s string) bool {
	for _, w := range []string{"不知道", "不清楚", "不记得", "忘了", "不晓得", "搞不清"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
