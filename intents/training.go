package intents

import (
	_ "embed"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Other labels the training messages that ask something no topic of the
// catalogue answers. The classifier learns it like a topic; a message it
// places there is never routed to a topic on the classifier's word.
const Other Intent = "other"

//go:embed examples.yaml
var defaultExamples []byte

// ParseExamples reads a file of labelled messages (examples.yaml): intent
// → messages.
func ParseExamples(data []byte) (map[Intent][]string, error) {
	var m map[Intent][]string
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("examples: %w", err)
	}
	return m, nil
}

// DefaultExamples are the labelled messages shipped in the binary.
func DefaultExamples() map[Intent][]string {
	m, err := ParseExamples(defaultExamples)
	if err != nil {
		panic(fmt.Sprintf("intents: embedded examples.yaml: %v", err))
	}
	return m
}

// TrainingSet is every labelled message the classifier of a catalogue
// learns from: the catalogue's training messages (the built-in ones when
// it has none of its own), each intent's examples and keywords as
// written. Messages labelled with an intent the catalogue lacks are left
// out (Validate reports them), except Other.
func (c *Catalogue) TrainingSet() []Example {
	training := c.Training
	if len(training) == 0 {
		training = DefaultExamples()
	}
	has := map[Intent]bool{Other: true}
	for _, e := range c.Entries {
		has[e.Name] = true
	}
	var out []Example
	seen := map[Example]bool{}
	add := func(in Intent, text string) {
		ex := Example{Text: text, Intent: in}
		if text != "" && has[in] && !seen[ex] {
			seen[ex] = true
			out = append(out, ex)
		}
	}
	for _, e := range c.Entries {
		for _, s := range e.Examples {
			add(e.Name, s)
		}
		for _, list := range [][]string{e.Keywords, e.WithAmount, e.Alone} {
			for _, s := range list {
				add(e.Name, s)
			}
		}
	}
	// Map order would make training depend on the run: walk the
	// catalogue's order, then Other.
	for _, e := range c.Entries {
		for _, s := range training[e.Name] {
			add(e.Name, s)
		}
	}
	for _, s := range training[Other] {
		add(Other, s)
	}
	return out
}
