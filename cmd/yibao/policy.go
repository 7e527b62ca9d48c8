package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/internal/datafile"
)

// cmdPolicy holds the operator's policy-file tasks; `new` starts next
// year's file.
func cmdPolicy(e env) error {
	const use = "usage: yibao policy new YEAR [--from YEAR] [--dir DIR]"
	if len(e.args) == 0 || e.args[0] != "new" {
		return usagef(use)
	}
	l := config.New(config.Policy)
	fs := l.FlagSet
	from := fs.Int("from", 0, "the year to copy (default: the newest confirmed year before YEAR)")
	fs.Var(fs.Lookup("policy-dir").Value, "dir", "the operator's policy directory to write YEAR.yaml into (same as -policy-dir)")
	// YEAR may come before, between or after the flags.
	yearArg, args := takePositional(e.args[1:], "from", "dir", "policy-dir")
	e.args = args
	cfg, err := loadConfig(e, l)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(yearArg)
	if err != nil || year < 2000 || year > 2100 {
		return usagef("%s: YEAR like 2026", use)
	}
	dir := &cfg.PolicyDir
	if *dir == "" {
		return usagef("say where the operator's policy files are: --dir DIR or YIBAO_POLICY_DIR")
	}
	if fi, err := os.Stat(*dir); err != nil || !fi.IsDir() {
		// Not created for the operator: a mistyped path would otherwise
		// become a new directory the service never reads.
		return usagef("the policy directory %s does not exist: create it first (mkdir -p %s), then run this again", *dir, *dir)
	}
	target := filepath.Join(*dir, fmt.Sprintf("%d.yaml", year))
	if _, err := os.Stat(target); err == nil {
		return usagef("%s exists already; edit it, or delete it to start again", target)
	}

	src, name, err := policySource(*dir, year, *from)
	if err != nil {
		return err
	}
	d, err := engine.NewDraft(src, year)
	if err != nil {
		return usagef("%s: %v", name, err)
	}
	if err := os.WriteFile(target, d.YAML, 0o644); err != nil {
		return fmt.Errorf("write draft: %w", err)
	}
	fmt.Fprintf(e.stdout, "wrote %s from %s\n", target, name)
	fmt.Fprintf(e.stdout, "Every figure and date in it is marked %q: the service will not answer from it\n", engine.UnconfirmedMark)
	fmt.Fprintf(e.stdout, "until every mark is removed. Check these against the %d notice:\n", year)
	for i, c := range d.Checklist {
		fmt.Fprintf(e.stdout, "%2d. %s\n", i+1, c)
	}
	fmt.Fprintf(e.stdout, "Then: yibao check --policy-dir %s\n", *dir)
	return nil
}

// policySource finds the file to copy: year from when given, else the
// newest confirmed year before year; the operator's file when the policy
// directory has one, else the built-in one.
func policySource(dir string, year, from int) ([]byte, string, error) {
	if from == 0 {
		book, err := loadBook(dir)
		if err != nil {
			return nil, "", err
		}
		for _, y := range book.Years() {
			if y < year {
				from = y
			}
		}
		if from == 0 {
			return nil, "", usagef("no year before %d to copy; use --from", year)
		}
	}
	for _, ext := range []string{".yaml", ".yml"} {
		path := filepath.Join(dir, fmt.Sprint(from)+ext)
		data, err := datafile.Read(path)
		if err == nil {
			return data, path, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("read %s: %w", path, err)
		}
	}
	if data, ok := engine.DefaultPolicyYAML(from); ok {
		return data, fmt.Sprintf("the built-in %d file", from), nil
	}
	return nil, "", usagef("no policy file for %d (in %s or built in)", from, dir)
}

// takePositional removes the first argument that is neither a flag nor the
// value of one of the named flags (which take a value), and returns it with
// the rest.
func takePositional(args []string, valued ...string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && slices.Contains(valued, name) {
				i++ // its value
			}
			continue
		}
		rest := append(append([]string(nil), args[:i]...), args[i+1:]...)
		return a, rest
	}
	return "", args
}
