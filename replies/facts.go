package replies

import (
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
	Subsidy      string // the state's minimum subsidy per person, "670"
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
		Today:     engine.ChineseDate(today),
		Season:    season(p, today),
	}
	t1, _ := p.Contribution(engine.Tier1)
	t2, _ := p.Contribution(engine.Tier2)
	f.Contribution = Contribution{Tier1: t1.Display(), Tier2: t2.Display(), Subsidy: p.SubsidyMin.Display()}
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
	return engine.ChineseDate(t)
}

// SampleFacts2025 are the 2025 figures of chongqing.md as NewFacts formats
// them, on a day in the 2025 enrolment window. Tests and documentation use
// them; the bot uses NewFacts.
func SampleFacts2025() Facts {
	return Facts{
		Year:         2025,
		AskedYear:    2025,
		Today:        "2024年10月8日",
		Season:       SeasonEnrolment,
		Contribution: Contribution{Tier1: "400", Tier2: "775", Subsidy: "670"},
		Enrolment:    Enrolment{Start: "2024年9月13日", End: "2024年12月31日", BenefitsFrom: "2025年1月1日"},
		Late:         Window{Start: "2025年1月1日", End: "2025年2月28日"},
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
	row := InpatientRow{Level: 3, Deductible: amount, Ratio1: ratio, Ratio2: ratio, MinorRatio1: ratio, MinorRatio2: ratio}
	rows := []InpatientRow{row, row, row}
	rows[1].Level, rows[2].Level = 2, 1
	return Facts{
		Year:         2098,
		Fallback:     true,
		AskedYear:    2099,
		Today:        date,
		Season:       SeasonClosed,
		Contribution: Contribution{Tier1: amount, Tier2: amount, Subsidy: amount},
		Enrolment:    Enrolment{Start: date, End: date, BenefitsFrom: date},
		Late:         Window{Start: date, End: date},
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
