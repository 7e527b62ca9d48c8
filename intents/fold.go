package intents

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
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
	return joinSpacedDigits(out)
}

// joinSpacedDigits closes the spaces in a run of three or more single
// digits ("2 3 0 0 0 元" typed one key at a time is 23000): no one writes
// separate one-digit figures in a row.
func joinSpacedDigits(rs []rune) []rune {
	single := func(i int) bool { // rs[i] is a digit standing alone
		return isASCIIDigit(rs[i]) && (i == 0 || !isASCIIDigit(rs[i-1])) && (i+1 == len(rs) || !isASCIIDigit(rs[i+1]))
	}
	run := func(i int) bool { // three single digits, a space between each, from i
		return i+4 < len(rs) && single(i) && rs[i+1] == ' ' && single(i+2) && rs[i+3] == ' ' && single(i+4)
	}
	found := false
	for i := range rs {
		if run(i) {
			found = true
			break
		}
	}
	if !found {
		return rs // the common case: nothing to join, nothing allocated
	}
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		if !single(i) {
			out = append(out, rs[i])
			continue
		}
		j := i // the run: digit, space, digit, ...
		for j+2 < len(rs) && rs[j+1] == ' ' && single(j+2) {
			j += 2
		}
		if j-i < 4 { // fewer than three digits
			out = append(out, rs[i])
			continue
		}
		for k := i; k <= j; k += 2 {
			out = append(out, rs[k])
		}
		i = j
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
	case r >= '\u3000' && !isHan(r):
		// Full-width forms (ASCII, the ideographic space, ￥) to their
		// narrow form, by x/text/width's tables.
		if n := width.LookupRune(r).Folded(); n != 0 && n != r {
			return foldRune(n)
		}
	}
	switch r {
	case '。', '、', '～', '…':
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

// variants folds traditional characters (and Chinese financial numerals)
// to the simplified form the catalogue uses: variants.txt, generated from
// OpenCC's table. It is read-only after package initialisation.
var variants = func() map[rune]rune {
	m, err := parseVariants(variantsTxt)
	if err != nil {
		panic(err) // embedded data, checked by TestVariantsData
	}
	return m
}()

//go:embed variants.txt
var variantsTxt string

// parseVariants reads lines "T<tab>S", one rune each side; # starts a
// comment line. A later line for the same rune wins (the hand-added
// financial numerals after OpenCC's: 陸 on a receipt is 六).
func parseVariants(data string) (map[rune]rune, error) {
	m := make(map[rune]rune, 4200)
	for i, line := range strings.Split(data, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		from, to, ok := strings.Cut(line, "\t")
		f, fn := utf8.DecodeRuneInString(from)
		t, tn := utf8.DecodeRuneInString(to)
		if !ok || fn != len(from) || tn != len(to) || f == utf8.RuneError || t == utf8.RuneError {
			return nil, fmt.Errorf("variants.txt:%d: want one character, a tab, one character: %q", i+1, line)
		}
		if f != t {
			m[f] = t
		}
	}
	return m, nil
}

// variantRunes are the keys of variants, so that the runes without a
// variant, nearly all of them, cost no map lookup. Read-only, like variants.
var variantRunes = func() *runeSet {
	s := new(runeSet)
	for r := range variants {
		s.add(r)
	}
	return s
}()
