package bot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/width"
)

// A phone screen at a large font shows about 12 lines of 14 full-width
// characters. A reply's first block (up to its first blank line) is what
// the resident reads without scrolling: it holds the answer, and what
// follows it (the working, the details, the menu) is for those who read
// on.
const (
	screenColumns = 28 // half-width columns: 14 full-width characters
	screenLines   = 12
)

// TestFirstScreenHoldsTheAnswer measures every reply of the golden
// transcripts by display width and fails when a reply's first block
// runs past one phone screen.
func TestFirstScreenHoldsTheAnswer(t *testing.T) {
	files, err := filepath.Glob("testdata/dialogs/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	measured := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, reply := range transcriptReplies(string(data)) {
			measured++
			first, _, _ := strings.Cut(reply, "\n\n")
			if n := phoneLines(first); n > screenLines {
				t.Errorf("%s: a reply's first block takes %d phone lines (at most %d); put the answer first and the rest after a blank line:\n%s",
					filepath.Base(file), n, screenLines, first)
			}
		}
	}
	if measured < 100 {
		t.Fatalf("measured %d replies; the transcripts hold more", measured)
	}
}

// transcriptReplies returns the bot's replies in a transcript: runs of
// "< " lines, with a reply's own flags ("[degraded]") dropped.
func transcriptReplies(script string) []string {
	var out []string
	var cur []string
	flush := func() {
		if cur != nil {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(script, "\n") {
		switch {
		case line == "<":
			cur = append(cur, "")
		case strings.HasPrefix(line, "< "):
			text := strings.TrimPrefix(line, "< ")
			if cur == nil {
				for _, flag := range []string{"[degraded] ", "[duplicate] "} {
					text = strings.TrimPrefix(text, flag)
				}
			}
			cur = append(cur, text)
		default:
			flush()
		}
	}
	flush()
	return out
}

// phoneLines counts the lines a text takes on the phone screen: each
// line wraps every screenColumns columns, a wide character taking two.
func phoneLines(text string) int {
	lines := 0
	for _, line := range strings.Split(text, "\n") {
		cols := 0
		for _, r := range line {
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				cols += 2
			default:
				cols++
			}
		}
		lines += max(1, (cols+screenColumns-1)/screenColumns)
	}
	return lines
}

func TestPhoneLines(t *testing.T) {
	for _, tt := range []struct {
		text string
		want int
	}{
		{"", 1},
		{"十四个字十四个字十四个字十四", 1},
		{"十四个字十四个字十四个字十四个", 2},
		{"abcdefghijklmnopqrstuvwxyz01", 1},
		{"一\n二\n\n三", 4},
	} {
		if got := phoneLines(tt.text); got != tt.want {
			t.Errorf("phoneLines(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}
