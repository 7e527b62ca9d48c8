package intents

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/yibao/yibao/engine"
)

// A sum of money in a message is the bill unless the words around it say it
// is something else: the part outside the reimbursement list, what the fund
// or the patient already paid this year, or the yearly contribution that
// names a tier. These are part of the language of bills rather than of the
// catalogue, so they live here, next to the code that reads them.
type amountRole uint8

const (
	roleBill amountRole = iota
	roleOutOfPolicy
	rolePriorBasic
	rolePriorSelfPay
	rolePremium
)

// The cues around a sum are the lexicon's "amount" lists (lexicon.yaml):
// they are part of the language of bills rather than of the catalogue.

// maxPremium bounds a yearly contribution: no tier costs 1万 a year, so a
// larger sum is a bill whatever follows it.
const maxPremium = 10000 * scale

// roleOf tells what the sum rs[n.start:n.end] is. k is where the text
// after the numeral (fillers skipped) starts.
func (lx *lexicon) roleOf(rs []rune, n numeral, k int) (amountRole, bool) {
	before := lx.trimBefore(rs, n.start)
	after := lx.skipUnits(rs, k)
	switch {
	case lx.outOfPolicyBefore.endsAt(rs, before) > 0, lx.outOfPolicyFollows(rs, n.end):
		return roleOutOfPolicy, false
	case lx.priorSelfPayBefore.endsAt(rs, before) > 0, lx.selfPaid(rs, before):
		return rolePriorSelfPay, false
	case lx.priorBasicBefore.endsAt(rs, before) > 0, lx.fundPaid(rs, before):
		return rolePriorBasic, false
	case lx.selfPayBefore.endsAt(rs, before) > 0:
		return roleOutOfPolicy, true // weak: only beside another sum
	}
	if n.value >= maxPremium || n.value <= 0 {
		return roleBill, false
	}
	de := lx.sumEndsAfter.startsAt(rs, after)
	end := skipSpaces(rs, after) == len(rs) || de > 0 && skipSpaces(rs, after+de) == len(rs)
	u := n.end + lx.unitsAfter.startsAt(rs, n.end)
	ud := lx.sumEndsAfter.startsAt(rs, u)
	clause := endsClause(rs, u) || ud > 0 && endsClause(rs, u+ud)
	switch {
	case lx.premiumAfter.startsAt(rs, after) > 0, lx.premiumChangeBefore.endsAt(rs, before) > 0:
		return rolePremium, false
	case lx.premiumBefore.endsAt(rs, before) > 0 && (end || lx.premiumIfAfter.startsAt(rs, after) > 0),
		lx.paidPremiumBefore.endsAt(rs, before) > 0 && (clause || de > 0):
		// "交775的话能多报好多", "交775的在社区医院住院": paying that
		// much names the tier; a bill is spent (花了), not paid 交…的.
		return rolePremium, false
	case !n.bigUnit && de > 0 && skipSpaces(rs, after+de) == len(rs) && before == 0:
		return rolePremium, false // the whole message is "775的"
	}
	return roleBill, false
}

// endsClause reports whether nothing but spaces follows rs[i:] before the
// end of the message or a separator: "交的775 住院5万" names the premium in
// a clause of its own.
func endsClause(rs []rune, i int) bool {
	j := skipSpaces(rs, i)
	return j == len(rs) || j > i || strings.ContainsRune(",;，；", rs[j])
}

// selfPaid reports whether the words before i say the patient paid
// ("今年前面住院自己已经出了2万"): a verb of paying with the patient named
// shortly before it.
func (lx *lexicon) selfPaid(rs []rune, i int) bool {
	if lx.selfVerbs.endsAt(rs, i) == 0 {
		return false
	}
	for j := max(0, i-8); j < i; j++ {
		if lx.selfNames.startsAt(rs, j) > 0 {
			return true
		}
	}
	return false
}

// outOfPolicyFollows reports whether the sum ending at end is called
// out-of-list by the words right after it ("1万是自费的", "3000不能报"),
// and not by words that introduce the next sum ("8万 自费药1万2").
func (lx *lexicon) outOfPolicyFollows(rs []rune, end int) bool {
	j := end + lx.unitsAfter.startsAt(rs, end)
	l := lx.outOfPolicyAfter.startsAt(rs, j)
	if l == 0 {
		return false
	}
	for k := j + l; k < len(rs) && k < j+l+4; k++ {
		switch {
		case rs[k] == ' ' || strings.ContainsRune(",;，；", rs[k]):
			return true // the clause ends: "有1万是自费药 一档"
		case isNumeralStart(rs[k]) && !(k+1 < len(rs) && lx.slotAfterSum.has(rs[k+1])):
			return false
		}
	}
	return true
}

// fundPaid reports whether the words before i say the fund paid ("医保今年
// 已经付了2万"): a verb of paying with the fund named shortly before it.
func (lx *lexicon) fundPaid(rs []rune, i int) bool {
	if lx.paidVerbs.endsAt(rs, i) == 0 {
		return false
	}
	for j := max(0, i-10); j < i; j++ {
		if lx.fundNames.startsAt(rs, j) > 0 {
			return true
		}
	}
	return false
}

// trimBefore returns where the text before position i ends once spaces
// and fillers are dropped.
func (lx *lexicon) trimBefore(rs []rune, i int) int {
	for {
		l := lx.beforeFillers.endsAt(rs, i)
		if l == 0 {
			return i
		}
		i -= l
	}
}

func (lx *lexicon) skipUnits(rs []rune, k int) int {
	if l := lx.unitsAfter.startsAt(rs, k); l > 0 {
		return skipSpaces(rs, k+l)
	}
	return k
}

// endsWith reports whether rs[:i] ends with s. It decodes s from its end
// rather than converting it, as it runs for every cue at every number.
func endsWith(rs []rune, i int, s string) bool {
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		i--
		if i < 0 || rs[i] != r {
			return false
		}
		s = s[:len(s)-size]
	}
	return true
}

// wordSet is a list of words found by their first or last rune, so that
// checking a dozen cues at every number costs a map lookup. Built at
// package initialisation and only read afterwards.
type wordSet struct {
	byFirst, byLast map[rune][][]rune
}

func newWordSet(words ...string) wordSet {
	ws := wordSet{byFirst: map[rune][][]rune{}, byLast: map[rune][][]rune{}}
	for _, w := range words {
		rs := []rune(w)
		ws.byFirst[rs[0]] = append(ws.byFirst[rs[0]], rs)
		ws.byLast[rs[len(rs)-1]] = append(ws.byLast[rs[len(rs)-1]], rs)
	}
	return ws
}

// startsAt returns the length of the longest word that starts at rs[i],
// or 0.
func (ws wordSet) startsAt(rs []rune, i int) int {
	if i >= len(rs) {
		return 0
	}
	best := 0
	for _, w := range ws.byFirst[rs[i]] {
		if len(w) > best && i+len(w) <= len(rs) && slices.Equal(rs[i:i+len(w)], w) {
			best = len(w)
		}
	}
	return best
}

// anyIn reports whether one of the words starts anywhere in rs.
func (ws wordSet) anyIn(rs []rune) bool {
	for i := range rs {
		if ws.startsAt(rs, i) > 0 {
			return true
		}
	}
	return false
}

// endsAt returns the length of the longest word that rs[:i] ends with, or
// 0.
func (ws wordSet) endsAt(rs []rune, i int) int {
	if i <= 0 || i > len(rs) {
		return 0
	}
	best := 0
	for _, w := range ws.byLast[rs[i-1]] {
		if len(w) > best && i-len(w) >= 0 && slices.Equal(rs[i-len(w):i], w) {
			best = len(w)
		}
	}
	return best
}

// sum is one sum of money as written: its value (fixed4, never negative)
// and how it was said.
type sum struct {
	v        int64
	marked   bool // written as money (a unit, ¥)
	approx   bool // said roughly: "3来万", "两千多", "大概5万"
	negative bool // a minus before it: "-3000", "负五千"
}

// money is the sum as the slots hold it: negative when said so.
func (s sum) money() engine.Money {
	if s.negative {
		return engine.MoneyOf(decimal.New(-s.v, -4))
	}
	return engine.MoneyOf(decimal.New(s.v, -4))
}

// setRole files a sum by its role. The first sum of each role is kept; a
// weak out-of-list sum waits for finish to see whether a bill came too.
func (x *extractor) setRole(role amountRole, weak bool, s sum) {
	m := s.money()
	switch {
	case role == roleBill:
		x.setAmount(s)
	case weak:
		if !x.weakOOP.ok {
			x.weakOOP = pendingSum{s, true}
		}
	case role == roleOutOfPolicy && !x.s.HasOutOfPolicy:
		x.s.OutOfPolicy, x.s.HasOutOfPolicy = m, true
	case role == rolePriorBasic && !x.s.HasPriorBasic:
		x.s.PriorBasic, x.s.HasPriorBasic = m, true
	case role == rolePriorSelfPay && !x.s.HasPriorSelfPay:
		x.s.PriorSelfPay, x.s.HasPriorSelfPay = m, true
	case role == rolePremium && !x.s.HasPremium:
		x.s.Premium, x.s.HasPremium = m, true
	}
}

type pendingSum struct {
	sum
	ok bool
}

// settleWeak decides a weak out-of-list sum ("自费1万"): beside a bill it
// is the out-of-list part, alone it is the bill.
func (x *extractor) settleWeak() {
	if !x.weakOOP.ok {
		return
	}
	if x.s.HasAmount && !x.s.HasOutOfPolicy {
		x.s.OutOfPolicy, x.s.HasOutOfPolicy = x.weakOOP.money(), true
		return
	}
	if !x.s.HasAmount {
		x.setAmount(x.weakOOP.sum)
	}
}

// phoneSpan returns the end of a phone number starting at rs[i] written in
// groups ("138 1234 5678", "138-1234-5678", "023 1234 5678"), or 0. A
// mobile number has 11 digits starting with 1; a landline 10 to 12
// starting with 0.
func phoneSpan(rs []rune, i int) int {
	if i > 0 && isASCIIDigit(rs[i-1]) {
		return 0
	}
	digits, groups, j, end := 0, 0, i, 0
	for j < len(rs) && isASCIIDigit(rs[j]) {
		g := 0
		for j < len(rs) && isASCIIDigit(rs[j]) {
			g++
			j++
		}
		digits += g
		groups++
		end = j
		k := j
		for k < len(rs) && (rs[k] == ' ' || rs[k] == '-') && k-j < 3 {
			k++
		}
		if k == j || k >= len(rs) || !isASCIIDigit(rs[k]) {
			break
		}
		j = k
	}
	mobile := rs[i] == '1' && digits == 11
	landline := rs[i] == '0' && digits >= 10 && digits <= 12
	if groups < 2 || !(mobile || landline) {
		return 0
	}
	return end
}

// inpatientPhrase reports whether an everyday way of saying "was in
// hospital" starts at rs[i]: "住了半个月院", "住一个礼拜院", "在医院住了10天",
// "住进医院", "住三甲". levelAt tells where a hospital level word starts.
func (lx *lexicon) inpatientPhrase(rs []rune, i int, levelAt func(int) bool) bool {
	switch {
	case lx.stayAt.startsAt(rs, i) > 0:
		return true
	case !lx.stayVerb.has(rs[i]) || (i > 0 && lx.notStayBefore.has(rs[i-1])):
		return false
	}
	j := i + 1
	opened := false
	if l := lx.stayOpening.startsAt(rs, j); l > 0 {
		j, opened = j+l, true
	} else {
		j += lx.stayPlace.startsAt(rs, j)
	}
	if j < len(rs) {
		l := lx.stayLevelLink.startsAt(rs, j)
		if levelAt(j) || l > 0 && levelAt(j+l) {
			return true // 住三甲, 住的县医院
		}
	}
	if opened {
		// "住了一周", "住了10天": a stay told by its length, 院 or not.
		k := j
		for k < len(rs) && k < j+4 && isNumberish(rs[k]) && rs[k] != ' ' {
			k++
		}
		if k > j && lx.stayDurations.startsAt(rs, k) > 0 {
			return true
		}
	}
	duration := false
	for k := j; k < len(rs) && k <= j+8; k++ {
		switch r := rs[k]; {
		case lx.stayEnd.has(r):
			return opened || duration
		case r == ' ' || r == ',' || lx.stayVerb.has(r):
			return false
		case lx.stayDurations.startsAt(rs, k) > 0:
			duration = true
		}
	}
	return false
}
