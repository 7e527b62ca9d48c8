package intents

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Lexicon is the language the matcher reads besides the catalogue's
// keywords: the cues around a sum of money, the dialog's own words (yes,
// no, don't know, a correction, a follow-up's opener), relative dates,
// hospitals described by where they are, and the small sets of characters
// the engines stop at. It lives in lexicon.yaml beside the catalogue so
// that a new phrasing is a data change; Go keeps only the engines that
// read it (a trie over the words, a cue before or after a number, a frame
// around slots) and the numeral and variant tables.
//
// Words are grouped by what reads them: Words["amount"]["units_after"].
// Which lists exist, and what each may hold, is fixed by the code that
// reads them (lexiconSpec); Validate reports unknown, missing and
// malformed lists.
type Lexicon struct {
	Words map[string]map[string]Words `yaml:"words"`
	// Plausible bounds the bills the bot computes without asking first.
	Plausible Plausible `yaml:"plausible"`
}

// Plausible are the bounds outside which a bill is questioned rather than
// computed: a hospital stay of 10元 or a clinic visit of 30,000元 is more
// likely a slip (a missing 万, a stay typed as a visit) than a bill.
type Plausible struct {
	InpatientMin  decimal.Decimal `yaml:"inpatient_min"`
	OutpatientMax decimal.Decimal `yaml:"outpatient_max"`
}

// Words is one list. In YAML it is a sequence of words, or a string whose
// characters are the members of a set of single characters.
type Words []string

// UnmarshalYAML reads a sequence, or a string as its characters.
func (w *Words) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		out := Words{}
		for _, r := range n.Value {
			out = append(out, string(r))
		}
		*w = out
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*w = list
	return nil
}

// WordList names a list the bot reads through Matcher.Says and
// Matcher.Mentions: "group.name" in lexicon.yaml.
type WordList string

// The lists the bot reads.
const (
	WordsAck         WordList = "dialog.ack"            // "哦", "好的": nothing asked
	WordsContinue    WordList = "dialog.continue"       // "继续": resume the estimate
	WordsQuestion    WordList = "dialog.question"       // "怎么", "多少": a question of its own
	WordsWhy         WordList = "dialog.why"            // "为啥", "咋这么少"
	WordsWhatIf      WordList = "dialog.what_if"        // "如果", "要是": a result asked again with other facts
	WordsCompare     WordList = "dialog.compare"        // "比交400的", "跟一档比": the shown result against another tier
	WordsWorth       WordList = "dialog.worth"          // "划算", "值不值": is the tier shown worth its price
	WordsPriceChange WordList = "dialog.price_change"   // "涨价", "比去年贵": the price against the year before
	WordsAnotherStay WordList = "dialog.another_stay"   // "又住了一次": a second stay in the same year
	WordsYes         WordList = "dialog.yes"            // yes to a yes/no question
	WordsNo          WordList = "dialog.no"             // no to a yes/no question
	WordsNoneOutside WordList = "dialog.none_outside"   // "没有": no out-of-list part
	WordsNegation    WordList = "dialog.negation"       // "不是" opening an answer
	WordsTierWord    WordList = "dialog.tier_word"      // "档": the message speaks of a tier
	WordsInpatient   WordList = "dialog.inpatient_word" // "住院": with WordsOutpatient, both kinds named
	WordsOutpatient  WordList = "dialog.outpatient_word"
	WordsPlainUnits  WordList = "amount.plain_units" // "350元": a bare number's unit
	WordsBillCue     WordList = "amount.bill_cues"   // "花了420": the sum is a bill, whatever question waits
)

// listKind says what a list may hold.
type listKind uint8

const (
	// kindPhrases are read in folded text beside a number, where spaces
	// and punctuation still stand: a cue may be " " or ":".
	kindPhrases listKind = iota
	// kindWords are matched in normalised text: letters and digits only.
	kindWords
	// kindRunes are sets of single characters.
	kindRunes
)

type listSpec struct {
	name string // "group.name"
	kind listKind
}

// lexiconSpec lists every list the code reads, and what it may hold. It
// is the schema of lexicon.yaml.
var lexiconSpec = []listSpec{
	{"amount.out_of_policy_before", kindPhrases},
	{"amount.self_pay_before", kindPhrases},
	{"amount.prior_basic_before", kindPhrases},
	{"amount.prior_self_pay_before", kindPhrases},
	{"amount.premium_before", kindPhrases},
	{"amount.paid_premium_before", kindPhrases},
	{"amount.before_fillers", kindPhrases},
	{"amount.out_of_policy_after", kindPhrases},
	{"amount.premium_after", kindPhrases},
	{"amount.units_after", kindPhrases},
	{"amount.self_names", kindPhrases},
	{"amount.self_verbs", kindPhrases},
	{"amount.paid_verbs", kindPhrases},
	{"amount.fund_names", kindPhrases},
	{"amount.phone_before", kindPhrases},
	{"amount.premium_change_before", kindPhrases},
	{"amount.measure_before", kindPhrases},
	{"amount.all_out_of_policy", kindPhrases},
	{"amount.money_marks_after", kindPhrases},
	{"amount.number_fillers", kindPhrases},
	{"amount.more_than", kindPhrases},
	{"amount.approx_before", kindPhrases},
	{"amount.not_rough_after", kindPhrases},
	{"amount.negative_before", kindPhrases},
	{"amount.percent_before", kindPhrases},
	{"amount.cap_before", kindPhrases},
	{"amount.money_then_word", kindPhrases},
	{"amount.plain_units", kindWords},
	{"amount.bill_cues", kindWords},
	{"amount.times", kindWords},
	{"amount.not_money_after", kindRunes},
	{"amount.slot_after_sum", kindRunes},
	{"amount.age_units", kindPhrases},
	{"amount.baby_age", kindPhrases},
	{"amount.age_before", kindPhrases},
	{"amount.person_before", kindRunes},
	{"amount.pronouns", kindRunes},
	{"amount.dial_before", kindRunes},
	{"amount.ambulance_before", kindRunes},
	{"amount.ambulance_after", kindPhrases},
	{"amount.not_year_before", kindRunes},
	{"amount.duration_after_year", kindRunes},
	// "一块去": 一 then 块 is "together", not one yuan…
	{"amount.together_after", kindPhrases},
	// …unless the unit goes on ("一块钱").
	{"amount.not_together_after", kindPhrases},
	// "我妈今年七十多了": a number with this after it, and an age word
	// before it (age_before), is an age.
	{"amount.age_done_after", kindPhrases},
	// "交380的", "775的": may follow a sum (or its unit) that ends the
	// message or its clause, still the premium.
	{"amount.sum_ends_after", kindPhrases},
	// "交775的话能多报好多": after a premium cue and a sum, the sum is the
	// premium even when more follows.
	{"amount.premium_if_after", kindPhrases},
	{"care.denied_before", kindPhrases},
	{"care.stay_at", kindPhrases},
	{"care.stay_opening", kindPhrases},
	{"care.stay_place", kindPhrases},
	{"care.stay_durations", kindPhrases},
	{"care.level_then_stay", kindPhrases},
	{"care.goes_on", kindRunes},
	// The verb of a stay in hospital ("住了半个月院"): a phrase of a stay
	// starts with it, and a second one ends the search for its 院.
	{"care.stay_verb", kindRunes},
	// Before the verb, it is no stay: "居住" is to reside.
	{"care.not_stay_before", kindRunes},
	// Ends a phrase of a stay: "住了半个月院".
	{"care.stay_end", kindRunes},
	// May stand between the verb and a hospital level: "住的县医院".
	{"care.stay_level_link", kindPhrases},
	{"dialog.dont_know", kindWords},
	{"dialog.correction", kindWords},
	{"dialog.not_correction", kindWords},
	{"dialog.follow_up_openers", kindWords},
	{"dialog.follow_up_acks", kindWords},
	{"dialog.follow_up_closers", kindWords},
	{"dialog.follow_up_fillers", kindRunes},
	{"dialog.negation_skips", kindWords},
	// Inside a message, takes back what follows: "不是5万 是8万" drops
	// the sum, "不是小孩 是我妈" is a correction.
	{"dialog.takes_back", kindPhrases},
	// Ends with takes_back but asks a question: "是不是小孩".
	{"dialog.asks_back", kindPhrases},
	// After takes_back, names what replaces it ("是我妈"): the message is
	// a correction.
	{"dialog.restates", kindRunes},
	{"dialog.rules_question", kindWords},
	{"dialog.amount_complaints", kindWords},
	{"dialog.ack", kindWords},
	{"dialog.continue", kindWords},
	{"dialog.question", kindWords},
	{"dialog.what_if", kindWords},
	{"dialog.compare", kindWords},
	{"dialog.worth", kindWords},
	{"dialog.price_change", kindWords},
	{"dialog.another_stay", kindWords},
	{"dialog.why", kindWords},
	{"dialog.yes", kindWords},
	{"dialog.no", kindWords},
	{"dialog.none_outside", kindWords},
	{"dialog.negation", kindWords},
	{"dialog.tier_word", kindWords},
	{"dialog.inpatient_word", kindWords},
	{"dialog.outpatient_word", kindWords},
	{"dates.today", kindWords},
	{"dates.yesterday", kindWords},
	{"dates.day_before_yesterday", kindWords},
	{"dates.tomorrow", kindWords},
	{"dates.day_after_tomorrow", kindWords},
	{"dates.last_month", kindWords},
	{"dates.this_month", kindWords},
	{"dates.next_month", kindWords},
	{"dates.this_year", kindWords},
	{"dates.next_year", kindWords},
	{"dates.last_year", kindWords},
	{"dates.year_before_last", kindWords},
	{"dates.year_after_next", kindWords},
	{"places.level1", kindWords},
	{"places.level2", kindWords},
	{"places.level3", kindWords},
	{"enrolment.last_year_break", kindWords},
	{"enrolment.break_before", kindWords},
	{"enrolment.break_after", kindWords},
	{"enrolment.break_fillers", kindWords},
	{"enrolment.paid_before", kindWords},
	{"people.payers", kindWords},
	{"people.on_behalf", kindWords},
	{"people.speaker", kindWords},
	{"people.self_is", kindPhrases},
	{"people.pay_verbs", kindWords},
	{"people.count_units", kindWords},
	{"people.count_not_after", kindWords},
	{"people.pairs", kindPhrases},
	{"people.self_patient", kindWords},
	{"people.self_at", kindWords},
	{"people.care_verbs", kindWords},
	{"people.care_places", kindWords},
	{"people.stay_verbs", kindWords},
	// What may follow the number in a field of the estimate page
	// ("200块钱"); 千, 万, k and w are read with the number itself.
	{"scope.elsewhere", kindWords},
	{"scope.ours", kindWords},
	{"form.yuan_units", kindPhrases},
	{"sounds.particles", kindRunes},
	{"sounds.word_end", kindRunes},
}

// relativeDates are the dates lists with what each word means.
var relativeDates = []struct {
	name string
	w    slotWord
}{
	{"dates.today", slotWord{slotRelDay, 0}},
	{"dates.yesterday", slotWord{slotRelDay, -1}},
	{"dates.day_before_yesterday", slotWord{slotRelDay, -2}},
	{"dates.tomorrow", slotWord{slotRelDay, 1}},
	{"dates.day_after_tomorrow", slotWord{slotRelDay, 2}},
	{"dates.last_month", slotWord{slotRelMonth, -1}},
	{"dates.this_month", slotWord{slotRelMonth, 0}},
	{"dates.next_month", slotWord{slotRelMonth, 1}},
	{"dates.this_year", slotWord{slotRelYear, 0}},
	{"dates.next_year", slotWord{slotRelYear, 1}},
	{"dates.last_year", slotWord{slotRelYear, -1}},
	{"dates.year_before_last", slotWord{slotRelYear, -2}},
	{"dates.year_after_next", slotWord{slotRelYear, 2}},
}

//go:embed lexicon.yaml
var defaultLexicon []byte

// LexiconFile is the lexicon's file name, beside the catalogue.
const LexiconFile = "lexicon.yaml"

// DefaultLexicon is the lexicon shipped in the binary. Tests keep it
// valid, so a failure to parse it is a build defect and panics.
func DefaultLexicon() *Lexicon {
	lx, err := ParseLexicon(defaultLexicon)
	if err != nil {
		panic(fmt.Sprintf("intents: embedded lexicon.yaml: %v", err))
	}
	return lx
}

// DefaultLexiconYAML returns the embedded file, for an operator to start
// editing from.
func DefaultLexiconYAML() []byte { return bytes.Clone(defaultLexicon) }

// ParseLexicon reads a lexicon. Unknown fields are errors; call Validate
// for the content.
func ParseLexicon(data []byte) (*Lexicon, error) {
	return decodeStrict[Lexicon]("lexicon", data)
}

// LoadLexicon reads a lexicon file.
func LoadLexicon(path string) (*Lexicon, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load lexicon: %w", err)
	}
	lx, err := ParseLexicon(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return lx, nil
}

// List returns the words of the list named "group.name" (nil if absent).
func (lx *Lexicon) List(name string) []string {
	group, list, _ := strings.Cut(name, ".")
	return lx.Words[group][list]
}

// Validate lists what is wrong with the lexicon: unknown or missing
// lists, empty ones, words that are not in the form their list is read
// in, repeated words, and bounds that are not positive.
func (lx *Lexicon) Validate() []Problem {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{field, fmt.Sprintf(format, args...)})
	}
	kinds := map[string]listKind{}
	for _, s := range lexiconSpec {
		kinds[s.name] = s.kind
	}
	groups := make([]string, 0, len(lx.Words))
	for g := range lx.Words {
		groups = append(groups, g)
	}
	slices.Sort(groups)
	for _, g := range groups {
		names := make([]string, 0, len(lx.Words[g]))
		for n := range lx.Words[g] {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			name := g + "." + n
			kind, ok := kinds[name]
			if !ok {
				add("words."+name, "no such list; the lists are those of the embedded lexicon.yaml")
				continue
			}
			seen := map[string]int{}
			for i, w := range lx.Words[g][n] {
				f := fmt.Sprintf("words.%s[%d]", name, i)
				switch {
				case w == "":
					add(f, "empty")
				case kind == kindRunes && utf8.RuneCountInString(w) != 1:
					add(f, "%q: this list is a set of single characters", w)
				case kind == kindWords && Normalize(w) != w:
					add(f, "%q must be written as it reads once normalised: %q", w, Normalize(w))
				case kind != kindWords && string(fold(w)) != w:
					add(f, "%q must be written as it reads once folded: %q", w, string(fold(w)))
				}
				if j, dup := seen[w]; dup {
					add(f, "%q repeats words.%s[%d]", w, name, j)
				}
				seen[w] = i
			}
		}
	}
	for _, s := range lexiconSpec {
		if len(lx.List(s.name)) == 0 {
			add("words."+s.name, "missing or empty")
		}
	}
	if !lx.Plausible.InpatientMin.IsPositive() {
		add("plausible.inpatient_min", "must be a positive sum of yuan")
	}
	if !lx.Plausible.OutpatientMax.IsPositive() {
		add("plausible.outpatient_max", "must be a positive sum of yuan")
	}
	return ps
}

// lexicon is a Lexicon compiled for reading: each list the engines read
// as a word set or a set of runes. It is built once per Matcher and only
// read afterwards.
type lexicon struct {
	src *Lexicon

	outOfPolicyBefore, selfPayBefore, priorBasicBefore, priorSelfPayBefore   wordSet
	premiumBefore, paidPremiumBefore, beforeFillers                          wordSet
	outOfPolicyAfter, premiumAfter, unitsAfter                               wordSet
	selfNames, selfVerbs, paidVerbs, fundNames, phoneBefore, allOutOfPolicy  wordSet
	measureBefore, premiumChangeBefore                                       wordSet
	moneyMarks, numberFillers, moreThan, approxBefore, notRoughAfter         wordSet
	negativeBefore, percentBefore, capBefore                                 wordSet
	togetherAfter, notTogetherAfter, ageDoneAfter                            wordSet
	sumEndsAfter, premiumIfAfter, stayLevelLink, takesBack, asksBack         wordSet
	moneyThenWord, ageUnits, babyAge, ageBefore, ambulanceAfter              wordSet
	stayAt, stayOpening, stayPlace, stayDurations, levelThenStay, careDenied wordSet
	followUpOpeners, followUpAcks, followUpClosers, negationSkips            wordSet
	breakBefore, breakAfter, breakFillers, paidBefore                        wordSet
	payers, onBehalf, speaker, payVerbs, selfIs                              wordSet
	countUnits, countNotAfter, selfPatient, selfAt, careVerbs                wordSet
	carePlaces, stayVerbs, times                                             wordSet

	notMoneyAfter, slotAfterSum, personBefore, pronouns, dialBefore, ambulanceBefore *charSet
	notYearBefore, durationAfterYear, careGoesOn, particles, wordEnd                 *charSet
	stayVerb, notStayBefore, stayEnd, restates                                       *charSet
	fillerRunes                                                                      *runeSet // a follow-up's fillers, for isFiller

	rulesQuestion, amountComplaints, lastYearBreak, pairs []string
	elsewhere, ours                                       []string
	bareLevels                                            map[string]int
	plausible                                             Plausible
}

// compileLexicon builds the reading form of a lexicon that has passed
// validation.
func compileLexicon(lx *Lexicon) *lexicon {
	c := &lexicon{src: lx, bareLevels: map[string]int{}, plausible: lx.Plausible}
	ws := func(name string) wordSet { return newWordSet(lx.List(name)...) }
	rs := func(name string) *charSet {
		s := new(charSet)
		for _, w := range lx.List(name) {
			for _, r := range w {
				s.set.add(r)
			}
		}
		return s
	}
	c.outOfPolicyBefore = ws("amount.out_of_policy_before")
	c.selfPayBefore = ws("amount.self_pay_before")
	c.priorBasicBefore = ws("amount.prior_basic_before")
	c.priorSelfPayBefore = ws("amount.prior_self_pay_before")
	c.premiumBefore = ws("amount.premium_before")
	c.paidPremiumBefore = ws("amount.paid_premium_before")
	c.beforeFillers = ws("amount.before_fillers")
	c.outOfPolicyAfter = ws("amount.out_of_policy_after")
	c.premiumAfter = ws("amount.premium_after")
	c.unitsAfter = ws("amount.units_after")
	c.selfNames = ws("amount.self_names")
	c.selfVerbs = ws("amount.self_verbs")
	c.paidVerbs = ws("amount.paid_verbs")
	c.fundNames = ws("amount.fund_names")
	c.phoneBefore = ws("amount.phone_before")
	c.measureBefore = ws("amount.measure_before")
	c.premiumChangeBefore = ws("amount.premium_change_before")
	c.allOutOfPolicy = ws("amount.all_out_of_policy")
	c.moneyMarks = ws("amount.money_marks_after")
	c.numberFillers = ws("amount.number_fillers")
	c.moreThan = ws("amount.more_than")
	c.approxBefore = ws("amount.approx_before")
	c.notRoughAfter = ws("amount.not_rough_after")
	c.negativeBefore = ws("amount.negative_before")
	c.percentBefore = ws("amount.percent_before")
	c.capBefore = ws("amount.cap_before")
	c.moneyThenWord = ws("amount.money_then_word")
	c.ageUnits = ws("amount.age_units")
	c.babyAge = ws("amount.baby_age")
	c.ageBefore = ws("amount.age_before")
	c.ambulanceAfter = ws("amount.ambulance_after")
	c.togetherAfter = ws("amount.together_after")
	c.notTogetherAfter = ws("amount.not_together_after")
	c.ageDoneAfter = ws("amount.age_done_after")
	c.sumEndsAfter = ws("amount.sum_ends_after")
	c.premiumIfAfter = ws("amount.premium_if_after")
	c.stayLevelLink = ws("care.stay_level_link")
	c.takesBack = ws("dialog.takes_back")
	c.asksBack = ws("dialog.asks_back")
	c.careDenied = ws("care.denied_before")
	c.stayAt = ws("care.stay_at")
	c.stayOpening = ws("care.stay_opening")
	c.stayPlace = ws("care.stay_place")
	c.stayDurations = ws("care.stay_durations")
	c.levelThenStay = ws("care.level_then_stay")
	c.followUpOpeners = ws("dialog.follow_up_openers")
	c.followUpAcks = ws("dialog.follow_up_acks")
	c.followUpClosers = ws("dialog.follow_up_closers")
	c.negationSkips = ws("dialog.negation_skips")
	c.breakBefore = ws("enrolment.break_before")
	c.breakAfter = ws("enrolment.break_after")
	c.breakFillers = ws("enrolment.break_fillers")
	c.paidBefore = ws("enrolment.paid_before")
	c.payers = ws("people.payers")
	c.onBehalf = ws("people.on_behalf")
	c.speaker = ws("people.speaker")
	c.selfIs = ws("people.self_is")
	c.payVerbs = ws("people.pay_verbs")
	c.countUnits = ws("people.count_units")
	c.countNotAfter = ws("people.count_not_after")
	c.selfPatient = ws("people.self_patient")
	c.selfAt = ws("people.self_at")
	c.careVerbs = ws("people.care_verbs")
	c.carePlaces = ws("people.care_places")
	c.stayVerbs = ws("people.stay_verbs")
	c.times = ws("amount.times")
	c.pairs = lx.List("people.pairs")
	c.elsewhere = lx.List("scope.elsewhere")
	c.ours = lx.List("scope.ours")

	c.notMoneyAfter = rs("amount.not_money_after")
	c.slotAfterSum = rs("amount.slot_after_sum")
	c.personBefore = rs("amount.person_before")
	c.pronouns = rs("amount.pronouns")
	c.dialBefore = rs("amount.dial_before")
	c.ambulanceBefore = rs("amount.ambulance_before")
	c.notYearBefore = rs("amount.not_year_before")
	c.durationAfterYear = rs("amount.duration_after_year")
	c.careGoesOn = rs("care.goes_on")
	c.stayVerb = rs("care.stay_verb")
	c.notStayBefore = rs("care.not_stay_before")
	c.stayEnd = rs("care.stay_end")
	c.restates = rs("dialog.restates")
	c.particles = rs("sounds.particles")
	c.wordEnd = rs("sounds.word_end")
	c.fillerRunes = &rs("dialog.follow_up_fillers").set
	c.rulesQuestion = lx.List("dialog.rules_question")
	c.amountComplaints = lx.List("dialog.amount_complaints")
	c.lastYearBreak = lx.List("enrolment.last_year_break")
	for level, name := range []string{"places.level1", "places.level2", "places.level3"} {
		for _, w := range lx.List(name) {
			c.bareLevels[w] = level + 1
		}
	}
	return c
}

// says reports whether norm is one of the list's words.
func (c *lexicon) says(list WordList, norm string) bool {
	return slices.Contains(c.src.List(string(list)), norm)
}

// mentions reports whether norm holds one of the list's words.
func (c *lexicon) mentions(list WordList, norm string) bool {
	return containsAny(norm, c.src.List(string(list)))
}

// charSet is a set of characters from the lexicon. Unlike a runeSet, which
// errs on the side of "maybe" for runes it cannot file, it answers no for
// them: an emoji after a number is not a counting word.
type charSet struct{ set runeSet }

func (c *charSet) has(r rune) bool { return r >= 0 && r < 1<<16 && c.set.has(r) }

// in reports whether one of rs is in the set.
func (c *charSet) in(rs []rune) bool { return slices.ContainsFunc(rs, c.has) }

// Says reports whether a normalised message is, as a whole, one of the
// lexicon's words in list ("好的" is an acknowledgement, "好的 二档" is not).
func (m *Matcher) Says(list WordList, norm string) bool { return m.lx.says(list, norm) }

// Mentions reports whether a normalised message holds one of the
// lexicon's words in list ("住院怎么报" holds a question word).
func (m *Matcher) Mentions(list WordList, norm string) bool { return m.lx.mentions(list, norm) }

// Without returns norm with every word of list taken out, the longest
// words first ("在哪里申请嘛" without the question words is "申请嘛"), so
// that what is left are the words that say what the message is about.
func (m *Matcher) Without(list WordList, norm string) string {
	words := slices.Clone(m.lx.src.List(string(list)))
	slices.SortStableFunc(words, func(a, b string) int { return len(b) - len(a) })
	for _, w := range words {
		if w != "" {
			norm = strings.ReplaceAll(norm, w, "")
		}
	}
	return norm
}

// Lexicon returns the lexicon the matcher reads; callers must not change it.
func (m *Matcher) Lexicon() *Lexicon { return m.lx.src }

// Opens reports whether a normalised message starts with one of the
// lexicon's words in list ("不是 对了有2万是自费的" opens with a negation).
func (m *Matcher) Opens(list WordList, norm string) bool {
	for _, w := range m.lx.src.List(string(list)) {
		if strings.HasPrefix(norm, w) {
			return true
		}
	}
	return false
}

// maxCareFrame is how far after "我在" a word for care may come and still
// say that the speaker is the one in care ("我在卫生院住了一个星期").
const maxCareFrame = 10

// speakerInCare reports whether rs[i:] opens with the speaker, a word for
// where (self_at: 在, 去), and then, within maxCareFrame characters and
// with no person named between, a word for care ("我在县医院住院",
// "我去卫生院看病"): the person typing is the patient.
func (lx *lexicon) speakerInCare(rs []rune, i int) bool {
	s := lx.speaker.startsAt(rs, i)
	if s == 0 {
		return false
	}
	j := i + s
	a := lx.selfAt.startsAt(rs, j)
	if a == 0 {
		return false
	}
	place := false
	for k := j + a; k < len(rs) && k <= j+a+maxCareFrame; k++ {
		if lx.payers.startsAt(rs, k) > 0 || lx.speaker.startsAt(rs, k) > 0 {
			return false // "我在医院陪我娃住院"
		}
		place = place || lx.carePlaces.startsAt(rs, k) > 0
		if lx.careVerbs.startsAt(rs, k) > 0 || place && lx.stayVerbs.startsAt(rs, k) > 0 {
			return true
		}
	}
	return false
}

// paidForSpeaker reports whether the message says someone else paid for
// the person typing ("我儿子帮我交的", "闺女给我买的医保"): the speaker is
// then the patient, and the one who paid says nothing about the
// patient's age.
func (lx *lexicon) paidForSpeaker(rs []rune) bool {
	for i := range rs {
		if lx.selfPatient.startsAt(rs, i) > 0 || lx.speakerInCare(rs, i) {
			return true // "住院的是我 娃儿只是陪我", "我在卫生院住了一周"
		}
		l := lx.payers.startsAt(rs, i)
		if l == 0 {
			continue
		}
		j := i + l
		if b := lx.onBehalf.startsAt(rs, j); b > 0 {
			j += b
			if s := lx.speaker.startsAt(rs, j); s > 0 && lx.payVerbs.startsAt(rs, j+s) > 0 {
				return true
			}
		}
	}
	return false
}
