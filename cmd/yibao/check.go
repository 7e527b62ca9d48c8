package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/yibao/yibao/engine"
)

func cmdCheck(e env) error {
	fs := newFlags("check", e.stderr)
	dir := policyDir(fs, e)
	if err := parse(fs, e.args); err != nil {
		return err
	}
	var problems []string
	add := func(err error) {
		var ps engine.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				problems = append(problems, p.String())
			}
		} else if err != nil {
			problems = append(problems, err.Error())
		}
	}
	policies, err := engine.DefaultPolicies()
	add(err)
	if *dir != "" {
		extra, err := engine.LoadDir(*dir)
		add(err)
		policies = append(policies, extra...)
	}
	for _, c := range contentChecks() {
		problems = append(problems, c()...)
	}
	for _, p := range problems {
		fmt.Fprintln(e.stdout, p)
	}
	if book, err := engine.NewBook(policies...); err == nil {
		newest := book.Newest()
		today := e.now()
		fmt.Fprintf(e.stdout, "policy years: %v\n", book.Years())
		if newest.SeasonOf(today) == engine.SeasonClosed {
			fmt.Fprintf(e.stdout, "warning: today (%s) is past %d's payment windows (they ended %s); the figures may be out of date: add the next year's file\n",
				today.Format(time.DateOnly), newest.Year, newest.LatePayment.End.Format(time.DateOnly))
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stdout, "%d problem(s)\n", len(problems))
		return exitError{1}
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}

// contentChecks validate the data files that are not policy: the intent
// catalogue and the guides. Each returns problems as "file: field: what".
func contentChecks() []func() []string {
	return nil
}
