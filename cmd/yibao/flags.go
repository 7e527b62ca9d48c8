package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/yibao/yibao/engine"
)

var errHelp = errors.New("help shown")

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("yibao "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses args, turning flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(nil)
		fs.Usage()
		return errHelp
	case err != nil:
		return usageError{strings.TrimSpace(err.Error())}
	case fs.NArg() > 0:
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// moneyFlag is an amount of yuan given on the command line.
type moneyFlag struct {
	m   engine.Money
	set bool
}

func (f *moneyFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.m.String()
}

func (f *moneyFlag) Set(s string) error {
	m, err := engine.ParseMoney(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		return errors.New("not a number of yuan")
	}
	if m.IsNegative() {
		return errors.New("must not be negative")
	}
	f.m, f.set = m, true
	return nil
}

// policyDir is the directory flag shared by commands, defaulting to the
// environment.
func policyDir(fs *flag.FlagSet, e env) *string {
	return fs.String("policy-dir", e.getenv("YIBAO_POLICY_DIR"), "directory of extra or replacement policy files (env YIBAO_POLICY_DIR)")
}

// loadBook loads the policies for a command that needs them; a broken
// policy file is the operator's input error: one line, exit 2.
func loadBook(dir string) (*engine.Book, error) {
	b, err := engine.Load(dir)
	var ps engine.Problems
	switch {
	case errors.As(err, &ps):
		more := ""
		if len(ps) > 1 {
			more = fmt.Sprintf(" (and %d more; run yibao check)", len(ps)-1)
		}
		return nil, usagef("policy file: %s%s", ps[0], more)
	case err != nil:
		return nil, usagef("load policies: %v", err)
	}
	return b, nil
}
