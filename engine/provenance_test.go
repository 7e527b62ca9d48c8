package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yibao/yibao/engine"
)

// yearFiles are every policy year file in the repository: the built-in
// ones, the deploy copies and the made-up test year.
func yearFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"policies/*.yaml", "testdata/madeup/*.yaml", "../deploy/kubernetes/files/policies/*.yaml", "../deploy/policies/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 3 {
		t.Fatalf("found only %v", files)
	}
	return files
}

// Every group of figures in every year file names its status and source;
// a group without figures says it is unknown.
func TestEveryFigureHasStatusAndSource(t *testing.T) {
	for _, file := range yearFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		p, err := engine.ParsePolicy(file, data)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		for _, g := range engine.Groups() {
			pr := p.Provenance(g)
			if !pr.Known() {
				continue
			}
			if pr.Status == "" {
				t.Errorf("%s: %s has figures but no status", file, g)
			}
			s := pr.Source
			if strings.TrimSpace(s.Name) == "" || s.Address == "" && s.Date.IsZero() && s.Cites == "" {
				t.Errorf("%s: %s has figures but no source (%+v)", file, g, s)
			}
		}
		if !p.Complete() && p.Provenance(engine.GroupContribution).Known() {
			if _, err := p.Contribution(engine.Tier1); err != nil {
				t.Errorf("%s: partial year without its contribution: %v", file, err)
			}
		}
	}
}

// A file whose figures lack a status or a source is refused.
func TestFigureWithoutProvenanceRefused(t *testing.T) {
	data, err := os.ReadFile("policies/2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, cut := range map[string][2]string{
		"no status":           {"  inpatient:\n    status: secondary\n", "  inpatient:\n"},
		"no source":           {"  outpatient:\n    status: secondary\n    source:\n      name: 重庆本地宝《2025重庆居民医保参保指南(参保+缴费+报销)》\n      date: 2024-09-18\n", "  outpatient:\n    status: secondary\n"},
		"unknown but figures": {"  critical_illness:\n    status: carried_over\n", "  critical_illness:\n    status: unknown\n"},
	} {
		s := string(data)
		if !strings.Contains(s, cut[0]) {
			t.Fatalf("%s: fixture text not found", name)
		}
		if _, err := engine.ParsePolicy("2025.yaml", []byte(strings.Replace(s, cut[0], cut[1], 1))); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// No file holds a figure for a year no notice was found for.
func TestNoInventedYear(t *testing.T) {
	ps, err := engine.DefaultPolicies()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Year >= 2027 {
			t.Errorf("built-in %d: no 2027 or later figures were found in any notice", p.Year)
		}
	}
}

// The 2026 file holds the contribution from its local source and nothing
// else; 2024's contribution is there for back-payment questions.
func TestPartialYears(t *testing.T) {
	b, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	p26, ok := b.Year(2026)
	if !ok || p26.Complete() {
		t.Fatalf("2026: ok=%v, want a partial year", ok)
	}
	if pr := p26.Provenance(engine.GroupContribution); pr.Status != engine.StatusOfficialLocal || pr.Source.Cites != "渝医保发〔2025〕42号" {
		t.Errorf("2026 contribution provenance %+v", pr)
	}
	for _, g := range []string{engine.GroupEnrolment, engine.GroupInpatient, engine.GroupOutpatient, engine.GroupCritical} {
		if p26.Provenance(g).Known() {
			t.Errorf("2026 %s: known, but no source gives it", g)
		}
	}
	t1, _ := p26.Contribution(engine.Tier1)
	t2, _ := p26.Contribution(engine.Tier2)
	if t1.String() != "400.00" || t2.String() != "775.00" || p26.SubsidyMin.String() != "700.00" {
		t.Errorf("2026: %s / %s, subsidy %s", t1, t2, p26.SubsidyMin)
	}
	sel, err := b.ForYear(2026)
	if err != nil || sel.Year != 2025 || !sel.Fallback {
		t.Errorf("estimates for 2026 use %d (fallback %v, %v), want 2025", sel.Year, sel.Fallback, err)
	}
	p24, ok := b.ContributionYear(2024)
	if !ok || p24.Year != 2024 {
		t.Fatalf("2024: %v", ok)
	}
	s1, _ := p24.StudentContribution(engine.Tier1)
	a1, _ := p24.Contribution(engine.Tier1)
	if a1.String() != "380.00" || s1.String() != "350.00" {
		t.Errorf("2024: %s, students %s", a1, s1)
	}
	if p, _ := b.ContributionYear(2027); p.Year != 2026 {
		t.Errorf("2027 asks get %d's contribution as the newest known", p.Year)
	}
}
