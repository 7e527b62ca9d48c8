package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// cmdCheck validates the data files. The result (the years in service,
// "ok") goes to stdout; each problem and warning, and the count of
// problems, to stderr, so a script can tell them apart.
func cmdCheck(e env) error {
	cfg, err := loadConfig(e, config.New(config.Check))
	if err != nil {
		return err
	}
	dir, intentsFile, guidesFile, menuFile := &cfg.PolicyDir, &cfg.IntentsFile, &cfg.GuidesFile, &cfg.MenuFile
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
	problems = append(problems, checkCatalogue(*intentsFile)...)
	problems = append(problems, checkGuides(*guidesFile)...)
	menuProblems, menuWarning := checkMenu(*menuFile, *guidesFile, cfg.PublicURL)
	problems = append(problems, menuProblems...)
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p)
	}
	if menuWarning != "" {
		fmt.Fprintln(e.stderr, "warning: "+menuWarning)
	}
	// Drafts (from `yibao policy new`) are checked like any file but not
	// served: say what is left to confirm in each.
	var ready []*engine.Policy
	for _, p := range policies {
		if !p.Draft() {
			ready = append(ready, p)
			continue
		}
		fmt.Fprintf(e.stderr, "warning: %s: %d value(s) still marked %q; the service leaves %d out until none is:\n",
			p.File, len(p.Unconfirmed), engine.UnconfirmedMark, p.Year)
		for _, u := range p.Unconfirmed {
			fmt.Fprintf(e.stderr, "  %s\n", u)
		}
	}
	if book, err := engine.NewBook(ready...); err == nil {
		newest := book.Newest()
		today := e.now()
		fmt.Fprintf(e.stdout, "policy years: %v\n", book.Years())
		// Once the newest year's enrolment window has closed, the next
		// year's enrolment is the one residents ask about next.
		switch newest.SeasonOf(today) {
		case engine.SeasonLate:
			fmt.Fprintf(e.stderr, "warning: today (%s) is past %d's enrolment window (it ended %s); add %d's file as soon as its figures are published\n",
				today.Format(time.DateOnly), newest.Year, newest.Enrolment.End.Format(time.DateOnly), newest.Year+1)
		case engine.SeasonClosed:
			fmt.Fprintf(e.stderr, "warning: today (%s) is past %d's enrolment and late-payment windows (they ended %s and %s); the figures may be out of date: add the next year's file\n",
				today.Format(time.DateOnly), newest.Year, newest.Enrolment.End.Format(time.DateOnly), newest.LatePayment.End.Format(time.DateOnly))
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "%d problem(s)\n", len(problems))
		return exitError{1}
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}

// checkCatalogue validates the intent catalogue: the operator's file when
// given, else the built-in one.
func checkCatalogue(path string) []string {
	name := sourceName(path, "intents/catalogue.yaml")
	data, err := readSource(path, intents.DefaultCatalogueYAML)
	if err != nil {
		return []string{name + ": file: " + err.Error()}
	}
	c, err := intents.ParseCatalogue(data)
	if err != nil {
		return []string{name + ": yaml: " + err.Error()}
	}
	return prefixed(name, c.Validate())
}

// checkGuides validates the guides the same way, listing every problem
// (loading them for serving stops at the first).
func checkGuides(path string) []string {
	name := sourceName(path, "replies/guides.yaml")
	data, err := readSource(path, replies.DefaultGuidesYAML)
	if err != nil {
		return []string{name + ": file: " + err.Error()}
	}
	g, err := replies.LoadGuides(data)
	if err != nil {
		return []string{name + ": yaml: " + err.Error()}
	}
	return prefixed(name, g.Validate())
}

// readSource reads the operator's file, or the built-in copy when path is
// empty.
func readSource(path string, builtin func() []byte) ([]byte, error) {
	if path == "" {
		return builtin(), nil
	}
	return os.ReadFile(path)
}

// prefixed prints problems as "source: field: what is wrong".
func prefixed[P fmt.Stringer](source string, ps []P) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = source + ": " + p.String()
	}
	return out
}

// sourceName names where data came from in a problem line.
func sourceName(path, embedded string) string {
	if path == "" {
		return "embedded:" + embedded
	}
	return path
}

// checkMenu validates the account menu against the guides its keys open
// and the public URL its pages are reached at. A missing public URL is a
// warning, not a problem: serving needs none, only printing the menu does.
func checkMenu(path, guidesPath, publicURL string) (problems []string, warning string) {
	m, err := loadAccountMenu(path)
	if err != nil {
		return []string{err.Error()}, "" // names the file already
	}
	name := sourceName(path, "replies/menu.yaml")
	if g, err := loadGuides(guidesPath); err == nil { // else the guides' own check reports it
		problems = prefixed(name, m.Validate(g))
	}
	base, err := menuBase(m, publicURL)
	if err == nil {
		err = liveBase(base)
	}
	if err != nil {
		if publicURL == "" {
			return problems, name + ": " + err.Error() + " before `yibao menu`"
		}
		problems = append(problems, name+": "+err.Error())
	}
	return problems, ""
}
