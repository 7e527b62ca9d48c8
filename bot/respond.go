package bot

import (
	"fmt"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot/redact"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// outcome is what respond decided: the text, what the message was taken
// for, and the session to store.
type outcome struct {
	text   string
	intent string
	sess   Session
}

// Menu keys the bot itself handles, besides guide keys.
const (
	keyMore         = "more"     // the rest of a long reply
	keyEstimate     = "estimate" // start an estimate, kind not known
	keyEstimateIn   = "estimate_inpatient"
	keyEstimateOut  = "estimate_outpatient"
	keyEstimateNew  = "estimate_new" // another estimate from scratch
	keyChangeAmount = "estimate_amount"
	keyOutOfPolicy  = "estimate_out_of_policy" // give the 目录外 part
	keyHelp         = "help"
)

// turn is one message being answered. It makes no store calls and takes
// the clock as given, so the same session and message always give the same
// outcome: that is what lets Handle recompute a turn after a conflict.
type turn struct {
	b    *Bot
	now  time.Time
	sess Session
	res  intents.Result
	// notes go before the answer (an expired dialog, say).
	notes []string
	// tail goes after the answer (how to resume a dialog, say).
	tail string
	// expired is set when this message found its dialog timed out.
	expired bool
}

func (b *Bot) respond(s Session, m Message, now time.Time) outcome {
	t := &turn{b: b, now: now, sess: s}
	// The menu and the rest of a long reply belong to the reply they came
	// with; whatever is answered now replaces them.
	t.sess.More, t.sess.MoreMenu = "", nil
	menu := s.Menu
	t.sess.Menu = nil
	t.expireDialog()

	switch m.Kind {
	case KindFollow:
		return t.guide("welcome")
	case KindMedia:
		return t.guide("media")
	case KindMenu:
		return t.open(m.Key)
	case KindVoice:
		if strings.TrimSpace(m.Text) == "" {
			return t.guide("voice_empty")
		}
	}
	t.res = b.Matcher.Match(m.Text, now)
	if n, ok := menuDigit(t.res.Normalized); ok {
		if d := t.sess.Dialog; d != nil && d.Asking != SlotNone && !d.Asking.takesNumber() {
			return t.answerDigit(n)
		}
		if n >= 1 && n <= len(menu) {
			if menu[n-1] == keyMore {
				return t.more(s)
			}
			return t.open(menu[n-1])
		}
		if t.sess.Dialog == nil || !t.sess.Dialog.Asking.takesNumber() {
			return t.noSuchOption(n, len(menu))
		}
	}
	return t.text()
}

// text routes a typed message.
func (t *turn) text() outcome {
	d := t.sess.Dialog
	in := t.res.Intent
	switch in {
	case intents.Cancel:
		if d == nil {
			return t.guide(keyHelp)
		}
		t.sess.Dialog = nil
		t.notes = append(t.notes, "好的，已退出报销计算。")
		return t.guide(keyHelp)
	case intents.Back:
		if d == nil {
			return t.guide(keyHelp)
		}
		return t.back()
	case intents.Restart:
		kind := engine.KindUnknown
		if d != nil {
			kind = d.Kind
		}
		t.sess.Dialog = &Dialog{Facts: Facts{Kind: kind}}
		t.notes = append(t.notes, "好的，重新开始。")
		return t.next()
	}
	if d != nil && isContinue(t.res.Normalized) {
		return t.next()
	}
	if d != nil && d.Asking == SlotNone && d.Amount != "" && t.res.Slots.HasAmount && mentionsOutOfPolicy(t.res.Normalized) {
		// After a result, "自费3000" gives the part the list does not cover.
		if o, ok := t.answerOutOfPolicy(t.res.Slots, t.res.Normalized); ok {
			return o
		}
	}
	isEstimate := in == intents.Estimate || in == intents.EstimateInpatient || in == intents.EstimateOutpatient
	if d != nil && d.Asking != SlotNone {
		// A question is pending. Slots that answer it are answers even when
		// the words also name a topic ("住院" to 住院还是门诊); other slots are
		// answers unless the message asks about something else.
		if o, ok := t.answer(in == intents.Unknown || isEstimate); ok {
			return o
		}
		if isEstimate {
			return t.next()
		}
		if in != intents.Unknown {
			t.tail = replies.ResumeHint()
			return t.guide(string(in))
		}
		return t.reask("没看懂您的回复。")
	}
	if isEstimate {
		return t.startEstimate(in)
	}
	if d != nil && in == intents.Unknown {
		// After a result, a bare answer ("8万", "二档") changes it.
		if o, ok := t.answer(true); ok {
			return o
		}
	}
	if in == intents.Unknown {
		if t.expired && hasDialogSlot(t.res.Slots) {
			// An answer to a question that timed out: start again from it.
			return t.startEstimate(intents.Estimate)
		}
		return t.unknown()
	}
	return t.guide(string(in))
}

// open runs what a menu entry names.
func (t *turn) open(key string) outcome {
	switch key {
	case keyEstimate, keyEstimateNew:
		t.sess.Dialog = &Dialog{}
		return t.next()
	case keyEstimateIn:
		t.sess.Dialog = &Dialog{Facts: Facts{Kind: engine.KindInpatient}}
		return t.next()
	case keyEstimateOut:
		t.sess.Dialog = &Dialog{Facts: Facts{Kind: engine.KindOutpatient}}
		return t.next()
	case keyChangeAmount:
		d := t.sess.Dialog
		if d == nil {
			t.sess.Dialog = &Dialog{}
			return t.next()
		}
		d.push()
		d.Amount = ""
		return t.next()
	case keyOutOfPolicy:
		d := t.sess.Dialog
		if d == nil || d.Amount == "" {
			t.sess.Dialog = &Dialog{}
			return t.next()
		}
		d.push()
		d.WantOut, d.OutOfPolicy = true, ""
		return t.next()
	}
	if !t.b.Guides.Has(key) {
		// A menu key the guides no longer have (an operator edited them
		// while the user read an old menu): show the main menu.
		t.b.Log.Warn("menu key has no guide", zap.String("key", redact.Text(truncate(key, 64))))
		key = keyHelp
	}
	return t.guide(key)
}

// guide answers with one of the guides' pages.
func (t *turn) guide(key string) outcome {
	page, err := t.b.pages.render(key, t.now, t.askedYear())
	if err != nil {
		t.b.Log.Error("render guide", zap.String("key", key), zap.Error(err))
		page, _ = t.b.pages.render(keyHelp, t.now, t.askedYear())
	}
	text := page.Text
	if key == string(intents.Deadline) && !t.res.Slots.Date.IsZero() {
		start := t.b.Book.BenefitStart(t.res.Slots.Date)
		text = replies.BenefitStart(start, t.b.Book.Newest().Hotlines[0].Number) + "\n\n" + text
	}
	menu := make([]string, len(page.Menu))
	for i, it := range page.Menu {
		menu[i] = it.Key
	}
	return t.finish(text, key, menu)
}

// askedYear is the benefit year a message asks about: the one it names, or
// today's.
func (t *turn) askedYear() int {
	if y := t.res.Slots.Year; y != 0 {
		return y
	}
	return t.now.Year()
}

func (t *turn) unknown() outcome {
	var labels, menu []string
	for _, s := range t.res.Suggestions {
		if !t.b.Guides.Has(string(s)) && !isEstimateKey(string(s)) {
			continue
		}
		labels = append(labels, t.b.Catalog.Title(s))
		menu = append(menu, string(s))
	}
	o := t.guide("unknown")
	if len(menu) > 0 {
		o.text = replies.Menu(o.text+"\n\n您是不是想问：", labels)
		o.sess.Menu = menu
	}
	o.intent = string(intents.Unknown)
	return o
}

func isEstimateKey(k string) bool {
	return k == keyEstimate || k == keyEstimateIn || k == keyEstimateOut
}

func (t *turn) noSuchOption(n, options int) outcome {
	if options == 0 {
		t.notes = append(t.notes, fmt.Sprintf("没有找到选项 %d，可能菜单已经过期了。", n))
	} else {
		t.notes = append(t.notes, fmt.Sprintf("没有选项 %d，请回复 1 到 %d 之间的数字。", n, options))
	}
	return t.guide(keyHelp)
}

// more shows the rest of a reply that was too long for one message.
func (t *turn) more(prev Session) outcome {
	if prev.More == "" {
		return t.guide(keyHelp)
	}
	return t.finish(prev.More, keyMore, prev.MoreMenu)
}

// finish puts notes before the text, fits it in one message and keeps its
// menu in the session.
func (t *turn) finish(text, intent string, menu []string) outcome {
	if len(t.notes) > 0 {
		text = strings.Join(t.notes, "\n") + "\n\n" + text
	}
	text += t.tail
	first, rest := splitReply(text, t.b.cfg.MaxReplyBytes)
	t.sess.Menu = menu
	if rest != "" {
		t.sess.More, t.sess.MoreMenu = rest, menu
		t.sess.Menu = []string{keyMore}
	}
	return outcome{text: first, intent: intent, sess: t.sess}
}

func (t *turn) expireDialog() {
	d := t.sess.Dialog
	if d == nil || t.now.Sub(d.Updated) <= t.b.cfg.DialogTTL {
		return
	}
	t.sess.Dialog = nil
	if d.Asking != SlotNone {
		t.expired = true
		t.notes = append(t.notes, replies.Expired(int(t.b.cfg.DialogTTL/time.Minute)))
	}
}

// menuDigit reports whether a message is just a menu number.
func menuDigit(s string) (int, bool) {
	if len(s) != 1 || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	return int(s[0] - '0'), true
}

func isContinue(s string) bool {
	switch s {
	case "继续", "接着算", "继续算", "继续计算", "接着", "go on":
		return true
	}
	return false
}
