package intents

// dict finds the longest listed word starting at a position of a rune
// slice. It is built once (at New) and only read afterwards.
type dict[V any] struct {
	root   trieNode[V]
	starts runeSet // the words' first runes: most runes of a message start none
}

type trieNode[V any] struct {
	next  map[rune]*trieNode[V]
	value V
	end   bool
}

// add records word with value; a later add of the same word replaces it.
func (d *dict[V]) add(word []rune, value V) {
	if len(word) > 0 {
		d.starts.add(word[0])
	}
	n := &d.root
	for _, r := range word {
		if n.next == nil {
			n.next = make(map[rune]*trieNode[V])
		}
		c, ok := n.next[r]
		if !ok {
			c = &trieNode[V]{}
			n.next[r] = c
		}
		n = c
	}
	n.value, n.end = value, true
}

// longest returns the value and rune length of the longest word that
// starts at rs[i], or length 0.
func (d *dict[V]) longest(rs []rune, i int) (V, int) {
	var best V
	bestLen := 0
	if i >= len(rs) || !d.starts.has(rs[i]) {
		return best, 0
	}
	n := &d.root
	for j := i; j < len(rs); j++ {
		c, ok := n.next[rs[j]]
		if !ok {
			break
		}
		n = c
		if n.end {
			best, bestLen = n.value, j-i+1
		}
	}
	return best, bestLen
}
