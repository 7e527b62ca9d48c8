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

// Cues right before a sum (spaces and fillers such as 是/有/约 skipped).
var (
	// outOfPolicyBefore always mark the out-of-list part.
	outOfPolicyBefore = newWordSet(
		"其中自费", "其中自付", "自费部分", "自费的部分", "自费的", "自费项目", "自费药", "全自费",
		"目录外", "目录以外", "目录外的", "医保目录外", "目录外面", "不在目录", "不在目录里", "不在目录内",
		"范围外", "报销范围外", "医保外", "医保外的", "范围外的", "不能报的", "报不了的", "报不到的", "不报的", "不给报的",
		"医保不报的", "医保不能报的", "医保报不了的", "医保报不到的",
		"自费其实", "自费部分其实", "目录外其实",
		// "医保不管的占了一万": what the insurance does not cover.
		"医保不管的", "不管的", "医保不管", "医保不包的", "不包的",
	)
	// selfPayBefore mark the out-of-list part only when the message has
	// another sum for the bill ("住院5万 自费1万"); alone ("自费2000能报
	// 多少") the sum is the bill the user paid.
	selfPayBefore    = newWordSet("自费", "自付")
	priorBasicBefore = newWordSet(
		"已经报了", "已报", "已报了", "报了", "报销了", "已经报销了", "已报销", "报过", "报过了", "已经赔了", "赔了", "返了",
		"报销过", "报销过了", "已经报销过", "已经报过", "已报过",
		"统筹报了", "统筹支付了", "基金支付了", "基金付了", "医保付了", "医保出了", "医保支付了", "医保给了",
		"医保已经付了", "医保已经报了", "医保已经出了", "统筹已经付了",
	)
	priorSelfPayBefore = newWordSet(
		"自己付了", "自己出了", "自己掏了", "自己给了", "自己负担了", "自己承担了", "自付了",
		"个人付了", "个人负担了", "个人承担了", "个人自付了", "自掏了", "自掏腰包",
	)
	// premiumBefore are words for paying the yearly contribution; the sum
	// is a premium only when a tier-ish word follows it or the message
	// ends there ("交380的", "交的775那个").
	premiumBefore = newWordSet("交", "缴", "交的", "缴的", "选", "选的", "买", "买的", "要", "要的", "每年交", "一年交")
	// paidPremiumBefore say the sum was paid for the year even when more
	// follows ("我交的775 住院5万", "交400的 住院2万"): the sum ends a
	// clause of its own.
	paidPremiumBefore = newWordSet("交", "缴", "交的", "缴的", "每年交", "一年交", "选的", "买的")
	// beforeFillers may sit between a cue and its sum.
	beforeFillers = newWordSet(" ", ":", "是", "有", "约", "大约", "大概", "差不多", "将近", "共", "为", "占了", "占")
)

// Cues right after a sum (its unit, 元/块/钱, skipped).
var (
	outOfPolicyAfter = newWordSet("是自费", "自费", "是目录外", "目录外", "不能报", "报不了", "不在目录", "不给报", "是自付", "自付",
		"是报不到", "报不到", "报不倒", "是报不了", "是不能报", "是医保外", "医保外",
		"是医保不报", "医保不报", "是不报的", "是医保报不了", "医保报不了", "是医保不能报", "医保不能报", "是医保不给报", "是不给报")
	premiumAfter = newWordSet("的那个", "那个", "的那档", "那档", "那一档", "的那一档", "档的", "的那种", "那种", "的呢",
		"是几档", "是哪档", "是哪一档", "是第几档", "是什么档", "是哪个档", "是几挡", "算几档", "属于几档", "属于哪档", "是一档还是二档")
	unitsAfter = newWordSet("块钱", "元钱", "块", "元", "圆", "钱", "rmb", "人民币")
)

// maxPremium bounds a yearly contribution: no tier costs 1万 a year, so a
// larger sum is a bill whatever follows it.
const maxPremium = 10000 * scale

// roleOf tells what the sum rs[n.start:n.end] is. k is where the text
// after the numeral (fillers skipped) starts.
func roleOf(rs []rune, n numeral, k int) (amountRole, bool) {
	before := trimBefore(rs, n.start)
	after := skipUnits(rs, k)
	switch {
	case outOfPolicyBefore.endsAt(rs, before) > 0, outOfPolicyFollows(rs, n.end):
		return roleOutOfPolicy, false
	case priorSelfPayBefore.endsAt(rs, before) > 0, selfPaid(rs, before):
		return rolePriorSelfPay, false
	case priorBasicBefore.endsAt(rs, before) > 0, fundPaid(rs, before):
		return rolePriorBasic, false
	case selfPayBefore.endsAt(rs, before) > 0:
		return roleOutOfPolicy, true // weak: only beside another sum
	}
	if n.value >= maxPremium || n.value <= 0 {
		return roleBill, false
	}
	end := skipSpaces(rs, after) == len(rs) || hasPrefix(rs, after, "的") && skipSpaces(rs, after+1) == len(rs)
	u := n.end + unitsAfter.startsAt(rs, n.end)
	clause := endsClause(rs, u) || hasPrefix(rs, u, "的") && endsClause(rs, u+1)
	switch {
	case premiumAfter.startsAt(rs, after) > 0:
		return rolePremium, false
	case premiumBefore.endsAt(rs, before) > 0 && (end || hasPrefix(rs, after, "的话")),
		paidPremiumBefore.endsAt(rs, before) > 0 && clause:
		// "交775的话能多报好多": paying that much, not a bill.
		return rolePremium, false
	case !n.bigUnit && hasPrefix(rs, after, "的") && skipSpaces(rs, after+1) == len(rs) && before == 0:
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

var (
	selfNames = newWordSet("自己", "个人", "自个", "自家")
	selfVerbs = newWordSet("付了", "出了", "掏了", "给了", "负担了", "承担了", "垫了")
)

// selfPaid reports whether the words before i say the patient paid
// ("今年前面住院自己已经出了2万"): a verb of paying with the patient named
// shortly before it.
func selfPaid(rs []rune, i int) bool {
	if selfVerbs.endsAt(rs, i) == 0 {
		return false
	}
	for j := max(0, i-8); j < i; j++ {
		if selfNames.startsAt(rs, j) > 0 {
			return true
		}
	}
	return false
}

// outOfPolicyFollows reports whether the sum ending at end is called
// out-of-list by the words right after it ("1万是自费的", "3000不能报"),
// and not by words that introduce the next sum ("8万 自费药1万2").
func outOfPolicyFollows(rs []rune, end int) bool {
	j := end + unitsAfter.startsAt(rs, end)
	l := outOfPolicyAfter.startsAt(rs, j)
	if l == 0 {
		return false
	}
	for k := j + l; k < len(rs) && k < j+l+4; k++ {
		switch {
		case rs[k] == ' ' || strings.ContainsRune(",;，；", rs[k]):
			return true // the clause ends: "有1万是自费药 一档"
		case isNumeralStart(rs[k]) && !(k+1 < len(rs) && strings.ContainsRune("档挡当级甲", rs[k+1])):
			return false
		}
	}
	return true
}

var (
	paidVerbs = newWordSet("付了", "出了", "支付了", "给了", "报了")
	fundNames = newWordSet("医保", "统筹", "基金")
)

// fundPaid reports whether the words before i say the fund paid ("医保今年
// 已经付了2万"): a verb of paying with the fund named shortly before it.
func fundPaid(rs []rune, i int) bool {
	if paidVerbs.endsAt(rs, i) == 0 {
		return false
	}
	for j := max(0, i-10); j < i; j++ {
		if fundNames.startsAt(rs, j) > 0 {
			return true
		}
	}
	return false
}

// trimBefore returns where the text before position i ends once spaces
// and fillers are dropped.
func trimBefore(rs []rune, i int) int {
	for {
		l := beforeFillers.endsAt(rs, i)
		if l == 0 {
			return i
		}
		i -= l
	}
}

func skipUnits(rs []rune, k int) int {
	if l := unitsAfter.startsAt(rs, k); l > 0 {
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

// setRole files a sum by its role. The first sum of each role is kept; a
// weak out-of-list sum waits for finish to see whether a bill came too.
func (x *extractor) setRole(role amountRole, weak bool, v int64, marked bool) {
	m := engine.MoneyOf(decimal.New(v, -4))
	switch {
	case role == roleBill:
		x.setAmount(v, marked)
	case weak:
		if !x.weakOOP.ok {
			x.weakOOP = pendingSum{v, marked, true}
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
	v      int64
	marked bool
	ok     bool
}

// settleWeak decides a weak out-of-list sum ("自费1万"): beside a bill it
// is the out-of-list part, alone it is the bill.
func (x *extractor) settleWeak() {
	if !x.weakOOP.ok {
		return
	}
	if x.s.HasAmount && !x.s.HasOutOfPolicy {
		x.s.OutOfPolicy, x.s.HasOutOfPolicy = engine.MoneyOf(decimal.New(x.weakOOP.v, -4)), true
		return
	}
	if !x.s.HasAmount {
		x.setAmount(x.weakOOP.v, x.weakOOP.marked)
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

// phoneBefore are words after which a number is a phone or an account,
// never money.
var phoneBefore = newWordSet("手机", "手机号", "手机号码", "电话", "电话号码", "号码", "联系方式", "微信号", "qq", "qq号", "身份证", "身份证号", "卡号", "编号", "账号")

// Words for "I do not know" and for "that was wrong", read in any message.
var (
	dontKnowWords = []string{
		"不知道", "不清楚", "不晓得", "搞不清", "搞不清楚", "不记得", "忘了", "忘记了", "记不得", "记不清",
		"不太清楚", "不太知道", "不确定", "说不清", "不造", "晓不得", "不太记得",
		"记不到", "记不倒", "搞忘", "忘求了", "不记得了", "想不起来",
	}
	correctionWords = []string{"不对", "说错了", "错了", "改成", "应该是", "搞错了", "打错了", "写错了", "弄错了", "改为", "更正", "纠正"}
	// notCorrection hold a correction word but ask a question instead.
	notCorrection = []string{"对不对", "是不是", "错没错"}
)

// followUpOpeners and followUpClosers mark an elliptical follow-up ("那
// 二档呢", "孩子呢"); filler runes may sit between the slots of one.
var (
	followUpOpeners = newWordSet("那如果是", "那要是", "那如果", "如果是", "要是", "那么", "那换成", "换成", "那改成", "改成", "那", "若是")
	followUpAcks    = newWordSet("好的", "好嘛", "好", "嗯", "嗯嗯", "哦", "噢", "行", "要得", "明白了", "知道了", "晓得了", "那好")
	followUpClosers = newWordSet("的呢", "呢", "嘞", "喃", "咧", "勒")
	followUpFillers = "的了是个也又还都啊呀吧嘛呢嘞"
)

// fillerRunes are followUpFillers and the units of money, as a set: isFiller
// asks about every rune of every message. Read-only after initialisation.
var fillerRunes = func() *runeSet {
	s := new(runeSet)
	for _, r := range followUpFillers + "元块钱" {
		s.add(r)
	}
	return s
}()

// inpatientPhrase reports whether an everyday way of saying "was in
// hospital" starts at rs[i]: "住了半个月院", "住一个礼拜院", "在医院住了10天",
// "住进医院", "住三甲". levelAt tells where a hospital level word starts.
func inpatientPhrase(rs []rune, i int, levelAt func(int) bool) bool {
	switch {
	case hasPrefix(rs, i, "医院住") || hasPrefix(rs, i, "医院里住") || hasPrefix(rs, i, "院里住"):
		return true
	case rs[i] != '住' || (i > 0 && rs[i-1] == '居'):
		return false
	}
	j := i + 1
	opened := false
	for _, w := range []string{"了", "过", "进了", "进", "到", "在"} {
		if hasPrefix(rs, j, w) {
			j += len([]rune(w))
			opened = w != "在"
			break
		}
	}
	if j < len(rs) && (levelAt(j) || hasPrefix(rs, j, "的") && levelAt(j+1)) {
		return true // 住三甲, 住的县医院
	}
	duration := false
	for k := j; k < len(rs) && k <= j+8; k++ {
		switch r := rs[k]; {
		case r == '院':
			return opened || duration
		case r == ' ' || r == ',' || r == '住':
			return false
		case r == '天' || r == '周' || r == '晚' || r == '夜' || hasPrefix(rs, k, "礼拜") || hasPrefix(rs, k, "星期") || hasPrefix(rs, k, "个月"):
			duration = true
		}
	}
	return false
}
