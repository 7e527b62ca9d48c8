package bot

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
)

// The dialog machine. Each message is classified once into an event
// (classify); the table below says, for the state the user is in, which
// handler answers it. Everything the bot does with a message can be read
// here; TestMachineDiagram renders the table into testdata/machine.mmd.

// state is where a user is in the conversation.
type state byte

const (
	stateIdle   state = iota // no estimate: guides, topics, menus
	stateAsking              // an estimate waits for an answer
	stateResult              // an estimate was shown; it takes changes
	stateAny                 // in the table: a row for every state
)

func (s state) String() string { return [...]string{"idle", "asking", "result", "any"}[s] }

func stateOf(s Session) state {
	switch d := s.Dialog; {
	case d == nil:
		return stateIdle
	case d.Asking != SlotNone:
		return stateAsking
	}
	return stateResult
}

// event is what a message was taken for.
type event byte

const (
	// subscribed
	evFollow event = iota
	// a picture, location...: nothing to read
	evMedia
	// speech without a transcript
	evVoiceEmpty
	// a menu button, or a number picking a menu line
	evMenuKey
	// "1" under a reply split in two
	evMore
	// a number picking an answer to the pending question
	evChoice
	// a number that picks nothing
	evBadNumber
	// 取消, 不算了
	evCancel
	// 上一步
	evBack
	// 重新开始
	evRestart
	// 继续
	evContinue
	// "帮我算", "住院5万能报多少"
	evEstimate
	// facts without a question: "二档", "三级医院 5万", "那二档呢"
	evFacts
	// 不知道
	evDontKnow
	// a question a page answers (rules, overview, topics the sources lack)
	evQuestion
	// nothing usable
	evUnknown
	// 哦, 好的, 晓得了: nothing asked
	evAck
	// a phone, ID-card or bank-card number and nothing else usable
	evPersonal
	eventCount
)

func (e event) String() string {
	return [...]string{"follow", "media", "voice_empty", "menu_key", "more", "choice", "bad_number",
		"cancel", "back", "restart", "continue", "estimate", "facts", "dont_know", "question", "unknown", "ack", "personal_number"}[e]
}

// handler answers one event. It changes t.sess and returns the page to show.
type handler func(t *turn) page

// transition is one row of the machine: in state from, event on is
// answered by do, which leaves the user in one of to.
type transition struct {
	from state
	on   event
	name string
	do   handler
	to   []state
}

var (
	idle, asking, result, anyState = stateIdle, stateAsking, stateResult, stateAny
	toSame                         = []state{stateAny}
)

// transitions is the machine. A row for a particular state wins over a row
// for stateAny.
var transitions = []transition{
	{anyState, evFollow, "welcome", (*turn).welcome, toSame},
	{anyState, evMedia, "media", (*turn).media, toSame},
	{anyState, evVoiceEmpty, "voiceEmpty", (*turn).voiceEmpty, toSame},
	{anyState, evMenuKey, "openKey", (*turn).openKey, []state{idle, asking, result}},
	{anyState, evMore, "showMore", (*turn).showMore, toSame},
	{anyState, evBadNumber, "noSuchOption", (*turn).noSuchOption, toSame},
	// A number taken as an answer with no question pending picks nothing.
	{anyState, evChoice, "noSuchOption", (*turn).noSuchOption, toSame},
	{anyState, evRestart, "restartEstimate", (*turn).restartEstimate, []state{asking}},
	{anyState, evEstimate, "startEstimate", (*turn).startEstimate, []state{asking, result}},
	{anyState, evAck, "acknowledge", (*turn).acknowledge, toSame},
	{anyState, evPersonal, "personalNumber", (*turn).personalNumber, toSame},

	{idle, evCancel, "mainMenu", (*turn).mainMenu, []state{idle}},
	{idle, evBack, "mainMenu", (*turn).mainMenu, []state{idle}},
	{idle, evContinue, "mainMenu", (*turn).mainMenu, []state{idle}},
	{idle, evFacts, "factsOnTopic", (*turn).factsOnTopic, []state{idle, asking, result}},
	{idle, evDontKnow, "clarify", (*turn).clarify, []state{idle}},
	{idle, evQuestion, "showGuide", (*turn).showGuide, []state{idle}},
	{idle, evUnknown, "clarify", (*turn).clarify, []state{idle}},

	{asking, evCancel, "cancelEstimate", (*turn).cancelEstimate, []state{idle}},
	{asking, evBack, "stepBack", (*turn).stepBack, []state{asking}},
	{asking, evContinue, "askNext", (*turn).askNext, []state{asking}},
	{asking, evChoice, "answerChoice", (*turn).answerChoice, []state{asking, result}},
	{asking, evFacts, "answerFacts", (*turn).answerFacts, []state{asking, result}},
	{asking, evDontKnow, "dontKnow", (*turn).dontKnow, []state{asking, result}},
	{asking, evQuestion, "guideThenResume", (*turn).guideThenResume, []state{asking}},
	{asking, evUnknown, "reaskUnclear", (*turn).reaskUnclear, []state{asking}},

	{result, evCancel, "cancelEstimate", (*turn).cancelEstimate, []state{idle}},
	{result, evBack, "stepBack", (*turn).stepBack, []state{asking, result}},
	{result, evContinue, "showResult", (*turn).showResult, []state{result}},
	{result, evFacts, "changeResult", (*turn).answerFacts, []state{asking, result}},
	{result, evDontKnow, "clarify", (*turn).clarify, []state{result}},
	{result, evQuestion, "showGuide", (*turn).showGuide, []state{result}},
	{result, evUnknown, "clarify", (*turn).clarify, []state{result}},
}

// InvalidEventError says the table has no row for an event in a state
// (in the manner of looplab/fsm's error of the same name). CheckMachine
// finds every such hole, so none reaches a resident.
type InvalidEventError struct {
	State, Event string
}

func (e InvalidEventError) Error() string {
	return fmt.Sprintf("dialog machine: no row for event %s in state %s", e.Event, e.State)
}

// lookup finds the row for an event in a state.
func lookup(s state, e event) (transition, error) {
	var general transition
	found := false
	for _, tr := range transitions {
		if tr.on != e {
			continue
		}
		if tr.from == s {
			return tr, nil
		}
		if tr.from == stateAny {
			general, found = tr, true
		}
	}
	if !found {
		return transition{}, InvalidEventError{State: s.String(), Event: e.String()}
	}
	return general, nil
}

// CheckMachine reports every (state, event) pair the table has no row
// for, and every row without a handler: the table must be total.
func CheckMachine() error {
	var errs []error
	for s := range stateAny {
		for e := range eventCount {
			tr, err := lookup(s, e)
			switch {
			case err != nil:
				errs = append(errs, err)
			case tr.do == nil || len(tr.to) == 0:
				errs = append(errs, fmt.Errorf("dialog machine: row %s in state %s has no handler or no target", tr.name, s))
			}
		}
	}
	return errors.Join(errs...)
}

func (tr transition) allows(from, to state) bool {
	for _, s := range tr.to {
		if s == to || (s == stateAny && to == from) {
			return true
		}
	}
	return false
}

// classified is a message read once: its event, and what the matcher found.
type classified struct {
	ev  event
	res intents.Result
	key string // evMenuKey: the key picked
	n   int    // evChoice, evBadNumber: the number
}

// classify reads a message against the session it arrives in. This is the
// only place that decides what a message means; handlers act on it.
func (b *Bot) classify(s Session, m Message, res intents.Result) classified {
	switch m.Kind {
	case KindFollow:
		return classified{ev: evFollow}
	case KindMedia:
		return classified{ev: evMedia}
	case KindMenu:
		return classified{ev: evMenuKey, key: m.Key}
	case KindVoice:
		if strings.TrimSpace(m.Text) == "" {
			return classified{ev: evVoiceEmpty}
		}
	}
	st := stateOf(s)
	c := classified{res: b.premiumAsked(res, priceTopics[s.Topic.Key] && st == stateIdle)}
	res = c.res
	switch res.Intent {
	case intents.Cancel:
		c.ev = evCancel
		return c
	case intents.Back:
		c.ev = evBack
		return c
	case intents.Restart:
		c.ev = evRestart
		return c
	case intents.Unhelpful:
		// "答非所问": counted against the topic shown, whatever the state.
		c.ev, c.key = evMenuKey, keyUnhelpful
		return c
	}
	if b.Matcher.Says(intents.WordsContinue, res.Normalized) {
		c.ev = evContinue
		return c
	}
	if n, ok := menuDigit(res.Normalized); ok {
		return b.classifyNumber(s, c, n)
	}
	if key, ok := b.menuLabelKey(s, res.Normalized); ok && s.More == "" {
		c.ev, c.key = evMenuKey, key
		return c
	}
	sl := res.Slots
	if sl.PersonalNumber && !sl.HasAmount && (st == stateAsking && !b.asksQuestion(res) ||
		res.Intent == intents.Unknown && utf8.RuneCountInString(res.Normalized) <= 6) {
		// "138 1234 5678" to 花了多少, or "我的电话138…" alone: the number
		// was read with itself blanked out (never as money); say it is not
		// needed, and ask again. A question around one is answered (or
		// counted as not understood) as usual.
		c.ev = evPersonal
		return c
	}
	// Sums that are not a bill (the part outside the list, what this year's
	// claims already took, the premium naming a tier) belong to the
	// estimate under way, whatever else the words seem to ask.
	sums := !sl.HasAmount && (sl.HasOutOfPolicy || sl.HasPriorBasic || sl.HasPriorSelfPay || sl.HasPremium)
	isEstimate := res.Intent == intents.Estimate || res.Intent == intents.EstimateInpatient || res.Intent == intents.EstimateOutpatient
	if st == stateAsking && res.How == intents.HowModel {
		// While a question waits, a topic that only the classifier
		// guessed (no keyword) is no reason to leave it: the message is
		// more likely an answer the bot could not read.
		res.Intent, res.How = intents.Unknown, intents.HowAbstain
		c.res = res
	}
	switch st {
	case stateAsking:
		// Facts are answers, even when the words also name a topic ("住院"
		// to 住院还是门诊), unless the message asks about something else
		// ("二档交多少钱" while the tier is asked).
		asks := b.asksQuestion(res) && !res.FollowUp && !sl.Correction
		if asks && res.Ask == intents.AskNone && !b.Matcher.Mentions(intents.WordsQuestion, res.Normalized) &&
			b.answers(s.Dialog.Asking, sl, res.Normalized) {
			// "孙子19了，在外头打工" to 是未成年人吗: a topic's words said
			// as context, with no question in them, around the answer.
			asks = false
		}
		// "记不到了 屋头娃儿帮我交的": a fact that changes nothing (the
		// speaker is the patient, as said) does not hide the 不知道.
		if sl.DontKnow && !sums && !sl.HasAmount && !b.answers(s.Dialog.Asking, sl, res.Normalized) && !changesFacts(sl, s.Dialog.Facts) {
			c.ev = evDontKnow
			return c
		}
		if sums || !asks && (b.answers(s.Dialog.Asking, sl, res.Normalized) || hasFacts(sl)) {
			c.ev = evFacts
			return c
		}
		if sl.DontKnow || res.Intent == intents.Unknown && b.Matcher.Mentions(intents.WordsQuestion, res.Normalized) {
			// "不知道", or a question about the question ("几级是啥"):
			// help to answer it.
			c.ev = evDontKnow
			return c
		}
		if isEstimate {
			// "帮我算" again while asking: carry on with the question.
			c.ev = evContinue
			return c
		}
	case stateResult:
		if res.Intent == intents.Unknown && b.Matcher.Mentions(intents.WordsWhy, res.Normalized) {
			// "为啥子才报这么点", "为啥还要自己出两万多": the working and
			// what it assumed; a sum in it restates the result, it is no
			// new bill.
			c.ev, c.key = evMenuKey, keyAssumptions
			return c
		}
		// After a result, facts change it, also when asked as a what-if
		// ("要是交二档能多报好多", "那住院10万呢"), and facts that change
		// the estimate's even without a sum ("如果是我孙子住院嘞 他6岁").
		// A second stay in the same year is one too: its priors are the
		// first stay's (see anotherStay).
		whatIf := res.Intent == intents.Unknown || res.FollowUp || sl.Correction || b.Matcher.Mentions(intents.WordsWhatIf, res.Normalized) ||
			sl.HasAmount && b.Matcher.Mentions(intents.WordsAnotherStay, res.Normalized) ||
			res.Intent == intents.Reimbursement || res.Intent == intents.TierAdvice && sl.Tier.Valid() ||
			isEstimate && !sl.HasAmount && changesFacts(sl, s.Dialog.Facts)
		// A kind of care said alone ("住院") answers the result's "先按住院
		// 算；是门诊的话回复门诊": the same kind shows the result again,
		// the other changes it.
		bareKind := b.Matcher.Says(intents.WordsInpatient, res.Normalized) || b.Matcher.Says(intents.WordsOutpatient, res.Normalized)
		// "那医保一共给我报了好多", "自己掏好多": the result again.
		again := !hasFacts(sl) && res.Ask == intents.AskAmount && (res.Intent == intents.Unknown || res.How == intents.HowClarify)
		if sums || again || hasFacts(sl) && (whatIf || bareKind) {
			c.ev = evFacts
			return c
		}
	}
	if st != stateAsking && res.Ask == intents.AskYear && !hasFacts(sl) && (st == stateResult || s.Topic.Key != "") &&
		(res.Intent == intents.Unknown || res.How == intents.HowModel) {
		// "这是哪年的标准" after a result or a guide: which year's rules
		// it used, not a new topic.
		c.ev, c.key = evMenuKey, keyYearUsed
		return c
	}
	if st != stateAsking && b.Matcher.Says(intents.WordsAck, res.Normalized) {
		c.ev = evAck
		return c
	}
	if st == stateIdle && res.FollowUp && hasFacts(sl) && !sl.HasAmount && (isEstimate || !b.asksQuestion(res)) {
		// "那小孩住院呢" after the inpatient rules: a follow-up on the
		// topic, not a new estimate.
		c.ev = evFacts
		return c
	}
	if st == stateIdle && res.Intent == intents.Unknown && s.Topic.Key == string(intents.EnrolmentBreak) &&
		(b.Matcher.BreakYears(res.Normalized) > 0 || b.Matcher.YearsAlone(res.Normalized) > 0) && !sl.HasAmount {
		// "3年" after "断了几年？": the years of the break.
		c.res.Intent = intents.EnrolmentBreak
		c.ev = evQuestion
		return c
	}
	if st == stateIdle && !hasFacts(sl) && sl.Year != 0 && res.Intent == intents.Unknown && b.Guides.Has(s.Topic.Key) {
		// "那2025年呢" after a guide: the same page for that year.
		c.res.Intent = intents.Intent(s.Topic.Key)
		c.ev = evQuestion
		return c
	}
	if st == stateIdle && res.Intent == intents.Unknown && !sl.HasAmount && !res.FollowUp &&
		(res.Ask == intents.AskWhether || res.Ask == intents.AskHow) {
		// "老汉儿去年住了三次院 今年还能报不": whether (or how) a kind of
		// care is paid, with no bill: that care's rules, not an estimate
		// begun on a guess.
		switch sl.Kind {
		case engine.KindInpatient:
			c.res.Intent, c.ev = intents.Inpatient, evQuestion
			return c
		case engine.KindOutpatient:
			c.res.Intent, c.ev = intents.Outpatient, evQuestion
			return c
		}
	}
	switch {
	case isEstimate:
		c.ev = evEstimate
	case res.Intent != intents.Unknown:
		c.ev = evQuestion
	case st == stateIdle && res.How == intents.HowClarify && len(res.Suggestions) > 0:
		// A question the reading could not settle between topics, facts
		// and all ("被人打伤了住院 医保给不给报"): ask which, rather than
		// start an estimate from its facts.
		c.ev = evUnknown
	case hasFacts(sl):
		c.ev = evFacts
	case sl.DontKnow:
		c.ev = evDontKnow
	default:
		c.ev = evUnknown
	}
	return c
}

// premiumAsked reads a sum asked about with 档 ("775是几档"), or said
// alone after a price ("400呢" after "775是几档"), as the premium naming a
// tier, when it is one, rather than as a bill.
func (b *Bot) premiumAsked(res intents.Result, afterPrice bool) intents.Result {
	s := &res.Slots
	if s.HasAmount && !s.HasPremium && s.Kind == engine.KindUnknown && !s.Level.Valid() &&
		(b.Matcher.Mentions(intents.WordsTierWord, res.Normalized) || afterPrice) {
		if _, ok := b.tierOfPremium(s.Amount); ok {
			s.Premium, s.HasPremium = s.Amount, true
			s.Amount, s.HasAmount = engine.Money{}, false
		}
	}
	return res
}

// classifyNumber reads a message that is one digit: the answer to a
// numbered question, a bill ("5" to 花了多少), the rest of a long reply, or
// a line of the menu on screen.
func (b *Bot) classifyNumber(s Session, c classified, n int) classified {
	c.n = n
	if d := s.Dialog; d != nil && d.Asking != SlotNone {
		q := questions[d.Asking]
		if q.takesNumber {
			c.ev = evFacts
			return c
		}
		if n >= 1 && n <= len(q.choices) {
			c.ev = evChoice
			return c
		}
	}
	if s.More != "" && n == 1 {
		c.ev = evMore
		return c
	}
	if keys := b.menuKeys(s); n >= 1 && n <= len(keys) {
		c.ev, c.key = evMenuKey, keys[n-1]
		return c
	}
	c.ev = evBadNumber
	return c
}

// asksQuestion reports whether a message asks a question of its own rather
// than only stating facts: an intent that is not the estimate, except the
// words for a kind of care said without a question word ("住院", "住院
// 二档" are facts; "住院怎么报" is a question).
func (b *Bot) asksQuestion(res intents.Result) bool {
	switch res.Intent {
	case intents.Unknown, intents.Estimate, intents.EstimateInpatient, intents.EstimateOutpatient:
		return false
	case intents.Inpatient, intents.Outpatient, intents.Critical:
		return b.Matcher.Mentions(intents.WordsQuestion, res.Normalized)
	}
	return true
}

// changesFacts reports whether slots say something other than the facts
// of the estimate shown: a new patient, tier, grade or kind of care.
func changesFacts(s intents.Slots, f Facts) bool {
	return s.Tier.Valid() && s.Tier != f.Tier || s.Level.Valid() && s.Level != f.Level ||
		s.Kind != engine.KindUnknown && s.Kind != f.Kind || whoOf(s.Minor) != WhoUnknown && whoOf(s.Minor) != f.Who
}

// hasFacts reports whether slots hold anything the estimate can use.
func hasFacts(s intents.Slots) bool {
	return s.Kind != engine.KindUnknown || s.Tier.Valid() || s.Level.Valid() || s.HasAmount || s.Minor != nil ||
		s.HasOutOfPolicy || s.HasPriorBasic || s.HasPriorSelfPay || s.HasPremium
}

// menuDigit reports whether a message is just a menu number.
func menuDigit(s string) (int, bool) {
	if len(s) != 1 || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	return int(s[0] - '0'), true
}

// Diagram renders the machine as a Mermaid state diagram, for reviewers.
func Diagram() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	b.WriteString("    [*] --> idle\n")
	for _, tr := range transitions {
		froms := []state{tr.from}
		if tr.from == stateAny {
			froms = []state{stateIdle, stateAsking, stateResult}
		}
		for _, from := range froms {
			if tr.from == stateAny {
				if specific, err := lookup(from, tr.on); err != nil || specific.from != stateAny {
					continue
				}
			}
			for _, to := range tr.to {
				if to == stateAny {
					to = from
				}
				fmt.Fprintf(&b, "    %s --> %s: %s / %s\n", from, to, tr.on, tr.name)
			}
		}
	}
	return b.String()
}
