package intents

import (
	"time"

	"github.com/shopspring/decimal"
	"github.com/yibao/yibao/engine"
)

// slotKind says what a slot word fills.
type slotKind uint8

const (
	slotNone slotKind = iota
	slotCare          // value: 1 inpatient, 2 outpatient
	slotLevel
	slotTier
	slotMinorYes
	slotMinorNo
	slotMinorNeutral
	slotRelDay   // value: days from today
	slotRelMonth // value: months from this one; the date is the 1st
	slotRelYear  // value: years from this one
)

type slotWord struct {
	kind  slotKind
	value int
}

// relativeWords are part of the language rather than the insurance
// domain, so they live here and not in the catalogue.
var relativeWords = []struct {
	word string
	w    slotWord
}{
	{"今天", slotWord{slotRelDay, 0}}, {"今日", slotWord{slotRelDay, 0}},
	{"昨天", slotWord{slotRelDay, -1}}, {"昨日", slotWord{slotRelDay, -1}},
	{"前天", slotWord{slotRelDay, -2}}, {"明天", slotWord{slotRelDay, 1}},
	{"后天", slotWord{slotRelDay, 2}},
	{"上个月", slotWord{slotRelMonth, -1}}, {"上一个月", slotWord{slotRelMonth, -1}}, {"上月", slotWord{slotRelMonth, -1}},
	{"这个月", slotWord{slotRelMonth, 0}}, {"本月", slotWord{slotRelMonth, 0}},
	{"下个月", slotWord{slotRelMonth, 1}}, {"下月", slotWord{slotRelMonth, 1}},
	{"今年", slotWord{slotRelYear, 0}}, {"本年", slotWord{slotRelYear, 0}},
	{"本年度", slotWord{slotRelYear, 0}}, {"明年", slotWord{slotRelYear, 1}},
	{"来年", slotWord{slotRelYear, 1}}, {"下一年", slotWord{slotRelYear, 1}},
	{"去年", slotWord{slotRelYear, -1}}, {"上一年", slotWord{slotRelYear, -1}},
	{"前年", slotWord{slotRelYear, -2}}, {"后年", slotWord{slotRelYear, 2}},
}

// Extract reads the slots of a message without choosing an intent: the
// answer to a question the bot asked ("二档", "三甲", "10万", "孩子").
//
// Choices worth knowing:
//   - Tier, Level and Kind are left unset when the message names two
//     different values ("一档二档多少钱", "门诊和住院"): the user is
//     comparing, not answering.
//   - The amount is the first sum written as money (a unit such as 元, 块,
//     万, 千, w, k, or ¥ before it); failing that, the first bare number
//     that is not something else (a year, a phone, an ID, a date, an age,
//     a count such as "3天"). A lone Chinese digit is never money ("算一下").
//   - A bare four-digit number within five years of now is a year.
//   - Minor comes from an age when one is said (under 18 is a minor), else
//     from the catalogue's words; when words for a child and for an adult
//     both appear ("帮我妈给孩子交"), it is left unset. 本人 and 自己 say
//     nothing about age.
//   - "1月15号" takes its year from now (or from 明年/去年 just before
//     it); "2025年1月" is 2025-01-01;
//     上个月 is the 1st of last month. An explicit year in a date also
//     fills Year.
func (m *Matcher) Extract(text string, now time.Time) Slots {
	return m.extract(fold(text), now)
}

func (m *Matcher) extract(rs []rune, now time.Time) Slots {
	x := extractor{now: now}
	stop := func(j int) bool {
		_, l := m.slotWords.longest(rs, j)
		return l > 0
	}
	for i := 0; i < len(rs); {
		if l := x.date(rs, i); l > 0 {
			i += l
			continue
		}
		if w, l := m.slotWords.longest(rs, i); l > 0 {
			x.word(w)
			i += l
			if w.kind == slotRelYear {
				x.relYearEnd, x.relYear = i, x.now.Year()+w.value // "明年1月1号" is next year's
			}
			continue
		}
		if isNumeralStart(rs[i]) && (i == 0 || !isASCIIDigit(rs[i-1])) {
			n := readNumeral(rs, i, stop)
			x.number(rs, n)
			i = max(n.end, i+1)
			continue
		}
		i++
	}
	return x.finish()
}

// extractor gathers slots over one pass of a message.
type extractor struct {
	now   time.Time
	s     Slots
	money bool // the amount found was written as money, not a bare number

	tierConflict, levelConflict, kindConflict bool
	minorYes, minorNo, ageSeen, dateSeen      bool

	relYearEnd int // where a relative year word (明年) ended, 0 if none
	relYear    int // the year it named
}

func (x *extractor) word(w slotWord) {
	switch w.kind {
	case slotCare:
		k := engine.KindInpatient
		if w.value == 2 {
			k = engine.KindOutpatient
		}
		x.kindConflict = x.kindConflict || (x.s.Kind != engine.KindUnknown && x.s.Kind != k)
		x.s.Kind = k
	case slotLevel:
		l := engine.Level(w.value)
		x.levelConflict = x.levelConflict || (x.s.Level != engine.LevelUnknown && x.s.Level != l)
		x.s.Level = l
	case slotTier:
		t := engine.Tier(w.value)
		x.tierConflict = x.tierConflict || (x.s.Tier != engine.TierUnknown && x.s.Tier != t)
		x.s.Tier = t
	case slotMinorYes:
		x.minorYes = true
	case slotMinorNo:
		x.minorNo = true
	case slotRelDay:
		x.setDate(time.Date(x.now.Year(), x.now.Month(), x.now.Day()+w.value, 0, 0, 0, 0, x.now.Location()))
	case slotRelMonth:
		x.setDate(time.Date(x.now.Year(), x.now.Month()+time.Month(w.value), 1, 0, 0, 0, 0, x.now.Location()))
	case slotRelYear:
		x.setYear(x.now.Year() + w.value)
	}
}

func (x *extractor) setDate(d time.Time) {
	if !x.dateSeen {
		x.s.Date, x.dateSeen = d, true
	}
}

func (x *extractor) setYear(y int) {
	if x.s.Year == 0 {
		x.s.Year = y
	}
}

func (x *extractor) setAge(a int) {
	if !x.ageSeen {
		x.s.Age, x.ageSeen = a, true
	}
}

func (x *extractor) setAmount(v int64, money bool) {
	if x.s.HasAmount && (x.money || !money) {
		return // keep the first, unless it was bare and this one is money
	}
	x.s.Amount = engine.MoneyOf(decimal.New(v, -4))
	x.s.HasAmount, x.money = true, money
}

func (x *extractor) finish() Slots {
	if x.tierConflict {
		x.s.Tier = engine.TierUnknown
	}
	if x.levelConflict {
		x.s.Level = engine.LevelUnknown
	}
	if x.kindConflict {
		x.s.Kind = engine.KindUnknown
	}
	switch {
	case x.ageSeen:
		minor := x.s.Age < 18
		x.s.Minor = &minor
	case x.minorYes != x.minorNo:
		minor := x.minorYes
		x.s.Minor = &minor
	}
	return x.s
}
