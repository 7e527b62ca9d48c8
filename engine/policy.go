package engine

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Policy is one benefit year's rules, as an operator wrote them in a file.
type Policy struct {
	// advice holds AdviseTiers' answers for adults and minors, worked out
	// once: they depend only on this data.
	// once per load, shared by copies. Nil in a Policy built by hand: then
	// worked out on each call.
	advice *[2]tierAdviceOnce

	Year    int
	Region  string
	File    string // where it was loaded from, for messages
	Sources []Source

	BenefitYear           Period
	Enrolment             Period    // 集中参保期
	EnrolmentBenefitsFrom time.Time // cover for those who paid in the enrolment window
	LatePayment           Period    // 补缴期: cover from the 1st of the month after payment

	contribution [3]Money // by Tier
	students     [3]Money // university students' contribution by Tier, when the file has it
	SubsidyMin   Money    // zero when the file does not say

	// provenance is each group's status and source (see Provenance).
	provenance map[string]Provenance

	employee       [3]Money // employee insurance as an individual, by Tier
	EmployeeSource string

	Outpatient OutpatientRules
	Inpatient  InpatientRules
	Critical   CriticalRules

	// EnrolmentRules are the waiting-period and incentive rules; nil when
	// the year's file has none.
	EnrolmentRules *EnrolmentRules

	Hotlines []Hotline

	// Unconfirmed lists the values still marked UnconfirmedMark: a draft
	// made by `yibao policy new`, not to be answered from while any is left.
	Unconfirmed []Unconfirmed
}

// Draft reports whether the file still has unconfirmed values.
func (p *Policy) Draft() bool { return len(p.Unconfirmed) > 0 }

// Source names a document the figures were taken from.
type Source struct {
	Name   string
	Date   time.Time // zero when unknown
	Covers string
	Note   string
}

// Hotline is a phone number residents can call.
type Hotline struct {
	Number string `yaml:"number" json:"number"`
	Label  string `yaml:"label" json:"label"`
}

// Period is a closed range of calendar days.
type Period struct{ Start, End time.Time }

// Contains reports whether day d (any time on it) falls in the period.
func (p Period) Contains(d time.Time) bool {
	day := dayOf(d)
	return !day.Before(p.Start) && !day.After(p.End)
}

// OutpatientRules are the 普通门诊 rules.
type OutpatientRules struct {
	levels [4]OutpatientLevel // by Level
	limit  [3]Money           // annual limit by Tier
	// DeductibleBasis is "visit", "year" or "unknown": the source does not
	// say whether the deductible applies per visit or per year.
	DeductibleBasis string
}

// OutpatientLevel is what one grade of institution pays for outpatient care.
type OutpatientLevel struct {
	Covered    bool
	Ratio      Ratio
	Deductible Money
}

// Level returns the rules for one grade.
func (o OutpatientRules) Level(l Level) OutpatientLevel { return o.levels[l] }

// Limit is the yearly outpatient limit of a tier.
func (o OutpatientRules) Limit(t Tier) Money { return o.limit[t] }

// InpatientRules are the basic fund's inpatient rules.
type InpatientRules struct {
	levels     [4]InpatientLevel // by Level
	MinorBonus Ratio
	cap        [3]Money // annual cap by Tier
}

// InpatientLevel is what one grade of hospital pays per admission.
type InpatientLevel struct {
	Deductible Money
	ratio      [3]Ratio // by Tier
}

// Ratio is the adult ratio for a tier at this grade.
func (l InpatientLevel) Ratio(t Tier) Ratio { return l.ratio[t] }

// Level returns the rules for one grade.
func (r InpatientRules) Level(l Level) InpatientLevel { return r.levels[l] }

// Cap is the basic fund's yearly cap for a tier.
func (r InpatientRules) Cap(t Tier) Money { return r.cap[t] }

// CriticalRules are the 大病保险 rules.
type CriticalRules struct {
	Deductible Money
	// Confirmed is false while the deductible is the last known figure
	// rather than one published for this year: answers then say it is
	// an estimate.
	Confirmed bool
	Ratio     Ratio
	Cap       Money
}

// Contribution is what a resident pays for a year in a tier.
func (p *Policy) Contribution(t Tier) (Money, error) {
	if !t.Valid() {
		return Money{}, fmt.Errorf("unknown tier %d", int(t))
	}
	return p.contribution[t], nil
}

// HasContribution reports whether the year's file records what residents pay.
func (p *Policy) HasContribution() bool { return p.Provenance(GroupContribution).Known() }

// StudentContribution is what a university student pays, when the year's
// file says; ok is false otherwise.
func (p *Policy) StudentContribution(t Tier) (Money, bool) {
	if !t.Valid() || p.students[t].IsZero() {
		return Money{}, false
	}
	return p.students[t], true
}

// EmployeeContribution is what someone insured as an individual in the
// employees' scheme pays for a year.
func (p *Policy) EmployeeContribution(t Tier) (Money, error) {
	if !t.Valid() {
		return Money{}, fmt.Errorf("unknown tier %d", int(t))
	}
	if p.employee[t].IsZero() {
		return Money{}, fmt.Errorf("%d: no employee-insurance figures", p.Year)
	}
	return p.employee[t], nil
}

// Problem is one thing wrong in a policy file.
type Problem struct {
	File, Field, Msg string
}

func (p Problem) String() string { return p.File + ": " + p.Field + ": " + p.Msg }

// Problems is every problem found in one or more files.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// ParsePolicy reads one policy file. name is used in messages. Every problem
// found is returned at once, as Problems, so an operator fixes them in one go.
func ParsePolicy(name string, data []byte) (*Policy, error) {
	var f policyFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, decodeProblems(name, data, err)
	}
	c := checker{file: name}
	p := c.build(&f)
	if len(c.problems) > 0 {
		return nil, c.problems
	}
	unconfirmed, err := findUnconfirmed(data)
	if err != nil {
		return nil, Problems{{File: name, Field: "yaml", Msg: yamlMessage(err)}}
	}
	p.Unconfirmed = unconfirmed
	return p, nil
}

// yamlTypeProblem is one of the YAML decoder's messages about a value
// that does not fit: an unknown key, or a value of the wrong type. Its
// wording names Go types, which mean nothing to an operator.
var (
	unknownKey = regexp.MustCompile(`^line (\d+): field (\S+) not found in type `)
	lineOf     = regexp.MustCompile(`^line (\d+): `)
	wrongType  = regexp.MustCompile("^line (\\d+): cannot unmarshal !!(\\w+) `([^`]*)` into ")
)

// decodeProblems turns a decoding error into one problem per fault,
// each naming the key by its dotted path and the file's line.
func decodeProblems(name string, data []byte, err error) Problems {
	var doc yaml.Node
	_ = yaml.Unmarshal(data, &doc) // the syntax is sound unless err says otherwise
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		// A value's own check (an amount, a date) says its line.
		msg := yamlMessage(err)
		if m := lineOf.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			return Problems{{File: name, Field: valuePath(&doc, line), Msg: msg}}
		}
		return Problems{{File: name, Field: "yaml", Msg: msg}}
	}
	var ps Problems
	for _, e := range te.Errors {
		if m := unknownKey.FindStringSubmatch(e); m != nil {
			line, _ := strconv.Atoi(m[1])
			ps = append(ps, Problem{File: name, Field: keyPath(&doc, line, m[2], ""),
				Msg: fmt.Sprintf("line %d: unknown key %q (misspelt, or in the wrong section?)", line, m[2])})
			continue
		}
		if m := wrongType.FindStringSubmatch(e); m != nil {
			line, _ := strconv.Atoi(m[1])
			ps = append(ps, Problem{File: name, Field: valuePath(&doc, line),
				Msg: fmt.Sprintf("line %d: %q is not what this key takes", line, m[3])})
			continue
		}
		ps = append(ps, Problem{File: name, Field: "yaml", Msg: e})
	}
	return ps
}

// keyPath is the dotted path of the mapping key named key on line, or
// "yaml" when there is none.
func keyPath(n *yaml.Node, line int, key, path string) string {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for i, c := range n.Content {
			p := path
			if n.Kind == yaml.SequenceNode {
				p = fmt.Sprintf("%s[%d]", path, i)
			}
			if got := keyPath(c, line, key, p); got != "yaml" {
				return got
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if k.Line == line && k.Value == key {
				return p
			}
			if got := keyPath(v, line, key, p); got != "yaml" {
				return got
			}
		}
	}
	return "yaml"
}

// valuePath is the dotted path of the scalar value on line, or "yaml".
func valuePath(doc *yaml.Node, line int) string {
	found := "yaml"
	walkValues(doc, "", func(path string, _, v *yaml.Node) {
		if v.Line == line && found == "yaml" {
			found = path
		}
	})
	return found
}

func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

type checker struct {
	file     string
	problems Problems
}

func (c *checker) addf(field, format string, args ...any) {
	c.problems = append(c.problems, Problem{File: c.file, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) money(field string, a yamlAmount) Money {
	switch {
	case !a.set:
		c.addf(field, "missing")
	case a.d.IsNegative():
		c.addf(field, "%s is negative", a.d)
	}
	return Money{a.d}
}

func (c *checker) ratio(field string, a yamlAmount) Ratio {
	switch {
	case !a.set:
		c.addf(field, "missing")
	case a.d.IsNegative() || a.d.GreaterThan(decimal.NewFromInt(1)):
		c.addf(field, "ratio %s is outside 0–1 (write 55%% as 0.55)", a.d)
	}
	return Ratio{a.d}
}

func (c *checker) period(field string, start, end yamlDate) Period {
	if !start.set {
		c.addf(field+".start", "missing")
	}
	if !end.set {
		c.addf(field+".end", "missing")
	}
	if start.set && end.set && end.t.Before(start.t) {
		c.addf(field, "end %s is before start %s", end.t.Format(time.DateOnly), start.t.Format(time.DateOnly))
	}
	return Period{Start: start.t, End: end.t}
}

func (c *checker) build(f *policyFile) *Policy {
	p := &Policy{Year: f.Year, Region: f.Region, File: c.file, Hotlines: f.Hotlines, advice: new([2]tierAdviceOnce)}
	if f.Year < 2000 || f.Year > 2100 {
		c.addf("year", "missing or not a year: %d", f.Year)
	}
	if len(f.Sources) == 0 {
		c.addf("sources", "name at least one source document")
	}
	for i, s := range f.Sources {
		if strings.TrimSpace(s.Name) == "" {
			c.addf(fmt.Sprintf("sources[%d].name", i), "missing")
		}
		p.Sources = append(p.Sources, Source{Name: s.Name, Date: s.Date.t, Covers: s.Covers, Note: s.Note})
	}
	p.provenance = c.provenance(f, presentGroups(f))
	known := func(g string) bool { return p.provenance[g].Known() }
	if known(GroupEnrolment) {
		c.dates(p, f)
	} else {
		// Benefit years are calendar years; only the payment windows are
		// unknown, and answers say so.
		p.BenefitYear = Period{Start: time.Date(f.Year, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(f.Year, 12, 31, 0, 0, 0, 0, time.UTC)}
	}

	if known(GroupContribution) {
		p.contribution[Tier1] = c.money("contribution.tier1", f.Contribution.Tier1)
		p.contribution[Tier2] = c.money("contribution.tier2", f.Contribution.Tier2)
		if f.Contribution.SubsidyMin.set {
			p.SubsidyMin = c.money("contribution.subsidy_min", f.Contribution.SubsidyMin)
		}
		if s := f.Contribution.Students; s.Tier1.set || s.Tier2.set {
			p.students[Tier1] = c.money("contribution.students.tier1", s.Tier1)
			p.students[Tier2] = c.money("contribution.students.tier2", s.Tier2)
		}
		// 二档 buys more cover than 一档; a dearer 一档 is a figure typed
		// into the wrong row, and would make every tier comparison nonsense.
		if t1, t2 := f.Contribution.Tier1, f.Contribution.Tier2; t1.set && t2.set && t1.d.GreaterThan(t2.d) {
			c.addf("contribution.tier1", "%s is dearer than tier2 (%s): tier 1 costs less than tier 2", t1.d, t2.d)
		}
	}
	if e := f.EmployeeIndividual; e.Tier1.set || e.Tier2.set {
		p.employee[Tier1] = c.money("employee_individual.tier1", e.Tier1)
		p.employee[Tier2] = c.money("employee_individual.tier2", e.Tier2)
		p.EmployeeSource = e.Source
	}

	if known(GroupOutpatient) {
		c.outpatient(p, f)
	}
	if known(GroupInpatient) {
		c.inpatient(p, f)
	}
	if known(GroupCritical) {
		ci := f.CriticalIllness
		p.Critical = CriticalRules{
			Deductible: c.money("critical_illness.deductible", ci.Deductible),
			Confirmed:  ci.Confirmed,
			Ratio:      c.ratio("critical_illness.ratio", ci.Ratio),
			Cap:        c.money("critical_illness.annual_cap", ci.AnnualCap),
		}
	}
	if f.EnrolmentRules != nil {
		p.EnrolmentRules = c.enrolmentRules(f.EnrolmentRules)
	}
	if p.Complete() && !f.Contribution.SubsidyMin.set {
		// Guides for a complete year show the subsidy.
		c.addf("contribution.subsidy_min", "missing")
	}
	if len(f.Hotlines) == 0 {
		c.addf("hotlines", "name at least one number residents can call")
	}
	for i, h := range f.Hotlines {
		if strings.TrimSpace(h.Number) == "" {
			c.addf(fmt.Sprintf("hotlines[%d].number", i), "missing")
		}
	}
	return p
}

// presentGroups says which groups of figures the file has at all.
func presentGroups(f *policyFile) map[string]bool {
	c, o := f.Contribution, f.Outpatient
	return map[string]bool{
		GroupContribution: c.Tier1.set || c.Tier2.set || c.SubsidyMin.set,
		GroupEnrolment: f.Enrolment.Start.set || f.Enrolment.End.set || f.LatePayment.Start.set ||
			f.LatePayment.End.set || f.Enrolment.BenefitsFrom.set,
		GroupOutpatient:     len(o.Levels) > 0 || o.AnnualLimit.Tier1.set || o.AnnualLimit.Tier2.set,
		GroupInpatient:      len(f.Inpatient.Levels) > 0 || f.Inpatient.AnnualCap.Tier1.set,
		GroupCritical:       f.CriticalIllness.Deductible.set || f.CriticalIllness.AnnualCap.set,
		GroupEmployee:       f.EmployeeIndividual.Tier1.set || f.EmployeeIndividual.Tier2.set,
		GroupEnrolmentRules: f.EnrolmentRules != nil,
	}
}

func (c *checker) dates(p *Policy, f *policyFile) {
	p.BenefitYear = c.period("benefit_year", f.BenefitYear.Start, f.BenefitYear.End)
	p.Enrolment = c.period("enrolment", f.Enrolment.Start, f.Enrolment.End)
	p.LatePayment = c.period("late_payment", f.LatePayment.Start, f.LatePayment.End)
	if !f.Enrolment.BenefitsFrom.set {
		c.addf("enrolment.benefits_from", "missing")
	}
	p.EnrolmentBenefitsFrom = f.Enrolment.BenefitsFrom.t
	if len(c.problems) > 0 {
		return // order checks on missing dates would only repeat the problem
	}
	if p.BenefitYear.Start.Year() != p.Year {
		c.addf("benefit_year.start", "%s is not in year %d", p.BenefitYear.Start.Format(time.DateOnly), p.Year)
	}
	if !p.Enrolment.End.Before(p.LatePayment.Start) {
		c.addf("late_payment.start", "must come after the enrolment window ends (%s)", p.Enrolment.End.Format(time.DateOnly))
	}
	if !p.BenefitYear.Contains(p.EnrolmentBenefitsFrom) {
		c.addf("enrolment.benefits_from", "%s is outside the benefit year", p.EnrolmentBenefitsFrom.Format(time.DateOnly))
	}
	if p.EnrolmentBenefitsFrom.Before(p.Enrolment.End) {
		c.addf("enrolment.benefits_from", "comes before the enrolment window ends")
	}
}

func (c *checker) outpatient(p *Policy, f *policyFile) {
	o := f.Outpatient
	switch o.DeductibleBasis {
	case "visit", "year", "unknown":
		p.Outpatient.DeductibleBasis = o.DeductibleBasis
	case "":
		p.Outpatient.DeductibleBasis = "unknown"
	default:
		c.addf("outpatient.deductible_basis", "%q: want visit, year or unknown", o.DeductibleBasis)
	}
	for l, r := range o.Levels {
		field := fmt.Sprintf("outpatient.levels.%d", l)
		if !Level(l).Valid() {
			c.addf(field, "unknown level %d (levels are 1, 2 and 3)", l)
			continue
		}
		if r.Covered != nil && !*r.Covered {
			continue
		}
		p.Outpatient.levels[l] = OutpatientLevel{
			Covered:    true,
			Ratio:      c.ratio(field+".ratio", r.Ratio),
			Deductible: c.money(field+".deductible", r.Deductible),
		}
	}
	for _, l := range []Level{Level1, Level2, Level3} {
		if _, ok := o.Levels[int(l)]; !ok {
			c.addf(fmt.Sprintf("outpatient.levels.%d", l), "missing (write {covered: false} if not covered)")
		}
	}
	p.Outpatient.limit[Tier1] = c.money("outpatient.annual_limit.tier1", o.AnnualLimit.Tier1)
	p.Outpatient.limit[Tier2] = c.money("outpatient.annual_limit.tier2", o.AnnualLimit.Tier2)
}

func (c *checker) inpatient(p *Policy, f *policyFile) {
	in := f.Inpatient
	for l, r := range in.Levels {
		field := fmt.Sprintf("inpatient.levels.%d", l)
		if !Level(l).Valid() {
			c.addf(field, "unknown level %d (levels are 1, 2 and 3)", l)
			continue
		}
		lv := InpatientLevel{Deductible: c.money(field+".deductible", r.Deductible)}
		lv.ratio[Tier1] = c.ratio(field+".ratio.tier1", r.Ratio.Tier1)
		lv.ratio[Tier2] = c.ratio(field+".ratio.tier2", r.Ratio.Tier2)
		p.Inpatient.levels[l] = lv
	}
	for _, l := range []Level{Level1, Level2, Level3} {
		if _, ok := in.Levels[int(l)]; !ok {
			c.addf(fmt.Sprintf("inpatient.levels.%d", l), "missing")
		}
	}
	p.Inpatient.MinorBonus = c.ratio("inpatient.minor_bonus", in.MinorBonus)
	p.Inpatient.cap[Tier1] = c.money("inpatient.annual_cap.tier1", in.AnnualCap.Tier1)
	p.Inpatient.cap[Tier2] = c.money("inpatient.annual_cap.tier2", in.AnnualCap.Tier2)
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
