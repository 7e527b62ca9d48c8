package replies

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// MaxBytes is the most one reply may hold, menu included: WeChat's limit for
// a passive text reply.
const MaxBytes = 2000

// maxMenu keeps menu numbers to one digit, which is what a user types back.
const maxMenu = 9

//go:embed guides.yaml
var embeddedGuides []byte

// ErrNoGuide is returned by Render for a key the guides do not have.
var ErrNoGuide = errors.New("no such guide")

// MenuItem is one numbered follow-up under a reply.
type MenuItem struct {
	Label string `yaml:"label"`
	// Key is the guide it opens, or a dialog the bot runs (see DialogKeys).
	Key MenuKey `yaml:"key"`
}

// GuideKey names a guide of guides.yaml. A topic's guide has its intent's
// name (the catalogue and the guides are checked as a pair).
type GuideKey string

// MenuKey is what a numbered option or a menu button opens: a guide
// (Guide), or a dialog or page the bot makes itself (DialogKeys, the bot's
// own pages).
type MenuKey string

// Guide is the guide a menu key opens, when it opens one.
func (k MenuKey) Guide() GuideKey { return GuideKey(k) }

// Menu is the menu key that opens the guide.
func (k GuideKey) Menu() MenuKey { return MenuKey(k) }

// Page is a rendered guide. Body is the guide's own text; Text is Body
// with the numbered menu lines ("回复 1 住院怎么报销") when Menu is not
// empty, as a reader sees it. Menu[i] is what "i+1" opens.
type Page struct {
	Body string
	Text string
	Menu []MenuItem
}

// DialogKeys are the menu keys the bot handles itself rather than with a
// guide: they start the estimate dialog.
func DialogKeys() []MenuKey {
	return []MenuKey{"estimate", "estimate_inpatient", "estimate_outpatient"}
}

// RequiredKeys are the guides the bot needs: one per intent of the
// catalogue that is answered with text (the estimate intents start a dialog
// instead), and those it shows on its own (welcome on subscribe, unknown,
// media, voice_empty).
func RequiredKeys() []GuideKey {
	return []GuideKey{
		"help", "about", "eligibility", "enrol", "materials", "contribution", "payment",
		"deadline", "payment_status", "family_pay", "not_registered", "outpatient",
		"inpatient", "critical", "claims", "employee_individual", "hotline", "thanks", "bye",
		"unknown", "media", "voice_empty", "welcome",
		"reimbursement", "tier_advice", "enrolment_break", "chronic", "maternity", "card", "refund",
		"duplicate_enrolment", "checkup", "dental", "human", "complaint",
		"enrol_online", "claims_manual", "claims_out_of_area", "discount", "injury", "hospital_level",
		"glasses", "ambulance", "personal_account",
	}
}

// Guides are the replies' texts: templates over Facts, parsed once, safe for
// concurrent use.
type Guides struct {
	set      *template.Template // partials and guides, each by name
	facts    map[string]TopicFact
	guides   map[GuideKey]*guide
	partials []string
	problems []Problem // found while loading, reported by Validate
	bufs     sync.Pool // of *bytes.Buffer, for rendering
}

type guide struct {
	tmpl   *template.Template // nil when the text did not parse
	text   string
	menu   []MenuItem
	labels []string // the menu's labels, in order
	about  About
}

// About says what a guide is about, for what a follow-up means after it:
// after the rules of a kind of care, "二档" or "三级医院呢" asks more of
// those rules (or starts that kind's estimate); after a price, "二档" asks
// that tier's price. Most guides are about neither.
type About string

const (
	AboutNone            About = ""
	AboutInpatientRules  About = "inpatient_rules"
	AboutOutpatientRules About = "outpatient_rules"
	AboutPrices          About = "prices"
)

func (a About) valid() bool {
	switch a {
	case AboutNone, AboutInpatientRules, AboutOutpatientRules, AboutPrices:
		return true
	}
	return false
}

// About says what the guide for key is about (AboutNone without a guide).
func (g *Guides) About(key GuideKey) About {
	if gd, ok := g.guides[key]; ok {
		return gd.about
	}
	return AboutNone
}

// TopicFact is a figure a knowledge topic states that no year file holds
// (a national rule, a district's list): its value and, in plain words, its
// source and year. Guides place it with {{fact "name"}} and
// {{source "name"}}, so that every figure a resident reads is data with a
// source.
type TopicFact struct {
	Value  string `yaml:"value"`
	Source string `yaml:"source"`
}

// file is guides.yaml.
type file struct {
	Facts    map[string]TopicFact `yaml:"facts"`
	Partials map[string]string    `yaml:"partials"`
	Guides   map[string]struct {
		Text  string     `yaml:"text"`
		Menu  []MenuItem `yaml:"menu"`
		About About      `yaml:"about"`
	} `yaml:"guides"`
}

// DefaultGuidesYAML is a copy of the built-in guides file, for an operator
// to start from and for `yibao check`.
func DefaultGuidesYAML() []byte { return bytes.Clone(embeddedGuides) }

// DefaultGuides are the built-in guides.
func DefaultGuides() (*Guides, error) {
	g, err := LoadGuides(embeddedGuides)
	if err != nil {
		return nil, fmt.Errorf("built-in guides: %w", err)
	}
	if ps := g.Validate(); len(ps) > 0 {
		return nil, fmt.Errorf("built-in guides: %w", Problems(ps))
	}
	return g, nil
}

// LoadGuides reads guides from YAML (see guides.yaml). It fails only when
// the data cannot be read as guides at all; a template that does not parse
// or a menu that points nowhere is left for Validate to report, so that an
// operator sees every problem at once. Render fails for a broken guide.
func LoadGuides(data []byte) (*Guides, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("reading guides: %w", err)
	}
	if len(f.Guides) == 0 {
		return nil, errors.New("reading guides: no guides")
	}
	g := &Guides{
		guides: make(map[GuideKey]*guide, len(f.Guides)),
		facts:  f.Facts,
		bufs:   sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
	for _, name := range sortedKeys(f.Facts) {
		if tf := f.Facts[name]; strings.TrimSpace(tf.Value) == "" || strings.TrimSpace(tf.Source) == "" {
			g.problem("facts."+name, "a fact needs its value and its source")
		}
	}
	g.set = template.New("").Funcs(g.funcs())
	for _, name := range sortedKeys(f.Partials) {
		if _, clash := f.Guides[name]; clash {
			g.problem("partials."+name, "a guide has the same name; rename the partial")
			continue
		}
		if g.add(name, strings.TrimRight(f.Partials[name], "\n"), "partials."+name) {
			g.partials = append(g.partials, name)
		}
	}
	for _, key := range sortedKeys(f.Guides) {
		e := f.Guides[key]
		gd := &guide{text: e.Text, menu: e.Menu, about: e.About}
		for _, it := range e.Menu {
			gd.labels = append(gd.labels, it.Label)
		}
		if g.add(key, e.Text, key+".text") {
			gd.tmpl = g.set.Lookup(key)
		}
		g.guides[GuideKey(key)] = gd
	}
	return g, nil
}

// add parses one template into the shared set, so that guides can call the
// partials. A template may not define others: that would silently replace
// a partial for every guide.
func (g *Guides) add(name, text, field string) bool {
	t, err := template.New(name).Funcs(g.funcs()).Parse(text)
	if err != nil {
		g.problem(field, err.Error())
		return false
	}
	if len(t.Templates()) > 1 {
		g.problem(field, "defines templates ({{define}} or {{block}}); put shared text in partials")
		return false
	}
	if _, err := g.set.AddParseTree(name, t.Tree); err != nil {
		g.problem(field, err.Error())
		return false
	}
	return true
}

// funcs give templates the topic facts: fact is the value, source where
// it comes from. An unknown name fails the render, which Validate reports.
func (g *Guides) funcs() template.FuncMap {
	lookup := func(name string) (TopicFact, error) {
		tf, ok := g.facts[name]
		if !ok {
			return TopicFact{}, fmt.Errorf("no fact %q in facts", name)
		}
		return tf, nil
	}
	return template.FuncMap{
		"fact": func(name string) (string, error) {
			tf, err := lookup(name)
			return tf.Value, err
		},
		"source": func(name string) (string, error) {
			tf, err := lookup(name)
			return tf.Source, err
		},
	}
}

// Facts are the topic facts, by name, for tests and checks.
func (g *Guides) Facts() map[string]TopicFact {
	out := make(map[string]TopicFact, len(g.facts))
	for k, v := range g.facts {
		out[k] = v
	}
	return out
}

func (g *Guides) problem(field, msg string) {
	g.problems = append(g.problems, Problem{Field: field, Msg: msg})
}

// Opens reports whether a menu key opens something: a guide or a dialog.
func (g *Guides) Opens(k MenuKey) bool {
	return g.Has(k.Guide()) || slices.Contains(DialogKeys(), k)
}

// Has reports whether there is a guide for key.
func (g *Guides) Has(key GuideKey) bool {
	_, ok := g.guides[key]
	return ok
}

// Keys lists the guides' keys, sorted.
func (g *Guides) Keys() []GuideKey {
	return sortedKeys(g.guides)
}

// Render writes the guide for key with the facts, its menu appended.
func (g *Guides) Render(key GuideKey, f Facts) (Page, error) {
	gd, ok := g.guides[key]
	if !ok {
		return Page{}, fmt.Errorf("guide %q: %w", key, ErrNoGuide)
	}
	if gd.tmpl == nil {
		return Page{}, fmt.Errorf("guide %q: its text does not parse (run yibao check)", key)
	}
	buf := g.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer g.bufs.Put(buf)
	if err := gd.tmpl.Execute(buf, &f); err != nil {
		return Page{}, fmt.Errorf("guide %q: %w", key, err)
	}
	var b strings.Builder
	b.Grow(buf.Len())
	tidy(&b, buf.Bytes())
	body := b.String()
	return Page{Body: body, Text: Menu(body, gd.labels), Menu: gd.MenuItems()}, nil
}

// MenuOf is the menu of the guide for key (nil when there is none), without
// rendering it: what a number typed under that guide opens.
func (g *Guides) MenuOf(key GuideKey) []MenuItem {
	if gd, ok := g.guides[key]; ok {
		return gd.MenuItems()
	}
	return nil
}

func (gd *guide) MenuItems() []MenuItem { return append([]MenuItem(nil), gd.menu...) }

// tidy copies rendered text, dropping trailing spaces on each line, blank
// lines at either end, and any second blank line in a row (left behind by
// an {{if}} that wrote nothing), so templates can be laid out for reading.
func tidy(b *strings.Builder, s []byte) {
	blank := 0 // newlines owed before the next non-empty line
	started := false
	for len(s) > 0 {
		line := s
		if i := bytes.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = nil
		}
		line = bytes.TrimRight(line, " \t\r")
		if len(line) == 0 {
			if started {
				blank++
			}
			continue
		}
		if started {
			b.WriteString("\n")
			if blank > 0 {
				b.WriteString("\n")
			}
		}
		b.Write(line)
		started, blank = true, 0
	}
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}
