package bot

import (
	"errors"
	"fmt"
	"strings"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// The dialog machine. Each message is read once into an event by the rows
// of readRules (classify.go: named guards, first match wins); the table
// below says, for the state the user is in, which handler answers it.
// Everything the bot does with a message can be read there and here;
// TestMachineDiagram renders the table into testdata/machine.mmd.

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
	key replies.MenuKey // evMenuKey: the key picked
	n   int             // evChoice, evBadNumber: the number
	// rule names the row of readRules that decided, for the trace.
	rule string
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

// pendingQuestion is the form's row waiting for an answer, if any.
func (b *Bot) pendingQuestion(s Session) (*question, bool) {
	if d := s.Dialog; d != nil && d.Asking != SlotNone {
		return b.form.row(d.Asking)
	}
	return nil, false
}

// classifyNumber reads a message that is one digit: the answer to a
// numbered question, a bill ("5" to 花了多少), the rest of a long reply, or
// a line of the menu on screen.
func (b *Bot) classifyNumber(s Session, c classified, n int) classified {
	c.n = n
	if q, ok := b.pendingQuestion(s); ok {
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
// words for a kind of care or a hospital's grade said without a question
// word ("住院", "住院 二档", "住的区医院 二级" are facts; "住院怎么报",
// "区医院是几级" are questions).
func (b *Bot) asksQuestion(res intents.Result) bool {
	switch res.Intent {
	case intents.Unknown, intents.Estimate, intents.EstimateInpatient, intents.EstimateOutpatient:
		return false
	case intents.Inpatient, intents.Outpatient, intents.Critical, intents.HospitalLevel:
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

// restatesFacts reports whether slots say again the kind of care and one
// more fact of the estimate shown ("就是宝宝住院" after the baby's stay):
// the resident confirms it, and the result stands.
func restatesFacts(s intents.Slots, f Facts) bool {
	return s.Kind != engine.KindUnknown && s.Kind == f.Kind && !changesFacts(s, f) &&
		(whoOf(s.Minor) != WhoUnknown || s.Tier.Valid() || s.Level.Valid())
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
