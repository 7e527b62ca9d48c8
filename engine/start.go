package engine

import "time"

// StartRule says which payment rule fixed a benefit start date.
type StartRule string

const (
	StartEnrolment StartRule = "enrolment" // paid in the 集中参保期
	StartLate      StartRule = "late"      // paid in the 补缴期: 1st of the next month
	StartUnknown   StartRule = "unknown"   // the data does not say
)

// BenefitStart is when cover begins for a payment made on Paid.
type BenefitStart struct {
	Paid  time.Time
	Known bool
	Start time.Time // when Known
	Rule  StartRule
	Year  int // the benefit year the rule belongs to (nearest year when unknown)
	// Gap says, when not Known, why the data cannot tell; Edge is the
	// date the data stops at (StartAfterNewest, StartBeforeOldest).
	Gap  StartGap
	Edge time.Time
}

// StartGap is why the data cannot tell when cover starts.
type StartGap string

const (
	StartAfterNewest   StartGap = "after_newest"    // paid after the newest year's last window
	StartBeforeOldest  StartGap = "before_oldest"   // paid before the oldest year's first window
	StartBetweenWindow StartGap = "between_windows" // paid outside every window the data names
)

// BenefitStart finds when cover starts for a resident who completed payment
// on the given day. It never guesses: outside the windows the data names,
// the result is not Known and says why.
func (b *Book) BenefitStart(paid time.Time) BenefitStart {
	day := dayOf(paid)
	for i := len(b.years) - 1; i >= 0; i-- {
		p := b.years[i]
		switch {
		case p.Enrolment.Contains(day):
			return BenefitStart{Paid: day, Known: true, Start: p.EnrolmentBenefitsFrom, Rule: StartEnrolment, Year: p.Year}
		case p.LatePayment.Contains(day):
			next := time.Date(day.Year(), day.Month()+1, 1, 0, 0, 0, 0, time.UTC)
			return BenefitStart{Paid: day, Known: true, Start: next, Rule: StartLate, Year: p.Year}
		}
	}
	r := BenefitStart{Paid: day, Rule: StartUnknown}
	oldest, newest := b.years[0], b.Newest()
	switch {
	case day.After(newest.LatePayment.End):
		r.Year, r.Gap, r.Edge = newest.Year, StartAfterNewest, newest.LatePayment.End
	case day.Before(oldest.Enrolment.Start):
		r.Year, r.Gap, r.Edge = oldest.Year, StartBeforeOldest, oldest.Enrolment.Start
	default:
		r.Year = newest.Year
		for _, p := range b.years {
			if !day.After(p.LatePayment.End) {
				r.Year = p.Year
				break
			}
		}
		r.Gap = StartBetweenWindow
	}
	return r
}

// Season says where a day falls relative to a policy's payment windows.
type Season string

const (
	SeasonBefore    Season = "before"    // before the enrolment window opens
	SeasonEnrolment Season = "enrolment" // in the enrolment window
	SeasonLate      Season = "late"      // in the late-payment window
	SeasonClosed    Season = "closed"    // after the late-payment window
)

// SeasonOf places a day relative to p's windows.
func (p *Policy) SeasonOf(day time.Time) Season {
	switch {
	case p.Enrolment.Contains(day):
		return SeasonEnrolment
	case p.LatePayment.Contains(day):
		return SeasonLate
	case dayOf(day).Before(p.Enrolment.Start):
		return SeasonBefore
	}
	return SeasonClosed
}
