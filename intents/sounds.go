package intents

import (
	"strings"

	"github.com/mozillazg/go-pinyin"
)

// Residents type with a pinyin keyboard, so their typos are mostly a
// neighbour in the candidate list: a character with the same sound ("报效"
// for 报销, "截指" for 截止, "一当" for 一档) or a look-alike that shares a
// phonetic component and so rhymes ("住阮" for 住院). The readings come from
// go-pinyin's dictionary (a maintained table of every character's
// readings, heteronyms included) rather than from lists of our own.
//
// A window of the message reads as a word when it has the word's length
// and differs from it in exactly one character that sounds alike. One
// differing character in a word of two or more is the whole tolerance:
// "以及" is not "一级" (both characters differ), and single-character words
// are never read by sound.

// soundIndex finds, in a message, windows that read as one of its words.
// It is built once (add, then build) and only read afterwards.
type soundIndex struct {
	words    [][]rune
	rhymes   []bool     // whether word i may also match a rhyming look-alike
	keys     [][2]int32 // the two positions word i is filed under
	anchors  map[rune][]soundAnchor
	filed    *runeSet            // the runes anchors has, to skip most lookups
	readings map[rune][]syllable // toneless readings of the words' runes
	// particles are characters that carry no topic (the lexicon's
	// sounds.particles): a window that matches a word only on them ("忘了"
	// for 涨了, "院了" for 算了) is not read as it, nor is one typed in
	// place of a word's character ("医保吗" is a question, not 医保码).
	particles *charSet
}

// syllable is one toneless reading ("yuan"), kept in place so that
// comparing two costs no allocation. Readings are at most six letters.
type syllable struct {
	b       [7]byte
	n, init uint8 // length, and length of the initial
	ok      bool  // the rune has a reading
}

func (a syllable) same(b syllable) bool { return a.n == b.n && a.b == b.b }

// rhymes reports whether two readings have different initials and the
// same final of at least three letters (阮 ruan, 院 yuan), not one in -ng:
// those are shared by so many characters (经 jing and 停 ting, 样 yang and
// 档 dang) that rhyming on them says nothing.
func (a syllable) rhymes(b syllable) bool {
	if a.init == 0 || b.init == 0 || a.n-a.init < 3 || a.n-a.init != b.n-b.init {
		return false
	}
	if a.b[a.n-2] == 'n' && a.b[a.n-1] == 'g' {
		return false
	}
	if a.init == b.init && string(a.b[:a.init]) == string(b.b[:b.init]) {
		return false
	}
	return string(a.b[a.init:a.n]) == string(b.b[b.init:b.n])
}

func newSyllable(reading string) syllable {
	var buf [16]byte
	t := toneless(reading, buf[:0])
	var s syllable
	if len(t) == 0 || len(t) > len(s.b) {
		return s
	}
	copy(s.b[:], t)
	s.n, s.ok = uint8(len(t)), true
	s.init = uint8(len(initialOf(string(t))))
	return s
}

// mainSyllable is a rune's main reading, the one a keyboard offers it
// under first.
func mainSyllable(r rune) syllable {
	raw, ok := pinyin.PinyinDict[int(r)]
	if !ok {
		return syllable{}
	}
	main, _, _ := strings.Cut(raw, ",")
	return newSyllable(main)
}

// readingsOf returns all of a rune's readings, without tones.
func readingsOf(r rune) []syllable {
	raw, ok := pinyin.PinyinDict[int(r)]
	if !ok {
		return nil
	}
	var out []syllable
	for _, one := range strings.Split(raw, ",") {
		if s := newSyllable(one); s.ok {
			out = append(out, s)
		}
	}
	return out
}

// soundAnchor says that a rune sits at pos in word.
type soundAnchor struct {
	word, pos int32
}

// add files a word; rhyme allows a rhyming look-alike (see similar). It
// returns the word's id, or -1 for a word shorter than two runes, which is
// never read by sound.
func (s *soundIndex) add(word []rune, rhyme bool) int {
	if len(word) < 2 {
		return -1
	}
	if s.readings == nil {
		s.readings = map[rune][]syllable{}
	}
	s.words = append(s.words, word)
	s.rhymes = append(s.rhymes, rhyme)
	for _, r := range word {
		if _, ok := s.readings[r]; !ok {
			s.readings[r] = readingsOf(r)
		}
	}
	return len(s.words) - 1
}

// build files every word under two of its positions, the ones holding its
// least common runes. A window that differs from a word in one rune
// matches it exactly at one of any two positions, so two are enough, and
// rare runes keep the lists a message rune leads to short.
func (s *soundIndex) build() {
	freq := map[rune]int{}
	for _, w := range s.words {
		for _, r := range w {
			freq[r]++
		}
	}
	s.anchors = map[rune][]soundAnchor{}
	s.filed = new(runeSet)
	s.keys = make([][2]int32, len(s.words))
	for id, w := range s.words {
		a, b := -1, -1 // the two rarest positions
		for p, r := range w {
			switch {
			case a < 0 || freq[r] < freq[w[a]]:
				a, b = p, a
			case b < 0 || freq[r] < freq[w[b]]:
				b = p
			}
		}
		a, b = min(a, b), max(a, b)
		s.keys[id] = [2]int32{int32(a), int32(b)}
		for _, p := range []int{a, b} {
			s.anchors[w[p]] = append(s.anchors[w[p]], soundAnchor{int32(id), int32(p)})
			s.filed.add(w[p])
		}
	}
}

// find calls fn for every window of rs that reads as a word by sound (one
// rune differs and sounds alike), with the word's id and the window's
// start. Windows that match a word exactly are not reported. want, when
// not nil, is asked first, so that windows the caller has no use for cost
// no dictionary lookup.
func (s *soundIndex) find(rs []rune, want func(id, start int) bool, fn func(id, start int)) {
	// The typed runes' readings, looked up once each (for the first
	// runes of a message; later ones are looked up every time).
	var memo [48]syllable
	var looked [48]bool
	typed := func(i int) syllable {
		if i >= len(memo) {
			return mainSyllable(rs[i])
		}
		if !looked[i] {
			memo[i], looked[i] = mainSyllable(rs[i]), true
		}
		return memo[i]
	}
	for j, r := range rs {
		if s.filed == nil || !s.filed.has(r) {
			continue
		}
		for _, a := range s.anchors[r] {
			w, key := s.words[a.word], s.keys[a.word]
			start := j - int(a.pos)
			if start < 0 || start+len(w) > len(rs) {
				continue
			}
			// Visit each window once: from its first key position,
			// unless that is the one that differs.
			if a.pos == key[1] && rs[start+int(key[0])] == w[key[0]] || want != nil && !want(int(a.word), start) {
				continue
			}
			diff := -1
			for p, wr := range w {
				if rs[start+p] == wr {
					continue
				}
				if diff >= 0 {
					diff = -2 // two differences
					break
				}
				diff = p
			}
			if diff < 0 || !s.meaningful(w, diff) || s.particles.has(rs[start+diff]) {
				continue
			}
			if s.similar(typed(start+diff), w[diff], s.rhymes[a.word]) {
				fn(int(a.word), start)
			}
		}
	}
}

// meaningful reports whether word, all but its rune at diff, holds a
// character that is not a particle.
func (s *soundIndex) meaningful(word []rune, diff int) bool {
	for p, r := range word {
		if p != diff && !s.particles.has(r) {
			return true
		}
	}
	return false
}

// similar reports whether a rune read as typed, in place of want, is a
// pinyin typo: typed (the typed rune's main reading: "号" is hao, not its
// rare xiao) is a reading of want, tones aside, or, when rhyme is allowed,
// has the same final of three letters or more after a different initial
// (阮 ruan for 院 yuan), which is how look-alikes that share a phonetic
// component usually sound.
func (s *soundIndex) similar(typed syllable, want rune, rhyme bool) bool {
	if !typed.ok {
		return false
	}
	for _, w := range s.readings[want] {
		if typed.same(w) || rhyme && typed.rhymes(w) {
			return true
		}
	}
	return false
}

// toneless appends a dictionary reading ("yuàn", "lǜ") without its tone
// marks ("yuan", "lv") to dst.
func toneless(reading string, dst []byte) []byte {
	for _, r := range reading {
		switch r {
		case 'ā', 'á', 'ǎ', 'à':
			r = 'a'
		case 'ē', 'é', 'ě', 'è', 'ê', 'ế', 'ề':
			r = 'e'
		case 'ī', 'í', 'ǐ', 'ì':
			r = 'i'
		case 'ō', 'ó', 'ǒ', 'ò':
			r = 'o'
		case 'ū', 'ú', 'ǔ', 'ù':
			r = 'u'
		case 'ǖ', 'ǘ', 'ǚ', 'ǜ', 'ü':
			r = 'v'
		case 'ń', 'ň', 'ǹ':
			r = 'n'
		case 'ḿ':
			r = 'm'
		}
		if r < 0x80 {
			dst = append(dst, byte(r))
		} // combining marks and anything else are dropped
	}
	return dst
}

// initials are pinyin initials, two-letter ones first; y and w count as
// initials here, so that "yuan" is y + "uan" like "ruan" is r + "uan".
var initials = [...]string{"zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w"}

func initialOf(s string) string {
	for _, in := range initials {
		if strings.HasPrefix(s, in) {
			return in
		}
	}
	return ""
}
