package bot

import (
	"maps"
	"strconv"
	"time"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// Session is what the bot remembers of one user between messages. It holds
// typed answers, never text to parse again, and only what a later message
// needs: the last menu is kept as the name of the page that showed it, and
// is rebuilt from that page when a number comes back.
type Session struct {
	// Updated is when the session last changed; a dialog or topic idle for
	// longer than the dialog TTL is over.
	Updated time.Time
	Dialog  *Dialog // the estimate in progress or last shown
	Topic   Topic   // what the last answer was about, for follow-ups
	// Page names the page whose numbered options are on the user's screen:
	// a guide key, pageResult, or pageChoices with the keys in Choices.
	// Questions of the estimate need neither: Dialog.Asking says which.
	Page    PageRef
	Choices []replies.MenuKey
	// More is the rest of a reply too long for one message; "1" shows it,
	// and Page/Choices then belong to that rest.
	More string
	// Answered are the messages answered within the reply TTL (see
	// answered.go). Handle keeps it; the dialog never reads it.
	Answered Answered
}

// pageIsTopic reports whether the page on screen is the topic's guide,
// as it mostly is: the codecs then store the key once.
func (s Session) pageIsTopic() bool {
	return s.Page != "" && string(s.Page) == string(s.Topic.Key)
}

// Topic is what the last answer was about, so that "那二档呢" after the
// contribution answer or "二档" after the inpatient guide has a meaning.
type Topic struct {
	Key   TopicKey     // the guide or answer last shown ("inpatient", "contribution")
	Tier  engine.Tier  // a tier the user named with it, if any
	Level engine.Level // a hospital grade the user asked about, if any
	Who   Who          // the patient the user named with it, if any
	// Year is the benefit year the user named with it ("2026年度交多少"),
	// 0 when none: "那二档呢" next is about that year too.
	Year int
}

// TopicKey names what an answer was about: the guide shown, by its key,
// or a page the bot made (pageResult).
type TopicKey string

// topicOf is the topic of a guide shown.
func topicOf(g replies.GuideKey) TopicKey { return TopicKey(g) }

// guide is the guide the topic was, if it was one.
func (k TopicKey) guide() replies.GuideKey { return replies.GuideKey(k) }

// intent is the intent whose guide the topic was.
func (k TopicKey) intent() intents.Intent { return intents.Intent(k) }

// intentTopic is the topic of an intent's guide.
func intentTopic(in intents.Intent) TopicKey { return topicOf(guideOf(in)) }

// PageRef names the page whose numbered options are on the user's
// screen: a guide, by its key, or a page the bot makes (pageResult,
// pageChoices).
type PageRef string

// guide is the guide on screen, if the page is one.
func (p PageRef) guide() replies.GuideKey { return replies.GuideKey(p) }

// pageOf is the page of a guide shown.
func pageOf(g replies.GuideKey) PageRef { return PageRef(g) }

// guideOf is an intent's guide: a topic's guide has its intent's name
// (the catalogue and the guides are checked as a pair).
func guideOf(in intents.Intent) replies.GuideKey { return replies.GuideKey(in) }

// intentOf is the intent a guide answers (see guideOf).
func intentOf(g replies.GuideKey) intents.Intent { return intents.Intent(g) }

// menuOf is the menu key that answers an intent.
func menuOf(in intents.Intent) replies.MenuKey { return replies.MenuKey(in) }

// Who the patient is, for the minors' higher ratio.
type Who byte

const (
	WhoUnknown Who = iota
	WhoAdult
	WhoMinor
)

func whoOf(minor *bool) Who {
	switch {
	case minor == nil:
		return WhoUnknown
	case *minor:
		return WhoMinor
	}
	return WhoAdult
}

func (w Who) String() string {
	switch w {
	case WhoAdult:
		return replies.WhoAdult
	case WhoMinor:
		return replies.WhoMinor
	}
	return ""
}

// Slot is one question of the estimate; the session stores the one
// waiting for an answer by its number, so a number is never reused. The
// built-in questions are numbered below FirstAddedSlot; a question added
// as data (Question) declares its own number from FirstAddedSlot up.
type Slot byte

const (
	SlotNone Slot = iota
	SlotKind
	SlotTier
	SlotLevel
	SlotAmount
	SlotMinor
	// SlotOutOfPolicy is asked only when the user offers the part of the
	// bill outside the reimbursement list (目录外/自费).
	SlotOutOfPolicy
	// SlotAmountCheck confirms a bill said roughly ("3来万") or hard to
	// believe (a stay of 50元, a clinic bill of 30,000元) before computing.
	SlotAmountCheck
	slotCount
)

// FirstAddedSlot is the first number a question added as data may take;
// maxSlot bounds the numbers a stored session may hold.
const (
	FirstAddedSlot Slot = 32
	maxSlot        Slot = 64
)

func (s Slot) String() string {
	if s < slotCount {
		return [...]string{"none", "kind", "tier", "level", "amount", "minor", "out_of_policy", "amount_check"}[s]
	}
	return "q" + strconv.Itoa(int(s))
}

// Dialog is an estimate being put together, one answer at a time.
type Dialog struct {
	Facts
	// Asking is the question waiting for an answer; SlotNone once the
	// result was shown (the dialog then takes changes and recalculates).
	Asking Slot
	// History holds the facts before each change, newest last, for 上一步.
	History []Facts
}

// Facts are the answers given so far, as the calculator takes them.
type Facts struct {
	Kind   engine.Kind
	Tier   engine.Tier
	Level  engine.Level
	Who    Who
	Amount engine.Money // the bill; zero until given (a bill of 0 is refused)
	// OutOfPolicy is the part outside the reimbursement list, once given
	// (OutGiven; it may be 0). WantOut: the user chose to give it, so it
	// is asked.
	OutOfPolicy engine.Money
	OutGiven    bool
	WantOut     bool
	// What this calendar year's claims already took: the basic fund's
	// payments (less room under the cap; for outpatient care, the annual
	// limit already used) and the in-list self-pay (counts toward 大病).
	PriorBasic   engine.Money
	PriorSelfPay engine.Money
	// TierGuessed: the user did not know their tier; 一档 is assumed.
	TierGuessed bool
	// AmountApprox: the bill was said roughly ("3来万" is read as 30,000);
	// AmountDoubt: it is outside the plausible bounds for its kind of
	// care. Either is confirmed (AmountChecked) before anything is
	// computed from it.
	AmountApprox, AmountDoubt, AmountChecked bool
	// Named holds the answers to questions added as data, by question
	// name. It is never changed in place (History shares it): a change
	// makes a new map.
	Named map[string]string
}

// maxHistory bounds 上一步: enough for every answer of one dialog.
const maxHistory = 8

func (f Facts) equal(o Facts) bool {
	return f.Kind == o.Kind && f.Tier == o.Tier && f.Level == o.Level && f.Who == o.Who &&
		f.Amount.Equal(o.Amount) && f.OutOfPolicy.Equal(o.OutOfPolicy) && f.OutGiven == o.OutGiven &&
		f.WantOut == o.WantOut && f.PriorBasic.Equal(o.PriorBasic) && f.PriorSelfPay.Equal(o.PriorSelfPay) &&
		f.TierGuessed == o.TierGuessed && f.AmountApprox == o.AmountApprox && f.AmountDoubt == o.AmountDoubt &&
		f.AmountChecked == o.AmountChecked && maps.Equal(f.Named, o.Named)
}

// push saves the facts before a change, for 上一步.
func (d *Dialog) push() {
	d.History = append(d.History, d.Facts)
	if len(d.History) > maxHistory {
		d.History = d.History[len(d.History)-maxHistory:]
	}
}
