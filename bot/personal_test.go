package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/replies"
)

// TestPersonalNumberIsNeverMoney: at the amount question, a phone,
// ID-card or bank-card number in any form is never read as the bill
// (138.1234.5678 was 138.12 元, +86 138… was 86 元); the resident is told
// it is not needed and asked again, and no part of it is kept in the
// dialog state or the stored reply (issue 21, finding 5).
func TestPersonalNumberIsNeverMoney(t *testing.T) {
	forms := []string{
		"13812345678", "138 1234 5678", "138-1234-5678", "138.1234.5678", "138/1234/5678",
		"138，1234，5678", "138：1234：5678", "+86 138 1234 5678", "+8613812345678", "(+86)138-1234-5678",
		"１３８１２３４５６７８", "一三八一二三四五六七八", "幺三八幺二三四五六七八", "138    1234    5678",
		"138\u20091234\u20095678", "138\u200b1234\u200b5678", "138\u22121234\u22125678",
		"500101199001011234", "50010119900101123X", "500101 19900101 1234", "五〇〇一〇一一九九〇〇一〇一一二三四",
		"6222 0212 3456 7890",
	}
	ctx := context.Background()
	for i, form := range forms {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			h := newHarness(t, nil)
			user := fmt.Sprintf("u_pn_%d", i)
			var last bot.Reply
			for j, text := range []string{"住院能报多少", "二档", "三级", form} {
				r, err := h.bot.Handle(ctx, bot.Message{User: user, ID: fmt.Sprint(j + 1), Text: text})
				if err != nil {
					t.Fatal(err)
				}
				last = r
			}
			if !strings.Contains(last.Text, replies.PersonalNumber()) {
				t.Errorf("%q at the amount question: reply %q, want it told the number is not needed", form, last.Text)
			}
			for _, leak := range []string{"138", "1234", "5678", "500", "6222", "7890", "一三八", "幺三八", "五〇〇"} {
				if strings.Contains(last.Text, leak) {
					t.Errorf("%q: the reply repeats %q: %q", form, leak, last.Text)
				}
			}
			rec, err := h.store.Load(ctx, user)
			if err != nil {
				t.Fatal(err)
			}
			for _, leak := range []string{"138", "1234", "5678", "500101", "6222", "86"} {
				if strings.Contains(string(rec.Data), leak) {
					t.Errorf("%q: the dialog state keeps %q: %s", form, leak, rec.Data)
				}
			}
			// The question is still the amount: a real bill answers it.
			r, err := h.bot.Handle(ctx, bot.Message{User: user, ID: "9", Text: "10万"})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(r.Text, replies.PersonalNumber()) || !strings.Contains(r.Text, "100,000") && !strings.Contains(r.Text, "10万") && !strings.Contains(r.Text, "100000") {
				t.Errorf("after the number, 10万: %q", r.Text)
			}
		})
	}
}
