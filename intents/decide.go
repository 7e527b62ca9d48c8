package intents

import "github.com/yibao/yibao/engine"

// How says what decided a message's topic, for `yibao explain`, the logs
// and the statistics of what was answered with little confidence.
type How string

const (
	HowNone       How = ""        // no topic: dialog control, slots only, follow-up
	HowKeyword    How = "keyword" // a keyword, the classifier agreeing or not against it
	HowAgreed     How = "agreed"  // a keyword and the classifier agree
	HowModel      How = "model"   // the classifier alone, confidently
	HowClarify    How = "clarify" // too close to call: Suggestions are the likeliest topics
	HowAbstain    How = "abstain" // neither the keywords nor the classifier know it
	HowOtherTopic How = "other"   // the classifier knows it as a question no topic answers
)

// Decision thresholds on the classifier's probability, chosen on the
// cross-validated training messages (TestCrossValidation) for precision:
// a wrong topic is worse than a clarifying question.
const (
	// modelAlone: the classifier answers a message no keyword placed.
	modelAlone = 0.7
	// modelOverrule: the classifier replaces a weak keyword's topic.
	modelOverrule = 0.85
	// modelClarify: below this, the classifier's top topics are too
	// unlikely to offer; the bot says what it can do instead.
	modelClarify = 0.25
	// modelDoubt: a weak keyword is questioned when the classifier
	// gives another reading at least this probability.
	modelDoubt = 0.5
	// otherDoubt: a keyword's topic is only offered, not answered, when
	// the classifier reads a question about something else at least this
	// likely and more likely than the keyword's topic.
	otherDoubt = 0.35
	// tolerantSupport: a keyword found through a typo or by sound is
	// answered only with at least this support from the classifier.
	tolerantSupport = 0.2
	// keywordSupport: the classifier's probability for the keyword's
	// topic (with its related topics) that counts as not disagreeing.
	keywordSupport = 0.05
	// strongKeyword: a keyword of this many runes decides against the
	// classifier unless it is all but certain.
	strongKeyword = 4
	// clarifyAlso: a further topic is offered when at least this likely.
	clarifyAlso = 0.1
)

// related are topics that one message may fairly be read as either of:
// a rule question and an estimate about the same care (slots and the
// kind of question, not the topic, tell them apart, and the classifier
// masks figures), and a topic and the narrower ones the catalogue files
// under it (`parent`: "怎么申请退费" under 退费).
func (m *Matcher) related(a, b Intent) bool {
	return a == b || careGroup(a) && careGroup(b) || m.family(a) == m.family(b)
}

// family is the topic at the top of in's parents.
func (m *Matcher) family(in Intent) Intent {
	for range 8 { // parents are checked to form no cycle; the bound is a guard
		p, ok := m.parent[in]
		if !ok {
			return in
		}
		in = p
	}
	return in
}

func careGroup(in Intent) bool {
	switch in {
	case Estimate, EstimateInpatient, EstimateOutpatient, Inpatient, Outpatient, Reimbursement, Critical:
		return true
	}
	return false
}

// otherCare reports whether the keyword's topic belongs to one kind of
// care (by its parents in the catalogue), the message names the other, and
// the classifier's topic belongs to the kind named.
func (m *Matcher) otherCare(keyword, model Intent, said engine.Kind) bool {
	var topicOf, estimate, other Intent
	switch said {
	case engine.KindInpatient:
		topicOf, estimate, other = Inpatient, EstimateInpatient, Outpatient
	case engine.KindOutpatient:
		topicOf, estimate, other = Outpatient, EstimateOutpatient, Inpatient
	default:
		return false
	}
	return m.under(keyword, other) && !m.under(keyword, topicOf) && (m.under(model, topicOf) || model == estimate)
}

// under reports whether in is root or filed under it (by parent links).
func (m *Matcher) under(in, root Intent) bool {
	for range 8 { // parents form no cycle; the bound is a guard
		if in == root {
			return true
		}
		p, ok := m.parent[in]
		if !ok {
			return false
		}
		in = p
	}
	return false
}

// support is the classifier's probability of in together with its
// related topics.
func (m *Matcher) support(p Prediction, in Intent) float64 {
	s := 0.0
	for _, t := range p.Top {
		if m.related(t.Intent, in) {
			s += t.P
		}
	}
	return s
}

// decide combines the keyword reading with the classifier's. It changes
// only the topic: slots, follow-ups and dialog controls are the keyword
// reading's alone.
//
// open says the message is the classifier's to place when no keyword did:
// it holds words that are neither slots nor a follow-up's frame.
func (m *Matcher) decide(res *Result, kw intentScore, open bool, p Prediction) {
	res.Topics = p.Top
	best := p.Best()
	switch {
	case res.Intent != Unknown && m.settled(res.Intent):
		res.How, res.Confidence = HowKeyword, res.Score
	case res.Intent != Unknown:
		res.How = HowKeyword
		s := m.support(p, res.Intent)
		res.Confidence = min(res.Score, 1) * 0.5
		weak := kw.topicOnly || kw.best < strongKeyword
		switch {
		case len(p.Top) == 0:
			// Nothing in the message the classifier has seen.
		case s >= 0.5 || m.related(best.Intent, res.Intent):
			res.How, res.Confidence = HowAgreed, max(res.Score, s)
			if m.parent[best.Intent] == res.Intent && best.P >= modelOverrule && m.modelMay(best.Intent) {
				// "能不能在手机上办参保登记": the keyword found the broad
				// topic (参保登记), the classifier is sure of the
				// narrower one filed under it (registering online).
				res.Intent, res.Confidence = best.Intent, best.P
			}
		case best.Intent == Other && best.P >= otherDoubt && s < best.P:
			// "燃气费怎么交": the keyword (怎么交) is the residents'
			// topic's, but the classifier reads a question about
			// something else. Offer the topic rather than answer it.
			res.Suggestions = []Intent{res.Intent}
			res.Intent, res.Score, res.Also = Unknown, 0, nil
			res.How, res.Confidence = HowOtherTopic, best.P
		case (weak || kw.tolerant) && s < modelDoubt && best.P >= modelDoubt && m.modelMay(best.Intent) &&
			careGroup(best.Intent) && !careGroup(res.Intent) && (res.Slots.Level.Valid() || res.Slots.HasAmount):
			// "二级医院医保报销多少 二档": a weak or misspelt keyword of
			// another topic (报销多少 read as 交多少), but a hospital
			// grade or a bill says the question is about care, as the
			// classifier reads it.
			res.Intent, res.Score, res.Also = refineEstimate(best.Intent, res.Slots.Kind), best.P, nil
			res.How, res.Confidence = HowModel, best.P
		case kw.tolerant && s < tolerantSupport && len(p.Top) > 0:
			// The keyword was read through a typo or a sound-alike
			// ("根管治疗" read as 交医保 by 疗/交), and the classifier sees
			// little of its topic: the classifier's reading when it is
			// sure, else ask rather than answer on a guess.
			if m.modelMay(best.Intent) && best.P >= modelOverrule {
				res.Intent, res.Score, res.Also = refineEstimate(best.Intent, res.Slots.Kind), best.P, nil
				res.How, res.Confidence = HowModel, best.P
				break
			}
			res.Suggestions = m.clarifyWith(res.Intent, p)
			res.Intent, res.Score, res.Also = Unknown, 0, nil
			res.How, res.Confidence = HowClarify, best.P
		case best.P >= modelDoubt && s < best.P/2 && m.modelMay(best.Intent) && m.otherCare(res.Intent, best.Intent, res.Slots.Kind):
			// "住院起付线是每次住院都要扣吗": a clinic topic's keyword
			// (起付线是每次) in a message about a stay, and the classifier
			// sure of the stay's topic: the kind of care said decides.
			res.Intent, res.Score, res.Also = refineEstimate(best.Intent, res.Slots.Kind), best.P, nil
			res.How, res.Confidence = HowModel, best.P
		case s >= keywordSupport || !weak:
			res.Confidence = max(res.Confidence, s)
		case m.modelMay(best.Intent) && best.P >= modelOverrule:
			// A short or generic keyword, and the classifier sees
			// nothing of its topic but much of another's.
			res.Intent, res.Score, res.Also = refineEstimate(best.Intent, res.Slots.Kind), best.P, nil
			res.How, res.Confidence = HowModel, best.P
		case best.P >= modelDoubt:
			// The classifier has a clear other reading: ask.
			res.Suggestions = m.clarifyWith(res.Intent, p)
			res.Intent, res.Score, res.Also = Unknown, 0, nil
			res.How, res.Confidence = HowClarify, best.P
		}
	case len(res.Suggestions) > 1 && kw.found:
		// Several topics share the generic word found: the classifier
		// may say which.
		for _, s := range res.Suggestions {
			if s == best.Intent && best.P >= 0.5 {
				res.Intent, res.Score, res.Suggestions = s, best.P, nil
				res.How, res.Confidence = HowModel, best.P
				return
			}
		}
		res.How = HowClarify
	case !open:
		// Slots only or a follow-up: not the classifier's.
	case best.Intent == Other && best.P >= modelClarify:
		res.How, res.Confidence = HowOtherTopic, best.P
		res.Suggestions = nil
	case m.modelMay(best.Intent) && best.P >= modelAlone:
		res.Intent, res.Score, res.Suggestions = refineEstimate(best.Intent, res.Slots.Kind), best.P, nil
		res.How, res.Confidence = HowModel, best.P
	case best.P >= modelClarify:
		if s := m.clarifyWith("", p); len(s) > 0 {
			res.Suggestions = s
			res.How, res.Confidence = HowClarify, best.P
		} else {
			res.How = HowAbstain
		}
	default:
		res.How = HowAbstain
	}
}

// settled are the intents a keyword decides alone: dialog controls and
// small talk, which fire only on a message that is little more than the
// keyword, so a model of whole questions has nothing to add.
func (m *Matcher) settled(in Intent) bool {
	i, ok := m.byName[in]
	if !ok {
		return false
	}
	ci := m.intents[i]
	return ci.whole || ci.priority >= 2 || ci.priority <= -1.5
}

// modelMay reports whether the classifier may name in on its own. Dialog
// controls, small talk and "that did not help" change what happens to the
// conversation, so only their words may say them: a model's guess that
// "不是" means "答非所问" would throw away the answer to a question.
func (m *Matcher) modelMay(in Intent) bool {
	return in != Other && in != Unhelpful && !m.settled(in)
}

// clarifyWith lists the topics to offer: first (when given), then the
// classifier's likeliest that are likely enough, at most maxSuggestions.
func (m *Matcher) clarifyWith(first Intent, p Prediction) []Intent {
	var out []Intent
	if first != "" {
		out = append(out, first)
	}
	for _, s := range p.Top {
		if len(out) == maxSuggestions || s.P < clarifyAlso && len(out) > 0 {
			break
		}
		if !m.modelMay(s.Intent) || containsIntent(out, s.Intent) {
			continue
		}
		if _, ok := m.byName[s.Intent]; ok {
			out = append(out, s.Intent)
		}
	}
	return out
}

func containsIntent(list []Intent, in Intent) bool {
	for _, x := range list {
		if x == in {
			return true
		}
	}
	return false
}
