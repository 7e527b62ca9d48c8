package bot

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot/redact"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// The handlers of the dialog machine (machine.go), one per row kind.

// Pages the bot makes itself, as Session.Page names them; guide keys name
// the others. The '#' keeps them apart from any guide an operator adds.
const (
	pageResult  PageRef = "#result"  // a calculator result: resultKeys
	pageChoices PageRef = "#choices" // options chosen for this message: Session.Choices
)

// Menu keys the bot answers itself (botPages), besides guide keys.
const (
	keyMore        replies.MenuKey = "more"     // the rest of a long reply
	keyEstimate    replies.MenuKey = "estimate" // start an estimate, kind not known
	keyEstimateIn  replies.MenuKey = "estimate_inpatient"
	keyEstimateOut replies.MenuKey = "estimate_outpatient"
	keyTierPrice   replies.MenuKey = "contribution_tier" // what the topic's tier costs
	// keyTierDetails is the tier advice's example and assumptions.
	keyTierDetails replies.MenuKey = "tier_advice_details"
)

// Guides the bot shows on its own.
const (
	keyHelp           replies.GuideKey = "help"
	keyInpatientMinor replies.GuideKey = "inpatient_minor"
	// keyPayYear is the guide for a year whose rules are not all recorded.
	keyPayYear replies.GuideKey = "pay_year"
	// keyBreakAsk asks how many years a break lasted.
	keyBreakAsk replies.GuideKey = "break_ask"
)

// Topics that are no guide: what a follow-up is read against after a
// page the bot made.
const (
	topicResult    TopicKey = "#result"           // a calculator result
	topicTierPrice TopicKey = "contribution_tier" // one tier's price (keyTierPrice)
)

// keyPayNow is the intent for paying now ("交医保", "还来得及吗").
const keyPayNow intents.Intent = "pay_now"

// resultKeys are what the numbers under a result open, in order, and
// resultLabels what they say (the out-of-list line says 改 once given). The
// first two keep the numbers they had before the full assumptions joined.
var (
	resultKeys   = []replies.MenuKey{keyChangeAmount, keyOutOfPolicy, keyAssumptions, keyEstimateNew, keyHelp.Menu()}
	resultLabels = []string{replies.LabelChangeAmount, replies.LabelDeductOutOfList, replies.LabelAssumptions, replies.LabelEstimateNew, replies.LabelMainMenu}
)

// menuKeys lists what the numbers on the user's screen open.
func (b *Bot) menuKeys(s Session) []replies.MenuKey {
	switch s.Page {
	case "":
		return nil
	case pageChoices:
		return s.Choices
	case pageResult:
		return resultKeys
	}
	items := b.Guides.MenuOf(s.Page.guide())
	keys := make([]replies.MenuKey, len(items))
	for i, it := range items {
		keys[i] = it.Key
	}
	return keys
}

// menuLabelKey finds the menu line on screen whose words the user typed
// instead of its number ("看全部说明", "交了怎么查成功没有").
func (b *Bot) menuLabelKey(s Session, norm string) (replies.MenuKey, bool) {
	if norm == "" || s.Page == "" {
		return "", false
	}
	key, ok := b.labels[s.Page][norm]
	if ok && s.Page == pageChoices {
		ok = slices.Contains(s.Choices, key)
	}
	return key, ok
}

// menuLabelNear finds the menu line on screen that a short question is
// about when it is not the line's words exactly ("在哪里申请嘛" under
// "哪些病能办、怎么申请"): the one line sharing the most pairs of
// characters with it once the question words are taken out of both. Two
// lines sharing as many, or none sharing any, find nothing.
func (b *Bot) menuLabelNear(s Session, norm string) (replies.MenuKey, bool) {
	if s.Page == "" || utf8.RuneCountInString(norm) > maxNearLabel {
		return "", false
	}
	said := pairsOf(b.Matcher.Without(intents.WordsQuestion, norm))
	if len(said) == 0 {
		return "", false
	}
	var (
		best       replies.MenuKey
		most, ties int
	)
	for label, key := range b.labels[s.Page] {
		if s.Page == pageChoices && !slices.Contains(s.Choices, key) {
			continue
		}
		n := 0
		for p := range pairsOf(b.Matcher.Without(intents.WordsQuestion, label)) {
			if said[p] {
				n++
			}
		}
		switch {
		case n > most:
			best, most, ties = key, n, 0
		case n == most && n > 0 && key != best:
			ties++
		}
	}
	return best, most > 0 && ties == 0
}

// maxNearLabel is the longest message (in characters) read as a question
// about a menu line: a longer one says enough to be read on its own.
const maxNearLabel = 10

// pairsOf is the set of adjacent pairs of letters in s.
func pairsOf(s string) map[[2]rune]bool {
	set := map[[2]rune]bool{}
	var prev rune
	for _, r := range s {
		if unicode.IsLetter(r) && unicode.IsLetter(prev) {
			set[[2]rune{prev, r}] = true
		}
		prev = r
	}
	return set
}

// labelIndex maps each page's normalised menu labels to their keys; the
// choices page (options made per message) is indexed by every intent's
// title.
func labelIndex(g *replies.Guides, c *intents.Catalogue) map[PageRef]map[string]replies.MenuKey {
	idx := map[PageRef]map[string]replies.MenuKey{pageResult: {}, pageChoices: {}}
	for i, k := range resultKeys {
		idx[pageResult][intents.Normalize(resultLabels[i])] = k
	}
	for _, in := range c.Intents() {
		idx[pageChoices][intents.Normalize(c.Title(in))] = menuOf(in)
	}
	for _, key := range g.Keys() {
		m := map[string]replies.MenuKey{}
		for _, it := range g.MenuOf(key) {
			m[intents.Normalize(it.Label)] = it.Key
		}
		idx[pageOf(key)] = m
	}
	return idx
}

func (t *turn) hotline() string { return t.b.Book.Newest().Hotlines[0].Number }

func (t *turn) welcome() page    { return t.guide("welcome") }
func (t *turn) media() page      { return t.guide("media") }
func (t *turn) voiceEmpty() page { return t.guide("voice_empty") }
func (t *turn) mainMenu() page   { return t.guide(keyHelp) }

// showMore shows the rest of a reply too long for one message, under the
// menu that came with it.
func (t *turn) showMore() page {
	return page{intent: string(keyMore), body: t.prev.More, keepMenu: true}
}

func (t *turn) noSuchOption() page {
	n := t.msg.n
	if d := t.sess.Dialog; d != nil && d.Asking != SlotNone {
		t.note(replies.NoSuchChoice)
		return t.ask(d.Asking)
	}
	switch k := len(t.b.menuKeys(t.prev)); {
	case t.degraded:
		return page{intent: "menu_unavailable", body: replies.MemoryDown}
	case k == 0:
		t.note(replies.NoOption(n, 0))
	default:
		t.note(replies.NoOption(n, k))
	}
	return t.guide(keyHelp)
}

// openKey runs what a menu entry names.
func (t *turn) openKey() page {
	key := t.msg.key
	if open, ok := botPages[key]; ok {
		if p, ok := open(t); ok {
			return p
		}
		key = menuOf(intents.Contribution) // a tier price with no tier: the prices
	}
	if !t.b.Guides.Has(key.Guide()) {
		// A menu key the guides no longer have (an operator edited them
		// while the user read an old menu): show the main menu.
		t.b.Log.Warn("menu key has no guide", zap.String("key", redact.Text(truncate(string(key), 64))))
		key = keyHelp.Menu()
	}
	if d := t.sess.Dialog; d != nil && d.Asking != SlotNone {
		return t.guideThenResumeKey(key.Guide())
	}
	return t.topicGuide(key.Guide())
}

// botPages are the menu keys the bot answers itself rather than with a
// guide; false falls back to the contribution guide.
var botPages = map[replies.MenuKey]func(t *turn) (page, bool){
	keyEstimate:    func(t *turn) (page, bool) { return t.newEstimate(engine.KindUnknown), true },
	keyEstimateNew: func(t *turn) (page, bool) { return t.newEstimate(engine.KindUnknown), true },
	keyEstimateIn:  func(t *turn) (page, bool) { return t.newEstimate(engine.KindInpatient), true },
	keyEstimateOut: func(t *turn) (page, bool) { return t.newEstimate(engine.KindOutpatient), true },
	keyChangeAmount: func(t *turn) (page, bool) {
		d := t.sess.Dialog
		if d == nil {
			return t.newEstimate(engine.KindUnknown), true
		}
		d.push()
		d.Amount = engine.Money{}
		return t.next(), true
	},
	keyOutOfPolicy: func(t *turn) (page, bool) {
		d := t.sess.Dialog
		if d == nil || !d.Amount.IsPositive() {
			return t.newEstimate(engine.KindUnknown), true
		}
		d.push()
		d.WantOut, d.OutGiven = true, false
		return t.next(), true
	},
	keyAssumptions: func(t *turn) (page, bool) {
		if d := t.sess.Dialog; d == nil || d.Asking != SlotNone {
			return t.guide(keyHelp), true
		}
		e, err := t.estimate()
		if err != nil {
			return t.result(), true // says sorry and starts over
		}
		return page{intent: string(keyAssumptions), body: replies.EstimateAssumptions(e), options: t.resultOptions(), ref: pageResult}, true
	},
	keyTierDetails: func(t *turn) (page, bool) {
		a, err := t.selection().AdviseTiers(t.prev.Topic.Who == WhoMinor)
		if err != nil {
			t.b.Log.Error("tier advice", zap.Error(err))
			return t.guide(keyHelp), true
		}
		t.sess.Topic = t.prev.Topic // still the tiers, for a follow-up on them
		return page{intent: string(keyTierDetails), body: replies.TierAdviceDetails(a, t.hotline()), options: []option{
			{replies.LabelEstimateIn, keyEstimateIn}, {replies.LabelYearPrice, menuOf(intents.Contribution)}, {replies.LabelMainMenu, keyHelp.Menu()}}}, true
	},
	keyUnhelpful: func(t *turn) (page, bool) {
		t.unhelpful = string(t.prev.Topic.Key)
		if t.unhelpful == "" && t.prev.Dialog != nil {
			t.unhelpful = string(topicResult)
		}
		p := t.guide(keyHelp)
		p.intent, p.body = string(keyUnhelpful), replies.Unhelpful(t.hotline())
		return p, true
	},
	keyYearUsed: func(t *turn) (page, bool) {
		sel := t.selection()
		p := page{intent: string(keyYearUsed), body: replies.YearUsed(sel.Year, sel.Asked, sel.Partial, t.hotline())}
		if d := t.sess.Dialog; d != nil && d.Asking == SlotNone {
			p.options, p.ref = t.resultOptions(), pageResult
		} else if topic := t.sess.Topic.Key.guide(); t.b.Guides.Has(topic) {
			p = t.withMenuOf(p, topic)
		}
		return p, true
	},
	keyTierPrice: func(t *turn) (page, bool) {
		if tier := t.sess.Topic.Tier; tier.Valid() {
			return t.tierPrice(tier), true
		}
		return page{}, false
	},
}

// newEstimate starts an estimate from a menu; a tier the conversation
// already named is kept.
func (t *turn) newEstimate(kind engine.Kind) page {
	d := &Dialog{Facts: Facts{Kind: kind, Tier: t.sess.Topic.Tier}}
	if kind == t.topicKind(t.sess.Topic.Key) {
		d.Level = t.sess.Topic.Level
	}
	t.sess.Dialog = d
	return t.next()
}

func (t *turn) restartEstimate() page {
	kind := engine.KindUnknown
	if d := t.sess.Dialog; d != nil {
		kind = d.Kind
	}
	t.sess.Dialog = &Dialog{Facts: Facts{Kind: kind}}
	t.note(replies.Restarted)
	return t.next()
}

// startEstimate begins an estimate with whatever the message said ("二档
// 三甲 住院10万"), keeping who the user is from a result or the topic.
func (t *turn) startEstimate() page {
	d := &Dialog{}
	if prev := t.sess.Dialog; prev != nil && prev.Asking == SlotNone {
		d.Tier, d.TierGuessed, d.Who = prev.Tier, prev.TierGuessed, prev.Who
	} else {
		d.Tier = t.sess.Topic.Tier
	}
	switch t.msg.res.Intent {
	case intents.EstimateInpatient:
		d.Kind = engine.KindInpatient
	case intents.EstimateOutpatient:
		d.Kind = engine.KindOutpatient
	default:
		// "花了2万" after the inpatient rules is an inpatient bill.
		d.Kind = t.topicKind(t.sess.Topic.Key)
	}
	if t.sess.Topic.Key == "" && d.Who == WhoUnknown {
		// "我家娃儿11岁" asked about on its own, then the bill.
		d.Who = t.sess.Topic.Who
	}
	if d.Kind != engine.KindUnknown && d.Kind == t.topicKind(t.sess.Topic.Key) {
		// "三级医院呢" then "花了3万"; "女儿9岁 县医院住院咋个报" then
		// the bill.
		d.Level = t.sess.Topic.Level
		if d.Who == WhoUnknown {
			d.Who = t.sess.Topic.Who
		}
	}
	t.sess.Dialog = d
	if s := t.msg.res.Slots; s.Minor != nil && *s.Minor && !s.HasAmount && t.b.Matcher.Mentions(intents.WordsQuestion, t.msg.res.Normalized) {
		// "小娃儿住院是不是报得多些": yes, by how much, then the estimate.
		t.note(replies.MinorsMore(strings.TrimSuffix(t.selection().Policy.Inpatient.MinorBonus.Percent(), "%"), t.selection().Year))
	}
	if t.msg.res.Slots.TwoKinds {
		// Two bills in one message ("她住院4万 我门诊250"): one at a time.
		t.note(replies.OneBillAtATime())
	}
	if why := t.apply(t.msg.res.Slots); why != "" {
		t.note(why)
	}
	t.ruleWithoutBill()
	return t.next()
}

// ruleWithoutBill answers, as an estimate starts with no bill, what can be
// answered already: a grade's rule ("乡镇卫生院住院一档能报好多"), or a
// tier's yearly limit for the care ("一档门诊报好多"). The bill, asked
// next, gives the sum.
func (t *turn) ruleWithoutBill() {
	d := t.sess.Dialog
	switch {
	case !d.Amount.IsZero() || d.Kind == engine.KindUnknown:
	case d.Level.Valid():
		t.note(t.levelRuleText(d.Kind, d.Level))
	case d.Tier.Valid() && !d.TierGuessed && t.b.Matcher.Mentions(intents.WordsQuestion, t.msg.res.Normalized):
		t.note(t.kindTierText(d.Kind, d.Tier))
	}
}

func (t *turn) cancelEstimate() page {
	t.sess.Dialog = nil
	t.note(replies.EstimateLeft)
	return t.guide(keyHelp)
}

func (t *turn) stepBack() page {
	d := t.sess.Dialog
	if len(d.History) == 0 {
		t.note(replies.FirstStepAlready)
		return t.next()
	}
	d.Facts = d.History[len(d.History)-1]
	d.History = d.History[:len(d.History)-1]
	t.note(replies.SteppedBack)
	return t.next()
}

func (t *turn) askNext() page { return t.next() }

// acknowledge answers "哦" or "好的": nothing to add, and the numbers on
// screen keep working.
func (t *turn) acknowledge() page {
	if t.b.menuKeys(t.prev) == nil {
		return t.guide(keyHelp) // nothing on screen: what the bot can do
	}
	return page{intent: "ack", body: replies.Acknowledge(), keepMenu: true}
}
func (t *turn) showResult() page { return t.next() }

// answerChoice takes a number picking one of the question's options.
func (t *turn) answerChoice() page {
	d := t.sess.Dialog
	if d.Asking == SlotAmountCheck {
		d.checkAmount(t.msg.n == 1)
		return t.next()
	}
	if q, ok := t.b.form.row(d.Asking); ok && t.msg.n <= len(q.choices) {
		t.apply(q.choices[t.msg.n-1])
	}
	return t.next()
}

// answerFacts takes facts while a question waits or after a result: any
// fact may come at any time, and a later one replaces an earlier one ("不对
// 是二档", "哦不对 是6万", "其中自费1万", "今年已经报了5万").
func (t *turn) answerFacts() page {
	d := t.sess.Dialog
	s := t.msg.res.Slots
	if v, ok := yesNo(t.b, t.msg.res.Normalized); ok && d.Asking == SlotAmountCheck {
		d.checkAmount(v)
		return t.next()
	}
	t.readPending(&s)
	if p, ok := t.compareTier(s); ok {
		return p
	}
	var before shownResult
	shown := false
	if s.Tier.Valid() && s.Tier != d.Tier {
		// A new tier after a result: say what it changes.
		before, shown = t.shownTotal()
	}
	kind := d.Kind
	another := t.anotherStay(&s)
	if why := t.apply(s); why != "" {
		t.note(why)
	}
	if another != "" {
		if !s.HasOutOfPolicy {
			// The first stay's out-of-list part is not the new one's.
			d := t.sess.Dialog
			d.OutOfPolicy, d.OutGiven, d.WantOut = engine.Money{}, false, false
		}
		t.note(another)
	}
	if d = t.sess.Dialog; d.Kind != kind && d.Kind != engine.KindUnknown && d.Amount.IsZero() && d.Level.Valid() {
		// "门诊呢" after a stay's result: that care's rule at the same
		// grade now, the sum once the bill is given.
		t.note(t.levelRuleText(d.Kind, d.Level))
	}
	if shown && s.Tier.Valid() && s.Tier != before.tier {
		if e, err := t.estimate(); err == nil && !e.Total.Equal(before.total) {
			diff := e.Total.Sub(before.total)
			more := diff.IsPositive()
			if !more {
				diff = before.total.Sub(e.Total)
			}
			// "换二档划不划算": what the change costs a year, then what it pays.
			t.note(t.tierCostNote() + replies.TierChange(s.Tier.String(), diff.Display(), more))
		}
	}
	return t.next()
}

// compareTier answers "比交400的多报了好多" after a result: what the other
// tier would pay and the difference, with the result shown kept (the
// resident asked about the other tier, not to change theirs).
//
// "那我交二档划算不" asks whether a tier is worth its price: the tier shown
// is compared with the other one, whichever was named, and the reply says
// what tier 2 costs more a year.
func (t *turn) compareTier(s intents.Slots) (page, bool) {
	d := t.sess.Dialog
	norm := t.msg.res.Normalized
	worth := t.b.Matcher.Mentions(intents.WordsWorth, norm)
	if d.Asking != SlotNone || s.HasAmount || !worth && !t.b.Matcher.Mentions(intents.WordsCompare, norm) {
		return page{}, false
	}
	other := s.Tier
	if !other.Valid() && s.HasPremium {
		other, _ = t.b.tierOfPremiumSaid(s)
	}
	if worth && d.Tier.Valid() && (!other.Valid() || other == d.Tier) {
		other = d.Tier.Other()
	}
	if !other.Valid() || other == d.Tier {
		return page{}, false
	}
	cur, err := t.estimate()
	if err != nil {
		return page{}, false
	}
	mine := d.Tier
	d.Tier = other
	alt, err := t.estimate()
	d.Tier = mine
	if err != nil {
		return page{}, false
	}
	diff, more := cur.Total.Sub(alt.Total), true
	if diff.IsNegative() {
		diff, more = diff.Neg(), false
	}
	if worth {
		t.note(t.tierCostNote())
	}
	t.note(replies.TierCompare(alt.Year, mine.String(), other.String(), alt.Total.Display(), diff.Display(), more))
	return t.result(), true
}

// readPending lets the pending question read what the matcher's slots do
// not carry ("5" to 花了多少, 是 to the minor question).
func (t *turn) readPending(s *intents.Slots) {
	if q, ok := t.b.pendingQuestion(t.sess); ok && q.read != nil {
		q.read(t.b, t.msg.res.Normalized, s)
	}
}

// tierCostNote says how much more tier 2 costs a year, or nothing when
// the year has no contribution recorded.
func (t *turn) tierCostNote() string {
	sel := t.selection()
	c1, err1 := sel.Contribution(engine.Tier1)
	c2, err2 := sel.Contribution(engine.Tier2)
	if err1 != nil || err2 != nil {
		return ""
	}
	return replies.TierPremiumDiff(sel.Year, c2.Sub(c1).Display())
}

type shownResult struct {
	tier  engine.Tier
	total engine.Money
}

// shownTotal is the result on screen, if one is: what a change is
// compared with.
func (t *turn) shownTotal() (shownResult, bool) {
	d := t.sess.Dialog
	if d == nil || d.Asking != SlotNone {
		return shownResult{}, false
	}
	e, err := t.estimate()
	if err != nil {
		return shownResult{}, false
	}
	return shownResult{d.Tier, e.Total}, true
}

// dontKnow answers "不知道" to the pending question: an assumption where
// one is safe, else help to tell and the question again. A question about
// the question ("几级是啥") gets the help.
func (t *turn) dontKnow() page {
	d := t.sess.Dialog
	slot := d.Asking
	if q, ok := t.b.form.row(slot); ok && q.assume != nil && t.msg.res.Slots.DontKnow {
		d.push()
		t.note(q.assume(d))
		return t.next()
	}
	t.note(t.question(slot).Help)
	return t.ask(slot)
}

// reaskUnclear repeats the question when a reply could not be read.
// personalNumber answers a message that holds a phone, ID-card or
// bank-card number and nothing else the bot can use: it is not needed and
// not kept; the question under way is asked again.
func (t *turn) personalNumber() page {
	t.note(replies.PersonalNumber())
	if d := t.sess.Dialog; d != nil && d.Asking != SlotNone {
		p := t.ask(d.Asking)
		p.intent = "personal_number"
		return p
	}
	p := t.guide(guideOf(intents.Unknown))
	p.intent = "personal_number"
	return p
}

func (t *turn) reaskUnclear() page {
	t.note(replies.Unclear(t.hotline()))
	p := t.ask(t.sess.Dialog.Asking)
	p.intent = string(intents.Unknown)
	return p
}

// guideThenResume answers a question asked in the middle of an estimate
// and says how to carry on. The guide's own menu is left off: numbers
// still answer the estimate's question.
func (t *turn) guideThenResume() page {
	return t.guideThenResumeKey(t.questionKey())
}

func (t *turn) guideThenResumeKey(key replies.GuideKey) page {
	p := t.guide(key)
	p.options, p.ref = nil, ""
	t.tail = replies.ResumeHint()
	return p
}

// showGuide answers a question with its page, and remembers the topic. A
// broad question ("能报多少", "最多报好多") is read against what it names
// and what was just discussed: "住三甲能报多少" is the 三级 inpatient rule,
// "最多报好多" after the 大病 rules is those rules again.
func (t *turn) showGuide() page {
	key := t.questionKey()
	if d := t.sess.Dialog; key == guideOf(intents.Critical) && d != nil && d.Asking == SlotNone && d.Kind == engine.KindInpatient {
		// "大病保险这次有没得" after a stay's result: this stay's
		// critical-illness line first, then the rules.
		if e, err := t.estimate(); err == nil {
			t.note(replies.InLastEstimate(replies.CriticalWorking(e)))
		}
	}
	if s := t.msg.res.Slots; s.Level.Valid() && !s.HasAmount && (key == guideOf(intents.Inpatient) || key == guideOf(intents.Outpatient)) {
		// "二档在区医院住院报几成": the rule at that grade, both tiers.
		if s.Kind == engine.KindUnknown && key == guideOf(intents.Inpatient) {
			// "一级医院报销多少" named no kind of care.
			return t.gradeRules(s.Level)
		}
		return t.levelRule(t.topicKind(topicOf(key)), s.Level)
	}
	if key == guideOf(intents.Reimbursement) {
		return t.reimbursementGuide()
	}
	return t.topicGuide(key)
}

// reimbursementGuide answers "报多少" by what the message and the topic
// say: the rules of the kind of care or the grade named, those of the
// rules shown last, or the overview.
func (t *turn) reimbursementGuide() page {
	s := t.msg.res.Slots
	kind := s.Kind
	if kind == engine.KindUnknown && !s.Level.Valid() {
		if topic := t.sess.Topic.Key; t.topicKind(topic) != engine.KindUnknown && t.b.Guides.Has(topic.guide()) {
			return t.topicGuide(topic.guide())
		}
	}
	switch {
	case kind != engine.KindUnknown && s.Level.Valid():
		return t.levelRule(kind, s.Level)
	case s.Level.Valid() && !s.HasAmount:
		// "二级医院报销多少"
		return t.gradeRules(s.Level)
	case kind == engine.KindInpatient:
		return t.topicGuide(guideOf(intents.Inpatient))
	case kind == engine.KindOutpatient:
		return t.topicGuide(guideOf(intents.Outpatient))
	}
	return t.topicGuide(guideOf(intents.Reimbursement))
}

// questionKey is the page for the message's intent: its guide, or the
// clarifying question when the guides have none (an operator's catalogue
// may name intents the guides lack).
func (t *turn) questionKey() replies.GuideKey {
	key := guideOf(t.msg.res.Intent)
	if !t.b.Guides.Has(key) {
		t.b.Log.Warn("intent has no guide", zap.String("intent", string(key)))
		return guideOf(intents.Unknown)
	}
	return key
}

func (t *turn) topicGuide(key replies.GuideKey) page {
	s := t.msg.res.Slots
	topic := Topic{Key: topicOf(key), Tier: s.Tier, Who: whoOf(s.Minor), Year: s.Year}
	if p, ok := t.computed(key); ok {
		t.sess.Topic = topic
		return p
	}
	p := t.guide(key)
	t.sess.Topic = topic
	if key == guideOf(intents.Deadline) && !t.msg.res.Slots.Date.IsZero() {
		start := t.b.Book.BenefitStart(t.msg.res.Slots.Date)
		p.body = replies.BenefitStart(start, t.hotline()) + "\n\n" + p.body
	}
	return p
}

// factsOnTopic reads facts said without a question against what the last
// answer was about: "二档" after the inpatient guide starts an inpatient
// estimate, "那二档呢" after the contribution answer gives tier 2's price,
// "孩子呢" after the inpatient guide gives the minors' rule. With no topic
// to lean on, a bill starts an estimate and a bare tier or person gets a
// clarifying question. The first row of topicFactRules that holds answers.
func (t *turn) factsOnTopic() page {
	s := t.msg.res.Slots
	f := &topicFacts{
		s:       s,
		topic:   t.sess.Topic.Key,
		onlyWho: s.Minor != nil && !hasFacts(withoutWho(s)),
		// "二档", "交775的", with nothing else.
		onlyTier: (s.Tier.Valid() || s.HasPremium) && !hasFacts(withoutTier(s)),
		// A follow-up naming no bill asks about the rules, not for an
		// estimate.
		noBill: !s.HasAmount && !s.HasOutOfPolicy && !s.HasPriorBasic && !s.HasPriorSelfPay,
	}
	f.kind = t.topicKind(f.topic)
	for _, r := range topicFactRules {
		if r.when(t, f) {
			return r.do(t, f)
		}
	}
	return t.estimateFrom(engine.KindUnknown) // the last row always holds
}

// topicFacts is what the rows of factsOnTopic test.
type topicFacts struct {
	s                         intents.Slots
	topic                     TopicKey
	kind                      engine.Kind // the kind of care the topic is about
	onlyWho, onlyTier, noBill bool
}

func (f *topicFacts) minor() bool { return f.s.Minor != nil && *f.s.Minor }

// topicFactRule is one row of factsOnTopic: when it holds, do answers.
type topicFactRule struct {
	name string
	when func(t *turn, f *topicFacts) bool
	do   func(t *turn, f *topicFacts) page
}

var topicFactRules = []topicFactRule{
	// After the rules of a kind of care.
	{"minor_rules", func(t *turn, f *topicFacts) bool {
		return f.kind == engine.KindInpatient && f.minor() && f.noBill && !f.s.Level.Valid() && !f.s.Tier.Valid() &&
			f.topic != topicOf(keyInpatientMinor) && t.b.Guides.Has(keyInpatientMinor)
	}, func(t *turn, _ *topicFacts) page { return t.topicGuide(keyInpatientMinor) }},
	{"grade_rule", func(_ *turn, f *topicFacts) bool {
		return f.kind != engine.KindUnknown && f.s.Level.Valid() && f.noBill && !f.s.Tier.Valid() && f.s.Minor == nil &&
			(f.s.Kind == engine.KindUnknown || f.s.Kind == f.kind)
	}, func(t *turn, f *topicFacts) page { return t.levelRule(f.kind, f.s.Level) }},
	// "一档呢" after the rules asks that tier's rules and caps; a bare
	// "一档" starts the estimate below.
	{"tier_rules", func(t *turn, f *topicFacts) bool {
		return f.kind != engine.KindUnknown && f.onlyTier && f.s.Tier.Valid() && f.noBill && t.msg.res.FollowUp
	}, func(t *turn, f *topicFacts) page { return t.tierSummary(f.s.Tier) }},
	{"estimate_on_topic", func(_ *turn, f *topicFacts) bool { return f.kind != engine.KindUnknown },
		func(t *turn, f *topicFacts) page { return t.estimateFrom(f.kind) }},

	// After the overview: "孩子呢" is the minors' rules, "二档呢" that
	// tier's, "三级医院的呢" that grade's hospital rule.
	{"overview_minor", func(t *turn, f *topicFacts) bool {
		return f.topic == intentTopic(intents.Reimbursement) && f.noBill && f.onlyWho && f.minor() && t.b.Guides.Has(keyInpatientMinor)
	}, func(t *turn, _ *topicFacts) page { return t.topicGuide(keyInpatientMinor) }},
	{"overview_tier", func(_ *turn, f *topicFacts) bool {
		return f.topic == intentTopic(intents.Reimbursement) && f.noBill && f.onlyTier && f.s.Tier.Valid()
	}, func(t *turn, f *topicFacts) page { return t.tierSummary(f.s.Tier) }},
	{"overview_grade", func(_ *turn, f *topicFacts) bool {
		return f.topic == intentTopic(intents.Reimbursement) && f.noBill && f.s.Level.Valid() && !f.s.Tier.Valid() && f.s.Minor == nil
	}, func(t *turn, f *topicFacts) page {
		kind := f.s.Kind
		if kind == engine.KindUnknown {
			kind = engine.KindInpatient
		}
		return t.levelRule(kind, f.s.Level)
	}},

	// "那3月5号交的呢" after the deadlines: when cover starts for that date.
	{"cover_start_date", func(t *turn, f *topicFacts) bool {
		return f.topic == intentTopic(intents.Deadline) && !f.s.Date.IsZero()
	}, func(t *turn, f *topicFacts) page { return t.topicGuide(f.topic.guide()) }},

	// After a price: a tier or a person asks for theirs.
	{"tier_price", func(t *turn, f *topicFacts) bool { return t.b.aboutPrices(f.topic) && f.onlyTier },
		func(t *turn, f *topicFacts) page { return t.priceOfTierSaid(f.s) }},
	{"minor_price", func(t *turn, f *topicFacts) bool { return t.b.aboutPrices(f.topic) && f.onlyWho },
		func(t *turn, _ *topicFacts) page { return t.minorPrice() }},

	// With no topic to lean on.
	// "一家三口都交二档 要好多": a household with no bill asks its price.
	{"household_price", func(t *turn, f *topicFacts) bool {
		return f.noBill && f.s.Kind == engine.KindUnknown && t.b.Matcher.People(t.msg.res.Normalized) >= 2
	}, func(t *turn, _ *topicFacts) page { return t.topicGuide(guideOf(intents.Contribution)) }},
	// "一档涨到450了 是真的不": a tier with a price it does not have is a
	// question about that year's price.
	{"price_in_doubt", func(t *turn, f *topicFacts) bool {
		if !f.s.HasPremium || !f.s.Tier.Valid() || !f.noBill {
			return false
		}
		tier, ok := t.b.tierOfPremium(f.s.Premium)
		return !ok || tier != f.s.Tier
	}, func(t *turn, _ *topicFacts) page { return t.topicGuide(guideOf(intents.Contribution)) }},
	// "775是几档": the price names the tier.
	{"premium_names_tier", func(_ *turn, f *topicFacts) bool { return f.onlyTier && f.s.HasPremium && !f.s.Tier.Valid() },
		func(t *turn, f *topicFacts) page { return t.priceOfTierSaid(f.s) }},
	{"which_about_tier", func(_ *turn, f *topicFacts) bool { return f.onlyTier && f.s.Tier.Valid() },
		func(t *turn, f *topicFacts) page {
			tier := f.s.Tier
			t.sess.Topic = Topic{Tier: tier}
			sel := t.selection()
			price, _ := sel.Contribution(tier)
			body := replies.ClarifyTier(tier.String()) + replies.TierPriceNote(sel.Year, tier.String(), price.Display())
			return page{intent: "clarify", body: body, options: []option{
				{replies.LabelTierPrice(tier.String()), keyTierPrice},
				{replies.LabelTierInpatient(tier.String()), keyEstimateIn},
				{replies.LabelTierOutpatient(tier.String()), keyEstimateOut},
			}}
		}},
	{"which_about_who", func(_ *turn, f *topicFacts) bool { return f.onlyWho },
		func(t *turn, f *topicFacts) page {
			who := whoOf(f.s.Minor)
			// The person is kept: a bill said next is theirs.
			t.sess.Topic = Topic{Who: who}
			opts := []option{{replies.LabelInpatientRules, menuOf(intents.Inpatient)}, {replies.LabelEstimate, keyEstimateIn}, {replies.LabelYearPrice, menuOf(intents.Contribution)}}
			if who == WhoMinor {
				opts[0] = option{replies.LabelMinorInpatient, keyInpatientMinor.Menu()}
			}
			return page{intent: "clarify", body: replies.ClarifyWho(who.String()), options: opts}
		}},
	{"estimate", func(*turn, *topicFacts) bool { return true },
		func(t *turn, _ *topicFacts) page { return t.estimateFrom(engine.KindUnknown) }},
}

// priceOfTierSaid answers a tier said, or named by its price ("交775的"),
// with that tier's price; a price no tier has gets the contribution guide
// with a note.
func (t *turn) priceOfTierSaid(s intents.Slots) page {
	tier := s.Tier
	if !tier.Valid() {
		var ok bool
		if tier, ok = t.b.tierOfPremiumSaid(s); !ok {
			t.note(t.premiumUnknown(s.Premium))
			return t.topicGuide(guideOf(intents.Contribution))
		}
	}
	return t.tierPrice(tier)
}

// levelRule answers what one hospital grade pays, after the rules of a
// kind of care ("三级医院呢", "那卫生院呢").
func (t *turn) levelRule(kind engine.Kind, level engine.Level) page {
	body := t.levelRuleText(kind, level)
	key := intents.Inpatient
	est := keyEstimateIn
	if kind == engine.KindOutpatient {
		key, est = intents.Outpatient, keyEstimateOut
	}
	tier := t.sess.Topic.Tier
	if s := t.msg.res.Slots; s.Tier.Valid() {
		tier = s.Tier
	} else if s.HasPremium {
		// "交775的在区医院住院报几成": a bill said next is that tier's.
		if said, ok := t.b.tierOfPremiumSaid(s); ok {
			tier = said
		}
	}
	// The patient named with the question ("孩子12岁") is the bill's too.
	t.sess.Topic = Topic{Key: intentTopic(key), Tier: tier, Level: level, Who: whoOf(t.msg.res.Slots.Minor)}
	return page{intent: string(key), body: body, options: []option{{replies.LabelEstimate, est}, {replies.LabelMainMenu, keyHelp.Menu()}}}
}

// gradeRules answers what one grade pays when no kind of care was said:
// the stay's rule, then the outpatient rule.
func (t *turn) gradeRules(level engine.Level) page {
	p := t.levelRule(engine.KindInpatient, level)
	p.body += "\n" + t.outpatientLevelLine(level)
	return p
}

// kindTierText is what one tier pays at most a year for a kind of care,
// with the year it belongs to; the grade question asked next shows each
// grade's rule on its options.
func (t *turn) kindTierText(kind engine.Kind, tier engine.Tier) string {
	sel := t.selection()
	p := sel.Policy
	limit := p.Outpatient.Limit(tier)
	if kind == engine.KindInpatient {
		limit = p.Inpatient.Cap(tier)
	}
	return replies.YearNote(sel.Asked, sel.Year, sel.Partial, t.hotline()) +
		replies.TierKindLimit(sel.Year, tier.String(), kind == engine.KindInpatient, limit.Display())
}

// levelRuleText is what one hospital grade pays for a kind of care, with
// the year it belongs to.
func (t *turn) levelRuleText(kind engine.Kind, level engine.Level) string {
	sel := t.selection()
	var body string
	if kind == engine.KindInpatient {
		body = t.inpatientLevelText(sel, level)
	} else {
		body = t.outpatientLevelLine(level)
	}
	return replies.YearNote(sel.Asked, sel.Year, sel.Partial, t.hotline()) + body
}

// inpatientLevelText answers what was asked of one grade's stay: the tier
// named, or both; a child's ratios when the question is about a child
// ("小孩二档 三甲住院比例"), an adult's otherwise.
func (t *turn) inpatientLevelText(sel engine.Selection, level engine.Level) string {
	p := sel.Policy
	lv := p.Inpatient.Level(level)
	s := t.msg.res.Slots
	tier := s.Tier
	if !tier.Valid() && s.HasPremium {
		tier, _ = t.b.tierOfPremiumSaid(s)
	}
	ratio := lv.Ratio
	minor := s.Minor != nil && *s.Minor
	if minor {
		ratio = func(tr engine.Tier) engine.Ratio { return lv.Ratio(tr).Add(p.Inpatient.MinorBonus) }
	}
	bonus := strings.TrimSuffix(p.Inpatient.MinorBonus.Percent(), "%")
	ded := lv.Deductible.Display()
	switch {
	case tier.Valid() && minor:
		return replies.MinorTierRule(sel.Year, tier.String(), level.String(), ded, ratio(tier).Percent(), p.Inpatient.Cap(tier).Display())
	case tier.Valid():
		return replies.InpatientTierRule(sel.Year, tier.String(), level.String(), ded, ratio(tier).Percent(), bonus, p.Inpatient.Cap(tier).Display())
	case minor:
		return replies.MinorLevelRule(sel.Year, level.String(), ded, ratio(engine.Tier1).Percent(), ratio(engine.Tier2).Percent(),
			p.Inpatient.Cap(engine.Tier1).Display(), p.Inpatient.Cap(engine.Tier2).Display())
	}
	return replies.InpatientLevelRule(sel.Year, level.String(), ded, ratio(engine.Tier1).Percent(), ratio(engine.Tier2).Percent(), bonus,
		p.Inpatient.Cap(engine.Tier1).Display(), p.Inpatient.Cap(engine.Tier2).Display())
}

// outpatientLevelLine is what one grade pays for outpatient care.
func (t *turn) outpatientLevelLine(level engine.Level) string {
	sel := t.selection()
	p := sel.Policy
	lv := p.Outpatient.Level(level)
	return replies.OutpatientLevelRule(sel.Year, level.String(), lv.Covered, lv.Deductible.Display(), lv.Ratio.Percent(),
		p.Outpatient.Limit(engine.Tier1).Display(), p.Outpatient.Limit(engine.Tier2).Display())
}

// tierSummary answers a tier said after the overview: its hospital rules
// at each grade, its cap and its outpatient limit.
func (t *turn) tierSummary(tier engine.Tier) page {
	sel := t.selection()
	p := sel.Policy
	var lines []string
	for _, l := range []engine.Level{engine.Level3, engine.Level2, engine.Level1} {
		lv := p.Inpatient.Level(l)
		lines = append(lines, replies.LevelLine(l.String(), lv.Deductible.Display(), lv.Ratio(tier).Percent()))
	}
	body := replies.YearNote(sel.Asked, sel.Year, sel.Partial, t.hotline()) +
		replies.TierSummary(sel.Year, tier.String(), lines, p.Inpatient.Cap(tier).Display(), p.Outpatient.Limit(tier).Display())
	t.sess.Topic = Topic{Key: intentTopic(intents.Reimbursement), Tier: tier}
	return t.withMenuOf(page{intent: string(intents.Reimbursement), body: body}, guideOf(intents.Reimbursement))
}

// estimateFrom starts an estimate of kind (unless the message names one)
// with the message's facts.
func (t *turn) estimateFrom(kind engine.Kind) page {
	t.sess.Dialog = &Dialog{Facts: Facts{Kind: kind, Tier: t.sess.Topic.Tier, Level: t.sess.Topic.Level, Who: t.sess.Topic.Who}}
	if why := t.apply(t.msg.res.Slots); why != "" {
		t.note(why)
	}
	return t.next()
}

// topicKind is the estimate a topic leads to, if any.
func (t *turn) topicKind(key TopicKey) engine.Kind {
	switch {
	case key == intentTopic(intents.EstimateInpatient):
		return engine.KindInpatient
	case key == intentTopic(intents.EstimateOutpatient):
		return engine.KindOutpatient
	}
	switch t.b.Guides.About(key.guide()) {
	case replies.AboutInpatientRules:
		return engine.KindInpatient
	case replies.AboutOutpatientRules:
		return engine.KindOutpatient
	}
	return engine.KindUnknown
}

// aboutPrices reports whether key's page is about a price, so that a tier
// or a person said next asks for theirs (guides say so in data; the tier
// price is the bot's own page).
func (b *Bot) aboutPrices(key TopicKey) bool {
	return key == topicTierPrice || b.Guides.About(key.guide()) == replies.AboutPrices
}

func withoutWho(s intents.Slots) intents.Slots  { s.Minor = nil; return s }
func withoutTier(s intents.Slots) intents.Slots { s.Tier, s.HasPremium = 0, false; return s }

// priceYear is the year a price asked now is about (the one named, or the
// one residents pay for now, as the contribution guide reads it) and the
// year file recording the contribution that answers it: that year's own,
// a year whose other rules are not in yet included, or the newest before.
func (t *turn) priceYear() (int, *engine.Policy) {
	asked := t.yearBeingPaid(intents.Contribution)
	if y := t.yearNamed(); y != 0 {
		// "2026年度交多少" then "那二档呢": the year named before.
		asked = y
	}
	if asked == 0 {
		asked = t.askedYear()
	}
	if p, ok := t.b.Book.ContributionYear(asked); ok {
		return asked, p
	}
	return asked, t.b.Book.All()[0] // older than every file: the oldest
}

// yearNamed is the benefit year the message names, or the one named with
// the topic it follows up; 0 when neither names one.
func (t *turn) yearNamed() int {
	if y := t.msg.res.Slots.Year; y != 0 {
		return y
	}
	return t.prev.Topic.Year
}

// tierPrice answers what one tier costs, for the year asked about.
func (t *turn) tierPrice(tier engine.Tier) page {
	asked, p := t.priceYear()
	other := engine.Tier1
	if tier == engine.Tier1 {
		other = engine.Tier2
	}
	a, _ := p.Contribution(tier)
	o, _ := p.Contribution(other)
	body := replies.PriceYearNote(asked, p.Year, t.hotline()) +
		replies.TierContribution(p.Year, tier.String(), a.Display(), other.String(), o.Display())
	t.sess.Topic = Topic{Key: topicTierPrice, Tier: tier, Year: t.yearNamed()}
	return t.withMenuOf(page{intent: string(intents.Contribution), body: body}, guideOf(intents.Contribution))
}

// minorPrice answers what a child pays.
func (t *turn) minorPrice() page {
	asked, p := t.priceYear()
	a, _ := p.Contribution(engine.Tier1)
	b, _ := p.Contribution(engine.Tier2)
	body := replies.PriceYearNote(asked, p.Year, t.hotline()) + replies.MinorContribution(p.Year, a.Display(), b.Display(), t.hotline())
	t.sess.Topic = Topic{Key: topicTierPrice, Year: t.yearNamed()}
	return t.withMenuOf(page{intent: string(intents.Contribution), body: body}, guideOf(intents.Contribution))
}

// withMenuOf gives p the menu of the guide key.
func (t *turn) withMenuOf(p page, key replies.GuideKey) page {
	for _, it := range t.b.Guides.MenuOf(key) {
		p.options = append(p.options, option{it.Label, it.Key})
	}
	p.ref = pageOf(key)
	return p
}

// clarify answers a message the bot could not place: the closest topics
// as numbered options, or, when nothing in it is usable, the unknown page
// with the hotline and the main menu. Never a bare apology.
func (t *turn) clarify() page {
	if t.msg.res.Slots.DontKnow && t.b.Matcher.Mentions(intents.WordsTierWord, t.msg.res.Normalized) {
		// "我不知道自己交的哪一档": how to tell.
		q := replies.Question{}
		if row, ok := t.b.form.row(SlotTier); ok {
			q = row.ask(t)
		}
		return page{intent: "tier_help", body: q.Help, options: []option{
			{replies.LabelPaidHowToCheck, menuOf(intents.PaymentStatus)}, {replies.LabelYearPrice, menuOf(intents.Contribution)}, {replies.LabelEstimate, keyEstimate}}}
	}
	if key, ok := t.b.menuLabelNear(t.prev, t.msg.res.Normalized); ok {
		// "在哪里申请嘛" under a guide whose menu has "怎么申请": that line.
		t.msg.key = key
		return t.openKey()
	}
	var opts []option
	for _, s := range t.msg.res.Suggestions {
		k := menuOf(s)
		if t.b.Guides.Has(k.Guide()) || k == keyEstimate || k == keyEstimateIn || k == keyEstimateOut {
			opts = append(opts, option{t.b.Catalog.Title(s), k})
		}
	}
	if len(opts) > 0 {
		return page{intent: "clarify", body: replies.ClarifyTopics(t.hotline()), options: opts}
	}
	if topic := t.sess.Topic.Key; t.b.Guides.Has(topic.guide()) && t.b.Matcher.Mentions(intents.WordsQuestion, t.msg.res.Normalized) &&
		utf8.RuneCountInString(t.msg.res.Normalized) <= 6 {
		// "咋个办理" after a guide: the guide said what the sources say.
		p := t.withMenuOf(page{intent: "topic_more", body: replies.TopicMore(t.b.Catalog.Title(topic.intent()), t.hotline())}, topic.guide())
		return p
	}
	p := t.guide(guideOf(intents.Unknown))
	p.intent = string(intents.Unknown)
	return p
}

// guide renders one of the guides' pages with its menu.
func (t *turn) guide(key replies.GuideKey) page { return t.guideFor(key, t.askedYear()) }

// guideFor renders a guide for a benefit year.
func (t *turn) guideFor(key replies.GuideKey, year int) page {
	pg, err := t.b.pages.render(key, t.now, year)
	if err != nil {
		t.b.Log.Error("render guide", zap.String("key", string(key)), zap.Error(err))
		key = keyHelp
		pg, _ = t.b.pages.render(key, t.now, year)
	}
	p := page{intent: string(key), body: pg.Body, ref: pageOf(key)}
	for _, it := range pg.Menu {
		p.options = append(p.options, option{it.Label, it.Key})
	}
	return p
}

// askedYear is the benefit year a message asks about: the one it names, or
// today's.
func (t *turn) askedYear() int {
	if y := t.msg.res.Slots.Year; y != 0 {
		return y
	}
	return t.now.Year()
}

// computed answers the questions whose answer the engine works out from
// the year's data rather than a guide's text: which tier pays off, what a
// break in enrolment means, and next year's figures, which no file holds
// yet. ok is false when the guide answers.
func (t *turn) computed(key replies.GuideKey) (page, bool) {
	sel := t.selection()
	hotline := t.hotline()
	slots := t.msg.res.Slots
	var body string
	var menu []option
	switch intentOf(key) {
	case intents.TierAdvice:
		if y := slots.Year; y != 0 {
			// "明年交一档还是二档好": the year named, said to be not in yet.
			if named, err := t.b.Book.ForYear(y); err == nil {
				sel = named
			}
		}
		a, err := sel.AdviseTiers(slots.Minor != nil && *slots.Minor)
		if err != nil {
			t.b.Log.Error("tier advice", zap.Error(err))
			return page{}, false
		}
		body = replies.TierAdvice(a, hotline)
		menu = []option{{replies.LabelTierDetails, keyTierDetails}, {replies.LabelEstimateIn, keyEstimateIn},
			{replies.LabelYearPrice, menuOf(intents.Contribution)}, {replies.LabelMainMenu, keyHelp.Menu()}}
	case intents.EnrolmentBreak:
		years := t.b.Matcher.BreakYears(t.msg.res.Normalized)
		if years == 0 && t.prev.Topic.Key == intentTopic(intents.EnrolmentBreak) {
			// "3年" answering "断了几年？".
			years = t.b.Matcher.YearsAlone(t.msg.res.Normalized)
		}
		if start := t.b.Book.BenefitStart(t.now); years == 0 && start.Known {
			// "今天补交了" inside a payment window is a late payment, not
			// a break: when cover starts is known from the year's data.
			body = replies.BenefitStart(start, hotline)
			for _, it := range t.b.Guides.MenuOf(guideOf(intents.Deadline)) {
				menu = append(menu, option{it.Label, it.Key})
			}
			break
		}
		x, err := sel.Policy.ExplainBreak(engine.BreakCase{YearsBroken: years})
		if err != nil {
			return page{}, false // no rules in this year's file: the guide says what is known
		}
		body = replies.BreakAnswer(x, hotline)
		if years == 0 {
			// How long the waiting lasts depends on the years broken:
			// ask, and read "3年" next as the answer (see classify).
			body = t.guideFor(keyBreakAsk, t.askedYear()).body + "\n\n" + body
		}
		menu = []option{{replies.LabelPrice, menuOf(intents.Contribution)}, {replies.LabelHowToPay, menuOf(intents.Payment)}, {replies.LabelHotline, menuOf(intents.Hotline)}}
	case intents.Contribution, intents.Deadline, intents.Payment, keyPayNow:
		return t.paymentPage(key)
	default:
		return page{}, false
	}
	return page{intent: string(key), body: body, options: menu}, true
}

// paymentPage answers a question about paying (how much, how, by when,
// can I pay now) for the benefit year it is about; ok is false when the
// guide answers as it stands.
func (t *turn) paymentPage(key replies.GuideKey) (page, bool) {
	asked := t.yearBeingPaid(intentOf(key))
	if season := t.b.Book.Season(t.now); intentOf(key) != intents.Contribution && t.msg.res.Slots.YearIsThis &&
		season.Phase == engine.SeasonEnrolment && season.Enrolling == asked+1 {
		// "今年的医保什么时候交" in December: this year's round of
		// payment, which is for next year's cover; this year's own
		// round is over.
		asked = season.Enrolling
		t.note(replies.PayingNowFor(t.now.Year(), asked))
	}
	switch {
	case asked == 0:
		return page{}, false
	case slices.Contains(t.b.Book.Years(), asked):
		// A year with all its rules: the guide, for that year.
		p := t.guideFor(key, asked)
		p.body = t.priceChange(key, asked) + t.householdTotal(key, asked) + p.body
		return p, true
	}
	if _, ok := t.b.Book.ContributionYear(asked); !ok && asked < t.b.Book.Newest().Year {
		return page{}, false // older than every file: the guide names the oldest
	}
	// A year with only its contribution recorded, or none: what is
	// known, with its source, and no date or figure of the year's own.
	p := t.guideFor(keyPayYear, asked)
	p.intent = string(key)
	p.body = t.priceChange(key, asked) + t.householdTotal(key, asked) + p.body
	return p, true
}

// priceChange answers, before the price guide, how the price asked about
// compares with the year before's ("医保今年涨价没有"), both from the year
// files; "" when the message does not ask or a year is not recorded.
func (t *turn) priceChange(key replies.GuideKey, asked int) string {
	if intentOf(key) != intents.Contribution || !t.b.Matcher.Mentions(intents.WordsPriceChange, t.msg.res.Normalized) {
		return ""
	}
	cur, ok := t.b.Book.ContributionYear(asked)
	if !ok || cur.Year != asked {
		return "" // the year asked has no price yet: its guide says so
	}
	prev, ok := t.b.Book.ContributionYear(cur.Year - 1)
	if !ok || prev.Year != cur.Year-1 {
		return ""
	}
	var tiers []replies.TierPrices
	for _, tier := range []engine.Tier{engine.Tier1, engine.Tier2} {
		now, err1 := cur.Contribution(tier)
		before, err2 := prev.Contribution(tier)
		if err1 != nil || err2 != nil {
			return ""
		}
		tiers = append(tiers, replies.TierPrices{Tier: tier.String(), Now: now.Display(), Before: before.Display(),
			Up: now.Sub(before).Display(), Rose: now.Sub(before).IsPositive(), Fell: before.Sub(now).IsPositive(),
			Down: before.Sub(now).Display()})
	}
	line := replies.PriceChange(cur.Year, prev.Year, tiers)
	if now, before := cur.SubsidyMin, prev.SubsidyMin; now.IsPositive() && before.IsPositive() {
		line += replies.SubsidyChange(prev.Year, now.Display(), before.Display(), now.Sub(before).Display(), now.Sub(before).IsPositive())
	}
	return line + "\n\n"
}

// householdTotal answers, before the price guide, what a household pays
// in all ("一家三口都交二档要好多"): each tier's price, or the one named,
// times the people, from the year that records the contribution asked
// about (named in the line). "" when no household was named.
func (t *turn) householdTotal(key replies.GuideKey, asked int) string {
	in := intentOf(key)
	if in != intents.Contribution && in != keyPayNow {
		return ""
	}
	n := t.b.Matcher.People(t.msg.res.Normalized)
	p, ok := t.b.Book.ContributionYear(asked)
	if n < 2 || !ok {
		return ""
	}
	c1, err1 := p.Contribution(engine.Tier1)
	c2, err2 := p.Contribution(engine.Tier2)
	if err1 != nil || err2 != nil {
		return ""
	}
	note := replies.PriceYearNote(asked, p.Year, t.hotline())
	switch tier := t.msg.res.Slots.Tier; tier {
	case engine.Tier1:
		return note + replies.HouseholdTotal(p.Year, n, tier.String(), c1.Display(), c1.Times(n).Display()) + "\n\n"
	case engine.Tier2:
		return note + replies.HouseholdTotal(p.Year, n, tier.String(), c2.Display(), c2.Times(n).Display()) + "\n\n"
	}
	return note + replies.HouseholdTotals(p.Year, n, c1.Display(), c1.Times(n).Display(), c2.Display(), c2.Times(n).Display()) + "\n\n"
}

// yearBeingPaid is the benefit year a payment question is about: the one
// it names ("明年", "2026年", resolved against today), or, unnamed, the year
// residents pay for now (in December, the next one). A price asked between
// the windows is the year in force's. 0 leaves the question to the guide:
// a date asks when cover starts.
func (t *turn) yearBeingPaid(in intents.Intent) int {
	s := t.msg.res.Slots
	switch {
	case !s.Date.IsZero():
		return 0
	case s.Year != 0:
		return s.Year
	}
	season := t.b.Book.Season(t.now)
	if in == intents.Contribution && season.Phase == engine.SeasonBefore {
		return season.InForce
	}
	return season.Enrolling
}

// answerAlso answers, in a line before the page, the second question a
// message asked ("二档交好多钱 住院又报好多": the price, then the estimate).
// Only the price is answered this way: it fits one line.
func (t *turn) answerAlso(p page) {
	for _, in := range t.msg.res.Also {
		if in != intents.Contribution || p.intent == string(intents.Contribution) {
			continue
		}
		sel := t.selection()
		t1, _ := sel.Contribution(engine.Tier1)
		t2, _ := sel.Contribution(engine.Tier2)
		t.notes = append([]string{replies.PriceLine(sel.Year, t.msg.res.Slots.Tier, t1.Display(), t2.Display())}, t.notes...)
	}
}

// anotherStay reads "同一年后来又住了一次，2万" after a stay's result: the
// bill is a second stay, and what the first one took (the basic fund's
// payment, the in-list self-pay) becomes this year's priors, unless the
// resident gave them. It returns the note saying so, "" otherwise.
func (t *turn) anotherStay(s *intents.Slots) string {
	d := t.sess.Dialog
	if d.Asking != SlotNone || d.Kind != engine.KindInpatient || !s.HasAmount || s.HasPriorBasic || s.HasPriorSelfPay ||
		s.Kind == engine.KindOutpatient || !t.b.Matcher.Mentions(intents.WordsAnotherStay, t.msg.res.Normalized) {
		return ""
	}
	e, err := t.estimate()
	if err != nil {
		return ""
	}
	s.PriorBasic, s.HasPriorBasic = d.PriorBasic.Add(e.Basic), true
	s.PriorSelfPay, s.HasPriorSelfPay = d.PriorSelfPay.Add(e.SelfPay), true
	return replies.AnotherStay(e.Basic.Display(), e.SelfPay.Display())
}
