// Package redact keeps personal data out of logs: user ids become short
// stable hashes, and ID-card, mobile and bank-card numbers in free text are
// masked. It is for logs only; nothing here is shown to users.
package redact

import (
	"crypto/sha256"
	"encoding/hex"
	"unicode/utf8"
)

// UserID returns a short stable pseudonym for a platform user id: the first
// 12 hex digits of its SHA-256. It is unsalted on purpose: an openid is
// already an app-scoped pseudonym, and an operator handed a user's openid in
// a support request can find that user's log lines by hashing it. 48 bits
// keep collisions negligible for any realistic number of users.
func UserID(id string) string {
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:6])
}

// Text masks the numbers in s that identify a person:
//
//   - mainland ID-card numbers (17 digits and a check digit or X):
//     the first 3 and the last character stay, "500**************X";
//   - mobile numbers (11 digits starting with 1): "138****5678", the usual
//     Chinese convention;
//   - any other run of 12 or more digits (bank cards, +86 numbers, old
//     15-digit ID cards, a number run together with another): all but the
//     last 4 digits.
//
// A run is digit groups of any length joined by up to three separators,
// any that people type between groups: spaces, hyphens and dashes, dots,
// slashes, commas, 、 and brackets, half- or full-width ("138.1234.5678",
// "138，1234，5678", "138 - 1234 - 5678", "5001 0119 9001 0112 34").
// Joining too much only masks more. Landlines such as "023-88979966" (11
// digits starting with 0) and short numbers such as 12345 stay: the ones
// users quote are public hotlines, and the logs are more useful with them.
// Amounts and dates are never long enough to be touched unless written
// next to other numbers. Full-width digits count as digits. Separators are
// kept.
func Text(s string) string {
	if !mayHaveLongRun(s) {
		return s
	}
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !isDigit(rs[i]) {
			i++
			continue
		}
		end, idx := scanRun(rs, i)
		maskRun(rs, idx, end)
		i = end
	}
	return string(rs)
}

// mayHaveLongRun is the fast path: text with fewer than 11 digits in total
// has nothing to mask.
func mayHaveLongRun(s string) bool {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= '0' && c <= '9' {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isDigit(r) {
			n++
		}
		i += size
	}
	return n >= 11
}

func isDigit(r rune) bool {
	return r >= '0' && r <= '9' || r >= '０' && r <= '９'
}

func isX(r rune) bool { return r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' }

// maxGap is the most separators joined between two digit groups.
const maxGap = 3

// isSeparator reports whether r is something people type between the
// digit groups of one number.
func isSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\u00a0', '\u3000', // spaces, the last full-width
		'-', '‐', '‑', '–', '—', '－', '~', '～',
		'.', '．', '。', '·', '・',
		'/', '／', '\\', '|', '_',
		',', '，', '、',
		'(', ')', '（', '）', '+', '＋':
		return true
	}
	return false
}

// scanRun reads the digit run starting at rs[start]: digit groups joined
// by up to maxGap separators, and a check digit X (after a separator or
// not) when it makes an ID-card number. It returns where the run ends and
// the positions of its digits (and X).
func scanRun(rs []rune, start int) (end int, idx []int) {
	i := start
	for {
		for i < len(rs) && isDigit(rs[i]) {
			idx = append(idx, i)
			i++
		}
		gap := i
		for gap < len(rs) && gap-i < maxGap && isSeparator(rs[gap]) {
			gap++
		}
		if gap > i && gap < len(rs) && isDigit(rs[gap]) {
			i = gap
			continue
		}
		if len(idx) == 17 && gap < len(rs) && isX(rs[gap]) {
			idx = append(idx, gap)
			i = gap + 1
		}
		return i, idx
	}
}

func maskRun(rs []rune, idx []int, end int) {
	n := len(idx)
	keepHead, keepTail := 0, 0
	switch {
	case n == 18:
		keepHead, keepTail = 3, 1
	case n == 11 && (rs[idx[0]] == '1' || rs[idx[0]] == '１'):
		keepHead, keepTail = 3, 4
	case n >= 12:
		keepTail = 4
	default:
		return
	}
	for _, p := range idx[keepHead : n-keepTail] {
		rs[p] = '*'
	}
}
