package intents

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// Catalogue is the intent catalogue as operators edit it
// (catalogue.yaml): which words point to which intent, which words are
// synonyms, and the words that fill slots. It is plain data; New compiles
// it into a Matcher.
type Catalogue struct {
	// Synonyms are groups of interchangeable words. A keyword that
	// contains one member also matches with any other member in its place,
	// so "居民医保交多少" also catches "新农合多少钱".
	Synonyms [][]string   `yaml:"synonyms"`
	Entries  []IntentSpec `yaml:"intents"`
	Slots    SlotWords    `yaml:"slots"`
	// Training are labelled messages the topic classifier learns from,
	// intent → messages (Other for questions no topic answers). A
	// catalogue without them uses the built-in examples.yaml.
	Training map[Intent][]string `yaml:"training"`
	// Asks are the words of each kind of question (rate, amount, how,
	// ...). A catalogue without them uses the built-in asks.yaml.
	Asks *AskWords `yaml:"asks"`
}

// IntentSpec is one intent's entry in the catalogue.
type IntentSpec struct {
	Name Intent `yaml:"name"`
	// Title is a short Chinese name for menus and "did you mean".
	Title string `yaml:"title"`
	// Keywords point to the intent. The longer the keyword, the stronger:
	// the most specific match wins.
	Keywords []string `yaml:"keywords"`
	// Topics are generic words ("医保", "报销") that point here only
	// weakly: they decide when nothing else matches, and when several
	// intents share the topic the message is Unknown with those intents
	// as suggestions.
	Topics []string `yaml:"topics"`
	// WithAmount keywords count only when the message holds an amount, and
	// then outrank every plain keyword ("住院5万", "花了200能报").
	WithAmount []string `yaml:"with_amount"`
	// Alone keywords count only when the message is little more than the
	// keyword: "好的" alone thanks, but "交钱时说得好好的 结果就报这点" is a
	// complaint and "好的 那换成二档呢" a follow-up.
	Alone []string `yaml:"alone"`
	// WholeMessage restricts the intent to messages that are little more
	// than one of its keywords, so that "上一个月" does not mean "back".
	WholeMessage bool `yaml:"whole_message"`
	// Priority is added to the intent's score. Small talk has -1.5 so that
	// any question in the same message wins; a generic intent may take -1
	// so that its topic yields to other intents' topics.
	Priority float64 `yaml:"priority"`
	// Redirects send a message this intent won to another intent when
	// the message also holds one of the words listed: materials yields to
	// claims when the message speaks of 异地 or 出院, so that one weak word
	// does not outvote the rest of the message. The first that applies
	// wins.
	Redirects []Redirect `yaml:"redirects"`
	// Also reports this intent as a second question (Result.Also) when
	// another intent wins a message that holds one of its words too:
	// "二档交好多钱 住院又报好多" asks the inpatient rules and the price.
	Also *Also `yaml:"also"`
	// Examples are messages that must match this intent; Validate checks
	// them.
	Examples []string `yaml:"examples"`
	// Parent files a narrower topic under a broader one ("怎么申请退费"
	// under 退费): a message may fairly be read as either, so the
	// classifier's reading of one supports the other, and
	// cross-validation counts them as one.
	Parent Intent `yaml:"parent"`
	// Pairs are keywords made of two parts, each word of First followed
	// by each word of Then, directly or with one of Between in the middle
	// ("四川" and "农村医保": 四川农村医保, 四川的农村医保). They count as
	// keywords but are not examples for the classifier.
	Pairs []Pair `yaml:"pairs"`
	// Topic marks a knowledge topic, for the reader: any intent the code
	// does not refer to (see BuiltIn) is answered by the guide of the
	// same name, so adding one is a matter of data, flag or not.
	Topic bool `yaml:"topic"`
}

// Pair makes keywords of two lists of words (IntentSpec.Pairs).
type Pair struct {
	First   []string `yaml:"first"`
	Then    []string `yaml:"then"`
	Between []string `yaml:"between"`
}

// PairKeywords are the keywords an intent's pairs make.
func (e IntentSpec) PairKeywords() []string {
	var out []string
	for _, p := range e.Pairs {
		for _, f := range p.First {
			for _, t := range p.Then {
				out = append(out, f+t)
				for _, b := range p.Between {
					out = append(out, f+b+t)
				}
			}
		}
	}
	return out
}

// Redirect is one of an intent's redirects: the message goes to To when it
// holds one of When and, if OnlyWith is given, one of OnlyWith too (the
// weak words the redirect is about: "在学校" but not "怎么参保"), and none
// of Unless (words saying When is about someone else: "我妈交了二档，我爸
// 没交，我妈住院" is the insured mother's stay).
type Redirect struct {
	To       Intent   `yaml:"to"`
	When     []string `yaml:"when"`
	OnlyWith []string `yaml:"only_with"`
	Unless   []string `yaml:"unless"`
}

// Also names when an intent is a message's second question: when the
// message's intent is one of With and the message, holding no bill, says
// one of When.
type Also struct {
	When []string `yaml:"when"`
	With []Intent `yaml:"with"`
}

// SlotWords are the words that fill slots other than amounts and dates.
type SlotWords struct {
	Kinds struct {
		Inpatient  []string `yaml:"inpatient"`
		Outpatient []string `yaml:"outpatient"`
	} `yaml:"kinds"`
	Levels struct {
		L1 []string `yaml:"1"`
		L2 []string `yaml:"2"`
		L3 []string `yaml:"3"`
	} `yaml:"levels"`
	Tiers struct {
		T1 []string `yaml:"1"`
		T2 []string `yaml:"2"`
	} `yaml:"tiers"`
	Minor struct {
		// Yes words say the patient is a minor, No words an adult.
		Yes []string `yaml:"yes"`
		No  []string `yaml:"no"`
		// Neutral words say nothing about age; they are listed so that a
		// longer word wins over a shorter one inside it (大学生 is not 学生).
		Neutral []string `yaml:"neutral"`
	} `yaml:"minor"`
}

//go:embed catalogue.yaml
var defaultCatalogue []byte

// DefaultCatalogue is the catalogue shipped in the binary. Tests keep it
// valid, so a failure to parse it is a build defect and panics.
func DefaultCatalogue() *Catalogue {
	c, err := ParseCatalogue(defaultCatalogue)
	if err != nil {
		panic(fmt.Sprintf("intents: embedded catalogue.yaml: %v", err))
	}
	return c
}

// DefaultCatalogueYAML returns the embedded file, for an operator to start
// editing from.
func DefaultCatalogueYAML() []byte { return bytes.Clone(defaultCatalogue) }

// ParseCatalogue reads a catalogue. Unknown fields are errors, so that a
// misspelt "keyword:" is not silently ignored. It checks the syntax only;
// call Validate for the content.
func ParseCatalogue(data []byte) (*Catalogue, error) {
	return decodeStrict[Catalogue]("catalogue", data)
}

// decodeStrict reads one YAML document of the data files into a T,
// refusing unknown fields (a misspelt key is an error, not ignored) and an
// empty document.
func decodeStrict[T any](what string, data []byte) (*T, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var v T
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("parse %s: empty document", what)
		}
		return nil, fmt.Errorf("parse %s: %w", what, err)
	}
	return &v, nil
}

// LoadCatalogue reads a catalogue file.
func LoadCatalogue(path string) (*Catalogue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load catalogue: %w", err)
	}
	c, err := ParseCatalogue(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Intents lists the catalogue's intents in file order.
func (c *Catalogue) Intents() []Intent {
	out := make([]Intent, 0, len(c.Entries))
	for _, s := range c.Entries {
		out = append(out, s.Name)
	}
	return out
}

// Title is the intent's short Chinese name, or "" if the catalogue does not
// have the intent.
func (c *Catalogue) Title(in Intent) string {
	for _, s := range c.Entries {
		if s.Name == in {
			return s.Title
		}
	}
	return ""
}

// Problem is one thing wrong with a catalogue. It prints as
// "field: what is wrong".
type Problem struct {
	Field string // where, e.g. `intents[contribution].keywords[2]`
	Msg   string
}

func (p Problem) String() string { return p.Field + ": " + p.Msg }
func (p Problem) Error() string  { return p.String() }
