package redact_test

import (
	"testing"

	"github.com/yibao/yibao/bot/redact"
)

// TestPrintable: what would act on the operator's terminal or reorder the
// line is shown escaped (issue 21, finding 7); ordinary text is untouched.
func TestPrintable(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"住院怎么报销？", "住院怎么报销？"},
		{"abc 123 😀", "abc 123 😀"},
		{"\x1b[2J\x1b]0;pwned\x07", `\x1b[2J\x1b]0;pwned\x07`},
		{"a\u202eb\u2066c\u2069\u200fd", `a\u202eb\u2066c\u2069\u200fd`},
		{"\u0085\u009b31m", `\x85\x9b31m`},
		{"x\u2028y\x7f", `x\u2028y\x7f`},
		{"\ufeffz", `\ufeffz`},
	} {
		got := redact.Printable(tt.in)
		if got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := redact.Printable(got); again != got {
			t.Errorf("Printable is not idempotent on %q: %q", got, again)
		}
		if text := redact.Text(tt.in); text != tt.want {
			t.Errorf("Text(%q) = %q, want it printable: %q", tt.in, text, tt.want)
		}
	}
}
