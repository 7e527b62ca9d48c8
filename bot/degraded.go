package bot

import (
	"time"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot/redact"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// degraded answers without the user's state because the store failed:
// guides still work; the calculator, which needs several turns, says it is
// briefly unavailable and shows the rules instead. Nothing is stored.
func (b *Bot) degraded(m Message, now time.Time, err error) Reply {
	b.Log.Warn("dialog store unavailable; answering without state",
		zap.String("user", redact.UserID(m.User)), zap.Error(err))
	out := b.respond(Session{}, m, now, true)
	return Reply{Text: out.text, Intent: out.intent, Degraded: true}
}

// calculatorDown replaces an estimate that cannot run without state with
// the rules for its kind.
func (t *turn) calculatorDown(p page) page {
	key := guideOf(intents.Inpatient)
	if t.sess.Dialog.Kind == engine.KindOutpatient {
		key = guideOf(intents.Outpatient)
	}
	t.sess.Dialog = nil
	t.notes = nil // what the estimate had noted cannot be kept
	return page{intent: p.intent, body: replies.CalculatorDown + "\n\n" + t.guide(key).body}
}
