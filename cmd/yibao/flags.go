package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/engine"
)

// errHelp ends a command that printed what was asked (help, the
// configuration) instead of running: exit 0.
var errHelp = errors.New("help shown")

// loadConfig reads a command's configuration (config.Loader) from e: -h
// prints the flags, -print-config the masked configuration.
func loadConfig(e env, l *config.Loader) (*config.Config, error) {
	cfg, err := l.Load(e.args, e.getenv)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs := l.FlagSet
		// Asked for, help is the command's output: stdout (go, git).
		fs.SetOutput(e.stdout)
		fmt.Fprintf(e.stdout, "Usage of %s:\n", fs.Name())
		fs.PrintDefaults()
		return nil, errHelp
	case cfg != nil && cfg.PrintConfig:
		if derr := cfg.Dump(e.stdout); derr != nil {
			return nil, fmt.Errorf("print configuration: %w", derr)
		}
		if err != nil {
			return nil, usageError{"invalid configuration: " + err.Error()}
		}
		return nil, errHelp
	case err != nil:
		return nil, usageError{err.Error()}
	}
	return cfg, nil
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
