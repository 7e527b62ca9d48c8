package main

import (
	"strings"
	"testing"
)

// explain prints every part of the reading, in the state the earlier
// messages left.
func TestExplain(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "explain", "二档在区医院住院报几成")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"normalised:", "topic:       inpatient", "classifier:", "question:    rate", "level=二级", "tier=二档", "idle --question--> idle", "75%"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = runCLI(t, nil, "explain", "-after", "住院5万能报多少", "一档")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "asking --facts--> asking") {
		t.Errorf("after an estimate's first message, a tier should answer its question:\n%s", out)
	}
	if code, _, errOut := runCLI(t, nil, "explain"); code != 2 || !strings.Contains(errOut, "give one message") {
		t.Errorf("explain without a message: exit %d, stderr %q", code, errOut)
	}
}
