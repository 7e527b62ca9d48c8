package intents

import "math/bits"

// runeMask is a 256-bit summary of which runes a string holds. Comparing
// masks rules out most keywords for a message without reading either.
type runeMask [4]uint64

func (m *runeMask) add(r rune) {
	b := (uint32(r) * 2654435761) >> 24 // Knuth's multiplicative hash
	m[b>>6] |= 1 << (b & 63)
}

func maskOf(rs []rune) runeMask {
	var m runeMask
	for _, r := range rs {
		m.add(r)
	}
	return m
}

func (m runeMask) count() int {
	return bits.OnesCount64(m[0]) + bits.OnesCount64(m[1]) + bits.OnesCount64(m[2]) + bits.OnesCount64(m[3])
}

// shared counts the bits both masks have.
func (m runeMask) shared(o runeMask) int {
	return bits.OnesCount64(m[0]&o[0]) + bits.OnesCount64(m[1]&o[1]) +
		bits.OnesCount64(m[2]&o[2]) + bits.OnesCount64(m[3]&o[3])
}

// minTypoRunes is the shortest keyword a typo is tolerated in. With three
// runes, one edit leaves two, and two common runes ("怎么", "老人") match
// far too much; typos of short words ("报消", "二挡") are listed in the
// catalogue as synonyms instead.
const minTypoRunes = 4

// nearlyContains reports whether text holds pat with one substitution,
// insertion or deletion.
func nearlyContains(text, pat []rune) bool {
	if m := len(pat); m < minTypoRunes || m >= 32 {
		return false
	}
	return withinOneEdit(text, pat)
}

// withinOneEdit is Sellers' approximate substring search: column j of the
// table holds, for each prefix of pat, the fewest edits to make it end at
// text[j]; a match ends wherever the full pattern costs at most one.
func withinOneEdit(text, pat []rune) bool {
	m := len(pat)
	var col [32]int
	for i := 0; i <= m; i++ {
		col[i] = i
	}
	for _, c := range text {
		diag := col[0]
		col[0] = 0
		for i := 1; i <= m; i++ {
			left := col[i]
			v := diag
			if pat[i-1] != c {
				v++
			}
			v = min(v, col[i-1]+1, left+1)
			col[i] = v
			diag = left
		}
		if col[m] <= 1 {
			return true
		}
	}
	return false
}

// runeSet is an exact set of runes of the Basic Multilingual Plane, where
// all of Chinese and every character the catalogue uses live: one bit
// each (8 KiB). It answers "is this rune filed anywhere" before a map
// lookup, which most runes of a message would otherwise pay for nothing.
// Runes above the plane always answer yes, so the map decides for them.
type runeSet struct{ bits [1 << 10]uint64 }

func (s *runeSet) add(r rune) {
	if r >= 0 && r < 1<<16 {
		s.bits[r>>6] |= 1 << (r & 63)
	}
}

func (s *runeSet) has(r rune) bool {
	if r < 0 || r >= 1<<16 {
		return true
	}
	return s.bits[r>>6]&(1<<(r&63)) != 0
}
