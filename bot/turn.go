package bot

import (
	"strings"
	"time"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// outcome is what respond decided: the text, what the message was taken
// for, and the session to store.
type outcome struct {
	text      string
	intent    string
	sess      Session
	trace     Trace
	unhelpful string
}

// Trace is how the dialog core read one message: what understanding
// gave, and the machine's row it chose. `yibao explain` prints it.
type Trace struct {
	Reading intents.Result
	From    string // the state before
	Rule    string // the row of the reading that decided the event
	Event   string
	Handler string // the row's handler
	To      string // the state after
}

// page is a reply before it is sent. Its menu stays data until finish
// renders it, so that one place writes "回复 N", fits the reply in one
// message and remembers what the numbers mean.
type page struct {
	intent  string // what the message was taken for, for metrics and logs
	body    string
	options []option
	footer  string // under the options: how else to answer a question
	// ref names the page for Session.Page, so its options can be rebuilt
	// from it; empty keeps the option keys themselves (Session.Choices).
	ref PageRef
	// question: the options answer the pending question (Dialog.Asking
	// says which), so nothing else needs remembering.
	question bool
	// keepMenu: the numbers on screen keep meaning what they meant (the
	// rest of a long reply carries its page's menu).
	keepMenu bool
}

type option struct {
	label string
	key   replies.MenuKey
}

func labels(opts []option) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = o.label
	}
	return out
}

// turn is one message being answered. It makes no store calls and takes
// the clock as given, so the same session and message always give the same
// outcome: that is what lets Handle recompute a turn after a conflict.
type turn struct {
	b   *Bot
	now time.Time
	// sess is the session being changed; prev is as the message found it.
	sess, prev Session
	msg        classified
	// notes go before the answer (an expired dialog, say); tail after it.
	notes []string
	tail  string
	// expired is set when this message found its dialog timed out.
	expired bool
	// degraded: the store is down, nothing will be remembered, so no
	// dialog can run and no menu number can work.
	degraded bool
	trace    Trace
	// unhelpful is the topic the resident said did not help, if any.
	unhelpful string
}

func (b *Bot) respond(s Session, m Message, now time.Time, degraded bool) outcome {
	t := &turn{b: b, now: now, sess: s, prev: s, degraded: degraded}
	t.expire()
	t.settleAsking()
	var res intents.Result
	if m.Kind == KindText || m.Kind == KindVoice {
		res = b.tiersByPrice(b.Matcher.Match(m.Text, now), now)
	}
	t.msg = b.classify(t.sess, m, res)
	// The menu and the rest of a long reply belong to the reply they came
	// with; whatever is answered now replaces them.
	t.sess.Page, t.sess.Choices, t.sess.More = "", nil, ""

	from := stateOf(t.sess)
	tr, err := lookup(from, t.msg.ev)
	if err != nil {
		// CheckMachine keeps the table total; should a hole slip through,
		// the resident gets the menu, not a crash.
		b.Log.Error("dialog machine has no row", zap.Error(err))
		tr = transition{name: "clarify", do: (*turn).clarify, to: []state{from}}
	}
	p := tr.do(t)
	t.trace = Trace{Reading: t.msg.res, From: from.String(), Rule: t.msg.rule, Event: t.msg.ev.String(), Handler: tr.name, To: stateOf(t.sess).String()}
	if to := stateOf(t.sess); !tr.allows(from, to) {
		b.Log.Error("dialog transition not in the table",
			zap.Stringer("from", from), zap.Stringer("event", t.msg.ev), zap.Stringer("to", to), zap.String("handler", tr.name))
	}
	if t.degraded && t.sess.Dialog != nil {
		p = t.calculatorDown(p)
	}
	t.answerAlso(p)
	return t.finish(p)
}

// expire ends a dialog, and forgets the topic, after the dialog TTL of
// silence: a follow-up half an hour later is a new conversation.
func (t *turn) expire() {
	s := &t.sess
	if s.Updated.IsZero() || t.now.Sub(s.Updated) <= t.b.cfg.DialogTTL {
		return
	}
	if d := s.Dialog; d != nil && d.Asking != SlotNone {
		t.expired = true
		t.notes = append(t.notes, replies.Expired(int(t.b.cfg.DialogTTL/time.Minute)))
	}
	s.Dialog, s.Topic = nil, Topic{}
}

// settleAsking replaces a question a stored session waits on that this
// form no longer holds (a deployment removed it) with the first one the
// facts still need, before the message is read against it.
func (t *turn) settleAsking() {
	d := t.sess.Dialog
	if d == nil || d.Asking == SlotNone {
		return
	}
	if _, ok := t.b.form.row(d.Asking); !ok {
		d.Asking = t.b.form.missing(d.Facts)
	}
}

func (t *turn) note(s string) { t.notes = append(t.notes, s) }

// finish writes the page: notes, body, options, footer; fits it in one
// message, keeping the rest for "1"; and remembers what the numbers mean.
func (t *turn) finish(p page) outcome {
	var b strings.Builder
	if len(t.notes) > 0 {
		b.WriteString(strings.Join(t.notes, "\n"))
		b.WriteString("\n\n")
	}
	b.WriteString(p.body)
	opts := p.options
	if t.degraded && len(opts) > 0 && !p.question {
		opts = nil
		b.WriteString("\n" + replies.TypeInstead)
	}
	if len(opts) > 0 {
		if p.question {
			b.WriteString("\n")
		} else {
			b.WriteString("\n\n")
		}
		b.WriteString(replies.Options(labels(opts)))
	}
	if p.footer != "" {
		b.WriteString("\n" + p.footer)
	}
	if t.tail != "" {
		b.WriteString("\n\n" + t.tail)
	}
	first, rest := splitReply(b.String(), t.b.cfg.MaxReplyBytes)

	t.sess.Updated = t.now
	if len(opts) > 0 && !p.question {
		if p.ref != "" {
			t.sess.Page = p.ref
		} else {
			t.sess.Choices = make([]replies.MenuKey, len(opts))
			for i, o := range opts {
				t.sess.Choices[i] = o.key
			}
			t.sess.Page = pageChoices
		}
	}
	if p.keepMenu {
		t.sess.Page, t.sess.Choices = t.prev.Page, t.prev.Choices
	}
	if rest != "" {
		t.sess.More = rest
	}
	return outcome{text: first, intent: p.intent, sess: t.sess, trace: t.trace, unhelpful: t.unhelpful}
}

// moreLine ends the first part of a reply that had to be split; the bot
// keeps the rest and shows it for "1".
var moreLine = "\n\n" + replies.Options([]string{replies.LabelMore})

// splitReply fits text into max UTF-8 bytes: when it is longer, the first
// part ends at a line break (or, failing that, a character boundary) and
// offers the rest. Replies are written to fit; this is the safety net.
func splitReply(text string, max int) (first, rest string) {
	if len(text) <= max {
		return text, ""
	}
	room := max - len(moreLine)
	cut := strings.LastIndexByte(text[:room], '\n')
	if cut < room/2 {
		cut = len(truncate(text, room))
	}
	return strings.TrimRight(text[:cut], "\n") + moreLine, strings.TrimLeft(text[cut:], "\n")
}

// truncate cuts s to at most n bytes on a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
