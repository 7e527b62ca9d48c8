package engine

import (
	"fmt"
	"time"
)

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
	// Reason says, when not Known, why the data cannot tell.
	Reason string
}

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
		r.Year = newest.Year
		r.Reason = fmt.Sprintf("现有资料只写到%d年度：%s以后缴费从何时开始享受待遇，资料没有说明",
			newest.Year, ChineseDate(newest.LatePayment.End))
	case day.Before(oldest.Enrolment.Start):
		r.Year = oldest.Year
		r.Reason = fmt.Sprintf("%s以前的缴费规定不在现有资料里", ChineseDate(oldest.Enrolment.Start))
	default:
		r.Year = newest.Year
		for _, p := range b.years {
			if !day.After(p.LatePayment.End) {
				r.Year = p.Year
				break
			}
		}
		r.Reason = "这个日期不在资料写明的集中参保期或补缴期内"
	}
	return r
}

// ChineseDate writes a day as residents read it: 2025年3月1日.
func ChineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
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
