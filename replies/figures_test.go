package replies_test

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// figure is a number as guides write one: "16,901", "0.5", "2025", "3".
var figure = regexp.MustCompile(`\d[\d,]*(?:\.\d+)?`)

// sourcedTokens are the numbers the data gives a guide: every value of the
// facts (year files' figures and dates, their sources' names and numbers,
// the hotlines) and every topic fact with its source.
func sourcedTokens(f replies.Facts, g *replies.Guides) map[string]bool {
	ok := map[string]bool{}
	addText := func(s string) {
		for _, m := range figure.FindAllString(s, -1) {
			ok[m] = true
		}
	}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			addText(v.String())
		case reflect.Int:
			addText(strconv.FormatInt(v.Int(), 10))
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i))
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(f))
	for _, tf := range g.Facts() {
		addText(tf.Value)
		addText(tf.Source)
	}
	return ok
}

// wording are numbers that are words of a sentence, not figures: none may
// be an amount, a ratio or a date of the rules.
var wording = map[string]string{
	"1":   `"下个月1日": the first of a month; "1." a step number`,
	"4":   `"4. 点…": a step number`,
	"5":   `"3月5日交的" in an example of what to type`,
	"18":  `"未满18岁": who is a minor, by law`,
	"120": `"救护车（120）": the emergency number`,
}

// Every figure a guide shows comes from the data, where it has a source:
// a year file's group with its status and source, or a topic fact with its
// source. A number typed into a guide's text fails here.
func TestEveryGuideFigureIsSourcedData(t *testing.T) {
	book, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	g, err := replies.DefaultGuides()
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	days := []time.Time{
		time.Date(2024, 10, 8, 10, 0, 0, 0, cst), time.Date(2025, 1, 20, 10, 0, 0, 0, cst),
		time.Date(2025, 3, 10, 10, 0, 0, 0, cst), time.Date(2026, 11, 23, 10, 0, 0, 0, cst),
		time.Date(2026, 12, 5, 10, 0, 0, 0, cst),
	}
	for _, today := range days {
		for asked := 2024; asked <= 2027; asked++ {
			sel, err := book.ForYear(asked)
			if err != nil {
				sel, _ = book.ForYear(book.Years()[0])
			}
			f := replies.WithYear(replies.NewFacts(sel.Policy, sel.Asked, today), book, asked, today)
			ok := sourcedTokens(f, g)
			for _, key := range g.Keys() {
				p, err := g.Render(key, f)
				if err != nil {
					t.Fatalf("%s: %v", key, err)
				}
				for _, m := range figure.FindAllString(p.Body, -1) {
					if !ok[m] && wording[m] == "" {
						t.Errorf("%s (asked %d, %s): %q is not a figure of the data with a source:\n%s",
							key, asked, today.Format(time.DateOnly), m, p.Body)
					}
				}
			}
		}
	}
}

// topicKeys are the knowledge topics' guides (issue 18): each fits one
// phone screen, its details behind a numbered option.
var topicKeys = []replies.GuideKey{
	"outofarea_register", "outofarea_more", "chronic_list", "chronic_more", "maternity_amount",
	"newborn", "newborn_more", "student", "student_more", "employee_vs_resident", "employee_more",
	"refund_how", "e_voucher", "card_first", "family_share", "continuous_reward", "medical_aid",
	"medical_aid_more", "inpatient_stay", "outpatient_detail", "not_covered", "not_covered_more", "ltc",
}

// screenRows counts a text's rows on a phone 14 full-width characters wide.
func screenRows(text string) int {
	rows := 0
	for _, line := range strings.Split(text, "\n") {
		w := 0
		for _, r := range line {
			if r < 0x1100 {
				w++
			} else {
				w += 2
			}
		}
		rows += max(1, (w+27)/28)
	}
	return rows
}

func TestTopicsFitOneScreen(t *testing.T) {
	g, err := replies.DefaultGuides()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range topicKeys {
		p, err := g.Render(key, replies.SampleFacts2025())
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if n := screenRows(p.Body); n > 13 {
			t.Errorf("%s: %d rows of 14 characters, want one screen (about 12, at most 13):\n%s", key, n, p.Body)
		}
		if len(p.Menu) == 0 {
			t.Errorf("%s: no numbered option for the details", key)
		}
		if !strings.Contains(p.Body, "023-12393") && !strings.Contains(p.Body, "据") && !strings.Contains(p.Body, "国家规定") {
			t.Errorf("%s: neither a source nor the hotline", key)
		}
	}
}
