package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Status says how sure a group of figures is. Residents are told the
// figures' source in plain words, and operators see per year what is still
// to confirm, so the status is kept with every group rather than per file.
type Status string

const (
	// StatusConfirmed: the city's own notice (or its official text) states it.
	StatusConfirmed Status = "confirmed"
	// StatusOfficialLocal: an official district, county or town document
	// states it, citing the city's notice, whose own text was not found.
	StatusOfficialLocal Status = "official_local"
	// StatusSecondary: a published guide restates it (not an official site);
	// kept because the figures were checked against other years' notices.
	StatusSecondary Status = "secondary"
	// StatusDraft: a draft for comment (征求意见稿).
	StatusDraft Status = "draft"
	// StatusCarriedOver: an earlier year's figure still quoted for this one.
	StatusCarriedOver Status = "carried_over"
	// StatusUnknown: nothing found; the file then has no figures for the
	// group, and answers say so.
	StatusUnknown Status = "unknown"
)

var statuses = []Status{StatusConfirmed, StatusOfficialLocal, StatusSecondary, StatusDraft, StatusCarriedOver, StatusUnknown}

// Groups of figures a year file records a status and source for. The
// required ones make a year complete enough for estimates; the optional
// ones need provenance only when the file has the section.
const (
	GroupContribution   = "contribution"
	GroupEnrolment      = "enrolment" // benefit_year, enrolment and late_payment dates
	GroupOutpatient     = "outpatient"
	GroupInpatient      = "inpatient"
	GroupCritical       = "critical_illness"
	GroupEmployee       = "employee_individual"
	GroupEnrolmentRules = "enrolment_rules"
)

var (
	requiredGroups = []string{GroupContribution, GroupEnrolment, GroupOutpatient, GroupInpatient, GroupCritical}
	optionalGroups = []string{GroupEmployee, GroupEnrolmentRules}
)

// Groups lists every group a file may record, required ones first.
func Groups() []string { return append(slices.Clone(requiredGroups), optionalGroups...) }

// Provenance is one group's status and source.
type Provenance struct {
	Status Status
	Source Provenanced
}

// Provenanced names where a group's figures come from.
type Provenanced struct {
	Name    string
	Address string    // a web address, when there is one
	Date    time.Time // zero when the document has none
	Cites   string    // the notice it cites, "渝医保发〔2025〕42号"
	Note    string
}

// Confirmed reports whether the figures come from the city's own notice.
func (p Provenance) Confirmed() bool { return p.Status == StatusConfirmed }

// Known reports whether the file holds figures for the group.
func (p Provenance) Known() bool { return p.Status != "" && p.Status != StatusUnknown }

// Provenance returns a group's status and source; a group the file does
// not record is unknown.
func (p *Policy) Provenance(group string) Provenance {
	if pr, ok := p.provenance[group]; ok {
		return pr
	}
	return Provenance{Status: StatusUnknown}
}

// Complete reports whether every group an estimate or a guide needs has
// figures: only complete years are used for them.
func (p *Policy) Complete() bool {
	for _, g := range requiredGroups {
		if !p.Provenance(g).Known() {
			return false
		}
	}
	return true
}

// provenance checks the file's provenance section: every group with
// figures names a status and a source; a group marked unknown has none.
func (c *checker) provenance(f *policyFile, present map[string]bool) map[string]Provenance {
	out := map[string]Provenance{}
	for g := range f.Provenance {
		if !slices.Contains(requiredGroups, g) && !slices.Contains(optionalGroups, g) {
			c.addf("provenance."+g, "unknown group (groups are %s)", strings.Join(Groups(), ", "))
		}
	}
	for _, g := range Groups() {
		y, ok := f.Provenance[g]
		field := "provenance." + g
		if !ok {
			if present[g] || slices.Contains(requiredGroups, g) {
				c.addf(field, "missing: give the figures' status and source (status: unknown when nothing was found)")
			}
			continue
		}
		st := Status(y.Status)
		if !slices.Contains(statuses, st) {
			c.addf(field+".status", "%q: want one of %v", y.Status, statuses)
			continue
		}
		switch {
		case st == StatusUnknown && present[g]:
			c.addf(field+".status", "unknown, but the file has %s figures: give their status and source, or remove them", g)
		case st != StatusUnknown && !present[g]:
			c.addf(field+".status", "%s, but the file has no %s figures", st, g)
		case st != StatusUnknown && strings.TrimSpace(y.Source.Name) == "":
			c.addf(field+".source.name", "missing: name the document the figures come from")
		case st != StatusUnknown && y.Source.Address == "" && !y.Source.Date.set && y.Source.Cites == "":
			c.addf(field+".source", "give its address, its date or the notice it cites")
		}
		out[g] = Provenance{Status: st, Source: Provenanced{
			Name: y.Source.Name, Address: y.Source.Address, Date: y.Source.Date.t, Cites: y.Source.Cites, Note: y.Source.Note,
		}}
	}
	return out
}

// Describe is one line for an operator: the status and where it comes from.
func (p Provenance) Describe() string {
	if !p.Known() {
		return string(StatusUnknown)
	}
	s := fmt.Sprintf("%s: %s", p.Status, p.Source.Name)
	if p.Source.Cites != "" {
		s += " citing " + p.Source.Cites
	}
	if !p.Source.Date.IsZero() {
		s += ", " + p.Source.Date.Format(time.DateOnly)
	}
	if p.Source.Address != "" {
		s += ", " + p.Source.Address
	}
	return s
}
