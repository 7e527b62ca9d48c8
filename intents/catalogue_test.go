package intents_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yibao/yibao/intents"
)

func TestDefaultCatalogueIsValid(t *testing.T) {
	for _, p := range intents.DefaultCatalogue().Validate() {
		t.Errorf("catalogue.yaml: %s", p)
	}
}

func TestDefaultCatalogueHasEveryIntentWithTitle(t *testing.T) {
	c := intents.DefaultCatalogue()
	all := []intents.Intent{
		intents.Help, intents.About, intents.Eligibility, intents.Enrol, intents.Materials,
		intents.Contribution, intents.Payment, intents.Deadline, intents.PaymentStatus,
		intents.FamilyPay, intents.NotRegistered, intents.Outpatient, intents.Inpatient,
		intents.Critical, intents.Claims, intents.EmployeeIndividual, intents.Hotline,
		intents.Estimate, intents.EstimateInpatient, intents.EstimateOutpatient,
		intents.Thanks, intents.Bye, intents.Cancel, intents.Back, intents.Restart,
	}
	got := c.Intents()
	for _, in := range all {
		if !slices.Contains(got, in) {
			t.Errorf("catalogue lacks %s", in)
		}
		if c.Title(in) == "" {
			t.Errorf("Title(%s) is empty", in)
		}
	}
	if c.Title(intents.Unknown) != "" || c.Title("nonsense") != "" {
		t.Error("Title of an intent not in the catalogue should be empty")
	}
	m := newMatcher(t)
	if !slices.Equal(m.Intents(), got) || m.Title(intents.Hotline) != c.Title(intents.Hotline) {
		t.Error("matcher's intents and titles differ from its catalogue's")
	}
}

// minimal is a valid catalogue to break one piece at a time.
func minimal(t *testing.T) *intents.Catalogue {
	t.Helper()
	c := intents.DefaultCatalogue()
	if ps := c.Validate(); len(ps) > 0 {
		t.Fatalf("default catalogue invalid: %v", ps)
	}
	return c
}

func entry(c *intents.Catalogue, in intents.Intent) *intents.IntentSpec {
	for i := range c.Entries {
		if c.Entries[i].Name == in {
			return &c.Entries[i]
		}
	}
	panic("no entry " + in)
}

func TestValidateFindsProblems(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(c *intents.Catalogue)
		want  string // a problem containing this must be reported
	}{
		{"data topic without enough examples", func(c *intents.Catalogue) {
			c.Entries = append(c.Entries, intents.IntentSpec{Name: "weather", Title: "天气", Keywords: []string{"天气"}})
		}, `a topic defined in data needs at least 8 examples`},
		{"topic name", func(c *intents.Catalogue) {
			c.Entries = append(c.Entries, intents.IntentSpec{Name: "天气", Title: "天气", Keywords: []string{"天气"}})
		}, `is not a topic name`},
		{"missing intent", func(c *intents.Catalogue) {
			c.Entries = slices.DeleteFunc(c.Entries, func(e intents.IntentSpec) bool { return e.Name == intents.Restart })
		}, `intents: "restart" is missing`},
		{"intent twice", func(c *intents.Catalogue) {
			c.Entries = append(c.Entries, *entry(c, intents.Bye))
		}, `"bye" is listed twice`},
		{"empty keywords", func(c *intents.Catalogue) {
			e := entry(c, intents.Hotline)
			e.Keywords, e.Topics, e.WithAmount = nil, nil, nil
		}, "intents[hotline].keywords: empty"},
		{"keyword of punctuation only", func(c *intents.Catalogue) {
			e := entry(c, intents.Hotline)
			e.Keywords = append(e.Keywords, "？！")
		}, `has no letters or digits`},
		{"unless word inside a when word", func(c *intents.Catalogue) {
			e := entry(c, intents.Hotline)
			e.Redirects = append(e.Redirects, intents.Redirect{To: intents.Human, When: []string{"没交过医保"}, Unless: []string{"交过"}})
		}, `is part of the when word`},
		{"keyword repeated in one intent", func(c *intents.Catalogue) {
			e := entry(c, intents.Hotline)
			e.Keywords = append(e.Keywords, "客服")
		}, `"客服" repeats intents[hotline].keywords[1]`},
		{"keyword shared by two intents", func(c *intents.Catalogue) {
			e := entry(c, intents.Payment)
			e.Keywords = append(e.Keywords, "缴费标准")
		}, `"缴费标准" is also a keyword of contribution`},
		{"keyword shared through synonyms", func(c *intents.Catalogue) {
			e := entry(c, intents.Payment)
			e.Keywords = append(e.Keywords, "缴多少")
		}, `"缴多少" is also a keyword of contribution ("交多少", through synonyms)`},
		{"missing title", func(c *intents.Catalogue) {
			entry(c, intents.Thanks).Title = ""
		}, "intents[thanks].title: missing"},
		{"example taken for another intent", func(c *intents.Catalogue) {
			e := entry(c, intents.Thanks)
			e.Examples = append(e.Examples, "住院怎么报销")
		}, `intents[thanks].examples[2]: "住院怎么报销" is taken for inpatient`},
		{"example not understood", func(c *intents.Catalogue) {
			e := entry(c, intents.Thanks)
			e.Examples = append(e.Examples, "今天天气怎么样")
		}, `"今天天气怎么样" is not understood`},
		{"no examples", func(c *intents.Catalogue) {
			entry(c, intents.Bye).Examples = nil
		}, "intents[bye].examples: none"},
		{"synonym group of one", func(c *intents.Catalogue) {
			c.Synonyms = append(c.Synonyms, []string{"孤单"})
		}, "a group needs at least two words"},
		{"word in two synonym groups", func(c *intents.Catalogue) {
			c.Synonyms = append(c.Synonyms, []string{"新农合", "农村医保"})
		}, `"新农合" is also synonyms[0]`},
		{"slot word with two values", func(c *intents.Catalogue) {
			c.Slots.Levels.L2 = append(c.Slots.Levels.L2, "大医院")
		}, `slots.levels.2`},
		{"slot list empty", func(c *intents.Catalogue) {
			c.Slots.Tiers.T1 = nil
		}, "slots.tiers.1: empty"},
		{"slot word with a space", func(c *intents.Catalogue) {
			c.Slots.Levels.L3 = append(c.Slots.Levels.L3, "三 甲")
		}, "must be letters or digits only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := minimal(t)
			tt.spoil(c)
			ps := c.Validate()
			var all []string
			for _, p := range ps {
				all = append(all, p.String())
			}
			if !slices.ContainsFunc(all, func(s string) bool { return strings.Contains(s, tt.want) }) {
				t.Errorf("Validate() = %q, want a problem containing %q", all, tt.want)
			}
		})
	}
}

func TestNewRefusesStructuralProblems(t *testing.T) {
	c := minimal(t)
	entry(c, intents.Payment).Keywords = append(entry(c, intents.Payment).Keywords, "缴费标准")
	if _, err := intents.New(c); err == nil || !strings.Contains(err.Error(), "缴费标准") {
		t.Errorf("New with a shared keyword: err = %v, want one naming the keyword", err)
	}
	if _, err := intents.New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
}

func TestParseCatalogue(t *testing.T) {
	tests := []struct {
		name, yaml, wantErr string
	}{
		{"empty", "", "empty document"},
		{"misspelt field", "intents:\n  - name: help\n    keyword: [你好]\n", "field keyword not found"},
		{"not yaml", "intents: [", "parse catalogue"},
		{"wrong type", "intents: 3\n", "parse catalogue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := intents.ParseCatalogue([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseCatalogue: err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadCatalogueFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catalogue.yaml")
	edited := strings.Replace(string(intents.DefaultCatalogueYAML()), "热线,", "热线, 打给谁问,", 1)
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := intents.LoadCatalogue(path)
	if err != nil {
		t.Fatalf("LoadCatalogue: %v", err)
	}
	m, err := intents.New(c)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if got := m.Match("我该打给谁问", testNow(t)).Intent; got != intents.Hotline {
		t.Errorf("operator's new keyword: got %s, want hotline", got)
	}
	if _, err := intents.LoadCatalogue(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("LoadCatalogue of a missing file succeeded")
	}
}

func TestProblemPrintsFieldThenMessage(t *testing.T) {
	p := intents.Problem{Field: "intents[help].title", Msg: "missing"}
	if got := p.String(); got != "intents[help].title: missing" {
		t.Errorf("String() = %q", got)
	}
}
