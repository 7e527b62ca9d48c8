package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/intents"
)

// runCLI runs the binary's entry point in-process on 2026-11-23.
func runCLI(t *testing.T, envVars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIAt(t, time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)), envVars, args...)
}

func runCLIAt(t *testing.T, now time.Time, envVars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIInput(t, now, "", envVars, args...)
}

// runCLIInput runs the entry point with input as its stdin.
func runCLIInput(t *testing.T, now time.Time, input string, envVars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(env{
		args: args, stdin: strings.NewReader(input), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return envVars[k] },
		now:    func() time.Time { return now },
	})
	return code, out.String(), errb.String()
}

func TestEstimateJSON(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want map[string]any
	}{
		{"inpatient brief example 1",
			[]string{"--kind", "inpatient", "--tier", "1", "--level", "2", "--cost", "20000", "--year", "2025", "--json"},
			map[string]any{"year": 2025.0, "basic": "13790.00", "critical": "0.00", "total_reimbursed": "13790.00", "out_of_pocket": "6210.00", "fallback": false}},
		{"inpatient brief example 2",
			[]string{"--kind", "inpatient", "--tier", "1", "--level", "3", "--cost", "200000", "--minor", "--year", "2025", "--json"},
			map[string]any{"basic": "80000.00", "critical": "61859.40", "total_reimbursed": "141859.40", "out_of_pocket": "58140.60"}},
		{"inpatient tier 2 level 3 with thousands separator",
			[]string{"--kind", "inpatient", "--tier", "2", "--level", "3", "--cost", "100,000", "--json"},
			map[string]any{"year": 2025.0, "asked_year": 2026.0, "fallback": true, "basic": "54560.00"}},
		{"outpatient brief example",
			[]string{"--kind", "outpatient", "--tier", "1", "--level", "1", "--cost", "200", "--json"},
			map[string]any{"basic": "120.00", "out_of_pocket": "80.00"}},
		{"start in the late window",
			[]string{"--kind", "start", "--paid", "2025-01-15", "--json"},
			map[string]any{"benefit_start": "2025-02-01", "known": true, "year": 2025.0}},
		{"start not known",
			[]string{"--kind", "start", "--paid", "2025-03-01", "--json"},
			map[string]any{"benefit_start": nil, "known": false}},
		{"contribution",
			[]string{"--kind", "contribution", "--tier", "2", "--year", "2025", "--json"},
			map[string]any{"contribution": "775.00", "year": 2025.0}},
		{"employee contribution",
			[]string{"--kind", "contribution", "--tier", "1", "--scheme", "employee", "--year", "2025", "--json"},
			map[string]any{"contribution": "3075.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, append([]string{"estimate"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
			if _, ok := got["assumptions"]; !ok {
				t.Error("no assumptions field")
			}
		})
	}
}

func TestEstimateText(t *testing.T) {
	code, out, _ := runCLI(t, nil, "estimate", "--kind", "inpatient", "--tier", "2", "--level", "3", "--cost", "100000")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"按2025年度标准", "54,560元", "2026年度只收录了交费标准，报销规定按2025年度估算", "16,901"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"negative cost", []string{"estimate", "--kind", "inpatient", "--tier", "1", "--level", "1", "--cost", "-5"}},
		{"non-numeric cost", []string{"estimate", "--kind", "inpatient", "--tier", "1", "--level", "1", "--cost", "abc"}},
		{"missing cost", []string{"estimate", "--kind", "inpatient", "--tier", "1", "--level", "1"}},
		{"tier 3", []string{"estimate", "--kind", "inpatient", "--tier", "3", "--level", "1", "--cost", "5"}},
		{"level 0", []string{"estimate", "--kind", "outpatient", "--tier", "1", "--level", "0", "--cost", "5"}},
		{"unknown year", []string{"estimate", "--kind", "inpatient", "--tier", "1", "--level", "1", "--cost", "5", "--year", "2019"}},
		{"unknown kind", []string{"estimate", "--kind", "dental", "--cost", "5"}},
		{"malformed date", []string{"estimate", "--kind", "start", "--paid", "2025-02-30"}},
		{"unknown flag", []string{"estimate", "--colour", "red"}},
		{"unknown command", []string{"fly"}},
		{"missing policy dir", []string{"estimate", "--kind", "inpatient", "--tier", "1", "--level", "1", "--cost", "5", "--policy-dir", "/nonexistent/policies"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if tt.name != "unknown command" && strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("want one line on stderr, got:\n%s", errOut)
			}
			if strings.Contains(errOut+out, "goroutine") {
				t.Errorf("stack trace:\n%s", errOut)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	// Problems and warnings go to stderr, the result to stdout.
	code, out, diag := runCLI(t, nil, "check")
	if code != 0 || !strings.HasPrefix(out, "policy years: [2025]\n") || !strings.HasSuffix(out, "\nok\n") || strings.Contains(out, "warning") {
		t.Fatalf("embedded data: exit %d, stdout %q", code, out)
	}
	if !strings.Contains(diag, "warning: today (2026-11-23) is past 2025's enrolment and late-payment windows") {
		t.Errorf("no out-of-date warning:\n%s", diag)
	}
	out += diag
	// Per year what is confirmed, and the season's years without a
	// confirmed contribution under the metric's own name.
	for _, want := range []string{
		"2026 (partial: estimates use the newest complete year):",
		"contribution         not confirmed official_local: 铜梁区平滩镇",
		"today 2026-11-23: benefit year in force 2026, being enrolled 2027",
		`yibao_policy_year_unconfirmed{year="2027",role="enrolling"} is 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}

	cst := time.FixedZone("CST", 8*3600)
	for _, tt := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2024, 10, 1, 9, 0, 0, 0, cst), ""},
		{time.Date(2025, 1, 10, 9, 0, 0, 0, cst), "past 2025's enrolment window (it ended 2024-12-31); add 2026's file"},
	} {
		_, _, out := runCLIAt(t, tt.day, map[string]string{"YIBAO_PUBLIC_URL": "https://yibao.gongzhonghao.cn"}, "check")
		if got := strings.Contains(out, "warning: today"); got != (tt.want != "") || !strings.Contains(out, tt.want) {
			t.Errorf("%s: output %q, want a warning %q", tt.day.Format(time.DateOnly), out, tt.want)
		}
	}

	dir := t.TempDir()
	data, err := os.ReadFile("../../engine/policies/2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), "tier1: 0.50", "tier1: 1.5", 1)
	if err := os.WriteFile(filepath.Join(dir, "2025.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, out = runCLI(t, map[string]string{"YIBAO_POLICY_DIR": dir}, "check")
	want := filepath.Join(dir, "2025.yaml") + ": inpatient.levels.3.ratio.tier1: ratio 1.5 is outside 0–1"
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("exit %d, output:\n%s\nwant a line %q", code, out, want)
	}
}

func TestCheckContent(t *testing.T) {
	dir := t.TempDir()
	guides := filepath.Join(dir, "guides.yaml")
	data, err := os.ReadFile("../../replies/guides.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), "key: contribution", "key: no_such_guide", 1)
	if err := os.WriteFile(guides, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	catalogue := filepath.Join(dir, "intents.yaml")
	if err := os.WriteFile(catalogue, []byte("intents: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, out := runCLI(t, nil, "check", "--guides", guides, "--intents", catalogue)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{guides + ": ", "no_such_guide", catalogue + ": yaml: "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// A lexicon beside the operator's catalogue is checked with it, its
// problems printed as "file: field: what is wrong".
func TestCheckLexiconBesideCatalogue(t *testing.T) {
	dir := t.TempDir()
	catalogue := filepath.Join(dir, "catalogue.yaml")
	if err := os.WriteFile(catalogue, intents.DefaultCatalogueYAML(), 0o644); err != nil {
		t.Fatal(err)
	}
	lexicon := filepath.Join(dir, intents.LexiconFile)
	broken := strings.Replace(string(intents.DefaultLexiconYAML()), "    baby_age: [个月大]\n", "    baby_age: [个月大]\n    no_such_list: [x]\n", 1)
	broken = strings.Replace(broken, "pronouns: 他她", "pronouns: [他她]", 1)
	if err := os.WriteFile(lexicon, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, out := runCLI(t, nil, "check", "--intents", catalogue)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		lexicon + ": words.amount.no_such_list: no such list",
		lexicon + ": words.amount.pronouns[0]: \"他她\": this list is a set of single characters",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, catalogue+": ") {
		t.Errorf("the catalogue is fine, yet:\n%s", out)
	}
}

// The lexicon beside the operator's catalogue is the one served (and so
// the one a SIGHUP reloads, as reloads call loadContent): a word added to
// it is read.
func TestLexiconBesideCatalogueIsServed(t *testing.T) {
	dir := t.TempDir()
	catalogue := filepath.Join(dir, "catalogue.yaml")
	if err := os.WriteFile(catalogue, intents.DefaultCatalogueYAML(), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	c, err := loadContent(&config.Config{IntentsFile: catalogue})
	if err != nil {
		t.Fatal(err)
	}
	if c.matcher.Extract("搞不懂", now).DontKnow {
		t.Fatal("搞不懂 is a don't-know before the lexicon says so; pick another word")
	}
	edited := strings.Replace(string(intents.DefaultLexiconYAML()), "不记得了, 想不起来]", "不记得了, 想不起来, 搞不懂]", 1)
	if err := os.WriteFile(filepath.Join(dir, intents.LexiconFile), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = loadContent(&config.Config{IntentsFile: catalogue})
	if err != nil {
		t.Fatal(err)
	}
	if !c.matcher.Extract("搞不懂", now).DontKnow {
		t.Error("the operator's lexicon is not read: 搞不懂 is no don't-know")
	}
}

// An unknown kind names every kind the command takes, in one sentence.
func TestUnknownKindNamesEveryKind(t *testing.T) {
	code, _, errOut := runCLI(t, nil, "estimate", "--kind", "dental", "--cost", "5")
	want := `yibao estimate: unknown kind "dental": want inpatient, outpatient, contribution, start or tiers`
	if code != 2 || strings.TrimSpace(errOut) != want {
		t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, want)
	}
}
