package bot_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/yibao/yibao/bot"
)

// TestMachineDiagram keeps testdata/machine.mmd, the dialog machine drawn
// as a Mermaid state diagram, in step with the table in machine.go, so a
// reviewer sees every transition (go test ./bot -update rewrites it).
func TestMachineDiagram(t *testing.T) {
	path := filepath.Join("testdata", "machine.mmd")
	got := bot.Diagram()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s is out of date with the machine's table (run go test ./bot -update and review the diff):\n%s", path, got)
	}
}

// TestMachineIsTotal: every state has a row for every event, each with a
// handler, so no message can find the machine without an answer.
func TestMachineIsTotal(t *testing.T) {
	if err := bot.CheckMachine(); err != nil {
		t.Fatal(err)
	}
}

// TestReadingRulesAreNamedOnce: each row of the reading has its own name
// (the trace and `yibao explain` report it), and the last always holds.
func TestReadingRulesAreNamedOnce(t *testing.T) {
	names := bot.ReadingRules()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("rule %q twice", n)
		}
		seen[n] = true
	}
	if len(names) == 0 || names[len(names)-1] != "unknown" {
		t.Errorf("the last rule is not the catch-all: %v", names)
	}
}
