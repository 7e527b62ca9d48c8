package replies_test

import (
	"strings"
	"testing"

	"github.com/yibao/yibao/replies"
)

func TestDefaultAccountMenu(t *testing.T) {
	g, err := replies.DefaultGuides()
	if err != nil {
		t.Fatal(err)
	}
	m, err := replies.DefaultAccountMenu()
	if err != nil {
		t.Fatal(err)
	}
	if ps := m.Validate(g); len(ps) > 0 {
		t.Errorf("built-in menu: %v", ps)
	}
}

func TestAccountMenuProblems(t *testing.T) {
	g, err := replies.DefaultGuides()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"too many buttons", "buttons: [{name: a, key: help}, {name: b, key: help}, {name: c, key: help}, {name: d, key: help}]", "4 buttons"},
		{"no buttons", "buttons: []", "0 buttons"},
		{"unknown key", "buttons: [{name: a, key: nowhere}]", `buttons[0].key: "nowhere" is neither`},
		{"name too long", "buttons: [{name: 一二三四五六, key: help}]", "buttons[0].name"},
		{"key and sub", "buttons: [{name: a, key: help, sub: [{name: b, key: help}]}]", "both a key and sub-buttons"},
		{"neither", "buttons: [{name: a}]", "neither a key, a page nor sub-buttons"},
		{"page and sub", "buttons: [{name: a, page: /h5/, sub: [{name: b, key: help}]}]", "both a page and sub-buttons"},
		{"page and key", "buttons: [{name: a, sub: [{name: b, key: help, page: /h5/}]}]", "buttons[0].sub[0]: has both a key and a page"},
		{"page not a path", "buttons: [{name: a, page: h5/}]", `buttons[0].page: "h5/"`},
		{"page on another host", "buttons: [{name: a, page: //elsewhere.example/}]", `buttons[0].page`},
		{"page as a whole URL", "buttons: [{name: a, page: 'https://elsewhere.example/'}]", `buttons[0].page`},
		{"six subs", "buttons: [{name: a, sub: [{name: 1, key: help}, {name: 2, key: help}, {name: 3, key: help}, {name: 4, key: help}, {name: 5, key: help}, {name: 6, key: help}]}]", "6 sub-buttons"},
		{"dialog key is fine but misspelt one is not", "buttons: [{name: a, key: estimate}, {name: b, key: estimat}]", `buttons[1].key: "estimat"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := replies.LoadAccountMenu([]byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range m.Validate(g) {
				got = append(got, p.String())
			}
			if !strings.Contains(strings.Join(got, "\n"), tt.want) {
				t.Errorf("problems %q lack %q", got, tt.want)
			}
		})
	}
	if _, err := replies.LoadAccountMenu([]byte("buttons: [{name: a, url: x}]")); err == nil {
		t.Error("an unknown field must be refused")
	}
}

func TestMenuPages(t *testing.T) {
	m, err := replies.DefaultAccountMenu()
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Pages(); len(got) != 1 || got[0] != "/h5/" {
		t.Errorf("built-in menu pages %v, want the estimate page", got)
	}
	for _, tt := range []struct{ base, want string }{
		{"https://yibao.example.org", "https://yibao.example.org/h5/"},
		{"https://yibao.example.org/", "https://yibao.example.org/h5/"},
		{"https://example.org/yibao/", "https://example.org/yibao/h5/"},
	} {
		u, err := replies.ParsePublicURL(tt.base)
		if err != nil {
			t.Fatal(err)
		}
		if got := replies.PageURL(u, "/h5/"); got != tt.want {
			t.Errorf("PageURL(%s) = %s, want %s", tt.base, got, tt.want)
		}
	}
	for _, bad := range []string{"", "yibao.example.org", "/h5/", "ftp://example.org", "https://example.org/?a=1", "https://example.org/#x", "https://u:p@example.org"} {
		if _, err := replies.ParsePublicURL(bad); err == nil {
			t.Errorf("ParsePublicURL(%q) accepted", bad)
		}
	}
}
