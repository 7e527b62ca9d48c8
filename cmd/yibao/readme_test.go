package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yibao/yibao/cmd/yibao/config"
)

// The README is checked against the repository: every command in its code
// blocks exists with the flags shown, and every file, metric and variable
// it names is real. A newcomer who copies a line must not meet a command
// or a file that is not there.

const repoRoot = "../.."

func readme(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// shellLines are the README's code blocks' command lines, continuations
// joined and comments dropped.
func shellLines(doc string) []string {
	var out []string
	in := false
	cont := ""
	for _, line := range strings.Split(doc, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			in = !in
			continue
		}
		if !in {
			continue
		}
		if i := strings.Index(trimmed, " #"); i >= 0 {
			trimmed = strings.TrimSpace(trimmed[:i])
		}
		if strings.HasPrefix(trimmed, "#") || trimmed == "" {
			continue
		}
		if strings.HasSuffix(trimmed, `\`) {
			cont += strings.TrimSuffix(trimmed, `\`) + " "
			continue
		}
		out = append(out, cont+trimmed)
		cont = ""
	}
	return out
}

var (
	flagToken = regexp.MustCompile(`^\[?(--?[a-z][a-z0-9.-]*)`)
	assign    = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`)
)

// TestReadmeCommands: each `yibao …` (or `go run ./cmd/yibao …`) line names
// a command that exists and only flags its help lists; each `go test` flag
// is a standard one or defined by the tests of the packages named; each
// script or directory a line runs exists.
func TestReadmeCommands(t *testing.T) {
	lines := shellLines(readme(t))
	if len(lines) < 10 {
		t.Fatalf("only %d command lines in the README's code blocks", len(lines))
	}
	subcommands := map[string]bool{"push": true, "new": true} // menu push, policy new
	helps := map[string]string{}
	help := func(args ...string) string {
		key := strings.Join(args, " ")
		if h, ok := helps[key]; ok {
			return h
		}
		code, out, errOut := runCLI(t, nil, append(args, "-h")...)
		if code != 0 {
			t.Errorf("yibao %s -h: exit %d %s", key, code, errOut)
		}
		helps[key] = out
		return out
	}
	checked := 0
	for _, line := range lines {
		for _, seg := range regexp.MustCompile(`\s*(?:\||&&|;)\s*`).Split(line, -1) {
			f := strings.Fields(seg)
			for len(f) > 0 && assign.MatchString(f[0]) {
				f = f[1:]
			}
			if len(f) == 0 {
				continue
			}
			var args []string
			switch {
			case f[0] == "yibao" || f[0] == "./yibao":
				args = f[1:]
			case len(f) > 2 && f[0] == "go" && f[1] == "run" && f[2] == "./cmd/yibao":
				args = f[3:]
			case f[0] == "go" && f[1] == "test":
				checkGoTest(t, line, f[2:])
				continue
			default:
				for _, a := range f[1:] {
					if looksLikeRepoPath(a) {
						checkPath(t, line, a)
					}
				}
				if strings.Contains(f[0], "/") {
					checkPath(t, line, f[0])
				}
				continue
			}
			if len(args) == 0 {
				continue
			}
			checked++
			cmd := []string{args[0]}
			if args[0] == "-h" {
				continue
			}
			if _, ok := commandTable()[args[0]]; !ok {
				t.Errorf("README: %q: yibao has no command %q", line, args[0])
				continue
			}
			if len(args) > 1 && subcommands[args[1]] {
				cmd = append(cmd, args[1])
			}
			h := help(cmd...)
			for _, a := range args[1:] {
				m := flagToken.FindStringSubmatch(a)
				if m == nil || m[1] == "-h" {
					continue
				}
				name := strings.TrimLeft(m[1], "-")
				if !strings.Contains(h, "  -"+name+" ") && !strings.Contains(h, "  -"+name+"\n") {
					t.Errorf("README: %q: yibao %s has no flag -%s", line, strings.Join(cmd, " "), name)
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d yibao command lines checked", checked)
	}
}

// standardTestFlags are go test's own flags the README uses.
var standardTestFlags = []string{"run", "bench", "v", "race", "count", "short", "timeout", "update"}

func checkGoTest(t *testing.T, line string, args []string) {
	t.Helper()
	var pkgs []string
	for _, a := range args {
		if strings.HasPrefix(a, "./") {
			pkgs = append(pkgs, strings.TrimSuffix(a, "/..."))
			checkPath(t, line, a)
		}
	}
	for _, a := range args {
		m := flagToken.FindStringSubmatch(a)
		if m == nil {
			continue
		}
		name := strings.TrimLeft(m[1], "-")
		if slices.Contains(standardTestFlags, name) {
			continue
		}
		found := false
		for _, p := range pkgs {
			files, _ := filepath.Glob(filepath.Join(repoRoot, p, "*_test.go"))
			for _, f := range files {
				data, _ := os.ReadFile(f)
				found = found || strings.Contains(string(data), `("`+name+`"`)
			}
		}
		if !found {
			t.Errorf("README: %q: no test in %v defines -%s", line, pkgs, name)
		}
	}
}

// topLevel are the repository's own top-level entries: a path in the README
// starting with one of them (or with a folder of deploy/, which the
// layout table names on their own) is a file that must exist.
func topLevel(t *testing.T) map[string]bool {
	t.Helper()
	m := map[string]bool{}
	for _, dir := range []string{repoRoot, filepath.Join(repoRoot, "deploy")} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			m[e.Name()] = true
		}
	}
	return m
}

func looksLikeRepoPath(s string) bool {
	s = strings.TrimPrefix(s, "./")
	return regexp.MustCompile(`^[\w.-]+(/[\w.*-]*)+$`).MatchString(s) && !strings.Contains(s, "..") && !strings.ContainsAny(s, "#$…:")
}

func checkPath(t *testing.T, where, p string) {
	t.Helper()
	p = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(p, "./"), "..."), "/")
	for _, base := range []string{repoRoot, filepath.Join(repoRoot, "deploy")} {
		if _, err := os.Stat(filepath.Join(base, p)); err == nil {
			return
		}
	}
	t.Errorf("README: %q names %s, which does not exist", where, p)
}

// TestReadmeNamesRealThings: the files and folders in its inline code and
// links, the metrics and the environment variables.
func TestReadmeNamesRealThings(t *testing.T) {
	doc := readme(t)
	top := topLevel(t)
	paths := 0
	code := regexp.MustCompile("`([^`\n]+)`")
	links := regexp.MustCompile(`\]\(([^)#][^)]*)\)`)
	var names []string
	for _, m := range code.FindAllStringSubmatch(doc, -1) {
		names = append(names, m[1])
	}
	for _, m := range links.FindAllStringSubmatch(doc, -1) {
		if !strings.HasPrefix(m[1], "http") {
			names = append(names, m[1])
		}
	}
	for _, n := range names {
		if !looksLikeRepoPath(n) || !top[strings.Split(strings.TrimPrefix(n, "./"), "/")[0]] {
			continue
		}
		checkPath(t, n, n)
		paths++
	}
	if paths < 20 {
		t.Errorf("only %d paths checked", paths)
	}

	// Metrics: exported by some Go file, or agreed with a parallel change.
	source := goSource(t)
	for _, m := range regexp.MustCompile(`\byibao_[a-z0-9_]+\b`).FindAllString(doc, -1) {
		base := regexp.MustCompile(`_(bucket|sum|count)$`).ReplaceAllString(m, "")
		if !strings.Contains(source, `"`+base+`"`) && !metricsComing[base] {
			t.Errorf("README names the metric %s, which no code exports", m)
		}
	}
	// Variables: read by the configuration, or by some Go file or CI.
	read := config.EnvVars()
	ci, err := os.ReadFile(filepath.Join(repoRoot, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range regexp.MustCompile(`\b(?:YIBAO|WECHAT|REDIS)_[A-Z0-9_]+\b`).FindAllString(doc, -1) {
		if !slices.Contains(read, v) && !strings.Contains(source, `"`+v+`"`) && !strings.Contains(string(ci), v) {
			t.Errorf("README names the variable %s, which nothing reads", v)
		}
	}
}

// goSource is every Go file of the repository, concatenated.
func goSource(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != repoRoot {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, ".go") {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			b.Write(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
