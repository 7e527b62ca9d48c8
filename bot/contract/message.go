// Package contract holds what the dialog core and its adapters agree on: the
// message a user sent, the reply, and the store that keeps per-user state.
// Adapters (WeChat, Redis, memory) import this package and never the dialog
// logic in package bot, so a change to how the bot talks cannot break how a
// message is carried or stored.
package contract

import (
	"context"
	"time"
)

// Kind says what a user sent, in terms any chat platform has.
type Kind int

const (
	KindText     Kind = iota // typed text
	KindVoice                // speech; Text holds the platform's transcript, often empty
	KindMedia                // picture, video, location, link: nothing we can read
	KindFollow               // the user subscribed to the account
	KindUnfollow             // the user left; their state is deleted
	KindMenu                 // a menu button; Key names the intent to run
)

// Message is one thing a user sent.
type Message struct {
	User string // the platform's stable user id (an openid)
	// ID makes handling idempotent: a message seen again with the same ID
	// (a platform retry) gets the first reply and changes nothing. Empty
	// means no deduplication.
	ID   string
	Kind Kind
	Text string // KindText, KindVoice
	Key  string // KindMenu
	Time time.Time
}

// Reply is what the bot answers. An empty Text means there is nothing to say.
type Reply struct {
	Text string
	// Intent is what the bot took the message for ("unknown" when it could
	// not tell), for metrics and logs; never shown to the user.
	Intent string
	// Degraded is set when the dialog store could not be used and the reply
	// was made without the user's state.
	Degraded bool
	// Duplicate is set when the message had been handled before (a platform
	// retry) and this is the first reply again.
	Duplicate bool
	// Confidence is how sure the reading of the message's topic was, in
	// [0,1] (0 when no topic was read); Unsure is set when a topic was
	// answered below the bot's confidence line. Both are for the
	// operator's statistics, never shown.
	Confidence float64
	Unsure     bool
	// Unhelpful names the topic the resident said did not help ("没用"
	// after it), for the statistics; "" otherwise.
	Unhelpful string
	// Handoff is set when the user asked for a person. An adapter whose
	// platform can pass the conversation to staff may do so instead of
	// sending Text; Text stays the answer wherever it cannot (no staff on
	// duty, another transport).
	Handoff bool
}

// Handler is what a transport adapter needs of the bot.
type Handler interface {
	Handle(ctx context.Context, m Message) (Reply, error)
}
