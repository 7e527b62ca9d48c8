package intents

import (
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents/pii"
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
	slotDontKnow
	slotCorrection
	slotPlain // a phrase that holds a cue word but means nothing ("对不对")
)

type slotWord struct {
	kind  slotKind
	value int
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
	text, personal := pii.Blank(text) // a phone or ID is never money
	s := m.extract(fold(text), now)
	s.PersonalNumber = personal
	return s
}

func (m *Matcher) extract(rs []rune, now time.Time) Slots {
	return m.extractFull(rs, now).slots
}

// reading is what one pass over a message found.
type reading struct {
	slots Slots
	// followUp: an opener (那, 如果是) or closer (呢) around nothing but
	// slots ("那二档呢", "孩子呢").
	followUp bool
	// bare: the message is nothing but slots, numbers, dates and
	// fillers ("二档三甲", "10万"): no word is left that a typo could
	// hide in, so matching need not look for one.
	bare bool
}

func (m *Matcher) extractFull(rs []rune, now time.Time) reading {
	x := extractor{now: now, lx: m.lx}
	stop := func(j int) bool {
		// A slot word, or a word for times ("8千一次": 8千, then 一次, not
		// 8千一 and 次), ends a number.
		_, l := m.slotWords.longest(rs, j)
		return l > 0 || m.lx.times.startsAt(rs, j) > 0
	}
	levelAt := func(j int) bool {
		w, l := m.slotWords.longest(rs, j)
		return l > 0 && w.kind == slotLevel
	}
	from, to := m.lx.followUpFrame(rs)
	framed := from > 0 || to < len(rs)
	uncovered := 0 // runes inside the frame (the whole message if none) that are no slot
	for i := 0; i < len(rs); {
		if l := x.date(rs, i); l > 0 {
			i += l
			continue
		}
		if w, l := m.slotWords.longest(rs, i); l > 0 {
			if w.kind == slotCare && m.lx.careDenied.endsAt(rs, i) > 0 {
				// "我没住院 就是看了门诊": no stay to speak of.
				i += l
				continue
			}
			if m.lx.negated(rs, i) {
				if w.kind == slotCare || w.kind == slotLevel || w.kind == slotTier {
					// "不是三级 是二级", "是社区医院不是三级": the value
					// after 不是 is the one being taken back.
					x.dropped[w.kind] = true
					i += l
					continue
				}
				w = w.negated()
			}
			if w.kind == slotMinorNo && m.lx.selfIs.endsAt(rs, i) > 0 {
				x.selfAdult = true // "我是大人"
			}
			x.word(w)
			i += l
			if w.kind == slotLevel && m.lx.levelThenStay.startsAt(rs, i) > 0 {
				x.word(slotWord{slotCare, 1}) // "在县医院住了一周"
			}
			if w.kind == slotRelYear {
				x.relYearEnd, x.relYear = i, x.now.Year()+w.value // "明年1月1号" is next year's
			}
			continue
		}
		if isASCIIDigit(rs[i]) {
			if l := phoneSpan(rs, i); l > 0 {
				i = l
				uncovered++
				continue
			}
		}
		if isNumeralStart(rs[i]) && (i == 0 || !isASCIIDigit(rs[i-1])) {
			n := readNumeral(rs, i, stop, m.lx.notMoneyAfter)
			if m.lx.negated(rs, i) {
				x.droppedSum = true // "不是5万 是8万"
			} else {
				n.end = x.number(rs, n)
			}
			i = max(n.end, i+1)
			if i < len(rs) && (rs[i] == '年' || rs[i] == '岁') {
				i++ // a year, a duration or an age, read with its number: no word of its own
			}
			continue
		}
		switch {
		case m.lx.inpatientPhrase(rs, i, levelAt):
			x.word(slotWord{slotCare, 1})
		case m.lx.takesBack.startsAt(rs, i) > 0:
			// "不是小孩 是我妈", but not the question "是不是小孩"
			l := m.lx.takesBack.startsAt(rs, i)
			if m.lx.asksBack.endsAt(rs, i+l) == 0 && m.lx.restates.in(rs[i+l:]) {
				x.s.Correction = true
			}
		case m.lx.pronouns.has(rs[i]):
			if ageAhead(rs, i+1) {
				i++ // "他6岁": the pronoun belongs to the age
				continue
			}
		case m.lx.allOutOfPolicy.startsAt(rs, i) > 0:
			x.allOOP = true // "全部都是自费的": the whole bill is outside the list
		}
		if i >= from && i < to && !m.lx.isFiller(rs[i]) {
			uncovered++
		}
		i++
	}
	if uncovered > 0 {
		m.soundSlots(&x, rs)
		if x.s.Level == engine.LevelUnknown && !x.levelConflict && to-from <= maxBareLevel {
			x.s.Level = m.lx.bareLevel(rs[from:to]) // "区县的" said alone, answering the level
		}
	}
	if m.lx.paidForSpeaker(rs) {
		// "我儿子帮我交的": the speaker is the patient; the son is who paid.
		x.speakerIsPatient = true
	}
	if !x.s.MoreBills && m.lx.times.anyIn(rs) {
		switch {
		case x.bareSecond.IsPositive():
			// "住了两次卫生院 一次3000一次2000": two bare sums, said as times.
			x.s.MoreBills, x.s.NextBill = true, x.bareSecond
		case x.bareFirst.IsPositive() && !x.bareFirst.Equal(x.s.Amount):
			// "一次8千一次1万2": a bare sum, then one written as money.
			x.s.MoreBills, x.s.NextBill, x.s.Amount = true, x.s.Amount, x.bareFirst
		}
	}
	s := x.finish()
	return reading{slots: s, followUp: framed && uncovered == 0 && s.answers(), bare: uncovered == 0}
}

// answers reports whether the slots hold something a follow-up can be
// about: a tier, level, kind, patient, sum or date.
func (s Slots) answers() bool {
	return s.Tier != engine.TierUnknown || s.Level != engine.LevelUnknown || s.Kind != engine.KindUnknown ||
		s.Minor != nil || s.HasAmount || s.HasOutOfPolicy || s.HasPremium || s.HasPriorBasic || s.HasPriorSelfPay ||
		!s.Date.IsZero() || s.Year != 0
}

// onlyWhen reports whether the only slots said are a year or a date:
// "2026年政府给每个人补贴多少" is a question for the classifier, not an
// answer to the dialog's.
func (s Slots) onlyWhen() bool {
	when := s
	when.Year, when.Date = 0, time.Time{}
	return !when.answers() && (s.Year != 0 || !s.Date.IsZero())
}

// followUpFrame returns the span of rs inside a follow-up's opener and
// closer; from is 0 and to len(rs) when there are none.
func (lx *lexicon) followUpFrame(rs []rune) (from, to int) {
	from, to = 0, len(rs)
	for from < to && !isWordRune(rs[from]) {
		from++
	}
	for to > from && !isWordRune(rs[to-1]) {
		to--
	}
	start, end := from, to
	if l := lx.followUpAcks.startsAt(rs, from); l > 0 {
		// "好的 那换成二档呢": an acknowledgement before the opener is no
		// part of what the follow-up asks.
		j := from + l
		for j < to && !isWordRune(rs[j]) {
			j++
		}
		if lx.followUpOpeners.startsAt(rs, j) > 0 || lx.followUpClosers.endsAt(rs, to) > 0 {
			from = j
		}
	}
	from += lx.followUpOpeners.startsAt(rs, from)
	if l := lx.followUpClosers.endsAt(rs, to); l > 0 && to-l >= from {
		to -= l
	}
	if from == start && to == end {
		return 0, len(rs)
	}
	return from, to
}

func isWordRune(r rune) bool { return isLetter(r) || unicode.IsDigit(r) }

func (lx *lexicon) isFiller(r rune) bool {
	switch {
	case r < 0x80:
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	case isHan(r): // a letter, unless a filler
		return lx.fillerRunes.has(r)
	}
	return !isWordRune(r)
}

// negated reports whether the word at rs[i] follows 不是 ("不是小孩",
// "不是给孩子交"), but not the question 是不是.
func (lx *lexicon) negated(rs []rune, i int) bool {
	at := func(j int) bool { return lx.takesBack.endsAt(rs, j) > 0 && lx.asksBack.endsAt(rs, j) == 0 }
	if at(i) {
		return true
	}
	for _, skip := range lx.src.List("dialog.negation_skips") {
		if j := i - utf8.RuneCountInString(skip); j >= 0 && endsWith(rs, i, skip) && at(j) {
			return true
		}
	}
	return false
}

// negated turns a word for a child into one for an adult and back; other
// words are unchanged.
func (w slotWord) negated() slotWord {
	switch w.kind {
	case slotMinorYes:
		w.kind = slotMinorNo
	case slotMinorNo:
		w.kind = slotMinorYes
	}
	return w
}

// extractor gathers slots over one pass of a message.
type extractor struct {
	now   time.Time
	lx    *lexicon
	s     Slots
	money bool // the amount found was written as money, not a bare number

	tierConflict, levelConflict, kindConflict bool
	minorYes, minorNo, ageSeen, dateSeen      bool

	relYearEnd int // where a relative year word (明年) ended, 0 if none
	relYear    int // the year it named

	weakOOP pendingSum // "自费1万": out of the list beside a bill, else the bill
	// speakerIsPatient: someone else paid for the person typing ("儿子帮我
	// 交的"), who is the patient and an adult.
	speakerIsPatient bool
	selfAdult        bool // "我是大人": the speaker, an adult, is the patient
	capAsked         bool // "是不是二档一年最多报12万，一档8万": sums are caps
	allOOP           bool // "全部都是自费的": the whole bill is outside the list

	// What followed 不是 and so was taken back ("不是三级 是二级"): it
	// marks the message a correction when another value replaces it.
	dropped    [slotCorrection]bool
	droppedSum bool
	// After a correction word ("二级 哦不对 是三级", "5万 等一下 不对 是
	// 四万五") the next value of each kind replaces the one before it
	// rather than conflicting with it: the value after the correction wins.
	replace    [slotCorrection]bool
	replaceSum bool
	// bareSecond is a second bare number after a bare first ("一次3000一次
	// 2000"): a second bill only when the message speaks of times (see
	// lexicon amount.times).
	bareSecond engine.Money
	// bareFirst is a bare sum that a later sum written as money replaced
	// as the bill; with a word for times, it is the first of two bills.
	bareFirst engine.Money
}

func (x *extractor) word(w slotWord) {
	switch w.kind {
	case slotCare:
		k := engine.KindInpatient
		if w.value == 2 {
			k = engine.KindOutpatient
		}
		if x.replace[slotCare] {
			x.replace[slotCare], x.kindConflict = false, false
		} else {
			x.kindConflict = x.kindConflict || (x.s.Kind != engine.KindUnknown && x.s.Kind != k)
		}
		x.s.Kind = k
	case slotLevel:
		l := engine.Level(w.value)
		if x.replace[slotLevel] {
			x.replace[slotLevel], x.levelConflict = false, false
		} else {
			x.levelConflict = x.levelConflict || (x.s.Level != engine.LevelUnknown && x.s.Level != l)
		}
		x.s.Level = l
	case slotTier:
		t := engine.Tier(w.value)
		if x.replace[slotTier] {
			x.replace[slotTier], x.tierConflict = false, false
		} else {
			x.tierConflict = x.tierConflict || (x.s.Tier != engine.TierUnknown && x.s.Tier != t)
		}
		x.s.Tier = t
	case slotMinorYes:
		x.minorYes = true
	case slotMinorNo:
		x.minorNo = true
	case slotDontKnow:
		x.s.DontKnow = true
	case slotCorrection:
		x.s.Correction = true
		x.replace[slotCare], x.replace[slotLevel], x.replace[slotTier] = true, true, true
		x.replaceSum = true
	case slotRelDay:
		x.setDate(time.Date(x.now.Year(), x.now.Month(), x.now.Day()+w.value, 0, 0, 0, 0, x.now.Location()))
	case slotRelMonth:
		x.setDate(time.Date(x.now.Year(), x.now.Month()+time.Month(w.value), 1, 0, 0, 0, 0, x.now.Location()))
	case slotRelYear:
		if x.s.Year == 0 && w.value == 0 {
			x.s.YearIsThis = true
		}
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

func (x *extractor) setAmount(s sum) {
	corrects := x.replaceSum // "5万 不对 是四万五": the sum after the correction wins
	x.replaceSum = false
	if !corrects && x.s.HasAmount && (x.money || !s.marked) {
		if m := s.money(); x.s.AmountApprox && !s.approx && !s.negative && !m.LessThan(x.s.Amount) && m.LessThan(x.s.Amount.Times(2)) {
			// "住院3来万 按3万算嘛", "花了一万多点 就是一万零五百": the
			// rough sum said exactly is the bill, no longer rough.
			x.s.Amount, x.s.AmountApprox = m, false
		} else if x.money && s.marked && !m.Equal(x.s.Amount) {
			if !x.s.MoreBills {
				x.s.NextBill = m
			}
			x.s.MoreBills = true // "一次2万一次3万"
		} else if !x.money && !s.marked && !s.negative && !m.Equal(x.s.Amount) && x.bareSecond.IsZero() {
			x.bareSecond = m
		}
		return // keep the first, unless it was bare and this one is money
	}
	if !corrects && x.s.HasAmount && !x.money && !x.s.AmountNegative && x.bareSecond.IsZero() {
		// A bare sum before this one written as money: this one is the
		// bill, unless the message speaks of times ("一次8千一次1万2"),
		// when the bare one is the first bill (see extractFull).
		x.bareFirst = x.s.Amount
	}
	x.s.Amount = s.money()
	x.s.HasAmount, x.money = true, s.marked
	x.s.AmountApprox, x.s.AmountNegative = s.approx, s.negative
}

func (x *extractor) finish() Slots {
	x.settleWeak()
	if x.capAsked {
		// Caps asked about, not a bill: "是不是二档一年最多报12万，一档8万".
		x.s.Amount, x.s.HasAmount, x.s.AmountApprox, x.s.AmountNegative = engine.Money{}, false, false, false
	}
	if x.allOOP && x.s.HasAmount && !x.s.HasOutOfPolicy {
		x.s.OutOfPolicy, x.s.HasOutOfPolicy = x.s.Amount, true
	}
	if x.droppedSum && x.s.HasAmount || x.dropped[slotLevel] && x.s.Level != engine.LevelUnknown ||
		x.dropped[slotTier] && x.s.Tier != engine.TierUnknown || x.dropped[slotCare] && x.s.Kind != engine.KindUnknown {
		x.s.Correction = true
	}
	if x.tierConflict {
		x.s.Tier = engine.TierUnknown
	}
	if x.levelConflict {
		x.s.Level = engine.LevelUnknown
	}
	if x.kindConflict {
		x.s.Kind, x.s.TwoKinds = engine.KindUnknown, true
	}
	switch {
	case x.ageSeen:
		minor := x.s.Age < 18
		x.s.Minor = &minor
	case x.speakerIsPatient || x.selfAdult:
		minor := false
		x.s.Minor = &minor
	case x.minorYes != x.minorNo:
		minor := x.minorYes
		x.s.Minor = &minor
	}
	return x.s
}

// soundSlots fills a kind, level or tier the message did not give with a
// word it reads as by sound ("三及医院", "一当"). A word shorter than four
// characters must stand alone (between the ends of the message, spaces,
// punctuation, digits or a particle), since so many everyday words sound
// like one: "三家" is not "三甲" in "问了三家医院", nor "去医院" 区医院.
func (m *Matcher) soundSlots(x *extractor, rs []rune) {
	need := func(k slotKind) bool {
		switch k {
		case slotCare:
			return x.s.Kind == engine.KindUnknown && !x.kindConflict
		case slotLevel:
			return x.s.Level == engine.LevelUnknown && !x.levelConflict
		case slotTier:
			return x.s.Tier == engine.TierUnknown && !x.tierConflict
		}
		return false
	}
	if !need(slotCare) && !need(slotLevel) && !need(slotTier) {
		return
	}
	// Where the word stands is checked only for the rare window that
	// reads as one: checking it for every candidate costs more than the
	// comparison it would save.
	m.slotSounds.find(rs, func(id, _ int) bool {
		return need(m.slotSoundKey[id].kind)
	}, func(id, start int) {
		w, n := m.slotSoundKey[id], len(m.slotSounds.words[id])
		if need(w.kind) && (n >= 4 || m.lx.standsAlone(rs, start, start+n) || w.kind == slotCare && m.lx.goesOn(rs, start+n)) {
			x.word(w)
		}
	})
}

// goesOn reports whether the word for a kind of care ending at i goes
// on as such words do ("住阮花了5万", "住阮怎么报", "门珍费"): what follows a
// sound-alike of 住院 in everyday words ("祝愿你") is something else.
func (lx *lexicon) goesOn(rs []rune, i int) bool {
	return i < len(rs) && (lx.careGoesOn.has(rs[i]) || isASCIIDigit(rs[i]))
}

// standsAlone reports whether rs[from:to] is a word of its own.
func (lx *lexicon) standsAlone(rs []rune, from, to int) bool {
	before := from == 0 || !isLetter(rs[from-1])
	after := to == len(rs) || !isLetter(rs[to]) || lx.wordEnd.has(rs[to])
	return before && after
}

// maxBareLevel is the longest message bareLevel reads: a word of three
// runes with a filler or two.
const maxBareLevel = 6

// bareLevel reads a message that is one of the lexicon's places, said
// alone in answer to the level question ("区县的", "乡镇上的"): inside a
// longer message such words say little ("区县医保局在哪").
func (lx *lexicon) bareLevel(rs []rune) engine.Level {
	var buf [8]rune
	word := buf[:0]
	for _, r := range rs {
		if lx.isFiller(r) {
			continue
		}
		if len(word) == len(buf) {
			return engine.LevelUnknown
		}
		word = append(word, r)
	}
	if len(word) == 0 || len(word) > 3 {
		return engine.LevelUnknown
	}
	return engine.Level(lx.bareLevels[string(word)])
}

// ageAhead reports whether an age in digits ("6岁", "12岁") starts at rs[i].
func ageAhead(rs []rune, i int) bool {
	j := i
	for j < len(rs) && isASCIIDigit(rs[j]) {
		j++
	}
	return j > i && j-i <= 3 && j < len(rs) && rs[j] == '岁'
}
