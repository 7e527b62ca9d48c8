package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/internal/datafile"
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
	problems = append(problems, checkLexicon(lexiconPath(*intentsFile))...)
	problems = append(problems, checkGuides(*guidesFile)...)
	problems = append(problems, checkTopicGuides(*intentsFile, *guidesFile)...)
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
		printProvenance(e, book, today)
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
	lx := intents.DefaultLexicon()
	if p := lexiconPath(path); p != "" {
		if own, err := intents.LoadLexicon(p); err == nil && len(own.Validate()) == 0 {
			lx = own // its own problems are listed by checkLexicon
		}
	}
	return prefixed(name, c.ValidateWith(lx))
}

// checkLexicon validates the lexicon beside the catalogue, or the
// built-in one when there is none.
func checkLexicon(path string) []string {
	name := sourceName(path, "intents/"+intents.LexiconFile)
	data, err := readSource(path, intents.DefaultLexiconYAML)
	if err != nil {
		return []string{name + ": file: " + err.Error()}
	}
	lx, err := intents.ParseLexicon(data)
	if err != nil {
		return []string{name + ": yaml: " + err.Error()}
	}
	return prefixed(name, lx.Validate())
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

// checkTopicGuides: a topic defined in the catalogue alone is answered by
// the guide of its name, so the pair must be complete.
func checkTopicGuides(intentsFile, guidesFile string) []string {
	cat, err := loadCatalogue(intentsFile)
	if err != nil {
		return nil // reported by checkCatalogue
	}
	g, err := loadFile("guides", guidesFile, replies.DefaultGuides, replies.LoadGuides)
	if err != nil {
		return nil // reported by checkGuides
	}
	builtin := map[intents.Intent]bool{}
	for _, in := range intents.BuiltIn() {
		builtin[in] = true
	}
	var out []string
	for _, e := range cat.Entries {
		if !builtin[e.Name] && !g.Has(replies.GuideKey(e.Name)) {
			out = append(out, fmt.Sprintf("%s: intents[%s]: a topic defined in data needs a guide of the same name in %s",
				sourceName(intentsFile, "intents/catalogue.yaml"), e.Name, sourceName(guidesFile, "replies/guides.yaml")))
		}
	}
	return out
}

// readSource reads the operator's file, or the built-in copy when path is
// empty.
func readSource(path string, builtin func() []byte) ([]byte, error) {
	if path == "" {
		return builtin(), nil
	}
	return datafile.Read(path)
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

// printProvenance says, per year, what is confirmed and what is not, and
// which years today's season needs.
func printProvenance(e env, book *engine.Book, today time.Time) {
	for _, p := range book.All() {
		kind := "complete"
		if !p.Complete() {
			kind = "partial: estimates use the newest complete year"
		}
		fmt.Fprintf(e.stdout, "%d (%s):\n", p.Year, kind)
		for _, g := range engine.Groups() {
			pr := p.Provenance(g)
			mark := "not confirmed"
			switch {
			case pr.Confirmed():
				mark = "confirmed"
			case !pr.Known():
				mark = "unknown"
			}
			fmt.Fprintf(e.stdout, "  %-20s %-13s %s\n", g, mark, pr.Describe())
		}
	}
	s := book.Season(today.In(chongqing))
	fmt.Fprintf(e.stdout, "today %s: benefit year in force %d, being enrolled %d (%s, dates recorded: %v)\n",
		today.In(chongqing).Format(time.DateOnly), s.InForce, s.Enrolling, s.Phase, s.WindowsKnown)
	for _, y := range book.SeasonYears(today) {
		if !y.Confirmed() {
			fmt.Fprintf(e.stderr, "warning: %d (%s) has no contribution confirmed by the city's notice (%s): yibao_policy_year_unconfirmed{year=\"%d\",role=\"%s\"} is 1\n",
				y.Year, y.Role, y.Status, y.Year, y.Role)
		}
	}
}
