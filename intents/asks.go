package intents

import (
	_ "embed"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Ask is the kind of question a message asks, whatever its topic: a rate
// is answered from the rules, an amount may need a calculation, a "how"
// wants steps. It is read from the words of asks.yaml.
type Ask string

const (
	AskNone    Ask = ""
	AskYear    Ask = "year"
	AskWhy     Ask = "why"
	AskRate    Ask = "rate"
	AskWhich   Ask = "which"
	AskAmount  Ask = "amount"
	AskWhen    Ask = "when"
	AskWhere   Ask = "where"
	AskHow     Ask = "how"
	AskWhether Ask = "whether"
)

// AskWords are the words of each kind of question and which kind wins
// when a message holds several (asks.yaml).
type AskWords struct {
	Order []Ask            `yaml:"order"`
	Kinds map[Ask][]string `yaml:"kinds"`
}

//go:embed asks.yaml
var defaultAsks []byte

// ParseAsks reads a file of question words.
func ParseAsks(data []byte) (*AskWords, error) {
	var a AskWords
	if err := yaml.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("asks: %w", err)
	}
	return &a, nil
}

// DefaultAsks are the question words shipped in the binary.
func DefaultAsks() *AskWords {
	a, err := ParseAsks(defaultAsks)
	if err != nil {
		panic(fmt.Sprintf("intents: embedded asks.yaml: %v", err))
	}
	return a
}

// Problems lists what is wrong with the question words.
func (a *AskWords) Problems() []Problem {
	var ps []Problem
	inOrder := map[Ask]bool{}
	for _, k := range a.Order {
		inOrder[k] = true
	}
	for k, words := range a.Kinds {
		if !inOrder[k] {
			ps = append(ps, Problem{"asks.kinds." + string(k), "not in order"})
		}
		for i, w := range words {
			if Normalize(w) == "" {
				ps = append(ps, Problem{fmt.Sprintf("asks.kinds.%s[%d]", k, i), "empty after normalising"})
			}
		}
	}
	return ps
}

// askIndex finds question words in a message.
type askIndex struct {
	words dict[Ask]
	rank  map[Ask]int
}

func compileAsks(a *AskWords) askIndex {
	ix := askIndex{rank: map[Ask]int{}}
	if a == nil {
		return ix
	}
	for i, k := range a.Order {
		ix.rank[k] = i
	}
	for k, words := range a.Kinds {
		for _, w := range words {
			if n := Normalize(w); n != "" {
				ix.words.add([]rune(n), k)
			}
		}
	}
	return ix
}

// read returns the kind of question the normalised message asks: of the
// question words it holds, the kind that comes first in the order.
func (ix *askIndex) read(rs []rune) Ask {
	best, bestRank := AskNone, len(ix.rank)+1
	for i := 0; i < len(rs); {
		k, n := ix.words.longest(rs, i)
		if n == 0 {
			i++
			continue
		}
		if r, ok := ix.rank[k]; ok && r < bestRank {
			best, bestRank = k, r
		}
		// Words may overlap: in "报好多个点" the amount's 报好多 must not
		// hide the rate's 好多个点.
		i++
	}
	return best
}
