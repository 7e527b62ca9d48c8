package intents

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxRunes bounds the work done on one message. WeChat text messages are
// short; a pasted article is cut here rather than slowing every reply.
const maxRunes = 1000

// fold makes the text uniform while keeping its structure: full-width forms
// become half-width, letters lower case, traditional and financial variants
// become the everyday simplified character, and invalid UTF-8 is dropped.
// Spaces and punctuation stay (as ASCII where there is one) so that slot
// extraction can still tell "12,000" and "2025-01-15" from "5 万".
func fold(text string) []rune {
	out := make([]rune, 0, min(utf8.RuneCountInString(text), maxRunes))
	for i, r := range text {
		if len(out) == maxRunes {
			break
		}
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(text[i:]); size <= 1 {
				continue // invalid byte, not a literal U+FFFD
			}
		}
		out = append(out, foldRune(r))
	}
	return out
}

func foldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r == '\u3000': // ideographic space
		return ' '
	case r >= '\uFF01' && r <= '\uFF5E': // full-width ASCII
		return foldRune(r - 0xFEE0)
	case r == '￥':
		return '¥'
	case r == '。', r == '、', r == '～', r == '…':
		// Sentence marks separate; they are never decimal points.
		return ' '
	}
	if isHan(r) && !variantRunes.has(r) {
		return r // most runes of a message: no case, no variant
	}
	if variantRunes.has(r) {
		if v, ok := variants[r]; ok {
			return v
		}
	}
	return unicode.ToLower(r)
}

// Normalize gives the text as keywords are matched against it: folded as
// above, then without spaces, punctuation and symbols (emoji included),
// except a '.', ',', '-', '/' or ':' between two digits ("12,000",
// "2025-01-15" stay readable).
func Normalize(text string) string {
	return normalizeRunes(fold(text))
}

func normalizeRunes(rs []rune) string {
	var b strings.Builder
	b.Grow(len(rs) * 3)
	for i, r := range rs {
		switch {
		case isLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case isDigitJoiner(r) && i > 0 && i+1 < len(rs) && isASCIIDigit(rs[i-1]) && isASCIIDigit(rs[i+1]):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isDigitJoiner(r rune) bool {
	return r == '.' || r == ',' || r == '-' || r == '/' || r == ':'
}

func isASCIIDigit(r rune) bool { return '0' <= r && r <= '9' }

// isHan reports whether r is a common CJK ideograph (U+4E00 to U+9FFF).
func isHan(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }

// isLetter is unicode.IsLetter with the runes of nearly every message, Han
// and ASCII, answered without a table search.
func isLetter(r rune) bool {
	switch {
	case r < 0x80:
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	case isHan(r):
		return true
	}
	return unicode.IsLetter(r)
}

// variants folds traditional characters common in residents' messages (and
// Chinese financial numerals) to the simplified form the catalogue uses. It
// is read-only after package initialisation.
var variants = func() map[rune]rune {
	pairs := [...]string{
		// insurance, money, and everyday words in messages
		"醫医", "報报", "險险", "繳缴", "門门", "診诊", "級级", "檔档", "費费", "銷销",
		"錢钱", "塊块", "萬万", "億亿", "兩两", "參参", "療疗", "額额", "標标", "準准",
		"賬账", "帳账", "稅税", "務务", "證证", "戶户", "單单", "據据", "實实", "際际",
		"補补", "續续", "辦办", "異异", "轉转", "結结", "線线", "電电", "話话", "熱热",
		"網网", "協协", "衛卫", "區区", "縣县", "鄉乡", "鎮镇", "農农", "職职", "業业",
		"靈灵", "點点", "從从", "當当", "專专", "與与", "員员", "學学", "歲岁", "兒儿",
		"孫孙", "號号", "親亲", "爺爷", "媽妈", "時时", "間间", "後后", "滿满", "開开",
		"過过", "還还", "麼么", "裡里", "這这", "嗎吗", "們们", "謝谢", "見见", "幫帮",
		"給给", "說说", "請请", "問问", "詢询", "記记", "錄录", "屬属", "來来", "樣样",
		"長长", "頭头", "對对", "題题", "應应", "數数", "藥药", "養养", "統统", "籌筹",
		"體体", "驗验", "聯联", "繫系", "係系", "絡络", "處处", "齡龄", "齊齐", "節节",
		"優优", "資资", "質质", "項项", "劃划", "撥拨", "碼码", "機机", "寶宝", "貝贝",
		"嬰婴", "陽阳", "驟骤", "啟启", "選选", "擇择", "認认", "為为", "無无", "沒没",
		"該该", "讓让", "價价", "減减", "筆笔", "總总", "計计", "幾几", "雙双", "個个",
		"錯错", "誤误", "閉闭", "關关", "訂订", "細细", "預预", "權权", "歡欢", "約约",
		"傳传", "礎础", "舊旧", "興兴", "韓韩", "東东",
		// financial numerals, as on receipts
		"壹一", "貳二", "贰二", "叁三", "叄三", "肆四", "伍五", "陸六", "柒七",
		"捌八", "玖九", "拾十", "佰百", "仟千",
	}
	m := make(map[rune]rune, len(pairs))
	for _, p := range pairs {
		rs := []rune(p)
		if rs[0] != rs[1] {
			m[rs[0]] = rs[1]
		}
	}
	return m
}()

// variantRunes are the keys of variants, so that the runes without a
// variant, nearly all of them, cost no map lookup. Read-only, like variants.
var variantRunes = func() *runeSet {
	s := new(runeSet)
	for r := range variants {
		s.add(r)
	}
	return s
}()
