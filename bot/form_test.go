package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
)

// outOfArea is a question added to the estimate from one table row, as a
// deployment would add "是否异地就医": asked after the built-in questions
// for a stay, answered by number or by 是/不是, kept in the session, said
// back, and given to the calculator. Its rule is the test's own (a stay
// away from home without registration counted wholly out of list), not
// policy.
var outOfArea = bot.Question{
	Name:    "out_of_area",
	Slot:    bot.FirstAddedSlot,
	Prompt:  "（测试）这次是在外地住院、且没有备案吗？",
	Help:    "（测试）备案了或者在本地住院，都回复 2。",
	Options: []string{"是，外地没备案", "不是"},
	Values:  []string{"unregistered", "local"},
	Lists:   []intents.WordList{intents.WordsYes, intents.WordsNo},
	Needed:  func(f bot.Facts) bool { return f.Kind == engine.KindInpatient },
	Recap: func(v string) string {
		if v == "unregistered" {
			return "外地未备案"
		}
		return "本地或已备案"
	},
	Input: func(v string, in *bot.CalcInput) {
		if v == "unregistered" {
			in.Inpatient.OutOfPolicy = in.Inpatient.Cost
		}
	},
}

func TestQuestionAddedFromATableRow(t *testing.T) {
	ctx := context.Background()
	plain := newHarness(t, nil)
	added := newHarnessDeps(t, nil, bot.Config{}, func(d *bot.Deps) { d.Questions = []bot.Question{outOfArea} })
	say := func(h *harness, user, text string) string {
		t.Helper()
		r, err := h.bot.Handle(ctx, bot.Message{User: user, ID: user + text, Kind: bot.KindText, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return r.Text
	}
	const facts = "住院 二档 三级医院 花了5万 成人"
	want := say(plain, "p", facts)
	if strings.Contains(want, outOfArea.Prompt) || !strings.Contains(want, "50,000") {
		t.Fatalf("the built-in form's result:\n%s", want)
	}

	// Asked once the built-in questions are answered, with the facts said back.
	asked := say(added, "u", facts)
	if !strings.Contains(asked, outOfArea.Prompt) || !strings.Contains(asked, "回复 1 是，外地没备案") || !strings.Contains(asked, "50,000") {
		t.Fatalf("the added question was not asked:\n%s", asked)
	}
	// 不知道 gives its help and asks again.
	if got := say(added, "u", "不知道"); !strings.Contains(got, outOfArea.Help) || !strings.Contains(got, outOfArea.Prompt) {
		t.Fatalf("不知道 to the added question:\n%s", got)
	}
	// Answered by a word of its lexicon list: the result is the built-in one.
	if got := say(added, "u", "不是"); got != want {
		t.Fatalf("answered 不是: got\n%s\nwant the built-in result\n%s", got, want)
	}

	// Answered by number, the answer reaches the calculator: nothing in
	// the list, nothing reimbursed by the basic fund.
	say(added, "v", facts)
	got := say(added, "v", "1")
	if got == want || !strings.Contains(got, "目录外50,000元") || !strings.Contains(got, "医保能报：0元") {
		t.Fatalf("answered 1: the calculator did not take the answer:\n%s", got)
	}
	// The answer is stored with the session: a correction of another fact
	// keeps it, and 上一步 goes back to the question.
	if again := say(added, "v", "不对 是二级医院"); strings.Contains(again, outOfArea.Prompt) || !strings.Contains(again, "二级医院") ||
		!strings.Contains(again, "目录外50,000元") {
		t.Fatalf("the stored answer was lost on a correction:\n%s", again)
	}
	if back := say(added, "v", "上一步"); strings.Contains(back, outOfArea.Prompt) || !strings.Contains(back, "三级医院") ||
		!strings.Contains(back, "目录外50,000元") {
		t.Fatalf("上一步 lost the stored answer:\n%s", back)
	}
}

func TestAddedQuestionIsChecked(t *testing.T) {
	deps := builtInDeps(t)
	deps.Store = memstore.New(time.Now)
	if _, err := bot.New(deps, bot.Config{}); err != nil {
		t.Fatalf("the built-in form: %v", err)
	}
	ok := outOfArea
	for name, q := range map[string]bot.Question{
		"a built-in question's number": {Name: "x", Slot: bot.SlotTier, Prompt: "p", Options: []string{"a"}, Values: []string{"a"}},
		"past the last number":         {Name: "x", Slot: 200, Prompt: "p", Options: []string{"a"}, Values: []string{"a"}},
		"an option without a value":    {Name: "x", Slot: bot.FirstAddedSlot, Prompt: "p", Options: []string{"a", "b"}, Values: []string{"a"}},
		"no name":                      {Slot: bot.FirstAddedSlot, Prompt: "p", Options: []string{"a"}, Values: []string{"a"}},
		"a built-in question's name":   {Name: "tier", Slot: bot.FirstAddedSlot, Prompt: "p", Options: []string{"a"}, Values: []string{"a"}},
	} {
		deps.Questions = []bot.Question{ok, q}
		if q.Name == "x" || q.Name == "" || q.Name == "tier" {
			deps.Questions = []bot.Question{q}
		}
		if _, err := bot.New(deps, bot.Config{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	deps.Questions = []bot.Question{ok, ok}
	if _, err := bot.New(deps, bot.Config{}); err == nil {
		t.Error("the same question twice: accepted")
	}
}

// A session waiting on an added question that a later release's form no
// longer holds goes on with what the facts still need.
func TestRemovedQuestionIsNotAsked(t *testing.T) {
	ctx := context.Background()
	store := memstore.New(time.Now)
	added := newHarnessDeps(t, store, bot.Config{}, func(d *bot.Deps) { d.Questions = []bot.Question{outOfArea} })
	plain := newHarnessDeps(t, store, bot.Config{}, func(*bot.Deps) {})
	say := func(h *harness, text string) string {
		t.Helper()
		r, err := h.bot.Handle(ctx, bot.Message{User: "u", ID: "u" + text, Kind: bot.KindText, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return r.Text
	}
	if got := say(added, "住院 二档 三级医院 花了5万 成人"); !strings.Contains(got, outOfArea.Prompt) {
		t.Fatalf("the added question was not asked:\n%s", got)
	}
	if got := say(plain, "继续"); strings.Contains(got, outOfArea.Prompt) || !strings.Contains(got, "医保能报") {
		t.Fatalf("a form without the question should show the result:\n%s", got)
	}
}
