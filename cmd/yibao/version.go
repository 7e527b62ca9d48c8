package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
)

// build is what the Go toolchain recorded in the binary: the module
// version (a tag with `go install ...@vX.Y.Z`, a pseudo-version or
// "(devel)" otherwise) and the commit it was built from. Read from the
// binary, so no build script has to stamp it.
type build struct {
	Version   string
	Revision  string // the commit, "" when built outside a repository
	Time      string // the commit's time
	Modified  bool   // built with uncommitted changes
	GoVersion string
}

// readBuild reads the build information; read is debug.ReadBuildInfo.
func readBuild(read func() (*debug.BuildInfo, bool)) build {
	b := build{Version: "(unknown)", GoVersion: runtime.Version()}
	info, ok := read()
	if !ok {
		return b
	}
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	if info.GoVersion != "" {
		b.GoVersion = info.GoVersion
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

func (b build) String() string {
	s := "yibao " + b.Version
	if b.Revision != "" {
		s += " (" + b.Revision
		if b.Time != "" {
			s += ", " + b.Time
		}
		if b.Modified {
			s += ", modified"
		}
		s += ")"
	}
	return s + " " + b.GoVersion + " " + runtime.GOOS + "/" + runtime.GOARCH
}

// register exports yibao_build_info: 1, with the build as labels, so a
// dashboard shows which version each replica runs and a rollout's progress.
func (b build) register(reg prometheus.Registerer) {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "yibao_build_info",
		Help: "Always 1; the labels say which build this process runs.",
	}, []string{"version", "revision", "modified", "goversion"})
	g.WithLabelValues(b.Version, b.Revision, fmt.Sprint(b.Modified), b.GoVersion).Set(1)
	reg.MustRegister(g)
}

func cmdVersion(e env) error {
	if len(e.args) > 0 {
		if e.args[0] == "-h" || e.args[0] == "--help" {
			fmt.Fprintln(e.stdout, "Usage: yibao version\n\nPrints the version, commit and Go version the binary was built with.")
			return errHelp
		}
		return usagef("version takes no arguments")
	}
	fmt.Fprintln(e.stdout, readBuild(debug.ReadBuildInfo))
	return nil
}
