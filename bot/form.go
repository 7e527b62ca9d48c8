package bot

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// The estimate is a form: an ordered table of questions, each of which
// owns everything about its answer. A question is asked when it is the
// first row still needed; any message may fill any row ("二档 三级 住院5万"
// fills three), and the machine's rows decide what a message is.

// question is one row of the estimate's form.
type question struct {
	// slot is the question's number in stored sessions (Dialog.Asking).
	slot Slot
	// name names the question in replies' intents (estimate_<name>) and,
	// for a question added as data, its answer in Facts.Named.
	name string
	// needed reports whether the facts still lack this answer; the form
	// asks the first needed row, in order.
	needed func(f Facts) bool
	// ask renders the question (its numbered options, its help for 不知道).
	ask func(t *turn) replies.Question
	// choices are what the numbered options answer, in the order shown.
	choices []intents.Slots
	// takesNumber: a bare number is the answer (an amount), not a choice.
	takesNumber bool
	// read finds answers the matcher's slots do not carry: a bare "5" for
	// an amount, 是/不是 to the minor question.
	read func(b *Bot, norm string, s *intents.Slots)
	// fills reports whether what a message said (after read) answers it.
	fills func(s intents.Slots) bool
	// assume answers "不知道" with a safe assumption, returning what to
	// tell the user; nil gives the question's help and asks again.
	assume func(d *Dialog) string
	// recap is the answer said back ("二档", "三级医院"); "" for none.
	recap func(f Facts) string
	// input passes the answer to the calculator; nil when the built-in
	// fields of CalcInput carry it already.
	input func(f Facts, in *CalcInput)
}

// Question is a question added to the estimate as data (by a deployment,
// or a test): its answer is one of Values, chosen by number or by a word
// of the lexicon list beside it, kept in Facts.Named under Name, said back
// by Recap and given to the calculator by Input. Added questions are asked
// after the built-in ones, in the order given.
type Question struct {
	Name string
	// Slot numbers the question in stored sessions: FirstAddedSlot or
	// above, never reused for another question.
	Slot   Slot
	Prompt string
	// Help is the answer to "不知道".
	Help    string
	Options []string // the numbered answers, in order
	Values  []string // what each option stores
	// Lists name, per value, a lexicon list whose words answer with it
	// ("" for none): a question of yes or no takes dialog.yes and
	// dialog.no.
	Lists []intents.WordList
	// Needed says whether the facts call for the question at all (nil:
	// always); it is asked only until answered.
	Needed func(f Facts) bool
	Recap  func(value string) string
	Input  func(value string, in *CalcInput)
}

// CalcInput is what the calculator is given for one estimate: the input
// of the kind of care asked about is used. An added question's Input may
// change it.
type CalcInput struct {
	Inpatient  engine.InpatientInput
	Outpatient engine.OutpatientInput
}

// form is the estimate's table of questions.
type form struct {
	rows []question
	at   map[Slot]int // slot → index in rows
}

// newForm builds the form from the built-in questions and those added.
func newForm(added []Question) (*form, error) {
	rows := slices.Clone(builtinQuestions)
	for _, q := range added {
		r, err := q.row()
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	f := &form{rows: rows, at: make(map[Slot]int, len(rows))}
	names := map[string]bool{}
	for i := range f.rows {
		r := &f.rows[i]
		if r.name == "" {
			r.name = r.slot.String()
		}
		if _, dup := f.at[r.slot]; dup || names[r.name] {
			return nil, fmt.Errorf("estimate form: question %d (%s) is declared twice", r.slot, r.name)
		}
		if r.needed == nil || r.ask == nil || r.fills == nil {
			return nil, fmt.Errorf("estimate form: question %s lacks needed, ask or fills", r.name)
		}
		f.at[r.slot], names[r.name] = i, true
	}
	return f, nil
}

// row is the question numbered slot.
func (f *form) row(slot Slot) (*question, bool) {
	i, ok := f.at[slot]
	if !ok {
		return nil, false
	}
	return &f.rows[i], true
}

// missing is the next question the facts need answered, SlotNone when
// the estimate can be computed.
func (f *form) missing(facts Facts) Slot {
	for i := range f.rows {
		if f.rows[i].needed(facts) {
			return f.rows[i].slot
		}
	}
	return SlotNone
}

// recap lists the answers so far: "住院 · 二档 · 50,000元".
func (f *form) recap(facts Facts) string {
	var parts []string
	for i := range f.rows {
		if r := f.rows[i].recap; r != nil {
			if s := r(facts); s != "" {
				parts = append(parts, s)
			}
		}
	}
	return strings.Join(append(parts, facts.priorsRecap()...), " · ")
}

// input lets the rows that carry their own answers adjust the
// calculator's input.
func (f *form) input(facts Facts, in *CalcInput) {
	for i := range f.rows {
		if r := f.rows[i].input; r != nil {
			r(facts, in)
		}
	}
}

// withNamed returns the named answers with x set, in a new map when it
// changes: the old one is shared with the history.
func withNamed(named map[string]string, x intents.Extra) map[string]string {
	if x.Name == "" || named[x.Name] == x.Value {
		return named
	}
	out := maps.Clone(named)
	if out == nil {
		out = map[string]string{}
	}
	out[x.Name] = x.Value
	return out
}

// row turns an added question into a row of the form.
func (q Question) row() (question, error) {
	switch {
	case q.Name == "" || q.Prompt == "":
		return question{}, errors.New("estimate form: an added question needs a name and a prompt")
	case q.Slot < FirstAddedSlot || q.Slot >= maxSlot:
		return question{}, fmt.Errorf("estimate form: question %s: slot %d is outside %d..%d", q.Name, q.Slot, FirstAddedSlot, maxSlot-1)
	case len(q.Values) == 0 || len(q.Options) != len(q.Values) || len(q.Lists) > len(q.Values):
		return question{}, fmt.Errorf("estimate form: question %s needs one option per value", q.Name)
	}
	ask := replies.Question{Prompt: q.Prompt, Options: q.Options, Help: q.Help}
	choices := make([]intents.Slots, len(q.Values))
	for i, v := range q.Values {
		choices[i] = intents.Slots{Extra: intents.Extra{Name: q.Name, Value: v}}
	}
	return question{
		slot: q.Slot,
		name: q.Name,
		needed: func(f Facts) bool {
			_, done := f.Named[q.Name]
			return !done && (q.Needed == nil || q.Needed(f))
		},
		ask:     func(*turn) replies.Question { return ask },
		choices: choices,
		read: func(b *Bot, norm string, s *intents.Slots) {
			for i, l := range q.Lists {
				if l != "" && s.Extra.Name == "" && b.Matcher.Says(l, norm) {
					s.Extra = intents.Extra{Name: q.Name, Value: q.Values[i]}
				}
			}
		},
		fills: func(s intents.Slots) bool { return s.Extra.Name == q.Name },
		recap: func(f Facts) string {
			v, ok := f.Named[q.Name]
			if !ok || q.Recap == nil {
				return ""
			}
			return q.Recap(v)
		},
		input: func(f Facts, in *CalcInput) {
			if v, ok := f.Named[q.Name]; ok && q.Input != nil {
				q.Input(v, in)
			}
		},
	}, nil
}
