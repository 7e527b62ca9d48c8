package engine

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// UnconfirmedMark is the comment `yibao policy new` puts after every figure,
// date and rule it copied into a new year's file. The operator deletes it
// from a line once the value is checked against the new year's notice. A
// policy still carrying one is a draft: the service does not answer from
// it (Load leaves it out), and `yibao check` lists what is left to confirm.
const UnconfirmedMark = "UNCONFIRMED 待核实"

// Unconfirmed is one value of a policy file still marked unconfirmed.
type Unconfirmed struct {
	Field string // e.g. contribution.tier1
	Line  int
	Value string
}

func (u Unconfirmed) String() string {
	return fmt.Sprintf("line %d: %s: %s", u.Line, u.Field, u.Value)
}

// findUnconfirmed lists the marked values of a policy file.
func findUnconfirmed(data []byte) ([]Unconfirmed, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []Unconfirmed
	walkValues(&doc, "", func(path string, key, n *yaml.Node) {
		if strings.Contains(n.LineComment, "UNCONFIRMED") || key != nil && strings.Contains(key.LineComment, "UNCONFIRMED") {
			out = append(out, Unconfirmed{Field: path, Line: n.Line, Value: n.Value})
		}
	})
	return out, nil
}

// walkValues calls f for every scalar value under n with its dotted path
// and, inside a mapping, the key node it belongs to.
func walkValues(n *yaml.Node, path string, f func(path string, key, value *yaml.Node)) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkValues(c, path, f)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if v.Kind == yaml.ScalarNode {
				f(p, k, v)
				continue
			}
			walkValues(v, p, f)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if c.Kind == yaml.ScalarNode {
				f(p, nil, c)
				continue
			}
			walkValues(c, p, f)
		}
	}
}

// Draft is a new year's policy file made from an older one.
type Draft struct {
	Year      int
	From      int
	YAML      []byte
	Checklist []string // what to look up in the new year's notice
}

var (
	dateValue  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	phoneValue = regexp.MustCompile(`^[0-9][0-9-]{4,}$`)
)

// NewDraft writes the policy file for year from an older year's file
// (data): the year's windows (benefit year, enrolment, late payment) moved on
// by the years between them, every other value kept,
// and all of them marked unconfirmed, with the sources to be replaced by
// the new notice. The draft parses as a policy, so `yibao check` can list
// what is still to confirm, but Load will not serve it until nothing is.
func NewDraft(data []byte, year int) (*Draft, error) {
	from, err := ParsePolicy("source", data)
	if err != nil {
		return nil, fmt.Errorf("source file: %w", err)
	}
	if year <= from.Year {
		return nil, fmt.Errorf("year %d is not after the source's %d", year, from.Year)
	}
	shift := year - from.Year
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	dropSourceNotes(&doc) // the old notice's errata do not carry over
	var bad error
	walkValues(&doc, "", func(path string, key, n *yaml.Node) {
		n.Style &^= yaml.FlowStyle
		switch {
		case path == "year":
			n.Value = strconv.Itoa(year)
			n.LineComment = ""
			return
		case path == "region":
			return
		case path == "critical_illness.confirmed":
			// The deductible is unconfirmed until the notice says; the
			// operator sets true when it does.
			n.Value = "false"
		case dateValue.MatchString(n.Value):
			t, err := time.Parse(time.DateOnly, n.Value)
			if err != nil {
				bad = fmt.Errorf("%s: %w", path, err)
				return
			}
			// The year's own windows move on with it; other dates (a
			// source's, a national rule's start) are kept as they were.
			if yearBound(path) {
				n.Value = t.AddDate(shift, 0, 0).Format(time.DateOnly)
			}
		case n.Tag == "!!int" || n.Tag == "!!float" || n.Tag == "!!bool",
			phoneValue.MatchString(n.Value),
			path == "outpatient.deductible_basis",
			strings.HasPrefix(path, "sources[") && strings.HasSuffix(path, ".name"),
			path == "employee_individual.source":
		default:
			return
		}
		n.LineComment = "# " + UnconfirmedMark
		if key != nil {
			key.LineComment = ""
		}
	})
	if bad != nil {
		return nil, bad
	}
	// Flow collections ({ratio: 0.6, ...}) become blocks so that each
	// value has a line of its own for its mark.
	unflow(&doc)
	d := &Draft{Year: year, From: from.Year, Checklist: checklist(from, year)}
	// The draft's header replaces the old file's (it describes that year).
	doc.HeadComment = draftHeader(d)
	if len(doc.Content) > 0 && len(doc.Content[0].Content) > 0 {
		doc.Content[0].HeadComment = ""
		doc.Content[0].Content[0].HeadComment = ""
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("write draft: %w", err)
	}
	d.YAML = buf.Bytes()
	if _, err := ParsePolicy(fmt.Sprintf("%d.yaml", year), d.YAML); err != nil {
		return nil, fmt.Errorf("the draft does not parse (a bug): %w", err)
	}
	return d, nil
}

// dropSourceNotes removes the note of every source: notes record what an
// old notice got wrong.
func dropSourceNotes(doc *yaml.Node) {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return
	}
	top := doc.Content[0].Content
	for i := 0; i+1 < len(top); i += 2 {
		if top[i].Value != "sources" {
			continue
		}
		for _, src := range top[i+1].Content {
			if src.Kind != yaml.MappingNode {
				continue
			}
			var kept []*yaml.Node
			for j := 0; j+1 < len(src.Content); j += 2 {
				if src.Content[j].Value != "note" {
					kept = append(kept, src.Content[j], src.Content[j+1])
				}
			}
			src.Content = kept
		}
	}
}

// yearBound says whether a date belongs to the benefit year's own windows.
func yearBound(path string) bool {
	for _, p := range []string{"benefit_year.", "enrolment.", "late_payment."} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

func unflow(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle
	for _, c := range n.Content {
		unflow(c)
	}
}

func draftHeader(d *Draft) string {
	var b strings.Builder
	fmt.Fprintf(&b, "重庆市城乡居民基本医疗保险：%d 待遇年度 (DRAFT made from %d by `yibao policy new`)\n\n", d.Year, d.From)
	fmt.Fprintf(&b, "Every figure, date and rule below was copied from %d (the year's windows moved on)\n", d.From)
	fmt.Fprintf(&b, "and is marked %q. Check each against the %d notice, correct it, and delete\n", UnconfirmedMark, d.Year)
	b.WriteString("its mark. Until no mark is left the service does not answer from this file;\n")
	b.WriteString("`yibao check --policy-dir DIR` lists the marks still there.\n\nChecklist:\n")
	for i, c := range d.Checklist {
		fmt.Fprintf(&b, "%2d. %s\n", i+1, c)
	}
	return strings.TrimRight(b.String(), "\n")
}

// checklist says what the new notice must be read for, in the order a
// notice usually gives it.
func checklist(from *Policy, year int) []string {
	return []string{
		fmt.Sprintf("sources: the %d notice (name, date); note anything it gets wrong", year),
		fmt.Sprintf("enrolment: the 集中参保期 for %d (start, end) and when benefits start", year),
		"late_payment: the 补缴期 (start, end), if the notice sets one",
		fmt.Sprintf("contribution: 个人缴费 tier1 and tier2 (were %s and %s yuan) and the 财政补助 minimum", from.contribution[Tier1].Display(), from.contribution[Tier2].Display()),
		"employee_individual: 以个人身份参加职工医保 tier1 and tier2, and its source",
		"outpatient: each level's ratio and deductible, whether level 3 is covered, the annual limits, and deductible_basis (visit or year) if the notice says",
		"inpatient: each level's deductible and tier ratios, the minor bonus, the annual caps",
		fmt.Sprintf("critical_illness: the 大病保险 deductible (was %s yuan), ratio and cap; set confirmed: true once the deductible is the notice's", from.Critical.Deductible.Display()),
		"enrolment_rules (if present): whether Chongqing's own rules are out, and the figures they set",
		"hotlines: still in service",
	}
}

// DefaultPolicyYAML is the built-in file for year, if the binary has one.
func DefaultPolicyYAML(year int) ([]byte, bool) {
	data, err := fs.ReadFile(embedded, fmt.Sprintf("policies/%d.yaml", year))
	return data, err == nil
}
