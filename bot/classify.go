package bot

import (
	"strings"
	"unicode/utf8"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// classify reads a message against the session it arrives in. This is the
// only place that decides what a message means; handlers act on it. The
// decision is the first row of readRules whose guard holds: the rows, in
// order, are every state-dependent choice made before the machine's table
// is consulted, each named (Trace.Rule, `yibao explain`).
func (b *Bot) classify(s Session, m Message, res intents.Result) classified {
	switch m.Kind {
	case KindFollow:
		return classified{ev: evFollow, rule: "follow"}
	case KindMedia:
		return classified{ev: evMedia, rule: "media"}
	case KindMenu:
		return classified{ev: evMenuKey, key: replies.MenuKey(m.Key), rule: "menu_button"}
	case KindVoice:
		if strings.TrimSpace(m.Text) == "" {
			return classified{ev: evVoiceEmpty, rule: "voice_empty"}
		}
	}
	r := b.newReading(s, res)
	for _, rule := range readRules {
		if rule.in != nil && !rule.in(r.st) || !rule.when(r) {
			continue
		}
		c := classified{ev: rule.ev, res: r.res, rule: rule.name}
		if rule.raw {
			c.res = r.orig
		}
		if rule.then != nil {
			rule.then(r, &c)
		}
		return c
	}
	return classified{ev: evUnknown, res: r.res, rule: "unknown"} // the last row always holds
}

// reading is a message with what the rules ask of it, computed once.
type reading struct {
	b  *Bot
	s  Session
	st state
	// orig is the matcher's reading; res is what the rows after the raw
	// ones see (newReading adjusts it while a question waits).
	orig, res intents.Result
	sl        intents.Slots
	// sums: sums that are not a bill (the part outside the list, what
	// this year's claims already took, the premium naming a tier): they
	// belong to the estimate under way, whatever else the words ask.
	sums, isEstimate, facts bool
}

func (b *Bot) newReading(s Session, res intents.Result) *reading {
	st := stateOf(s)
	res = b.premiumAsked(res, b.aboutPrices(s.Topic.Key) && st == stateIdle)
	r := &reading{b: b, s: s, st: st, orig: res, res: res, sl: res.Slots}
	r.sums = !r.sl.HasAmount && (r.sl.HasOutOfPolicy || r.sl.HasPriorBasic || r.sl.HasPriorSelfPay || r.sl.HasPremium)
	r.isEstimate = res.Intent == intents.Estimate || res.Intent == intents.EstimateInpatient || res.Intent == intents.EstimateOutpatient
	r.facts = hasFacts(r.sl)
	if st == stateAsking && res.How == intents.HowModel {
		// While a question waits, a topic that only the classifier
		// guessed (no keyword) is no reason to leave it: the message is
		// more likely an answer the bot could not read.
		r.res.Intent, r.res.How = intents.Unknown, intents.HowAbstain
	}
	return r
}

func (r *reading) says(w intents.WordList) bool     { return r.b.Matcher.Says(w, r.res.Normalized) }
func (r *reading) mentions(w intents.WordList) bool { return r.b.Matcher.Mentions(w, r.res.Normalized) }
func (r *reading) unknown() bool                    { return r.res.Intent == intents.Unknown }

// answersPending reports whether the message answers the question asked.
func (r *reading) answersPending() bool {
	return r.b.answers(r.s.Dialog.Asking, r.sl, r.res.Normalized)
}

// asksOwn reports whether, while a question waits, the message asks a
// question of its own ("二档交多少钱" while the tier is asked) rather than
// answering, even when its words also name a topic ("住院" to 住院还是门诊).
func (r *reading) asksOwn() bool {
	if !r.b.asksQuestion(r.res) || r.res.FollowUp || r.sl.Correction {
		return false
	}
	// "孙子19了，在外头打工" to 是未成年人吗: a topic's words said as
	// context, with no question in them, around the answer.
	return r.res.Ask != intents.AskNone || r.mentions(intents.WordsQuestion) || !r.answersPending()
}

// changesResult reports whether, after a result, the message changes it:
// facts, also asked as a what-if ("要是交二档能多报好多", "那住院10万呢"),
// facts that change the estimate's even without a sum ("如果是我孙子住院嘞
// 他6岁"), a second stay in the same year (its priors are the first
// stay's: see anotherStay), or a kind of care said alone ("住院"), which
// answers the result's "先按住院算；是门诊的话回复门诊".
func (r *reading) changesResult() bool {
	if !r.facts {
		return false
	}
	res, sl := r.res, r.sl
	// A what-if changes the result only with a fact it has: "要是去外省住院
	// 呢 要办啥" asks about care elsewhere, not the stay again.
	whatIf := r.mentions(intents.WordsWhatIf) && (sl.HasAmount || r.sums || changesFacts(sl, r.s.Dialog.Facts))
	return res.Intent == intents.Unknown || res.FollowUp || sl.Correction || whatIf ||
		sl.HasAmount && r.mentions(intents.WordsAnotherStay) ||
		res.Intent == intents.Reimbursement || res.Intent == intents.TierAdvice && sl.Tier.Valid() ||
		r.isEstimate && !sl.HasAmount && (changesFacts(sl, r.s.Dialog.Facts) || restatesFacts(sl, r.s.Dialog.Facts)) ||
		r.says(intents.WordsInpatient) || r.says(intents.WordsOutpatient)
}

// readRule is one row of the reading: in the states `in` accepts (nil:
// all), when its guard holds, the message is event ev; then, if set,
// fills in the rest (a key, a topic).
type readRule struct {
	name string
	// raw rows come before the reading is adjusted for the state (see
	// newReading) and pass the matcher's reading on as it was.
	raw  bool
	in   func(state) bool
	when func(r *reading) bool
	ev   event
	then func(r *reading, c *classified)
}

func only(states ...state) func(state) bool {
	return func(s state) bool {
		for _, x := range states {
			if x == s {
				return true
			}
		}
		return false
	}
}

func setKey(key replies.MenuKey) func(*reading, *classified) {
	return func(_ *reading, c *classified) { c.key = key }
}

func setTopic(in func(r *reading) intents.Intent) func(*reading, *classified) {
	return func(r *reading, c *classified) { c.res.Intent = in(r) }
}

// readRules are the reading's rows, first match wins.
var readRules = []readRule{
	// Dialog controls, whatever the state.
	{name: "cancel", raw: true, when: func(r *reading) bool { return r.res.Intent == intents.Cancel }, ev: evCancel},
	{name: "back", raw: true, when: func(r *reading) bool { return r.res.Intent == intents.Back }, ev: evBack},
	{name: "restart", raw: true, when: func(r *reading) bool { return r.res.Intent == intents.Restart }, ev: evRestart},
	// "答非所问": counted against the topic shown, whatever the state.
	{name: "unhelpful", raw: true, when: func(r *reading) bool { return r.res.Intent == intents.Unhelpful }, ev: evMenuKey, then: setKey(keyUnhelpful)},
	{name: "continue", raw: true, when: func(r *reading) bool { return r.says(intents.WordsContinue) }, ev: evContinue},
	// A number: an answer's option, the rest of a split reply, or a menu
	// line (classifyNumber says which).
	{name: "number", raw: true, when: func(r *reading) bool { _, ok := menuDigit(r.res.Normalized); return ok }, ev: evBadNumber,
		then: func(r *reading, c *classified) {
			n, _ := menuDigit(r.res.Normalized)
			*c = r.b.classifyNumber(r.s, *c, n)
		}},
	// A menu line's words typed instead of its number.
	{name: "menu_words", raw: true, when: func(r *reading) bool {
		_, ok := r.b.menuLabelKey(r.s, r.res.Normalized)
		return ok && r.s.More == ""
	}, ev: evMenuKey, then: func(r *reading, c *classified) { c.key, _ = r.b.menuLabelKey(r.s, r.res.Normalized) }},
	// "138 1234 5678" to 花了多少, or "我的电话138…" alone: the number was
	// read with itself blanked out (never as money); say it is not needed,
	// and ask again. A question around one is answered (or counted as not
	// understood) as usual.
	{name: "personal_number", raw: true, when: func(r *reading) bool {
		sl := r.orig.Slots
		return sl.PersonalNumber && !sl.HasAmount && (r.st == stateAsking && !r.b.asksQuestion(r.orig) ||
			r.orig.Intent == intents.Unknown && utf8.RuneCountInString(r.orig.Normalized) <= 6)
	}, ev: evPersonal},

	// While a question waits.
	// "记不到了 屋头娃儿帮我交的": a fact that changes nothing (the speaker
	// is the patient, as said) does not hide the 不知道.
	{name: "dont_know_answer", in: only(stateAsking), when: func(r *reading) bool {
		return r.sl.DontKnow && !r.sums && !r.sl.HasAmount && !r.answersPending() && !changesFacts(r.sl, r.s.Dialog.Facts)
	}, ev: evDontKnow},
	{name: "answer", in: only(stateAsking), when: func(r *reading) bool {
		return r.sums || !r.asksOwn() && (r.answersPending() || r.facts)
	}, ev: evFacts},
	// "不知道", or a question about the question ("几级是啥"): help to
	// answer it.
	{name: "help_with_question", in: only(stateAsking), when: func(r *reading) bool {
		return r.sl.DontKnow || r.unknown() && r.mentions(intents.WordsQuestion)
	}, ev: evDontKnow},
	// "帮我算" again while asking: carry on with the question.
	{name: "estimate_again", in: only(stateAsking), when: func(r *reading) bool { return r.isEstimate }, ev: evContinue},

	// After a result.
	// "为啥子才报这么点", "为啥还要自己出两万多": the working and what it
	// assumed; a sum in it restates the result, it is no new bill.
	{name: "why_result", in: only(stateResult), when: func(r *reading) bool { return r.unknown() && r.mentions(intents.WordsWhy) },
		ev: evMenuKey, then: setKey(keyAssumptions)},
	// Facts that change it; "那医保一共给我报了好多", "自己掏好多", "那报
	// 好多嘛": the result again. How much is paid back, asked with no new
	// fact right after a result, is about that result, not the overview
	// of every rate (the reimbursement topic's or the estimate's words).
	{name: "change_result", in: only(stateResult), when: func(r *reading) bool {
		generic := r.unknown() || r.res.How == intents.HowClarify ||
			r.res.Intent == intents.Reimbursement || r.res.Intent == intents.Estimate
		again := !r.facts && r.res.Ask == intents.AskAmount && generic
		return r.sums || again || r.changesResult()
	}, ev: evFacts},

	// "这是哪年的标准" after a result or a guide: which year's rules it
	// used, not a new topic.
	{name: "year_used", in: only(stateIdle, stateResult), when: func(r *reading) bool {
		return r.res.Ask == intents.AskYear && !r.facts && (r.st == stateResult || r.s.Topic.Key != "") &&
			(r.unknown() || r.res.How == intents.HowModel)
	}, ev: evMenuKey, then: setKey(keyYearUsed)},
	{name: "acknowledge", in: only(stateIdle, stateResult), when: func(r *reading) bool { return r.says(intents.WordsAck) }, ev: evAck},

	// With no estimate.
	// "那小孩住院呢" after the inpatient rules: a follow-up on the topic,
	// not a new estimate.
	{name: "follow_up_facts", in: only(stateIdle), when: func(r *reading) bool {
		return r.res.FollowUp && r.facts && !r.sl.HasAmount && (r.isEstimate || !r.b.asksQuestion(r.res))
	}, ev: evFacts},
	// "3年" after "断了几年？": the years of the break.
	{name: "break_years", in: only(stateIdle), when: func(r *reading) bool {
		return r.unknown() && r.s.Topic.Key == intentTopic(intents.EnrolmentBreak) && !r.sl.HasAmount &&
			(r.b.Matcher.BreakYears(r.res.Normalized) > 0 || r.b.Matcher.YearsAlone(r.res.Normalized) > 0)
	}, ev: evQuestion, then: setTopic(func(*reading) intents.Intent { return intents.EnrolmentBreak })},
	// "那2025年呢" after a guide: the same page for that year.
	{name: "guide_other_year", in: only(stateIdle), when: func(r *reading) bool {
		return !r.facts && r.sl.Year != 0 && r.unknown() && r.b.Guides.Has(r.s.Topic.Key.guide())
	}, ev: evQuestion, then: setTopic(func(r *reading) intents.Intent { return r.s.Topic.Key.intent() })},
	// "老汉儿去年住了三次院 今年还能报不": whether (or how) a kind of care
	// is paid, with no bill: that care's rules, not an estimate begun on
	// a guess.
	{name: "care_rules_asked", in: only(stateIdle), when: func(r *reading) bool {
		return r.unknown() && !r.sl.HasAmount && !r.res.FollowUp && r.sl.Kind != engine.KindUnknown &&
			(r.res.Ask == intents.AskWhether || r.res.Ask == intents.AskHow)
	}, ev: evQuestion, then: setTopic(func(r *reading) intents.Intent {
		topic := intents.Inpatient
		if r.sl.Kind == engine.KindOutpatient {
			topic = intents.Outpatient
		}
		return r.b.Matcher.Redirected(topic, r.res.Normalized)
	})},
	// "住的区医院 二级" after the inpatient rules: a grade said after a
	// topic, with no question word, is a fact on it, not a question for
	// the guide on telling hospitals' grades that its words also match.
	{name: "facts_after_topic", in: only(stateIdle), when: func(r *reading) bool {
		return r.res.Intent == intents.HospitalLevel && r.facts && !r.sl.HasAmount && r.s.Topic.Key != "" && !r.b.asksQuestion(r.res)
	}, ev: evFacts},

	// Whatever the state, what the words say.
	{name: "estimate", when: func(r *reading) bool { return r.isEstimate }, ev: evEstimate},
	{name: "topic", when: func(r *reading) bool { return !r.unknown() }, ev: evQuestion},
	// A question the reading could not settle between topics, facts and
	// all ("被人打伤了住院 医保给不给报"): ask which, rather than start an
	// estimate from its facts.
	{name: "clarify_topics", in: only(stateIdle), when: func(r *reading) bool {
		return r.res.How == intents.HowClarify && len(r.res.Suggestions) > 0
	}, ev: evUnknown},
	{name: "facts", when: func(r *reading) bool { return r.facts }, ev: evFacts},
	{name: "dont_know", when: func(r *reading) bool { return r.sl.DontKnow }, ev: evDontKnow},
	{name: "unknown", when: func(*reading) bool { return true }, ev: evUnknown},
}

// ReadingRules names the reading's rows in order, for tests and docs.
func ReadingRules() []string {
	names := make([]string, len(readRules))
	for i, r := range readRules {
		names[i] = r.name
	}
	return names
}
