package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "yibao ") || !strings.Contains(out, runtime.Version()) || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "version", "extra"); code != 2 || errOut == "" {
		t.Errorf("with an argument: exit %d, %q", code, errOut)
	}

	// What a release build (go install ...@v1.2.0 from a checkout) records.
	b := readBuild(func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123abc"}, {Key: "vcs.time", Value: "2026-12-05T10:00:00Z"}, {Key: "vcs.modified", Value: "true"},
		}}, true
	})
	if got := b.String(); !strings.HasPrefix(got, "yibao v1.2.0 (0123abc, 2026-12-05T10:00:00Z, modified) go1.26.8 ") {
		t.Errorf("release build: %q", got)
	}
	if b := readBuild(func() (*debug.BuildInfo, bool) { return nil, false }); b.Version != "(unknown)" || b.GoVersion != runtime.Version() {
		t.Errorf("no build information: %+v", b)
	}
}
