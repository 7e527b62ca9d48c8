package replies

import (
	"bytes"
	_ "embed"
	"fmt"

	"go.yaml.in/yaml/v3"
)

//go:embed menu.yaml
var embeddedMenu []byte

// AccountMenu is the account's custom menu: the buttons under the chat box,
// each sending its key to the bot as a click.
type AccountMenu struct {
	Buttons []MenuButton `yaml:"buttons"`
}

// MenuButton is a button: a key for the bot, or a list of sub-buttons.
type MenuButton struct {
	Name string       `yaml:"name"`
	Key  string       `yaml:"key"`
	Sub  []MenuButton `yaml:"sub"`
}

// The platform's limits on a custom menu.
const (
	maxButtons       = 3
	maxSubButtons    = 5
	maxButtonBytes   = 16
	maxSubNameBytes  = 60
	maxMenuKeyBytes  = 128
	embeddedMenuName = "embedded:replies/menu.yaml"
)

// DefaultAccountMenuYAML is a copy of the built-in menu file.
func DefaultAccountMenuYAML() []byte { return bytes.Clone(embeddedMenu) }

// LoadAccountMenu reads a menu file (see menu.yaml).
func LoadAccountMenu(data []byte) (*AccountMenu, error) {
	var m AccountMenu
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("reading menu: %w", err)
	}
	return &m, nil
}

// Validate lists what the platform would refuse in the menu, and keys the
// bot would not know: every key must open a guide of g or start a dialog.
func (m *AccountMenu) Validate(g *Guides) []Problem {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if n := len(m.Buttons); n == 0 || n > maxButtons {
		add("buttons", "%d buttons; the platform takes 1 to %d", n, maxButtons)
	}
	checkKey := func(field, key string) {
		switch {
		case len(key) > maxMenuKeyBytes:
			add(field+".key", "%d bytes; at most %d", len(key), maxMenuKeyBytes)
		case !g.Has(key) && !contains(DialogKeys(), key):
			add(field+".key", "%q is neither a guide nor a dialog", key)
		}
	}
	for i, b := range m.Buttons {
		field := fmt.Sprintf("buttons[%d]", i)
		checkName(add, field, b.Name, maxButtonBytes)
		switch {
		case b.Key != "" && len(b.Sub) > 0:
			add(field, "has both a key and sub-buttons; give one")
		case b.Key == "" && len(b.Sub) == 0:
			add(field, "has neither a key nor sub-buttons")
		case b.Key != "":
			checkKey(field, b.Key)
		case len(b.Sub) > maxSubButtons:
			add(field+".sub", "%d sub-buttons; at most %d", len(b.Sub), maxSubButtons)
		}
		for j, s := range b.Sub {
			sub := fmt.Sprintf("%s.sub[%d]", field, j)
			checkName(add, sub, s.Name, maxSubNameBytes)
			if len(s.Sub) > 0 {
				add(sub, "sub-buttons cannot have sub-buttons")
			}
			checkKey(sub, s.Key)
		}
	}
	return ps
}

func checkName(add func(field, format string, args ...any), field, name string, max int) {
	switch {
	case name == "":
		add(field+".name", "empty")
	case len(name) > max:
		add(field+".name", "%q is %d bytes; at most %d (%d Chinese characters)", name, len(name), max, max/3)
	}
}

// DefaultAccountMenu is the built-in menu.
func DefaultAccountMenu() (*AccountMenu, error) {
	m, err := LoadAccountMenu(embeddedMenu)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", embeddedMenuName, err)
	}
	return m, nil
}
