package bot

import (
	"strings"
	"unicode/utf8"
)

// moreLine ends the first part of a reply that had to be split; the bot
// keeps the rest and shows it for "1".
const moreLine = "\n\n回复 1 查看余下内容"

// splitReply fits text into max UTF-8 bytes: when it is longer, the first
// part ends at a line break (or, failing that, a character boundary) and
// offers the rest. Guides are written to fit; this is the safety net for
// long computed replies.
func splitReply(text string, max int) (first, rest string) {
	if len(text) <= max {
		return text, ""
	}
	room := max - len(moreLine)
	cut := strings.LastIndexByte(text[:room], '\n')
	if cut < room/2 {
		cut = room
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
	}
	return strings.TrimRight(text[:cut], "\n") + moreLine, strings.TrimLeft(text[cut:], "\n")
}
