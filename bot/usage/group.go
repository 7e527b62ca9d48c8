package usage

import (
	"strings"
	"unicode"
)

// Group is questions that read alike ("住院押金要交好多" and "住院押金交多
// 少"), so that the operator sees one need with its total, not twenty
// spellings of it.
type Group struct {
	Count int64   `json:"count"` // all its questions together
	Texts []Count `json:"texts"` // most asked first; the first names the group
}

// similarGroup is how alike two questions must be to share a group: the
// Jaccard index of their character pairs.
const similarGroup = 0.3

// maxGroupTexts bounds the questions listed under one group.
const maxGroupTexts = 5

// Grouped gathers counted questions into groups of alike ones, largest
// group first, at most top groups (all when top <= 0). Each question joins
// the first group, most asked first, holding a question it resembles.
// A "[topic …] " prefix (the unsure and unhelpful lists) is left out of
// the comparison but kept in the text.
func Grouped(counts []Count, top int) []Group {
	all := ranked(toMap(counts), 0)
	type member struct {
		pairs map[[2]rune]bool
		group int
	}
	var groups []Group
	var members []member
	for _, c := range all {
		pairs := charPairs(withoutTopic(c.Text))
		gi := -1
		for _, mb := range members {
			if jaccard(pairs, mb.pairs) >= similarGroup {
				gi = mb.group
				break
			}
		}
		if gi < 0 {
			gi = len(groups)
			groups = append(groups, Group{})
		}
		members = append(members, member{pairs, gi})
		g := &groups[gi]
		g.Count += c.Count
		if len(g.Texts) < maxGroupTexts {
			g.Texts = append(g.Texts, c)
		}
	}
	// Largest first; ties keep the order of their leading question.
	for i := 1; i < len(groups); i++ {
		for j := i; j > 0 && groups[j].Count > groups[j-1].Count; j-- {
			groups[j], groups[j-1] = groups[j-1], groups[j]
		}
	}
	if top > 0 && len(groups) > top {
		groups = groups[:top]
	}
	return groups
}

func toMap(counts []Count) map[string]int64 {
	m := make(map[string]int64, len(counts))
	for _, c := range counts {
		m[c.Text] += c.Count
	}
	return m
}

// withoutTopic drops a leading "[...] ".
func withoutTopic(s string) string {
	if strings.HasPrefix(s, "[") {
		if i := strings.Index(s, "] "); i > 0 {
			return s[i+2:]
		}
	}
	return s
}

// charPairs are the pairs of neighbouring letters and digits of s, spaces
// and punctuation left out; a single character counts as a pair with
// itself, so that short questions still compare.
func charPairs(s string) map[[2]rune]bool {
	var rs []rune
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, r)
		}
	}
	out := map[[2]rune]bool{}
	if len(rs) == 1 {
		out[[2]rune{rs[0], rs[0]}] = true
	}
	for i := 0; i+1 < len(rs); i++ {
		out[[2]rune{rs[i], rs[i+1]}] = true
	}
	return out
}

func jaccard(a, b map[[2]rune]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for p := range a {
		if b[p] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
