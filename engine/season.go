package engine

import (
	"time"
)

// PayingSeason is where a day falls in the yearly round of enrolment: which
// benefit year's cover runs, and which year residents pay for now (or
// next). Residents asking "how do I pay" in December are paying for the
// next year, whatever the newest file holds, so answers start from this.
type PayingSeason struct {
	Today time.Time
	// InForce is the benefit year whose cover runs today.
	InForce int
	// Enrolling is the benefit year residents pay for now: in its
	// enrolment or late window, or, between windows, the next one to open.
	Enrolling int
	// Phase is SeasonEnrolment, SeasonLate or SeasonBefore (between the
	// windows, before Enrolling's opens).
	Phase Season
	// WindowsKnown is true when Enrolling's own file records its dates.
	// Otherwise Phase comes from the windows of Pattern, the newest year
	// that records them, and no date of Enrolling may be stated.
	WindowsKnown bool
	Pattern      *Policy
}

// Season places today (in Chongqing time: the caller converts) in the
// round of enrolment, from the year files.
func (b *Book) Season(today time.Time) PayingSeason {
	day := dayOf(today)
	s := PayingSeason{Today: day, InForce: day.Year()}
	all := b.All()
	for _, p := range all {
		if p.BenefitYear.Contains(day) {
			s.InForce = p.Year
		}
	}
	for i := len(all) - 1; i >= 0; i-- {
		p := all[i]
		if !p.Provenance(GroupEnrolment).Known() {
			continue
		}
		switch {
		case p.Enrolment.Contains(day):
			s.Enrolling, s.Phase, s.WindowsKnown, s.Pattern = p.Year, SeasonEnrolment, true, p
			return s
		case p.LatePayment.Contains(day):
			s.Enrolling, s.Phase, s.WindowsKnown, s.Pattern = p.Year, SeasonLate, true, p
			return s
		}
		if s.Pattern == nil {
			s.Pattern = p
		}
	}
	if s.Pattern == nil {
		// No year records its windows: the benefit year after today's is
		// the next to be paid for.
		s.Enrolling, s.Phase = day.Year()+1, SeasonBefore
		return s
	}
	// The newest recorded windows, moved to this calendar year, tell the
	// phase; the year's own dates stay unknown unless its file has them.
	pt := s.Pattern
	shift := day.Year() - pt.Enrolment.Start.Year()
	opens := pt.Enrolment.Start.AddDate(shift, 0, 0)
	lateEnds := pt.LatePayment.End.AddDate(day.Year()-pt.LatePayment.End.Year(), 0, 0)
	switch {
	case !day.Before(opens):
		s.Enrolling, s.Phase = day.Year()+1, SeasonEnrolment
	case !day.After(lateEnds):
		s.Enrolling, s.Phase = day.Year(), SeasonLate
	default:
		s.Enrolling, s.Phase = day.Year()+1, SeasonBefore
	}
	if p, ok := b.Year(s.Enrolling); ok && p.Provenance(GroupEnrolment).Known() {
		s.WindowsKnown = true
		s.Pattern = p
	}
	return s
}

// YearStatus is the contribution status of one year of the season: role is
// "in_force" or "enrolling".
type YearStatus struct {
	Year int
	Role string
	// Status is the contribution's status (unknown when no file records it).
	Status Status
}

// Confirmed reports whether the city's own notice confirms the contribution.
func (y YearStatus) Confirmed() bool { return y.Status == StatusConfirmed }

// SeasonYears gives the in-force and enrolling years' contribution status,
// for the start-up warning and the stale-data metric.
func (b *Book) SeasonYears(today time.Time) []YearStatus {
	s := b.Season(today)
	var out []YearStatus
	for _, r := range []struct {
		year int
		role string
	}{{s.InForce, "in_force"}, {s.Enrolling, "enrolling"}} {
		st := StatusUnknown
		if p, ok := b.Year(r.year); ok {
			st = p.Provenance(GroupContribution).Status
		}
		out = append(out, YearStatus{Year: r.year, Role: r.role, Status: st})
	}
	return out
}
