package replies_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/yibao/yibao/replies"
)

// guidesYAML is a minimal valid guides file (every required key, with a
// partial) plus the given extra lines under guides:.
func guidesYAML(partials, extra string) []byte {
	var b strings.Builder
	b.WriteString("partials:\n  year: \"{{.Year}}年度\"\n")
	b.WriteString(partials)
	b.WriteString("guides:\n")
	for _, k := range replies.RequiredKeys() {
		fmt.Fprintf(&b, "  %s:\n    text: \"{{template \\\"year\\\" .}} %s\"\n", k, k)
	}
	b.WriteString(extra)
	return []byte(b.String())
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		partials string
		extra    string
		field    string // the one problem expected; "" for none
		msg      string // a part of its message
	}{
		{name: "valid", extra: "  more:\n    text: 多\n    menu: [{label: 帮助, key: help}, {label: 算, key: estimate_inpatient}]\n"},
		{name: "menu to a missing guide", extra: "  more:\n    text: 多\n    menu: [{label: 帮助, key: help}, {label: 没有, key: nowhere}]\n",
			field: "more.menu[1].key", msg: `"nowhere" is neither a guide nor a dialog`},
		{name: "template syntax error", extra: "  more:\n    text: \"{{if .Fallback}}没结束\"\n",
			field: "more.text", msg: "unexpected EOF"},
		{name: "unknown field", extra: "  more:\n    text: \"{{.NoSuchField}}\"\n",
			field: "more.text", msg: "NoSuchField"},
		{name: "unknown partial", extra: "  more:\n    text: \"{{template \\\"nope\\\" .}}\"\n",
			field: "more.text", msg: `template "nope" not defined`},
		{name: "broken partial", partials: "  bad: \"{{.Year\"\n",
			field: "partials.bad", msg: "unclosed action"},
		{name: "guide defining a template", extra: "  more:\n    text: \"{{define \\\"year\\\"}}x{{end}}多\"\n",
			field: "more.text", msg: "defines templates"},
		{name: "partial named like a guide", partials: "  help: 帮助\n",
			field: "partials.help", msg: "same name"},
		{name: "empty text", extra: "  more:\n    text: \"  \"\n",
			field: "more.text", msg: "empty"},
		{name: "empty label", extra: "  more:\n    text: 多\n    menu: [{label: \"\", key: help}]\n",
			field: "more.menu[0].label", msg: "empty"},
		{name: "too long", extra: "  more:\n    text: \"" + strings.Repeat("长", 700) + "\"\n",
			field: "more.text", msg: "2100 bytes"},
		{name: "too long with the longest figures", extra: "  more:\n    text: \"" + strings.Repeat("长", 640) + strings.Repeat("{{.Critical.Cap}}", 10) + "\"\n",
			field: "more.text", msg: "with the longest figures"},
		{name: "unknown about", extra: "  more:\n    text: 多\n    about: rules\n",
			field: "more.about", msg: "want inpatient_rules"},
		{name: "menu of ten", extra: "  more:\n    text: 多\n    menu: [" + strings.Repeat("{label: 帮助, key: help},", 10) + "]\n",
			field: "more.menu", msg: "at most 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := replies.LoadGuides(guidesYAML(tt.partials, tt.extra))
			if err != nil {
				t.Fatalf("LoadGuides: %v", err)
			}
			ps := g.Validate()
			if tt.field == "" {
				if len(ps) > 0 {
					t.Fatalf("problems: %v", replies.Problems(ps))
				}
				return
			}
			if len(ps) != 1 || ps[0].Field != tt.field || !strings.Contains(ps[0].Msg, tt.msg) {
				t.Fatalf("problems: %v\nwant one: %s: …%s…", replies.Problems(ps), tt.field, tt.msg)
			}
			if s := ps[0].String(); !strings.HasPrefix(s, tt.field+": ") {
				t.Errorf("String() = %q, want field: message", s)
			}
		})
	}
}

func TestValidateMissingRequiredGuide(t *testing.T) {
	g, err := replies.LoadGuides([]byte("guides:\n  help:\n    text: 帮助\n"))
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, p := range g.Validate() {
		if strings.Contains(p.Msg, "missing") {
			missing = append(missing, p.Field)
		}
	}
	if want := len(replies.RequiredKeys()) - 1; len(missing) != want {
		t.Fatalf("missing = %v, want %d keys", missing, want)
	}
}

func TestLoadGuidesRejects(t *testing.T) {
	tests := []struct {
		name, yaml, msg string
	}{
		{"not yaml", "guides: [", "reading guides"},
		{"misspelt field", "guides:\n  help:\n    txt: 帮助\n", "field txt not found"},
		{"no guides", "partials:\n  year: x\n", "no guides"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := replies.LoadGuides([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want …%s…", err, tt.msg)
			}
		})
	}
}

// A guide that does not parse fails to render, and the others still work.
func TestRenderBrokenGuide(t *testing.T) {
	g, err := replies.LoadGuides(guidesYAML("", "  more:\n    text: \"{{if}}\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Render("more", replies.SampleFacts2025()); err == nil {
		t.Error("Render of a broken guide: no error")
	}
	if p, err := g.Render("help", replies.SampleFacts2025()); err != nil || p.Text != "2025年度 help" {
		t.Errorf("Render(help) = %q, %v", p.Text, err)
	}
}

// Blank lines left by {{if}}s are tidied; the menu follows a blank line.
func TestRenderTidiesAndAppendsMenu(t *testing.T) {
	extra := "  more:\n    text: \"\\n\\n标题  \\n{{if .Fallback}}回退{{end}}\\n\\n\\n正文\\n\\n\"\n" +
		"    menu: [{label: 帮助, key: help}, {label: 住院能报多少, key: estimate_inpatient}]\n"
	g, err := replies.LoadGuides(guidesYAML("", extra))
	if err != nil {
		t.Fatal(err)
	}
	p, err := g.Render("more", replies.SampleFacts2025())
	if err != nil {
		t.Fatal(err)
	}
	want := "标题\n\n正文\n\n回复 1 帮助\n回复 2 住院能报多少"
	if p.Text != want {
		t.Errorf("Text = %q, want %q", p.Text, want)
	}
	if len(p.Menu) != 2 || p.Menu[1].Key != "estimate_inpatient" {
		t.Errorf("Menu = %v", p.Menu)
	}
	p.Menu[0].Key = "changed"
	if again, _ := g.Render("more", replies.SampleFacts2025()); again.Menu[0].Key != "help" {
		t.Error("a caller changing a page's menu changed the guides")
	}
}
