package intents

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents/pii"
)

// Matcher chooses an intent and reads slots. It is immutable after New and
// safe for concurrent use.
type Matcher struct {
	lx        *lexicon
	intents   []compiledIntent
	keywords  []keyword // grouped by intent, expansions of one keyword together
	slotWords dict[slotWord]
	byName    map[Intent]int
	withAlso  []int // the intents that have an Also, in catalogue order
	// exactIndex and typoIndex file keyword indices by rune (see
	// indexKeywords).
	exactIndex, typoIndex map[rune][]int32
	exactRunes, typoRunes *runeSet // the runes each index files keywords under
	// kwSounds reads keywords by sound when nothing else matched;
	// kwSoundKey maps its ids to keyword indices.
	kwSounds   soundIndex
	kwSoundKey []int32
	// slotSounds reads kind, level and tier words by sound when the
	// message has none; slotSoundKey maps its ids to the words.
	slotSounds   soundIndex
	slotSoundKey []slotWord
	// model places whole questions, learned from the catalogue's labelled
	// messages (see Classifier and decide).
	model *Classifier
	// scratch holds *matchScratch: a Match call's working memory, reused
	// so that reading a message neither allocates it nor grows a new
	// goroutine's stack for it.
	scratch *sync.Pool
	// asks reads the kind of question.
	asks askIndex
	// parent files narrower topics under broader ones (IntentSpec.Parent).
	parent map[Intent]Intent
}

type compiledIntent struct {
	name      Intent
	title     string
	whole     bool
	priority  float64
	redirects []compiledRedirect
	also      *compiledAlso
}

// compiledAlso is an intent's Also: it comes second to the intents with.
type compiledAlso struct {
	when []string     // normalised words
	with map[int]bool // intent indices
}

type compiledRedirect struct {
	to                     int      // intent index
	when, onlyWith, unless []string // normalised words
}

type kwClass uint8

const (
	kwPlain kwClass = iota
	kwTopic
	kwWithAmount
	kwAlone // counts only when the message is little more than the keyword
)

// keyword is one matchable form of a catalogue keyword: the keyword as
// written, or one of its synonym expansions.
type keyword struct {
	text   string // normalised
	runes  []rune
	mask   runeMask
	bits   int
	weight float64 // rune length of the keyword as written
	intent int
	origin int // index of the keyword as written, shared by its expansions
	class  kwClass
	rare   []rune // its runes that few intents use, for suggestions
	// exact: matched only as written, never with a typo or by sound (a
	// pair's place names: one character off is another place, or none).
	exact bool
}

// Weights. A keyword weighs its length in runes; a typo-match (weighed only
// when nothing matched exactly) costs 1.5; a topic weighs 1; an
// amount-gated keyword outweighs any plain one. A few other keywords of
// the same intent add a little, to break ties.
const (
	typoPenalty     = 1.5
	topicWeight     = 1
	amountBonus     = 10
	extraMatchBonus = 0.25 // per further keyword of the same intent, up to 3
	wholeSlack      = 3    // runes a whole-message keyword may leave over
	maxMatchRunes   = 256
	maxSuggestions  = 3
)

// New compiles a catalogue with the built-in lexicon. It refuses a
// catalogue with structural problems (see Validate); a failing example is
// not one of them.
func New(c *Catalogue) (*Matcher, error) {
	return NewWithLexicon(c, DefaultLexicon())
}

// NewWithLexicon compiles a catalogue with a lexicon (an operator's
// lexicon.yaml). It refuses either with structural problems.
func NewWithLexicon(c *Catalogue, lx *Lexicon) (*Matcher, error) {
	if c == nil {
		return nil, errors.New("intents: nil catalogue")
	}
	if lx == nil {
		return nil, errors.New("intents: nil lexicon")
	}
	if ps := lx.Validate(); len(ps) > 0 {
		errs := make([]error, len(ps))
		for i, p := range ps {
			errs[i] = p
		}
		return nil, fmt.Errorf("intents: invalid lexicon: %w", errors.Join(errs...))
	}
	if ps := c.structuralProblems(); len(ps) > 0 {
		errs := make([]error, len(ps))
		for i, p := range ps {
			errs[i] = p
		}
		return nil, fmt.Errorf("intents: invalid catalogue: %w", errors.Join(errs...))
	}
	return compile(c, compileLexicon(lx)), nil
}

// compile builds a Matcher from a catalogue and a lexicon that have
// passed the structural checks.
func compile(c *Catalogue, lx *lexicon) *Matcher {
	m := &Matcher{lx: lx, byName: make(map[Intent]int, len(c.Entries)),
		scratch: &sync.Pool{New: func() any { return new(matchScratch) }}}
	m.kwSounds.particles, m.slotSounds.particles = lx.particles, lx.particles
	syn := synonymIndex(c.Synonyms)
	origin := 0
	for ii, spec := range c.Entries {
		m.byName[spec.Name] = ii
		m.intents = append(m.intents, compiledIntent{
			name: spec.Name, title: spec.Title, whole: spec.WholeMessage, priority: spec.Priority,
		})
		lists := []struct {
			words []string
			class kwClass
			exact bool
		}{{spec.Keywords, kwPlain, false}, {spec.PairKeywords(), kwPlain, true}, {spec.Topics, kwTopic, false},
			{spec.WithAmount, kwWithAmount, false}, {spec.Alone, kwAlone, false}}
		for _, l := range lists {
			for _, w := range l.words {
				norm := Normalize(w)
				weight := float64(utf8.RuneCountInString(norm))
				for _, form := range syn.expand(norm) {
					rs := []rune(form)
					mask := maskOf(rs)
					m.keywords = append(m.keywords, keyword{
						text: form, runes: rs, mask: mask, bits: mask.count(),
						weight: weight, intent: ii, origin: origin, class: l.class, exact: l.exact,
					})
				}
				origin++
			}
		}
	}
	for ii, spec := range c.Entries {
		for _, r := range spec.Redirects {
			// A redirect's words take the synonyms as keywords do
			// ("我交的居民医保" holds for 新农合 too).
			cr := compiledRedirect{to: m.byName[r.To]}
			for _, w := range r.When {
				cr.when = append(cr.when, syn.expand(Normalize(w))...)
			}
			for _, w := range r.OnlyWith {
				cr.onlyWith = append(cr.onlyWith, syn.expand(Normalize(w))...)
			}
			for _, w := range r.Unless {
				cr.unless = append(cr.unless, syn.expand(Normalize(w))...)
			}
			m.intents[ii].redirects = append(m.intents[ii].redirects, cr)
		}
		if a := spec.Also; a != nil {
			ca := &compiledAlso{with: map[int]bool{}}
			for _, w := range a.When {
				ca.when = append(ca.when, Normalize(w))
			}
			for _, in := range a.With {
				ca.with[m.byName[in]] = true
			}
			m.intents[ii].also = ca
			m.withAlso = append(m.withAlso, ii)
		}
	}
	m.markRareRunes()
	m.indexKeywords()
	m.addSlotWords(c.Slots)
	for i, k := range m.keywords {
		// Dialog controls are short and fire on the whole message:
		// reading them by rhyme would take "院了" for "算了".
		if k.exact {
			continue
		}
		if m.kwSounds.add(k.runes, !m.alone(&k)) >= 0 {
			m.kwSoundKey = append(m.kwSoundKey, int32(i))
		}
	}
	m.kwSounds.build()
	m.slotSounds.build()
	m.model = Train(c.TrainingSet())
	m.parent = map[Intent]Intent{}
	for _, e := range c.Entries {
		if e.Parent != "" {
			m.parent[e.Name] = e.Parent
		}
	}
	asks := c.Asks
	if asks == nil {
		asks = DefaultAsks()
	}
	m.asks = compileAsks(asks)
	return m
}

// indexKeywords files every keyword under runes a message must hold for it
// to match, so that a pass visits only the keywords that can: an exact
// match needs all of a keyword's runes, so its least common rune will do;
// a typo-match (one edit) may lack any one rune but not two, so a
// typo-able keyword is filed under two distinct runes.
func (m *Matcher) indexKeywords() {
	freq := map[rune]int{}
	for _, k := range m.keywords {
		for _, r := range k.runes {
			freq[r]++
		}
	}
	m.exactIndex = map[rune][]int32{}
	m.typoIndex = map[rune][]int32{}
	m.exactRunes, m.typoRunes = new(runeSet), new(runeSet)
	for i, k := range m.keywords {
		byRarity := append([]rune(nil), k.runes...)
		slices.SortStableFunc(byRarity, func(a, b rune) int { return freq[a] - freq[b] })
		byRarity = slices.Compact(byRarity) // equal runes sort next to each other
		if len(byRarity) == 0 {
			continue
		}
		m.exactIndex[byRarity[0]] = append(m.exactIndex[byRarity[0]], int32(i))
		m.exactRunes.add(byRarity[0])
		if len(k.runes) < minTypoRunes || k.class == kwTopic || k.exact {
			continue
		}
		for _, r := range byRarity[:min(2, len(byRarity))] {
			m.typoIndex[r] = append(m.typoIndex[r], int32(i))
			m.typoRunes.add(r)
		}
	}
}

// candidates marks in set the keywords filed under any rune of rs.
func candidates(index map[rune][]int32, filed *runeSet, rs []rune, set []uint64) {
	clear(set)
	for _, r := range rs {
		if !filed.has(r) {
			continue
		}
		for _, i := range index[r] {
			set[i>>6] |= 1 << (i & 63)
		}
	}
}

// markRareRunes keeps, for each keyword, the runes used by at most a
// sixth of the intents: sharing "怎么" with a message says nothing. Digits,
// numerals and Latin letters are left out too: "1万2千" is not close to
// "12393", nor "asdfgh" to "thanks".
func (m *Matcher) markRareRunes() {
	users := map[rune]map[int]bool{}
	for _, k := range m.keywords {
		for _, r := range k.runes {
			if users[r] == nil {
				users[r] = map[int]bool{}
			}
			users[r][k.intent] = true
		}
	}
	limit := max(2, len(m.intents)/6)
	for i := range m.keywords {
		k := &m.keywords[i]
		for _, r := range k.runes {
			if len(users[r]) <= limit && !isNumberish(r) && !containsRune(k.rare, r) {
				k.rare = append(k.rare, r)
			}
		}
	}
}

func (m *Matcher) addSlotWords(s SlotWords) {
	add := func(words []string, w slotWord) {
		for _, word := range words {
			m.slotWords.add(fold(word), w)
			if w.kind == slotCare || w.kind == slotLevel || w.kind == slotTier {
				// A kind of care may also be a rhyming look-alike ("住阮"):
				// careGoesOn keeps it to where such a word goes on.
				if m.slotSounds.add(fold(word), w.kind == slotCare) >= 0 {
					m.slotSoundKey = append(m.slotSoundKey, w)
				}
			}
		}
	}
	add(s.Kinds.Inpatient, slotWord{slotCare, 1})
	add(s.Kinds.Outpatient, slotWord{slotCare, 2})
	add(s.Levels.L1, slotWord{slotLevel, 1})
	add(s.Levels.L2, slotWord{slotLevel, 2})
	add(s.Levels.L3, slotWord{slotLevel, 3})
	add(s.Tiers.T1, slotWord{slotTier, 1})
	add(s.Tiers.T2, slotWord{slotTier, 2})
	add(s.Minor.Yes, slotWord{slotMinorYes, 0})
	add(s.Minor.No, slotWord{slotMinorNo, 0})
	add(s.Minor.Neutral, slotWord{slotMinorNeutral, 0})
	for _, r := range relativeDates {
		for _, w := range m.lx.src.List(r.name) {
			m.slotWords.add([]rune(w), r.w)
		}
	}
	for _, l := range []struct {
		name string
		kind slotKind
	}{{"dialog.dont_know", slotDontKnow}, {"dialog.correction", slotCorrection}, {"dialog.not_correction", slotPlain}} {
		for _, w := range m.lx.src.List(l.name) {
			m.slotWords.add([]rune(w), slotWord{kind: l.kind})
		}
	}
}

// Intents lists the intents the matcher knows, in catalogue order.
func (m *Matcher) Intents() []Intent {
	out := make([]Intent, len(m.intents))
	for i, in := range m.intents {
		out[i] = in.name
	}
	return out
}

// Title is the intent's short Chinese name ("" if unknown).
func (m *Matcher) Title(in Intent) string {
	if i, ok := m.byName[in]; ok {
		return m.intents[i].title
	}
	return ""
}

// matchScratch is one Match call's working memory (see Matcher.scratch).
type matchScratch struct {
	scores []intentScore
	set    []uint64 // candidate keywords, one bit each
	runes  []rune   // the message for the classifier
	grams  gramBuf
	feats  []int32
	probs  []float64
}

// intentScore collects the evidence for one intent in one message.
type intentScore struct {
	best       float64 // heaviest keyword found
	origins    int     // distinct catalogue keywords found (topics excluded)
	lastOrigin int
	topicOnly  bool
	found      bool
	// tolerant: the heaviest keyword was found with a typo or by sound,
	// not as written.
	tolerant bool
}

// Match chooses the intent of a message and reads its slots.
//
// The most specific evidence wins: the longest keyword, with one typo
// tolerated in keywords of four runes or more when nothing matched exactly. A message with an amount
// and a word such as 报, 住院 or 花了 is an estimate; an estimate becomes
// estimate_inpatient or estimate_outpatient when the kind of care is
// known. A message that only answers a slot ("二档", "10万", "孩子") is
// Unknown with its slots filled and suggestions drawn from them.
func (m *Matcher) Match(text string, now time.Time) Result {
	text, personal := pii.Blank(text) // a phone or ID is never money
	folded := fold(text)
	rd := m.extractFull(folded, now)
	rd.slots.PersonalNumber = personal
	slots := rd.slots
	norm := normalizeRunes(folded)
	res := Result{Intent: Unknown, Slots: slots, Normalized: norm, FollowUp: rd.followUp}

	rs := []rune(norm)
	if len(rs) > maxMatchRunes {
		rs = rs[:maxMatchRunes]
		norm = string(rs)
	}
	if len(rs) == 0 || rd.followUp && slots.Kind != engine.KindUnknown && slots != (Slots{Kind: slots.Kind}) {
		// A follow-up holds nothing but slots ("那小孩住院呢"): its keyword
		// is a slot word, and the bot reads it against the last topic.
		// The kind alone ("那住院呢") still asks for that kind's rules.
		res.Suggestions = slotHints(slots)
		return res
	}
	sc := m.scratch.Get().(*matchScratch)
	defer m.scratch.Put(sc)
	scores := m.score(sc, norm, rs, slots.HasAmount, slots.answers(), !rd.bare)
	win, tied := m.pick(scores)
	if win >= 0 && scores[win].topicOnly && containsAny(norm, m.lx.amountComplaints) {
		// "交钱时说得好好的 结果就报这点" complains about a result: its
		// generic word (交钱) is no question, and the bot explains the
		// result it showed.
		win, tied = -1, nil
	}
	var kw intentScore
	if win >= 0 {
		kw = scores[win]
	}
	switch {
	case win < 0 && slots.HasAmount && slots.Kind != engine.KindUnknown:
		// "住了半个月院 3万": a kind and a bill are an estimate
		// whatever the words around them.
		res.Intent, res.Score = refineEstimate(Estimate, slots.Kind), confidence(intentScore{best: 3})
	case win < 0 && slots != (Slots{}):
		res.Suggestions = slotHints(slots) // an answer to a question
	case win < 0:
		res.Suggestions = m.similar(rs)
	case len(tied) > 1:
		res.Suggestions = tied
	default:
		win = m.redirect(win, norm)
		res.Intent = m.intents[win].name
		res.Score = confidence(scores[win])
		res.Intent = refineEstimate(m.upgradeToEstimate(res.Intent, scores, norm, slots), slots.Kind)
		if !slots.HasAmount {
			res.Also = m.also(res.Intent, norm)
		}
	}
	// A message that gives facts or controls the dialog without a
	// keyword ("不是三级 是二级", "搞不清是几级医院") answers the bot's
	// question: it is no topic for the classifier to place.
	open := res.Intent == Unknown && win < 0 && !rd.bare && !rd.followUp &&
		(!slots.answers() || slots.onlyWhen()) && !slots.DontKnow && !slots.Correction && hanCount(rs) >= 2
	sc.runes = append(sc.runes[:0], rs...) // the classifier masks figures in place
	m.decide(&res, kw, open, m.model.predictNormalized(sc.runes, sc))
	res.Ask = m.asks.read(rs)
	if res.Intent != Unknown && containsAny(norm, m.lx.elsewhere) && !containsAny(norm, m.lx.ours) {
		// "暖气费交多少钱": a generic keyword in a question about
		// something else. Offer the topic rather than answer it.
		res.Suggestions = []Intent{res.Intent}
		res.Intent, res.Score, res.Also = Unknown, 0, nil
		res.How = HowOtherTopic
	}
	if k := slots.Kind; (res.Intent == Inpatient || res.Intent == Outpatient) && k != engine.KindUnknown && !slots.TwoKinds && res.Intent != rulesOf(k) {
		// "二档门诊年度限额是多少": a rules keyword of one kind of care
		// (年度限额) in a message that names the other; the kind said
		// decides.
		res.Intent = rulesOf(k)
	}
	if res.Ask == AskRate && res.How == HowClarify && !slots.HasAmount && m.support(Prediction{Top: res.Topics}, Reimbursement) >= 0.5 {
		// "是不是二档一年最多报12万": unsure which care topic, but a
		// rate or a cap asked about care is the rules' to answer.
		res.Intent, res.Suggestions, res.How = rulesOf(slots.Kind), nil, HowModel
	}
	if res.Ask == AskRate && !slots.HasAmount && (res.Intent == Estimate || res.Intent == EstimateInpatient || res.Intent == EstimateOutpatient) {
		// "二档在区医院住院报几成" asks a rate the rules give: no
		// calculation, whatever calculating word came with it.
		res.Intent = rulesOf(slots.Kind)
	}
	return res
}

// rulesOf is the rules topic of a kind of care.
func rulesOf(k engine.Kind) Intent {
	switch k {
	case engine.KindInpatient:
		return Inpatient
	case engine.KindOutpatient:
		return Outpatient
	}
	return Reimbursement
}

// also returns the second questions of a message whose intent is in.
func (m *Matcher) also(in Intent, norm string) []Intent {
	win, ok := m.byName[in]
	if !ok {
		return nil
	}
	var out []Intent
	for _, i := range m.withAlso {
		if a := m.intents[i].also; i != win && a.with[win] && containsAny(norm, a.when) {
			out = append(out, m.intents[i].name)
		}
	}
	return out
}

// redirect applies the winner's redirects: a weak word of one intent
// yields when the rest of the message says something else ("出院报销要什么
// 材料" is a claim, not enrolment papers).
func (m *Matcher) redirect(win int, norm string) int {
	for _, r := range m.intents[win].redirects {
		if containsAny(norm, r.when) && (len(r.onlyWith) == 0 || containsAny(norm, r.onlyWith)) && !containsAny(norm, r.unless) {
			return r.to
		}
	}
	return win
}

// Redirected is in after its redirects in the catalogue, for a topic the
// bot settles itself from the slots ("住的院 … 报不报" is the inpatient
// rules, or the out-of-area ones when another city is named).
func (m *Matcher) Redirected(in Intent, norm string) Intent {
	i, ok := m.byName[in]
	if !ok {
		return in
	}
	return m.intents[m.redirect(i, norm)].name
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// upgradeToEstimate turns a rules guide into an estimate when the message
// is a calculation in all but name: the kind of care with a word for
// calculating ("住院报销算一下"), or with another answer of the estimate
// dialog and no rules question ("住院 二档 二级"; but "三级医院住院报销比例"
// stays the guide).
func (m *Matcher) upgradeToEstimate(in Intent, scores []intentScore, norm string, s Slots) Intent {
	other := s.Tier != engine.TierUnknown || s.Level != engine.LevelUnknown || s.Minor != nil ||
		s.HasOutOfPolicy || s.HasPriorBasic || s.HasPriorSelfPay || s.HasPremium
	if in == Critical && s.HasAmount && s.Kind != engine.KindOutpatient && other && !containsAny(norm, m.lx.rulesQuestion) {
		// "10w 三甲 一档 大人 大病保险也算": a stay's bill with its facts,
		// 大病保险 named as a part of the sum (the result has its line).
		return EstimateInpatient
	}
	if in != Inpatient && in != Outpatient || s.Kind == engine.KindUnknown {
		return in
	}
	if i, ok := m.byName[Estimate]; ok && scores[i].found && !scores[i].topicOnly {
		return Estimate
	}
	if other && !containsAny(norm, m.lx.rulesQuestion) {
		return Estimate
	}
	return in
}

// score weighs the evidence for every intent. Typos are considered only
// when no keyword matched exactly (topics aside): a typo-match should rescue
// a message, not outvote what the user actually wrote; and only when typos
// is set: a message of slots alone ("二档三甲") has no word left to mistype.
func (m *Matcher) score(sc *matchScratch, norm string, rs []rune, hasAmount, slotsSaid, typos bool) []intentScore {
	scores := slices.Grow(sc.scores[:0], len(m.intents))[:len(m.intents)]
	for i := range scores {
		scores[i] = intentScore{lastOrigin: -1}
	}
	textMask := maskOf(rs)
	set := slices.Grow(sc.set[:0], (len(m.keywords)+63)/64)[:(len(m.keywords)+63)/64]
	clear(set)
	sc.scores, sc.set = scores, set
	candidates(m.exactIndex, m.exactRunes, rs, set)
	if m.scorePass(scores, set, norm, rs, textMask, hasAmount, slotsSaid, passExact) || !typos {
		return scores
	}
	candidates(m.typoIndex, m.typoRunes, rs, set)
	if m.scorePass(scores, set, norm, rs, textMask, hasAmount, slotsSaid, passTypo) {
		return scores
	}
	clear(set)
	m.kwSounds.find(rs, func(id, _ int) bool {
		k := &m.keywords[m.kwSoundKey[id]]
		return (k.class != kwWithAmount || hasAmount) && (!m.alone(k) || len(rs)-len(k.runes) <= wholeSlack) && (k.class != kwAlone || !slotsSaid)
	}, func(id, _ int) {
		i := m.kwSoundKey[id]
		set[i>>6] |= 1 << (i & 63)
	})
	m.scorePass(scores, set, norm, rs, textMask, hasAmount, slotsSaid, passSound)
	return scores
}

// pass is how a scoring pass compares keywords with the message.
type pass uint8

const (
	passExact pass = iota
	passTypo       // one edit, in keywords of minTypoRunes or more
	passSound      // one character that sounds alike (set holds the matches)
)

// scorePass adds exact matches, or typo matches when typos is set, and
// reports whether any keyword other than a topic matched.
func (m *Matcher) scorePass(scores []intentScore, set []uint64, norm string, rs []rune, textMask runeMask, hasAmount, slotsSaid bool, how pass) bool {
	specific := false
	// Visit the candidate keywords in catalogue order, as the origin
	// counting below expects a keyword's expansions to come together.
	for w, word := range set {
		for word != 0 {
			i := w<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			if m.visit(scores, &m.keywords[i], norm, rs, textMask, hasAmount, slotsSaid, how) {
				specific = true
			}
		}
	}
	return specific
}

// visit weighs one keyword against the message and reports whether it
// matched as more than a topic.
func (m *Matcher) visit(scores []intentScore, k *keyword, norm string, rs []rune, textMask runeMask, hasAmount, slotsSaid bool, how pass) (specific bool) {
	if k.class == kwWithAmount && !hasAmount {
		return false
	}
	if k.class == kwAlone && slotsSaid {
		return false // "好的 二档" answers the tier question, it does not thank
	}
	if m.alone(k) && len(rs)-len(k.runes) > wholeSlack {
		return false
	}
	shared := textMask.shared(k.mask)
	var w float64
	switch {
	case how == passExact:
		if shared < k.bits || !strings.Contains(norm, k.text) {
			return false
		}
		w = k.weight
	case how == passSound:
		w = k.weight - typoPenalty
	case k.class != kwTopic && shared >= k.bits-1 && m.plausibleTypo(k, rs) && nearlyContains(rs, k.runes):
		w = k.weight - typoPenalty
	default:
		return false
	}
	switch k.class {
	case kwTopic:
		w = topicWeight
	case kwWithAmount:
		w += amountBonus
	}
	s := &scores[k.intent]
	if !s.found {
		s.found, s.topicOnly = true, true
	}
	if k.class != kwTopic {
		specific = true
		s.topicOnly = false
		if k.origin != s.lastOrigin {
			s.origins++
			s.lastOrigin = k.origin
		}
	}
	if w > s.best {
		s.tolerant = how != passExact
	}
	s.best = max(s.best, w)
	return specific
}

// alone reports whether k counts only in a message that is little more
// than k: a keyword of a whole-message intent, or one listed as alone.
func (m *Matcher) alone(k *keyword) bool {
	return k.class == kwAlone || m.intents[k.intent].whole
}

// plausibleTypo tells whether a typo-match on k could be right: the text
// must hold the keyword's distinctive runes, all but one of them and at
// least two, so that "怎么样" is not taken for "怎么交" nor "怎么报销" for
// "怎么报名".
func (m *Matcher) plausibleTypo(k *keyword, rs []rune) bool {
	n := 0
	for _, r := range k.rare {
		if containsRune(rs, r) {
			n++
		}
	}
	return n >= 2 && n >= len(k.rare)-1
}

// pick returns the winning intent's index (-1 for none). When the best
// evidence is a topic shared by several intents, it returns them all as
// tied: the message is ambiguous and the user should choose.
func (m *Matcher) pick(scores []intentScore) (int, []Intent) {
	total := func(i int) float64 {
		s := scores[i]
		return s.best + m.intents[i].priority + extraMatchBonus*float64(min(max(s.origins-1, 0), 3))
	}
	// Topics decide only when no keyword matched: a keyword read by
	// sound ("缴费截指日期", "住阮怎么报") still says more than a generic
	// word beside it. So the best keyword wins, else the best topic.
	win, winTotal, topic, topicTotal := -1, 0.0, -1, 0.0
	for i := range scores {
		if !scores[i].found {
			continue
		}
		t := total(i)
		switch {
		case scores[i].topicOnly:
			if topic < 0 || t > topicTotal {
				topic, topicTotal = i, t
			}
		case win < 0 || t > winTotal:
			win, winTotal = i, t
		}
	}
	if win < 0 {
		win, winTotal = topic, topicTotal
	}
	if win < 0 || !scores[win].topicOnly {
		return win, nil
	}
	var tied []Intent
	for i, s := range scores {
		if s.found && s.topicOnly && total(i) == winTotal && len(tied) < maxSuggestions {
			tied = append(tied, m.intents[i].name)
		}
	}
	return win, tied
}

// confidence maps evidence to [0,1]: a topic is 0.2, a two-rune keyword
// 0.4, five runes or an amount-backed estimate 1.
func confidence(s intentScore) float64 {
	c := s.best / 5
	if s.topicOnly {
		c = 0.2
	}
	return min(max(c, 0.2), 1)
}

func refineEstimate(in Intent, k engine.Kind) Intent {
	if in != Estimate && in != EstimateInpatient && in != EstimateOutpatient {
		return in
	}
	switch k {
	case engine.KindInpatient:
		return EstimateInpatient
	case engine.KindOutpatient:
		return EstimateOutpatient
	}
	return in
}

// similar suggests the intents whose keywords share the most uncommon
// runes with an unmatched message: at least two, and at least half of the
// keyword's uncommon runes.
func (m *Matcher) similar(rs []rune) []Intent {
	best := make([]float64, len(m.intents))
	textMask := maskOf(rs)
	for i := range m.keywords {
		k := &m.keywords[i]
		if k.class == kwTopic || len(k.rare) < 2 || textMask.shared(k.mask) < 2 {
			continue
		}
		n := 0
		for _, r := range k.rare {
			if containsRune(rs, r) {
				n++
			}
		}
		if sim := float64(n) / float64(len(k.rare)); n >= 2 && sim >= 0.5 && sim > best[k.intent] {
			best[k.intent] = sim
		}
	}
	var out []Intent
	for len(out) < maxSuggestions {
		top := -1
		for i, b := range best {
			if b > 0 && (top < 0 || b > best[top]) {
				top = i
			}
		}
		if top < 0 {
			break
		}
		out = append(out, m.intents[top].name)
		best[top] = 0
	}
	return out
}

// slotHints suggests intents for a message that only gives facts.
func slotHints(s Slots) []Intent {
	var out []Intent
	if s.HasAmount {
		switch s.Kind {
		case engine.KindInpatient:
			out = append(out, EstimateInpatient)
		case engine.KindOutpatient:
			out = append(out, EstimateOutpatient)
		default:
			out = append(out, Estimate)
		}
	}
	if s.Tier != engine.TierUnknown {
		out = append(out, Contribution)
	}
	if !s.HasAmount {
		switch s.Kind {
		case engine.KindInpatient:
			out = append(out, Inpatient)
		case engine.KindOutpatient:
			out = append(out, Outpatient)
		}
	}
	return out[:min(len(out), maxSuggestions)]
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func hanCount(rs []rune) int {
	n := 0
	for _, r := range rs {
		if isHan(r) {
			n++
		}
	}
	return n
}

func isNumberish(r rune) bool {
	return r < 0x80 || chineseDigit(r) >= 0 || unitAhead(r)
}
