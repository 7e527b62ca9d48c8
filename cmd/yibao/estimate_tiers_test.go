package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tier advice's figures are worked by hand in engine's tests; here the
// command must carry them through, as money strings with two decimals.
func TestEstimateTiersJSON(t *testing.T) {
	madeUp := filepath.Join("..", "..", "engine", "testdata", "madeup")
	tests := []struct {
		name      string
		args      []string
		year      float64
		diff      string
		breakEven [3]string
		outGain   string
	}{
		{"2025 adult", []string{"--year", "2025"}, 2025, "375.00", [3]string{"7600.00", "7800.00", "8300.00"}, "200.00"},
		{"2025 minor", []string{"--year", "2025", "--minor"}, 2025, "375.00", [3]string{"7600.00", "7800.00", "8300.00"}, "200.00"},
		// A made-up year: other figures, other answers (see its header).
		{"made-up 2030", []string{"--year", "2030", "--policy-dir", madeUp}, 2030, "1000.00", [3]string{"20100.00", "20300.00", "51000.00"}, "1200.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, append([]string{"estimate", "--kind", "tiers", "--json"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got struct {
				Year              float64            `json:"year"`
				PremiumDifference string             `json:"premium_difference"`
				BreakEven         map[string]*string `json:"break_even"`
				OutpatientMaxGain string             `json:"outpatient_max_gain"`
				Assumptions       []map[string]string
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if got.Year != tt.year || got.PremiumDifference != tt.diff || got.OutpatientMaxGain != tt.outGain {
				t.Errorf("year %v difference %s outpatient %s, want %v %s %s", got.Year, got.PremiumDifference, got.OutpatientMaxGain, tt.year, tt.diff, tt.outGain)
			}
			for i, key := range []string{"inpatient_level_1", "inpatient_level_2", "inpatient_level_3"} {
				if v := got.BreakEven[key]; v == nil || *v != tt.breakEven[i] {
					t.Errorf("break_even.%s = %v, want %s", key, v, tt.breakEven[i])
				}
			}
			if len(got.Assumptions) == 0 {
				t.Error("no assumptions")
			}
		})
	}
}

// Where 二档 never pays back, break_even says null rather than a figure.
func TestEstimateTiersNeverPaysBack(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "engine", "policies", "2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dear := strings.Replace(string(data), "tier2: 775", "tier2: 50400", 1)
	if err := os.WriteFile(filepath.Join(dir, "2025.yaml"), []byte(dear), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, nil, "estimate", "--kind", "tiers", "--year", "2025", "--policy-dir", dir, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"inpatient_level_3": null`) || !strings.Contains(out, `"premium_difference": "50000.00"`) {
		t.Errorf("want null break-even points:\n%s", out)
	}
}

func TestEstimateTiersText(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "estimate", "--kind", "tiers", "--year", "2025")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"2025年度", "三级医院：约8,300元以上", "023-12393"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

// check names the file, the field and what is wrong in a waiting-period
// section.
func TestCheckEnrolmentRules(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "engine", "policies", "2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bad := strings.Replace(string(data), "fixed_months: 3", "fixed_months: 2.5", 1)
	bad = strings.Replace(bad, "first_break_year: unknown", "first_break_year: sometimes", 1)
	path := filepath.Join(dir, "2025.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, out := runCLI(t, nil, "check", "--policy-dir", dir) // problems on stderr
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		path + ": enrolment_rules.waiting_period.fixed_months: 2.5 is not a whole number of months\n",
		path + `: enrolment_rules.waiting_period.first_break_year: "sometimes": want counted, not_counted or unknown` + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

// Outside the windows the data covers, the start date stays unknown and the
// national waiting period is given as context; inside them, nothing is added.
func TestEstimateStartWaitingNote(t *testing.T) {
	_, out, _ := runCLI(t, nil, "estimate", "--kind", "start", "--paid", "2026-11-23")
	if !strings.Contains(out, "资料没有说明") || !strings.Contains(out, "3个月固定等待期") {
		t.Errorf("unknown start without the national rule:\n%s", out)
	}
	_, out, _ = runCLI(t, nil, "estimate", "--kind", "start", "--paid", "2025-01-15")
	if strings.Contains(out, "等待期") {
		t.Errorf("a known start with a waiting-period note:\n%s", out)
	}
}
