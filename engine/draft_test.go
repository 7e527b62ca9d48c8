package engine_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yibao/yibao/engine"
)

var update = flag.Bool("update", false, "rewrite the golden draft in testdata/")

func TestNewDraft(t *testing.T) {
	src, ok := engine.DefaultPolicyYAML(2025)
	if !ok {
		t.Fatal("no built-in 2025 file")
	}
	d, err := engine.NewDraft(src, 2026)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "draft_2026.yaml")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, d.YAML, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./engine -run TestNewDraft -update)", err)
	}
	if !bytes.Equal(d.YAML, want) {
		t.Errorf("draft differs from %s (rerun with -update if intended):\n%s", golden, d.YAML)
	}

	p, err := engine.ParsePolicy("2026.yaml", d.YAML)
	if err != nil {
		t.Fatalf("the draft does not parse: %v", err)
	}
	if p.Year != 2026 || !p.Draft() {
		t.Fatalf("year %d, draft %v", p.Year, p.Draft())
	}
	if want := time.Date(2025, 9, 13, 0, 0, 0, 0, time.UTC); !p.Enrolment.Start.Equal(want) {
		t.Errorf("enrolment starts %v; want the source's date a year on", p.Enrolment.Start)
	}
	marked := map[string]bool{}
	for _, u := range p.Unconfirmed {
		marked[u.Field] = true
	}
	// Every figure and date is marked.
	for _, f := range []string{
		"benefit_year.start", "benefit_year.end", "enrolment.start", "enrolment.end", "enrolment.benefits_from",
		"late_payment.start", "late_payment.end", "contribution.tier1", "contribution.tier2", "contribution.subsidy_min",
		"employee_individual.tier1", "employee_individual.source", "outpatient.levels.1.ratio", "outpatient.levels.3.covered",
		"outpatient.annual_limit.tier2", "outpatient.deductible_basis", "inpatient.levels.3.ratio.tier2", "inpatient.levels.1.deductible",
		"inpatient.minor_bonus", "inpatient.annual_cap.tier1", "critical_illness.deductible", "critical_illness.confirmed",
		"critical_illness.ratio", "critical_illness.annual_cap", "hotlines[0].number", "sources[0].name", "sources[0].date",
	} {
		if !marked[f] {
			t.Errorf("%s is not marked unconfirmed", f)
		}
	}
	for _, f := range []string{"year", "region"} {
		if marked[f] {
			t.Errorf("%s is marked", f)
		}
	}
	if len(d.Checklist) == 0 || !strings.Contains(string(d.YAML), "Checklist:") {
		t.Error("no checklist")
	}
}

func TestDraftIsNotServedUntilConfirmed(t *testing.T) {
	src, _ := engine.DefaultPolicyYAML(2025)
	d, err := engine.NewDraft(src, 2026)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "2026.yaml")
	if err := os.WriteFile(path, d.YAML, 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := engine.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Years(); len(got) != 1 || got[0] != 2025 || len(b.Drafts()) != 1 || b.Drafts()[0].Year != 2026 {
		t.Fatalf("years %v, drafts %d: the draft must be left out", got, len(b.Drafts()))
	}

	// One mark left: still a draft.
	lines := strings.Split(string(d.YAML), "\n")
	mark := regexp.MustCompile(`\s*# ` + regexp.QuoteMeta(engine.UnconfirmedMark))
	kept := false
	for i, l := range lines {
		if mark.MatchString(l) {
			if !kept && strings.Contains(l, "tier1") {
				kept = true
				continue
			}
			lines[i] = mark.ReplaceAllString(l, "")
		}
	}
	os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
	b, _ = engine.Load(dir)
	if len(b.Drafts()) != 1 || len(b.Drafts()[0].Unconfirmed) != 1 {
		t.Fatalf("with one mark left: drafts %v", b.Drafts())
	}
	// Every mark removed: served.
	os.WriteFile(path, []byte(mark.ReplaceAllString(strings.Join(lines, "\n"), "")), 0o644)
	b, err = engine.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Years(); len(got) != 2 || got[1] != 2026 || len(b.Drafts()) != 0 {
		t.Errorf("confirmed file: years %v, drafts %d", got, len(b.Drafts()))
	}
}

func TestNewDraftRefusesAnOlderYear(t *testing.T) {
	src, _ := engine.DefaultPolicyYAML(2025)
	for _, year := range []int{2024, 2025} {
		if _, err := engine.NewDraft(src, year); err == nil {
			t.Errorf("a draft for %d from 2025 was made", year)
		}
	}
}
