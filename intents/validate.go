package intents

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// known are the intents the bot's code refers to; the catalogue must have
// each of them, and may add topics of its own (see BuiltIn).
var known = []Intent{
	Help, About, Eligibility, Enrol, EnrolOnline, Materials, Contribution, Payment, Deadline,
	PaymentStatus, FamilyPay, NotRegistered, Outpatient, Inpatient, Critical, Claims,
	ClaimsOutOfArea, ClaimsManual, EmployeeIndividual, Hotline, Estimate, EstimateInpatient,
	EstimateOutpatient, Reimbursement, TierAdvice, EnrolmentBreak, Chronic, Maternity, Card, Refund,
	DuplicateEnrolment, Checkup, Dental, Glasses, Ambulance, PersonalAccount, HospitalLevel, Discount, Injury, Human, Complaint, Unhelpful,
	Thanks, Bye, Cancel, Back, Restart, PayNow,
}

// exampleNow is the fixed "now" examples are checked against, so that
// validation does not depend on the day it runs.
var exampleNow = time.Date(2026, 1, 1, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

// Validate lists what is wrong with the catalogue, in file order: the
// structural problems New refuses (unknown, missing or repeated intents,
// empty keyword lists, a keyword that two intents share, overlapping
// synonym groups or slot words), then intents without examples and
// examples the catalogue does not match to their own intent.
func (c *Catalogue) Validate() []Problem {
	return c.ValidateWith(DefaultLexicon())
}

// ValidateWith is Validate with the examples read through lx, the lexicon
// that will serve beside the catalogue. A lexicon with problems of its own
// (reported by its Validate) is replaced by the built-in one here, so that
// the catalogue's problems are still listed.
func (c *Catalogue) ValidateWith(lx *Lexicon) []Problem {
	ps := c.structuralProblems()
	if c.Asks != nil {
		ps = append(ps, c.Asks.Problems()...)
	}
	if lx == nil || len(lx.Validate()) > 0 {
		lx = DefaultLexicon()
	}
	m := compile(c, compileLexicon(lx))
	for _, e := range c.Entries {
		f := "intents[" + string(e.Name) + "]"
		if len(e.Examples) == 0 {
			ps = append(ps, Problem{f + ".examples", "none; give one or two, they are checked"})
		}
		for j, ex := range e.Examples {
			got := m.Match(ex, exampleNow)
			switch {
			case got.Intent == e.Name:
			case got.Intent == Unknown:
				ps = append(ps, Problem{fmt.Sprintf("%s.examples[%d]", f, j), fmt.Sprintf("%q is not understood", ex)})
			default:
				ps = append(ps, Problem{fmt.Sprintf("%s.examples[%d]", f, j), fmt.Sprintf("%q is taken for %s", ex, got.Intent)})
			}
		}
	}
	return ps
}

// kwRef locates one keyword as written.
type kwRef struct {
	intent Intent
	field  string
	word   string
	class  kwClass
}

func (c *Catalogue) structuralProblems() []Problem {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{field, fmt.Sprintf(format, args...)})
	}
	ps = append(ps, c.synonymProblems()...)
	if len(c.Entries) == 0 {
		add("intents", "none")
	}

	isKnown := map[Intent]bool{}
	for _, in := range known {
		isKnown[in] = true
	}
	seen := map[Intent]bool{}
	syn := synonymIndex(c.Synonyms)
	owner := map[string]kwRef{} // expanded form -> first keyword with it
	reported := map[[2]string]bool{}
	for i, e := range c.Entries {
		f := fmt.Sprintf("intents[%d]", i)
		switch {
		case e.Name == "":
			add(f+".name", "missing")
		case !isKnown[e.Name] && !validTopicName(string(e.Name)):
			add(f+".name", "%q is not a topic name: use lower-case letters, digits and _", e.Name)
		case !isKnown[e.Name] && len(e.Examples) < minTopicExamples:
			add(f+".examples", "a topic defined in data needs at least %d examples in residents' words (it is learned from them); it has %d", minTopicExamples, len(e.Examples))
		case seen[e.Name]:
			add(f+".name", "%q is listed twice", e.Name)
		}
		seen[e.Name] = true
		if e.Name != "" {
			f = "intents[" + string(e.Name) + "]"
		}
		if e.Title == "" {
			add(f+".title", "missing")
		}
		if len(e.Keywords)+len(e.Pairs)+len(e.Topics)+len(e.WithAmount)+len(e.Alone) == 0 {
			add(f+".keywords", "empty: an intent needs keywords, topics or with_amount words")
		}
		if a := e.Also; a != nil {
			if len(a.When) == 0 {
				add(f+".also.when", "empty: list the words that ask this too")
			}
			for k, w := range a.When {
				if Normalize(w) == "" {
					add(fmt.Sprintf("%s.also.when[%d]", f, k), "%q has no letters or digits", w)
				}
			}
			for k, in := range a.With {
				if !c.has(in) {
					add(fmt.Sprintf("%s.also.with[%d]", f, k), "unknown intent %q", in)
				}
			}
		}
		if e.Parent != "" && (!c.has(e.Parent) || e.Parent == e.Name) {
			add(f+".parent", "%q is not another intent of the catalogue", e.Parent)
		} else if e.Parent != "" && c.parentCycle(e.Name) {
			add(f+".parent", "the parents of %q lead back to it", e.Name)
		}
		for j, r := range e.Redirects {
			rf := fmt.Sprintf("%s.redirects[%d]", f, j)
			if !c.has(r.To) {
				add(rf+".to", "unknown intent %q", r.To)
			}
			if r.To == e.Name {
				add(rf+".to", "redirects to itself")
			}
			if len(r.When) == 0 {
				add(rf+".when", "empty: list the words that send the message on")
			}
			for k, w := range r.When {
				if Normalize(w) == "" {
					add(fmt.Sprintf("%s.when[%d]", rf, k), "%q has no letters or digits", w)
				}
			}
			for k, w := range r.OnlyWith {
				if Normalize(w) == "" {
					add(fmt.Sprintf("%s.only_with[%d]", rf, k), "%q has no letters or digits", w)
				}
			}
			for k, w := range r.Unless {
				if Normalize(w) == "" {
					add(fmt.Sprintf("%s.unless[%d]", rf, k), "%q has no letters or digits", w)
				}
				for _, when := range r.When {
					if strings.Contains(Normalize(when), Normalize(w)) {
						add(fmt.Sprintf("%s.unless[%d]", rf, k), "%q is part of the when word %q: the redirect could never go on for it", w, when)
					}
				}
			}
		}
		own := map[string]string{}
		lists := []struct {
			name  string
			words []string
			class kwClass
		}{{"keywords", e.Keywords, kwPlain}, {"pairs", e.PairKeywords(), kwPlain}, {"topics", e.Topics, kwTopic}, {"with_amount", e.WithAmount, kwWithAmount}, {"alone", e.Alone, kwAlone}}
		for _, l := range lists {
			for j, w := range l.words {
				wf := fmt.Sprintf("%s.%s[%d]", f, l.name, j)
				norm := Normalize(w)
				if norm == "" {
					add(wf, "%q has no letters or digits", w)
					continue
				}
				if prev, ok := own[norm]; ok {
					add(wf, "%q repeats %s", w, prev)
					continue
				}
				own[norm] = wf
				if l.class == kwTopic {
					continue // topics are meant to be shared
				}
				for _, form := range syn.expand(norm) {
					o, ok := owner[form]
					if !ok {
						owner[form] = kwRef{e.Name, wf, w, l.class}
						continue
					}
					pair := [2]string{o.field, wf}
					if o.intent == e.Name || o.class != l.class || reported[pair] {
						continue
					}
					reported[pair] = true
					how := ""
					if o.word != w {
						how = fmt.Sprintf(" (%q, through synonyms)", o.word)
					}
					add(wf, "%q is also a keyword of %s%s: the match would be ambiguous", w, o.intent, how)
				}
			}
		}
	}
	for _, in := range known {
		if !seen[in] {
			add("intents", "%q is missing", in)
		}
	}
	return append(ps, c.Slots.problems()...)
}

// minTopicExamples is how many examples a topic defined in data needs:
// the classifier learns it from them, and fewer place too few questions.
const minTopicExamples = 8

// validTopicName: a topic added in data is named like the built-in ones,
// since the name is also its guide's key.
func validTopicName(s string) bool {
	if s == "" || s == string(Unknown) || s == string(Other) {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// BuiltIn are the intents the bot's code refers to by name. Every other
// intent of a catalogue is a topic defined in data, answered by the guide
// of the same name.
func BuiltIn() []Intent { return slices.Clone(known) }

// parentCycle reports whether following parents from in comes back to in
// (or runs longer than the family bound of 8).
func (c *Catalogue) parentCycle(in Intent) bool {
	parent := map[Intent]Intent{}
	for _, e := range c.Entries {
		if e.Parent != "" {
			parent[e.Name] = e.Parent
		}
	}
	at := in
	for range 8 {
		p, ok := parent[at]
		if !ok {
			return false
		}
		if p == in {
			return true
		}
		at = p
	}
	return true
}

func (c *Catalogue) has(in Intent) bool {
	for _, e := range c.Entries {
		if e.Name == in {
			return true
		}
	}
	return false
}

func (c *Catalogue) synonymProblems() []Problem {
	var ps []Problem
	group := map[string]string{}
	for i, g := range c.Synonyms {
		f := fmt.Sprintf("synonyms[%d]", i)
		if len(g) < 2 {
			ps = append(ps, Problem{f, "a group needs at least two words"})
		}
		for j, w := range g {
			wf := fmt.Sprintf("%s[%d]", f, j)
			n := Normalize(w)
			switch prev, dup := group[n]; {
			case n == "":
				ps = append(ps, Problem{wf, fmt.Sprintf("%q has no letters or digits", w)})
			case dup:
				ps = append(ps, Problem{wf, fmt.Sprintf("%q is also %s", w, prev)})
			default:
				group[n] = wf
			}
		}
	}
	return ps
}

func (s SlotWords) problems() []Problem {
	var ps []Problem
	lists := []struct {
		field string
		words []string
	}{
		{"slots.kinds.inpatient", s.Kinds.Inpatient}, {"slots.kinds.outpatient", s.Kinds.Outpatient},
		{"slots.levels.1", s.Levels.L1}, {"slots.levels.2", s.Levels.L2}, {"slots.levels.3", s.Levels.L3},
		{"slots.tiers.1", s.Tiers.T1}, {"slots.tiers.2", s.Tiers.T2},
		{"slots.minor.yes", s.Minor.Yes}, {"slots.minor.no", s.Minor.No}, {"slots.minor.neutral", s.Minor.Neutral},
	}
	where := map[string]string{}
	for _, l := range lists {
		if len(l.words) == 0 && l.field != "slots.minor.neutral" {
			ps = append(ps, Problem{l.field, "empty"})
		}
		for j, w := range l.words {
			wf := fmt.Sprintf("%s[%d]", l.field, j)
			n := string(fold(w))
			switch prev, dup := where[n]; {
			case Normalize(w) == "" || n != Normalize(w):
				ps = append(ps, Problem{wf, fmt.Sprintf("%q must be letters or digits only", w)})
			case dup:
				ps = append(ps, Problem{wf, fmt.Sprintf("%q is also %s", w, prev)})
			default:
				where[n] = wf
			}
		}
	}
	return ps
}
