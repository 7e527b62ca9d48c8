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
//   - mobile numbers (11 digits starting with 1, also written in groups
//     like "138 1234 5678"): "138****5678", the usual Chinese convention;
//   - any other run of 12 or more digits (bank cards, +86 numbers, old
//     15-digit ID cards): all but the last 4 digits.
//
// Landlines such as "023-88979966" (11 digits starting with 0) and short
// numbers such as 12345 stay: the ones users quote are public hotlines, and
// the logs are more useful with them. Amounts and dates are never long
// enough to be touched. Full-width digits count as digits. Separators (a
// single space or hyphen between groups of 3 or more digits) are kept.
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

// scanRun reads the digit run starting at rs[start]: digit groups joined by
// single spaces or hyphens when both groups have 3 or more digits (so
// "2025-01-01" is three short runs, "138 1234 5678" one), and a trailing X
// when it would make an ID-card number. It returns where the run ends and
// the positions of its digits (and X).
func scanRun(rs []rune, start int) (end int, idx []int) {
	i := start
	for {
		g := i
		for i < len(rs) && isDigit(rs[i]) {
			idx = append(idx, i)
			i++
		}
		if i-g >= 3 && i+1 < len(rs) && (rs[i] == ' ' || rs[i] == '-') && groupLen(rs, i+1) >= 3 {
			i++
			continue
		}
		break
	}
	if len(idx) == 17 && i < len(rs) && isX(rs[i]) {
		idx = append(idx, i)
		i++
	}
	return i, idx
}

func groupLen(rs []rune, i int) int {
	n := 0
	for i+n < len(rs) && isDigit(rs[i+n]) {
		n++
	}
	return n
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
