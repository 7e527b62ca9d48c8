package replies

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong in the guides, for an operator to fix.
type Problem struct {
	Field string // "inpatient.menu[2].key", "partials.year"
	Msg   string
}

// String prints the problem as "field: what is wrong".
func (p Problem) String() string { return p.Field + ": " + p.Msg }

// Problems are several problems as one error.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "; ")
}

// Validate lists everything wrong with the guides, sorted by field: texts
// that do not parse or are empty, menus that point nowhere, guides the bot
// needs and does not find, and replies that fail to render or do not fit in
// MaxBytes with the longest figures, in any season, with and without a
// fallback year.
func (g *Guides) Validate() []Problem {
	ps := append([]Problem(nil), g.problems...)
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	for _, key := range RequiredKeys() {
		if !g.Has(key) {
			add(string(key), "missing: the bot needs this guide")
		}
	}
	for _, key := range g.Keys() {
		gd := g.guides[key]
		if strings.TrimSpace(gd.text) == "" {
			add(string(key)+".text", "empty")
		}
		if !gd.about.valid() {
			add(string(key)+".about", "%q: want %s, %s or %s", gd.about, AboutInpatientRules, AboutOutpatientRules, AboutPrices)
		}
		if len(gd.menu) > maxMenu {
			add(string(key)+".menu", "%d entries; at most %d, so that each is one digit", len(gd.menu), maxMenu)
		}
		for i, it := range gd.menu {
			field := fmt.Sprintf("%s.menu[%d]", key, i)
			if strings.TrimSpace(it.Label) == "" {
				add(field+".label", "empty")
			}
			if !g.Opens(it.Key) {
				add(field+".key", "%q is neither a guide nor a dialog (%v)", it.Key, DialogKeys())
			}
		}
		if gd.tmpl != nil {
			if p, ok := g.checkRender(key); !ok {
				ps = append(ps, p)
			}
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Field < ps[j].Field })
	return ps
}

// checkRender renders a guide with every variant of the sample and longest
// facts, and reports the first failure.
func (g *Guides) checkRender(key GuideKey) (Problem, bool) {
	for _, v := range factVariants() {
		page, err := g.Render(key, v.facts)
		if err != nil {
			return Problem{Field: string(key) + ".text", Msg: fmt.Sprintf("with %s: %v", v.name, unwrapGuide(err))}, false
		}
		if n := len(page.Text); n > MaxBytes {
			return Problem{Field: string(key) + ".text", Msg: fmt.Sprintf("%d bytes with %s, menu included; at most %d", n, v.name, MaxBytes)}, false
		}
	}
	return Problem{}, true
}

type factVariant struct {
	name  string
	facts Facts
}

// factVariants are the facts every guide must render with: the 2025
// sample, and the longest figures in every season and with no fallback.
func factVariants() []factVariant {
	vs := []factVariant{{"the 2025 figures", SampleFacts2025()}}
	for _, s := range []string{SeasonBefore, SeasonEnrolment, SeasonLate, SeasonClosed, SeasonUnknown} {
		for _, fb := range []bool{true, false} {
			f := LongestFacts()
			f.Season, f.Fallback = s, fb
			vs = append(vs, factVariant{fmt.Sprintf("the longest figures (season %s, fallback %t)", s, fb), f})
		}
	}
	return vs
}

// unwrapGuide drops Render's "guide %q: " prefix, which the field already says.
func unwrapGuide(err error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, "\": "); ok && strings.HasPrefix(msg, "guide \"") {
		return rest
	}
	return msg
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
