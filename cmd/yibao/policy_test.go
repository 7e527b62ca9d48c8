package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yibao/yibao/engine"
)

func TestPolicyNew(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"YIBAO_POLICY_DIR": dir}
	code, out, errOut := runCLI(t, env, "policy", "new", "2026")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "built-in 2025") || !strings.Contains(out, "contribution") {
		t.Errorf("output lacks the source or the checklist:\n%s", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "2026.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), engine.UnconfirmedMark) {
		t.Error("the new file marks nothing unconfirmed")
	}

	// check warns about the draft and does not count it as a year.
	code, out, diag := runCLI(t, env, "check")
	if code != 0 || !strings.Contains(diag, "2026.yaml") || !strings.Contains(diag, "contribution.tier1") || !strings.Contains(out, "policy years: [2025]") {
		t.Errorf("check: exit %d\n%s%s", code, out, diag)
	}

	// The next year from the draft's directory copies the newest confirmed
	// year unless told otherwise; an existing file is never overwritten.
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"policy", "new", "2026"}, 2, "exists already"},
		{[]string{"policy", "new", "--dir", dir, "2027", "--from", "2026"}, 0, "2026.yaml"},
		{[]string{"policy", "new", "2028"}, 0, "built-in 2025"},
		{[]string{"policy", "new", "next"}, 2, "YEAR like 2026"},
		{[]string{"policy", "new", "2029", "--from", "2019"}, 2, "no policy file for 2019"},
		{[]string{"policy", "old"}, 2, "usage"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, env, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("%v: exit %d, output %q %q; want %d and %q", tt.args, code, out, errOut, tt.code, tt.want)
		}
	}
	if code, _, errOut := runCLI(t, nil, "policy", "new", "2026"); code != 2 || !strings.Contains(errOut, "YIBAO_POLICY_DIR") {
		t.Errorf("without a directory: exit %d, %q", code, errOut)
	}
}

// TestPolicyNewMissingDir: a directory that does not exist is named, with
// how to create it, and not created (a mistyped path would become a
// directory the service never reads).
func TestPolicyNewMissingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "policies")
	code, _, errOut := runCLI(t, map[string]string{"YIBAO_POLICY_DIR": dir}, "policy", "new", "2026")
	if code != 2 || !strings.Contains(errOut, "mkdir -p "+dir) {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("the directory was created")
	}
}
