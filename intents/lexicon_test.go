package intents_test

import (
	"strings"
	"testing"
	"time"

	"github.com/yibao/yibao/intents"
)

func TestDefaultLexiconIsValid(t *testing.T) {
	for _, p := range intents.DefaultLexicon().Validate() {
		t.Error(p)
	}
}

// Each kind of mistake an operator may make in lexicon.yaml is named by
// its field, and New refuses such a lexicon.
func TestLexiconProblems(t *testing.T) {
	for _, tt := range []struct {
		old, new string
		want     string
	}{
		{"    baby_age: [个月大]\n", "    baby_age: [个月大]\n    babies: [宝宝]\n", "words.amount.babies: no such list; the lists are those of the embedded lexicon.yaml"},
		{"    baby_age: [个月大]\n", "", "words.amount.baby_age: missing or empty"},
		{"pronouns: 他她", "pronouns: [他她]", `words.amount.pronouns[0]: "他她": this list is a set of single characters`},
		{"    tier_word: [档]", "    tier_word: [档, 档]", `words.dialog.tier_word[1]: "档" repeats words.dialog.tier_word[0]`},
		{"    tier_word: [档]", "    tier_word: [二 档]", `words.dialog.tier_word[0]: "二 档" must be written as it reads once normalised: "二档"`},
		{"units_after: [块钱,", "units_after: [块錢,", `words.amount.units_after[0]: "块錢" must be written as it reads once folded: "块钱"`},
		{"inpatient_min: 100", "inpatient_min: 0", "plausible.inpatient_min: must be a positive sum of yuan"},
	} {
		data := string(intents.DefaultLexiconYAML())
		if !strings.Contains(data, tt.old) {
			t.Fatalf("lexicon.yaml no longer holds %q", tt.old)
		}
		lx, err := intents.ParseLexicon([]byte(strings.Replace(data, tt.old, tt.new, 1)))
		if err != nil {
			t.Fatalf("%s: %v", tt.want, err)
		}
		var got []string
		for _, p := range lx.Validate() {
			got = append(got, p.String())
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("problems %q, want [%q]", got, tt.want)
		}
		if _, err := intents.NewWithLexicon(intents.DefaultCatalogue(), lx); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewWithLexicon: %v, want %q", err, tt.want)
		}
	}
	if _, err := intents.ParseLexicon([]byte("words:\n  amount:\n    units_after: 1\n  x: [\n")); err == nil {
		t.Error("a broken YAML parses")
	}
	if _, err := intents.ParseLexicon([]byte("wrods: {}\n")); err == nil {
		t.Error("an unknown field parses")
	}
}

// The words are read from the lexicon given: a word added there is read,
// one taken out is not.
func TestLexiconWordsAreData(t *testing.T) {
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	data := string(intents.DefaultLexiconYAML())
	edit := func(old, new string) *intents.Matcher {
		t.Helper()
		if !strings.Contains(data, old) {
			t.Fatalf("lexicon.yaml no longer holds %q", old)
		}
		lx, err := intents.ParseLexicon([]byte(strings.Replace(data, old, new, 1)))
		if err != nil {
			t.Fatal(err)
		}
		m, err := intents.NewWithLexicon(intents.DefaultCatalogue(), lx)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	def, err := intents.New(intents.DefaultCatalogue())
	if err != nil {
		t.Fatal(err)
	}
	// A cue for the out-of-list part.
	if s := def.Extract("住院2万 目录外3000", now); !s.HasOutOfPolicy {
		t.Fatalf("default: %+v", s)
	}
	m := edit("      目录外, 目录以外,", "      目录以外,")
	if s := m.Extract("住院2万 目录外3000", now); s.HasOutOfPolicy {
		t.Errorf("cue removed, still read: %+v", s)
	}
	// A relative date.
	m = edit("today: [今天, 今日]", "today: [今天, 今日, 今儿个]")
	if s := m.Extract("今儿个住的院", now); s.Date.IsZero() || s.Date.Day() != 5 {
		t.Errorf("今儿个 is not today: %+v", s)
	}
	if s := def.Extract("今儿个住的院", now); !s.Date.IsZero() {
		t.Errorf("今儿个 is a date without the lexicon saying so: %+v", s)
	}
	// A place answering the level question.
	m = edit("level3: [市里, 主城, 市级]", "level3: [市里, 主城, 市级, 城里]")
	if s := m.Extract("城里的", now); s.Level != 3 {
		t.Errorf("城里的: level %v, want 3", s.Level)
	}
	// A whole-message list the bot reads.
	m = edit("continue: [继续,", "continue: [接到起, 继续,")
	if !m.Says(intents.WordsContinue, "接到起") || def.Says(intents.WordsContinue, "接到起") {
		t.Error("dialog.continue is not read from the lexicon")
	}
}
