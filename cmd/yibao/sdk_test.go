package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestNoSDKRootPackage: nothing in the module, tests included, imports the
// SDK's root package, whose init sets the global logrus logger to Debug on
// stdout.
func TestNoSDKRootPackage(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-test", "github.com/yibao/yibao/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if slices.Contains(strings.Fields(string(out)), "github.com/silenceper/wechat/v2") {
		t.Error("something imports github.com/silenceper/wechat/v2 (the SDK's root package)")
	}
}
