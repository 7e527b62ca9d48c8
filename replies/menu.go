package replies

import (
	"bytes"
	_ "embed"
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed menu.yaml
var embeddedMenu []byte

// AccountMenu is the account's custom menu: the buttons under the chat box,
// each sending its key to the bot as a click, or opening a page.
type AccountMenu struct {
	Buttons []MenuButton `yaml:"buttons"`
}

// MenuButton is a button: a key for the bot, a page to open, or a list of
// sub-buttons.
type MenuButton struct {
	Name string  `yaml:"name"`
	Key  MenuKey `yaml:"key"`
	// Page is a path on this service such as /h5/; the account's public
	// URL is put in front of it when the menu is printed or published, so
	// the file does not change with the domain.
	Page string       `yaml:"page"`
	Sub  []MenuButton `yaml:"sub"`
}

// The platform's limits on a custom menu.
const (
	maxButtons       = 3
	maxSubButtons    = 5
	maxButtonBytes   = 16
	maxSubNameBytes  = 60
	maxMenuKeyBytes  = 128
	maxMenuURLBytes  = 1024
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
	checkKey := func(field string, key MenuKey) {
		switch {
		case len(key) > maxMenuKeyBytes:
			add(field+".key", "%d bytes; at most %d", len(key), maxMenuKeyBytes)
		case !g.Opens(key):
			add(field+".key", "%q is neither a guide nor a dialog", key)
		}
	}
	// checkLeaf checks a button that acts: exactly one of a key or a page.
	checkLeaf := func(field string, b MenuButton) {
		switch {
		case b.Key != "" && b.Page != "":
			add(field, "has both a key and a page; give one")
		case b.Page != "":
			if msg := checkPage(b.Page); msg != "" {
				add(field+".page", "%s", msg)
			}
		default:
			checkKey(field, b.Key)
		}
	}
	for i, b := range m.Buttons {
		field := fmt.Sprintf("buttons[%d]", i)
		checkName(add, field, b.Name, maxButtonBytes)
		acts := b.Key != "" || b.Page != ""
		switch {
		case b.Key != "" && len(b.Sub) > 0:
			add(field, "has both a key and sub-buttons; give one")
		case b.Page != "" && len(b.Sub) > 0:
			add(field, "has both a page and sub-buttons; give one")
		case !acts && len(b.Sub) == 0:
			add(field, "has neither a key, a page nor sub-buttons")
		case acts:
			checkLeaf(field, b)
		case len(b.Sub) > maxSubButtons:
			add(field+".sub", "%d sub-buttons; at most %d", len(b.Sub), maxSubButtons)
		}
		for j, s := range b.Sub {
			sub := fmt.Sprintf("%s.sub[%d]", field, j)
			checkName(add, sub, s.Name, maxSubNameBytes)
			if len(s.Sub) > 0 {
				add(sub, "sub-buttons cannot have sub-buttons")
			}
			checkLeaf(sub, s)
		}
	}
	return ps
}

// checkPage says what is wrong with a page button's path, or "".
func checkPage(p string) string {
	u, err := url.Parse(p)
	switch {
	case err != nil || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || u.Host != "":
		return fmt.Sprintf("%q: give a path on this service starting with /, such as /h5/", p)
	case len(p) > maxMenuURLBytes/2:
		return fmt.Sprintf("%d bytes; keep it short, the whole link is at most %d", len(p), maxMenuURLBytes)
	}
	return ""
}

// Pages lists the page buttons' paths, in menu order.
func (m *AccountMenu) Pages() []string {
	var out []string
	for _, b := range m.Buttons {
		for _, s := range append([]MenuButton{b}, b.Sub...) {
			if s.Page != "" {
				out = append(out, s.Page)
			}
		}
	}
	return out
}

// PageURL is where a page button leads: the path joined to the account's
// public base URL (https://example.org or https://example.org/yibao).
func PageURL(base *url.URL, page string) string {
	return strings.TrimSuffix(base.String(), "/") + page
}

// ParsePublicURL checks the public base URL a page button needs: absolute
// http(s), with no query or fragment for a path to be put after.
func ParsePublicURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, fmt.Errorf("public URL: %w", err)
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
		return nil, fmt.Errorf("public URL %q: want an absolute address such as https://example.org", s)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return nil, fmt.Errorf("public URL %q: no query, fragment or user name", s)
	case len(s) > maxMenuURLBytes/2:
		return nil, fmt.Errorf("public URL: %d bytes, too long for a menu link", len(s))
	}
	return u, nil
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
