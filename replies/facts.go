package replies

import (
	"fmt"
	"strings"
	"time"

	"github.com/yibao/yibao/engine"
)

// Facts are the figures and dates a guide may show, already formatted for
// a phone screen ("400", "16,901", "55%", "2024年9月13日"), so that the
// guides' templates only place them and never compute. The bot fills them
// from one year's policy (NewFacts does it); a zero string means the data
// has no such figure and the template says so.
type Facts struct {
	// Year is the benefit year every figure below belongs to.
	Year int
	// Fallback is true when the year asked about (or today's) has no data
	// and Year is an earlier one: answers must say so.
	Fallback bool
	// AskedYear is the year asked about, or today's benefit year, when
	// Fallback.
	AskedYear int
	// Today is the date the answer is given, "2026年11月23日".
	Today string
	// Season is where today falls for Year's payment windows: one of
	// SeasonBefore, SeasonEnrolment, SeasonLate, SeasonClosed, SeasonUnknown.
	Season string

	// AskedPartial is true when AskedYear's file records only some figures
	// (its contribution): the rules shown are Year's.
	AskedPartial bool
	// Paying is the round of enrolment today, for answers about paying.
	Paying Paying

	Contribution Contribution
	Enrolment    Enrolment
	Late         Window
	Outpatient   Outpatient
	Inpatient    Inpatient
	Critical     Critical
	Employee     Employee
	// Hotlines are the numbers to call, most useful first; guides offer
	// the first two when the sources cannot answer.
	Hotlines []Hotline
}

// Seasons: where today falls for the payment windows of Facts.Year.
const (
	SeasonBefore    = "before"    // before the enrolment window opens
	SeasonEnrolment = "enrolment" // in the enrolment window (集中参保期)
	SeasonLate      = "late"      // in the late-payment window (补缴期)
	SeasonClosed    = "closed"    // after the late-payment window
	SeasonUnknown   = "unknown"   // no windows known
)

// Contribution is what a resident pays for the year, in yuan.
type Contribution struct {
	Tier1, Tier2 string // "400", "775"
	// Gap is how much more tier 2 costs than tier 1, "375".
	Gap     string
	Subsidy string // the state's minimum subsidy per person, "670"; empty when not recorded
	// Year is the benefit year the amounts belong to: Facts.Year, or a
	// later year whose file records only its contribution.
	Year int
	// Source says in plain words where the amounts come from.
	Source string
}

// Enrolment is the enrolment window (集中参保期).
type Enrolment struct {
	Start, End   string // "2024年9月13日", "2024年12月31日"
	BenefitsFrom string // cover for those who paid in the window, "2025年1月1日"
}

// Window is a span of days, such as the late-payment window (补缴期):
// who pays in it is covered from the 1st of the following month.
type Window struct {
	Start, End string
}

// Outpatient are the 普通门诊 rules.
type Outpatient struct {
	Rows   []OutpatientRow // by level, 1 then 2 then 3
	Limit1 string          // annual limit, 一档, "300"
	Limit2 string          // annual limit, 二档, "500"
	// DeductibleBasis is "visit", "year" or "unknown": whether the
	// deductible is charged per visit or once a year (the 2025 source
	// does not say).
	DeductibleBasis string
}

// OutpatientRow is one hospital grade's outpatient rule.
type OutpatientRow struct {
	Level      int    // 1, 2 or 3
	Covered    bool   // false: ordinary outpatient care there is not reimbursed
	Ratio      string // "60%"
	Deductible string // "0", "200"
}

// Inpatient are the basic fund's inpatient rules.
type Inpatient struct {
	Rows       []InpatientRow // by level, 3 then 2 then 1
	MinorBonus string         // percentage points added for minors, "5"
	Cap1, Cap2 string         // the basic fund's yearly cap by tier, "80,000"
}

// InpatientRow is one hospital grade's inpatient rule.
type InpatientRow struct {
	Level                    int    // 1, 2 or 3
	Deductible               string // per admission, "800"
	Ratio1, Ratio2           string // adults, by tier, "50%", "55%"
	MinorRatio1, MinorRatio2 string // minors, by tier, "55%", "60%"
}

// Critical are the 大病保险 rules.
type Critical struct {
	Deductible string // "16,901"
	// Confirmed is false while Deductible is the last known figure rather
	// than one published for Year: guides then say it is an estimate.
	Confirmed bool
	Ratio     string // "60%"
	Cap       string // "200,000"
}

// Employee is employee insurance taken as an individual (以个人身份参加职工医保).
type Employee struct {
	Year         int    // the year the figures belong to
	Tier1, Tier2 string // per year, "3,075"; empty when the data has none
}

// Hotline is a number residents can call.
type Hotline struct {
	Number string // "023-12393"
	Label  string // "重庆医保服务热线"
}

// NewFacts formats one year's policy for the guides. askedYear is the year
// the user asked about (or today's benefit year); when it is not p.Year the
// facts say they fall back. Season is today's place in p's own windows, so
// that the dates a guide shows and what it says about them agree.
func NewFacts(p *engine.Policy, askedYear int, today time.Time) Facts {
	f := Facts{
		Year:      p.Year,
		Fallback:  askedYear != 0 && askedYear != p.Year,
		AskedYear: askedYear,
		Today:     ChineseDate(today),
		Season:    season(p, today),
	}
	t1, _ := p.Contribution(engine.Tier1)
	t2, _ := p.Contribution(engine.Tier2)
	f.Contribution = Contribution{Tier1: t1.Display(), Tier2: t2.Display(), Gap: t2.Sub(t1).Display(), Subsidy: p.SubsidyMin.Display(), Year: p.Year, Source: SourceWords(p)}
	f.Enrolment = Enrolment{
		Start:        dateOrEmpty(p.Enrolment.Start),
		End:          dateOrEmpty(p.Enrolment.End),
		BenefitsFrom: dateOrEmpty(p.EnrolmentBenefitsFrom),
	}
	f.Late = Window{Start: dateOrEmpty(p.LatePayment.Start), End: dateOrEmpty(p.LatePayment.End)}

	o := p.Outpatient
	f.Outpatient = Outpatient{
		Limit1:          o.Limit(engine.Tier1).Display(),
		Limit2:          o.Limit(engine.Tier2).Display(),
		DeductibleBasis: o.DeductibleBasis,
	}
	for _, l := range []engine.Level{engine.Level1, engine.Level2, engine.Level3} {
		r := o.Level(l)
		f.Outpatient.Rows = append(f.Outpatient.Rows, OutpatientRow{
			Level: int(l), Covered: r.Covered, Ratio: r.Ratio.Percent(), Deductible: r.Deductible.Display(),
		})
	}

	in := p.Inpatient
	f.Inpatient = Inpatient{
		MinorBonus: strings.TrimSuffix(in.MinorBonus.Percent(), "%"),
		Cap1:       in.Cap(engine.Tier1).Display(),
		Cap2:       in.Cap(engine.Tier2).Display(),
	}
	for _, l := range []engine.Level{engine.Level3, engine.Level2, engine.Level1} {
		r := in.Level(l)
		f.Inpatient.Rows = append(f.Inpatient.Rows, InpatientRow{
			Level:       int(l),
			Deductible:  r.Deductible.Display(),
			Ratio1:      r.Ratio(engine.Tier1).Percent(),
			Ratio2:      r.Ratio(engine.Tier2).Percent(),
			MinorRatio1: r.Ratio(engine.Tier1).Add(in.MinorBonus).Percent(),
			MinorRatio2: r.Ratio(engine.Tier2).Add(in.MinorBonus).Percent(),
		})
	}

	c := p.Critical
	f.Critical = Critical{Deductible: c.Deductible.Display(), Confirmed: c.Confirmed, Ratio: c.Ratio.Percent(), Cap: c.Cap.Display()}

	f.Employee = Employee{Year: p.Year}
	if e1, err := p.EmployeeContribution(engine.Tier1); err == nil {
		f.Employee.Tier1 = e1.Display()
	}
	if e2, err := p.EmployeeContribution(engine.Tier2); err == nil {
		f.Employee.Tier2 = e2.Display()
	}

	for _, h := range p.Hotlines {
		f.Hotlines = append(f.Hotlines, Hotline{Number: h.Number, Label: h.Label})
	}
	return f
}

func season(p *engine.Policy, today time.Time) string {
	if p.Enrolment.Start.IsZero() || p.LatePayment.End.IsZero() {
		return SeasonUnknown
	}
	return string(p.SeasonOf(today))
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ChineseDate(t)
}

const sample2025Source = "据重庆本地宝《2025重庆居民医保参保指南(参保+缴费+报销)》（2024年9月18日，非官方原文）"

// SampleFacts2025 are the 2025 figures of chongqing.md as NewFacts formats
// them, on a day in the 2025 enrolment window. Tests and documentation use
// them; the bot uses NewFacts.
func SampleFacts2025() Facts {
	return Facts{
		Year:         2025,
		AskedYear:    2025,
		Today:        "2024年10月8日",
		Season:       SeasonEnrolment,
		Contribution: Contribution{Tier1: "400", Tier2: "775", Gap: "375", Subsidy: "670", Year: 2025, Source: sample2025Source},
		Paying: Paying{
			Year: 2025, InForce: 2024, Enrolling: 2025, Phase: SeasonEnrolment, Recorded: true, DatesKnown: true,
			Known:    Amounts{Year: 2025, Tier1: "400", Tier2: "775", Gap: "375", Subsidy: "670", Source: sample2025Source},
			PastYear: 2025, PastWindow: "2024年9月13日至2024年12月31日", PastEnd: "12月31日", PastFrom: "2025年1月1日",
			WaitingMonths: 3, WaitingSource: "国办发〔2024〕38号",
		},
		Enrolment: Enrolment{Start: "2024年9月13日", End: "2024年12月31日", BenefitsFrom: "2025年1月1日"},
		Late:      Window{Start: "2025年1月1日", End: "2025年2月28日"},
		Outpatient: Outpatient{
			Rows: []OutpatientRow{
				{Level: 1, Covered: true, Ratio: "60%", Deductible: "0"},
				{Level: 2, Covered: true, Ratio: "40%", Deductible: "200"},
				{Level: 3, Covered: false, Ratio: "0%", Deductible: "0"},
			},
			Limit1: "300", Limit2: "500",
			DeductibleBasis: "unknown",
		},
		Inpatient: Inpatient{
			Rows: []InpatientRow{
				{Level: 3, Deductible: "800", Ratio1: "50%", Ratio2: "55%", MinorRatio1: "55%", MinorRatio2: "60%"},
				{Level: 2, Deductible: "300", Ratio1: "70%", Ratio2: "75%", MinorRatio1: "75%", MinorRatio2: "80%"},
				{Level: 1, Deductible: "100", Ratio1: "80%", Ratio2: "85%", MinorRatio1: "85%", MinorRatio2: "90%"},
			},
			MinorBonus: "5",
			Cap1:       "80,000", Cap2: "120,000",
		},
		Critical: Critical{Deductible: "16,901", Confirmed: false, Ratio: "60%", Cap: "200,000"},
		Employee: Employee{Year: 2025, Tier1: "3,075", Tier2: "6,765"},
		Hotlines: []Hotline{
			{Number: "023-12393", Label: "重庆医保服务热线"},
			{Number: "023-88979966", Label: "重庆市医疗保障局咨询电话"},
			{Number: "12333", Label: "人社服务热线"},
		},
	}
}

// LongestFacts are the longest values the guides could plausibly be given:
// 7-digit amounts, fractional ratios, the longest dates, a fallback year
// and more hotlines. The length tests and Validate render every guide with
// them (in every season) to prove each reply fits in one message.
func LongestFacts() Facts {
	const (
		amount = "1,234,567.89"
		ratio  = "62.55%"
		date   = "2099年12月31日"
	)
	longSource := "据某某区某某镇《2099年度城乡居民医疗保险征缴工作方案》（2098年12月31日公开，转引重庆市渝医保发〔2098〕100号）"
	row := InpatientRow{Level: 3, Deductible: amount, Ratio1: ratio, Ratio2: ratio, MinorRatio1: ratio, MinorRatio2: ratio}
	rows := []InpatientRow{row, row, row}
	rows[1].Level, rows[2].Level = 2, 1
	return Facts{
		Year:         2098,
		Fallback:     true,
		AskedYear:    2099,
		Today:        date,
		Season:       SeasonClosed,
		Contribution: Contribution{Tier1: amount, Tier2: amount, Gap: amount, Subsidy: amount, Year: 2099, Source: longSource},
		AskedPartial: true,
		Paying: Paying{
			Year: 2099, InForce: 2099, Enrolling: 2099, Phase: SeasonBefore,
			Known:    Amounts{Year: 2098, Tier1: amount, Tier2: amount, Gap: amount, Subsidy: amount, Source: longSource},
			PastYear: 2098, PastWindow: date + "至" + date, PastEnd: "12月31日",
			InForceLateEnd: date, WaitingMonths: 12, WaitingSource: "国办发〔2099〕100号",
		},
		Enrolment: Enrolment{Start: date, End: date, BenefitsFrom: date},
		Late:      Window{Start: date, End: date},
		Outpatient: Outpatient{
			Rows: []OutpatientRow{
				{Level: 1, Covered: true, Ratio: ratio, Deductible: amount},
				{Level: 2, Covered: true, Ratio: ratio, Deductible: amount},
				{Level: 3, Covered: true, Ratio: ratio, Deductible: amount},
			},
			Limit1: amount, Limit2: amount,
			DeductibleBasis: "unknown",
		},
		Inpatient: Inpatient{Rows: rows, MinorBonus: "12.5", Cap1: amount, Cap2: amount},
		Critical:  Critical{Deductible: amount, Ratio: ratio, Cap: amount},
		Employee:  Employee{Year: 2098, Tier1: amount, Tier2: amount},
		Hotlines: []Hotline{
			{Number: "023-12393", Label: "重庆市医疗保障局医保服务热线"},
			{Number: "023-88979966", Label: "重庆市医疗保障局政策咨询电话"},
			{Number: "12333", Label: "重庆市人力资源和社会保障服务热线"},
			{Number: "12345", Label: "重庆市政务服务便民热线"},
		},
	}
}

// Paying is where today falls in the round of enrolment, for answers about
// paying for a year whose rules are not all recorded.
type Paying struct {
	// Year is the benefit year the answer is about: the one asked, or the
	// one being enrolled.
	Year      int
	InForce   int
	Enrolling int
	Phase     string // SeasonEnrolment, SeasonLate or SeasonBefore
	// Recorded: Year's own contribution is in the data; DatesKnown: its
	// payment windows are.
	Recorded   bool
	DatesKnown bool
	// Known is Year's contribution when Recorded, else the newest earlier
	// one, shown as such.
	Known Amounts
	// PastYear's enrolment window (PastWindow) is the newest recorded; it
	// closed on PastEnd ("12月31日"). Empty when no year records one.
	PastYear   int
	PastWindow string
	PastEnd    string
	// PastFrom is when cover began for those who paid in PastYear's window
	// ("2025年1月1日").
	PastFrom string
	// InForceLateEnd is set, between windows, when the year in force's late
	// window is recorded and over: what "can I still pay" is about.
	InForceLateEnd string
	// WaitingMonths is the national fixed waiting period for enrolling
	// outside the window (0 when the data has no such rule), and
	// WaitingSource its document number.
	WaitingMonths int
	WaitingSource string
}

// Amounts are one year's contribution with its source in plain words.
type Amounts struct {
	Year                  int
	Tier1, Tier2, Subsidy string
	// Gap is how much more tier 2 costs than tier 1.
	Gap string
	// Student1 and Student2 are university students' amounts, when the
	// year's file gives them.
	Student1, Student2 string
	Source             string
}

// SourceWords says where a year's contribution comes from, in plain words
// for residents: the document, its date and, for a local document, the
// city's notice it cites.
func SourceWords(p *engine.Policy) string {
	pr := p.Provenance(engine.GroupContribution)
	if !pr.Known() {
		return ""
	}
	date := ""
	if !pr.Source.Date.IsZero() {
		date = ChineseDate(pr.Source.Date)
	}
	switch pr.Status {
	case engine.StatusOfficialLocal:
		return fmt.Sprintf("据%s（%s公开，转引重庆市%s）", pr.Source.Name, date, pr.Source.Cites)
	case engine.StatusConfirmed:
		if date != "" {
			return fmt.Sprintf("据%s（%s）", pr.Source.Name, date)
		}
		return "据" + pr.Source.Name
	case engine.StatusDraft:
		return fmt.Sprintf("据%s，是征求意见稿，以正式通知为准", pr.Source.Name)
	case engine.StatusCarriedOver:
		return fmt.Sprintf("沿用往年数字，据%s", pr.Source.Name)
	}
	return fmt.Sprintf("据%s（%s，非官方原文）", pr.Source.Name, date)
}

func amountsOf(p *engine.Policy) Amounts {
	t1, _ := p.Contribution(engine.Tier1)
	t2, _ := p.Contribution(engine.Tier2)
	a := Amounts{Year: p.Year, Tier1: t1.Display(), Tier2: t2.Display(), Gap: t2.Sub(t1).Display(), Source: SourceWords(p)}
	if p.SubsidyMin.IsPositive() {
		a.Subsidy = p.SubsidyMin.Display()
	}
	if s1, ok := p.StudentContribution(engine.Tier1); ok {
		s2, _ := p.StudentContribution(engine.Tier2)
		a.Student1, a.Student2 = s1.Display(), s2.Display()
	}
	return a
}

// WithYear completes facts made from a complete year's rules for the year
// asked: a later partial year's contribution replaces the rules year's
// (with its source), and Paying says where today falls. f must come from
// NewFacts for the same asked year and today.
func WithYear(f Facts, book *engine.Book, asked int, today time.Time) Facts {
	if cp, ok := book.ContributionYear(asked); ok && cp.Year > f.Year {
		a := amountsOf(cp)
		f.Contribution = Contribution{Tier1: a.Tier1, Tier2: a.Tier2, Gap: a.Gap, Subsidy: a.Subsidy, Year: a.Year, Source: a.Source}
	}
	if p, ok := book.Year(asked); ok && !p.Complete() && asked != f.Year {
		f.AskedPartial = true
	}
	// Employee insurance of the year asked, when that year's file has it.
	if p, ok := book.Year(asked); ok && asked != f.Year {
		e1, err1 := p.EmployeeContribution(engine.Tier1)
		e2, err2 := p.EmployeeContribution(engine.Tier2)
		if err1 == nil && err2 == nil {
			f.Employee = Employee{Year: p.Year, Tier1: e1.Display(), Tier2: e2.Display()}
		}
	}
	f.Paying = NewPaying(book, asked, today)
	return f
}

// NewPaying places today in the round of enrolment for an answer about
// paying for year.
func NewPaying(book *engine.Book, year int, today time.Time) Paying {
	s := book.Season(today)
	p := Paying{Year: year, InForce: s.InForce, Enrolling: s.Enrolling, Phase: string(s.Phase)}
	if own, ok := book.Year(year); ok {
		p.Recorded = own.HasContribution()
		p.DatesKnown = own.Provenance(engine.GroupEnrolment).Known()
	}
	if cp, ok := book.ContributionYear(year); ok {
		p.Known = amountsOf(cp)
	} else {
		p.Known = amountsOf(book.NewestContribution())
	}
	all := book.All()
	for i := len(all) - 1; i >= 0; i-- {
		if y := all[i]; y.Provenance(engine.GroupEnrolment).Known() {
			p.PastYear = y.Year
			p.PastWindow = ChineseDate(y.Enrolment.Start) + "至" + ChineseDate(y.Enrolment.End)
			p.PastEnd = fmt.Sprintf("%d月%d日", int(y.Enrolment.End.Month()), y.Enrolment.End.Day())
			p.PastFrom = ChineseDate(y.EnrolmentBenefitsFrom)
			break
		}
	}
	if inForce, ok := book.Year(s.InForce); ok && s.Phase == engine.SeasonBefore &&
		inForce.Provenance(engine.GroupEnrolment).Known() && today.After(inForce.LatePayment.End) {
		p.InForceLateEnd = ChineseDate(inForce.LatePayment.End)
	}
	if r := book.Newest().EnrolmentRules; r != nil {
		p.WaitingMonths = r.FixedMonths
		p.WaitingSource = shortSource(r.Source.Name)
	}
	return p
}
