package bot

import (
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot/redact"
	"github.com/yibao/yibao/engine"
)

const (
	calculatorDown = "报销计算器暂时不可用，请过几分钟再试。下面先介绍报销规则："
	memoryDown     = "系统暂时记不住刚才的菜单，请直接打字提问，例如“住院怎么报销”“交多少钱”。"
	typeInstead    = "（暂时不能用数字选菜单，请直接打字提问。）"
)

// degraded answers without the user's state because the store failed:
// guides still work; the calculator, which needs several turns, says it is
// briefly unavailable and shows the rules instead. Nothing is stored.
func (b *Bot) degraded(m Message, now time.Time, err error) Reply {
	b.Log.Warn("dialog store unavailable; answering without state",
		zap.String("user", redact.UserID(m.User)), zap.Error(err))
	out := b.respond(Session{}, m, now)
	text := out.text
	switch {
	case m.Kind == KindText && isDigitMessage(b, m, now):
		text = memoryDown
	case out.sess.Dialog != nil:
		key := "inpatient"
		if out.sess.Dialog.Kind == engine.KindOutpatient {
			key = "outpatient"
		}
		t := &turn{b: b, now: now}
		text = calculatorDown + "\n\n" + stripMenu(t.guide(key).text)
	case len(out.sess.Menu) > 0:
		text = stripMenu(text) + "\n" + typeInstead
	}
	return Reply{Text: text, Intent: out.intent, Degraded: true}
}

func isDigitMessage(b *Bot, m Message, now time.Time) bool {
	_, ok := menuDigit(b.Matcher.Match(m.Text, now).Normalized)
	return ok
}

// stripMenu removes the numbered "回复 N …" lines, which cannot work
// without state.
func stripMenu(text string) string {
	lines := strings.Split(text, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if strings.HasPrefix(l, "回复 ") && len(l) > len("回复 ") && l[len("回复 ")] >= '0' && l[len("回复 ")] <= '9' {
			continue
		}
		kept = append(kept, l)
	}
	return strings.TrimRight(strings.Join(kept, "\n"), "\n")
}
