// Package redact keeps personal data out of logs: user ids become short
// stable hashes, and ID-card, mobile and bank-card numbers in free text are
// masked. It is for logs only; nothing here is shown to users.
package redact

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/yibao/yibao/intents/pii"
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

// Text masks the numbers in s that identify a person, as intents/pii
// finds them (the same detector keeps them out of the amount reader):
//
//   - mainland ID-card numbers (17 digits and a check digit or X, or the
//     old 15): the first 3 and the last character stay, "500**************X";
//   - mobile numbers (11 digits starting with 1): "138****5678", the usual
//     Chinese convention;
//   - any other run of 12 or more digits (bank cards, +86 numbers, a
//     number run together with another): all but the last 4 digits.
//
// Digits may be ASCII, full-width or Chinese (一三八…, 幺三八…, 五〇〇…),
// and groups joined by any separators people type or paste, up to eight
// in a row: spaces of every width (zero-width and thin included),
// hyphens, dashes and the minus sign, dots, slashes, commas, colons and
// brackets ("138.1234.5678", "138：1234：5678", "5001 0119 9001 0112 34").
// Joining too much only masks more. Landlines such as "023-88979966" and
// short numbers such as 12345 stay: the ones users quote are public
// hotlines, and the logs are more useful with them. Separators are kept.
// The result is Printable: it is written for people to read.
func Text(s string) string {
	return Printable(pii.Mask(s))
}
