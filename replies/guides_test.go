package replies_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yibao/yibao/replies"
)

var update = flag.Bool("update", false, "rewrite the golden guide texts in testdata/")

func defaultGuides(tb testing.TB) *replies.Guides {
	tb.Helper()
	g, err := replies.DefaultGuides()
	if err != nil {
		tb.Fatalf("DefaultGuides: %v", err)
	}
	return g
}

func render(tb testing.TB, g *replies.Guides, key replies.GuideKey, f replies.Facts) replies.Page {
	tb.Helper()
	p, err := g.Render(key, f)
	if err != nil {
		tb.Fatalf("Render(%q): %v", key, err)
	}
	return p
}

var seasons = []string{replies.SeasonBefore, replies.SeasonEnrolment, replies.SeasonLate, replies.SeasonClosed, replies.SeasonUnknown}

func TestDefaultGuidesHaveNoProblems(t *testing.T) {
	g := defaultGuides(t)
	if ps := g.Validate(); len(ps) > 0 {
		t.Fatalf("problems: %v", replies.Problems(ps))
	}
	for _, k := range replies.RequiredKeys() {
		if !g.Has(k) {
			t.Errorf("missing required guide %q", k)
		}
	}
	for _, k := range replies.DialogKeys() {
		if g.Has(k.Guide()) {
			t.Errorf("%q is a dialog the bot runs; a guide of that name would never be shown", k)
		}
	}
}

// Every reply, menu included, fits in one WeChat message with any figures
// and in any season, and its menu lines are the ones Page.Menu lists.
func TestEveryGuideFits(t *testing.T) {
	g := defaultGuides(t)
	for _, key := range g.Keys() {
		facts := map[string]replies.Facts{"sample 2025": replies.SampleFacts2025()}
		for _, s := range seasons {
			for _, fb := range []bool{false, true} {
				f := replies.LongestFacts()
				f.Season, f.Fallback = s, fb
				facts[fmt.Sprintf("longest, %s, fallback %t", s, fb)] = f
			}
		}
		for name, f := range facts {
			p := render(t, g, key, f)
			if n := len(p.Text); n > replies.MaxBytes {
				t.Errorf("%s with %s: %d bytes, want at most %d", key, name, n, replies.MaxBytes)
			}
			if strings.TrimSpace(p.Text) != p.Text || strings.Contains(p.Text, "\n\n\n") {
				t.Errorf("%s with %s: untidy blank lines:\n%s", key, name, p.Text)
			}
			for i, it := range p.Menu {
				if line := fmt.Sprintf("\n回复 %d %s", i+1, it.Label); !strings.Contains(p.Text, line) {
					t.Errorf("%s: text lacks menu line %q", key, line)
				}
			}
			if strings.Contains(p.Text, fmt.Sprintf("回复 %d ", len(p.Menu)+1)) {
				t.Errorf("%s: more menu lines than menu entries", key)
			}
		}
	}
}

// WeChat shows plain text: no markdown, no links, no tables.
func TestGuidesArePlainText(t *testing.T) {
	g := defaultGuides(t)
	bad := regexp.MustCompile(`(?m)https?://|www\.|\*\*|\]\(|^#|^- |\|`)
	for _, key := range g.Keys() {
		p := render(t, g, key, replies.SampleFacts2025())
		if m := bad.FindString(p.Text); m != "" {
			t.Errorf("%s: %q is not plain text for a phone", key, m)
		}
	}
}

func TestRenderUnknownKey(t *testing.T) {
	_, err := defaultGuides(t).Render("no_such_guide", replies.SampleFacts2025())
	if !errors.Is(err, replies.ErrNoGuide) {
		t.Fatalf("err = %v, want ErrNoGuide", err)
	}
}

// Golden files: the texts as residents read them, for review. The default
// rendering is with the 2025 sample; date-aware guides also have one file
// per season, and guides naming a year one with a fallback year.
func TestGolden(t *testing.T) {
	g := defaultGuides(t)
	type variant struct {
		name string
		edit func(*replies.Facts)
	}
	late := func(f *replies.Facts) { f.Today, f.Season = "2025年1月20日", replies.SeasonLate }
	before := func(f *replies.Facts) { f.Today, f.Season = "2024年8月1日", replies.SeasonBefore }
	closed := func(f *replies.Facts) { f.Today, f.Season = "2025年6月3日", replies.SeasonClosed }
	fallback := func(f *replies.Facts) {
		f.Today, f.Season, f.Fallback, f.AskedYear = "2026年11月23日", replies.SeasonClosed, true, 2026
	}
	dated := []variant{{"late", late}, {"before", before}, {"closed", closed}, {"fallback", fallback}}
	variants := map[string][]variant{
		"contribution":        dated,
		"payment":             dated,
		"deadline":            dated,
		"welcome":             dated,
		"inpatient":           {{"fallback", fallback}},
		"outpatient":          {{"fallback", fallback}},
		"critical":            {{"fallback", fallback}},
		"employee_individual": {{"fallback", fallback}},
		"about":               {{"fallback", fallback}},
		"reimbursement":       {{"fallback", fallback}},
		"hospital_level":      {{"fallback", fallback}},
		"tier_advice":         {{"fallback", fallback}},
		"enrolment_break":     {{"fallback", fallback}},
	}
	for _, key := range g.Keys() {
		for _, v := range append([]variant{{"", func(*replies.Facts) {}}}, variants[string(key)]...) {
			f := replies.SampleFacts2025()
			v.edit(&f)
			name := string(key)
			if v.name != "" {
				name += "." + v.name
			}
			checkGolden(t, name, render(t, g, key, f).Text)
		}
	}
	if !*update {
		return
	}
	// Drop golden files of guides that no longer exist.
	files, _ := filepath.Glob(filepath.Join("testdata", "*.golden"))
	for _, path := range files {
		key, _, _ := strings.Cut(strings.TrimSuffix(filepath.Base(path), ".golden"), ".")
		if !g.Has(replies.GuideKey(key)) {
			os.Remove(path)
		}
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./replies -update)", err)
	}
	if got+"\n" != string(want) {
		t.Errorf("%s differs from %s (run go test ./replies -update and review the diff):\n%s", name, path, got)
	}
}

func BenchmarkRender(b *testing.B) {
	g := defaultGuides(b)
	f := replies.SampleFacts2025()
	for _, key := range []string{"inpatient", "deadline", "thanks"} {
		b.Run(key, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := g.Render(replies.GuideKey(key), f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRenderParallel(b *testing.B) {
	g := defaultGuides(b)
	f := replies.SampleFacts2025()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := g.Render("inpatient", f); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkLoadGuides(b *testing.B) {
	for b.Loop() {
		if _, err := replies.DefaultGuides(); err != nil {
			b.Fatal(err)
		}
	}
}

// Topics our sources do not cover are answered with what is known and the
// hotline, never with a guess: each such page names the first hotline.
func TestUncoveredTopicsGiveTheHotline(t *testing.T) {
	g := defaultGuides(t)
	f := replies.SampleFacts2025()
	for _, key := range []string{
		"enrolment_break", "chronic", "maternity", "card", "refund",
		"duplicate_enrolment", "checkup", "dental", "human", "complaint",
		"discount", "injury", "claims", "claims_manual", "claims_out_of_area",
	} {
		p := render(t, g, replies.GuideKey(key), f)
		if !strings.Contains(p.Text, f.Hotlines[0].Number) {
			t.Errorf("%s does not give %s:\n%s", key, f.Hotlines[0].Number, p.Text)
		}
	}
}

// The overview of a broad question shows both tables: every level's
// inpatient ratios and outpatient rule, and offers both guides and the
// calculator.
func TestReimbursementOverviewHasBothTables(t *testing.T) {
	f := replies.SampleFacts2025()
	p := render(t, defaultGuides(t), "reimbursement", f)
	for _, r := range f.Inpatient.Rows {
		for _, want := range []string{r.Ratio1, r.Ratio2, r.Deductible + "元"} {
			if !strings.Contains(p.Text, want) {
				t.Errorf("overview lacks inpatient %q for level %d", want, r.Level)
			}
		}
	}
	for _, want := range []string{f.Outpatient.Limit1, f.Outpatient.Limit2, f.Inpatient.Cap1, f.Inpatient.Cap2, f.Critical.Deductible, "2025年度"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	keys := map[string]bool{}
	for _, it := range p.Menu {
		keys[string(it.Key)] = true
	}
	for _, k := range []string{"inpatient", "outpatient", "estimate"} {
		if !keys[k] {
			t.Errorf("overview menu lacks %s: %v", k, p.Menu)
		}
	}
}
