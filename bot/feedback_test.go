package bot_test

import (
	"context"
	"testing"

	"github.com/yibao/yibao/bot"
)

// TestReplyFeedback: what the operator's statistics learn from a reply:
// the topic a resident said did not help, and whether a topic was
// answered with little confidence.
func TestReplyFeedback(t *testing.T) {
	h := newHarness(t, nil)
	say := func(user, text string) bot.Reply {
		t.Helper()
		r, err := h.bot.Handle(context.Background(), bot.Message{User: user, Kind: bot.KindText, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := say("a", "住院怎么报销"); r.Unhelpful != "" || r.Unsure || r.Confidence < 0.5 {
		t.Errorf("a clear question: %+v", r)
	}
	if r := say("a", "答非所问"); r.Unhelpful != "inpatient" {
		t.Errorf("答非所问 after the inpatient rules: Unhelpful = %q, want inpatient", r.Unhelpful)
	}
	// A plain "no" answering the estimate's question is no complaint.
	say("b", "二档 三级 住院5万")
	if r := say("b", "不是"); r.Unhelpful != "" {
		t.Errorf("不是 to the minor question counted as unhelpful: %+v", r)
	}
	if r := say("c", "这个问题和医保没关系 哈哈"); r.Unsure && r.Confidence >= 0.5 {
		t.Errorf("unsure but confident: %+v", r)
	}
}
