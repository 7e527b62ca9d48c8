package engine_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yibao/yibao/engine"
)

func embedded2025(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("policies/2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// writePolicy writes the 2025 file with pairs of replacements applied.
func writePolicy(t *testing.T, dir, name string, oldNew ...string) string {
	t.Helper()
	s := embedded2025(t)
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(s, oldNew[i]) {
			t.Fatalf("the 2025 file has no %q", oldNew[i])
		}
		s = strings.Replace(s, oldNew[i], oldNew[i+1], 1)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPolicyProblems(t *testing.T) {
	tests := []struct {
		name   string
		oldNew []string
		want   string // "field: message" fragment
	}{
		{"ratio above 1", []string{"tier1: 0.50", "tier1: 50"}, "inpatient.levels.3.ratio.tier1: ratio 50 is outside 0–1"},
		{"negative ratio", []string{"ratio: 0.60, deductible: 0", "ratio: -0.6, deductible: 0"}, "outpatient.levels.1.ratio: ratio -0.6 is outside"},
		{"missing field", []string{"  subsidy_min: 670   # 财政补助不低于（元/人·年）\n", ""}, "contribution.subsidy_min: missing"},
		{"window out of order", []string{"start: 2024-09-13\n  end: 2024-12-31", "start: 2024-12-31\n  end: 2024-09-13"}, "enrolment: end 2024-09-13 is before start 2024-12-31"},
		{"late before enrolment ends", []string{"start: 2025-01-01\n  end: 2025-02-28", "start: 2024-12-01\n  end: 2025-02-28"}, "late_payment.start: must come after"},
		{"unknown tier", []string{"tier2: 120000", "tier2: 120000\n    tier3: 150000"}, `inpatient.annual_cap.tier3: line `},
		{"tier 1 dearer than tier 2", []string{"tier1: 400", "tier1: 800"}, "contribution.tier1: 800 is dearer than tier2 (775)"},
		{"unknown level", []string{"    1: {deductible: 100", "    4: {deductible: 1, ratio: {tier1: 0.1, tier2: 0.1}}\n    1: {deductible: 100"}, "inpatient.levels.4: unknown level 4"},
		{"missing level", []string{"    2: {ratio: 0.40, deductible: 200}\n", ""}, "outpatient.levels.2: missing"},
		{"not a number", []string{"tier2: 775", "tier2: 七百七十五"}, `contribution.tier2: line `},
		{"bad date", []string{"end: 2024-12-31", "end: 2024-13-31"}, "is not a date"},
		{"broken yaml", []string{"contribution:", "contribution: ["}, "yaml:"},
		{"file named for another year", nil, "year: file says 2025; name the file 2025.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			name := "2025.yaml"
			if tt.oldNew == nil {
				name = "2024.yaml"
			}
			writePolicy(t, dir, name, tt.oldNew...)
			_, err := engine.LoadDir(dir)
			var ps engine.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err = %v, want Problems", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("problems:\n%s\nwant one containing %q", err, tt.want)
			}
			if !strings.HasPrefix(ps[0].String(), filepath.Join(dir, name)+": ") {
				t.Errorf("problem %q does not start with the file name", ps[0])
			}
		})
	}
}

func TestEmbeddedPolicyFigures(t *testing.T) {
	s := year(t, 2025)
	check := func(name string, got engine.Money, want string) {
		t.Helper()
		if got.String() != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	c1, _ := s.Contribution(engine.Tier1)
	c2, _ := s.Contribution(engine.Tier2)
	e1, _ := s.EmployeeContribution(engine.Tier1)
	e2, _ := s.EmployeeContribution(engine.Tier2)
	check("contribution tier1", c1, "400.00")
	check("contribution tier2", c2, "775.00")
	check("employee tier1", e1, "3075.00")
	check("employee tier2", e2, "6765.00")
	check("critical deductible", s.Critical.Deductible, "16901.00")
	check("inpatient cap tier2", s.Inpatient.Cap(engine.Tier2), "120000.00")
	if s.Critical.Confirmed {
		t.Error("16,901 is not confirmed for 2025: the file must say so")
	}
	if s.Outpatient.Level(engine.Level3).Covered {
		t.Error("level 3 outpatient is not covered")
	}
	if _, err := s.Contribution(engine.Tier(3)); err == nil {
		t.Error("tier 3 contribution: want an error")
	}
}
