package redact

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable escapes what would act on a terminal or reorder text rather
// than show: C0 and C1 control characters and DEL (an ESC starts a CSI
// sequence that moves the cursor, clears the screen or retitles the
// window), and the invisible format characters, bidirectional overrides
// and isolates included (U+202E shows the rest of a line backwards), and
// line or paragraph separators. Each becomes \xNN or \uNNNN, so an
// operator reading `yibao stats`, its JSON or the log sees what was sent.
// Text already escaped stays as it is.
func Printable(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsEscape(r rune) bool {
	return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 ||
		r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r)
}
