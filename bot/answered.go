package bot

import (
	"hash/fnv"
	"time"
)

// A state that must not take the same message twice remembers what it
// answered. The platform retries a push it got no answer to, possibly on
// another replica, and a captured push may be replayed while its signature
// is fresh; either must get the first reply and move nothing. Keeping the
// ids in the session rather than in keys of their own lets the store be a
// plain compare-and-set of one key (see contract.Commit): a retry computed
// from an older version meets a conflict whose state shows it answered.

// maxAnswered bounds the ids a session keeps: far more than a person sends
// within the reply TTL.
const maxAnswered = 32

// Answered is one message answered lately.
type Answered struct {
	ID uint64    // the message id's hash (answerID)
	At time.Time // when it was answered, to the second
	// Reply is what it was answered, and Intent what it was taken for
	// (an adapter may act on it: a request for a person is handed to
	// staff). They are kept for the newest message only: a platform retry
	// comes seconds later, before the next message, and keeping every
	// reply would multiply the state's size. An older message seen again
	// gets no reply (the platform shows nothing).
	Reply, Intent string
}

// answerID is a message id as the session keeps it: 64 bits of FNV-1a,
// stable across processes and releases. A collision needs two of one
// user's few recent ids to meet, about one in 2^59.
func answerID(msgID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(msgID))
	return h.Sum64()
}

// answered returns what the session answered message id since the time
// given, if it did.
func (s Session) answered(id uint64, since time.Time) (Answered, bool) {
	for _, a := range s.Answered {
		if a.ID == id && !a.At.Before(since) {
			return a, true
		}
	}
	return Answered{}, false
}

// remember returns list with a, answered now, added: entries older than
// ttl are dropped, and so are all but the newest reply and the newest
// maxAnswered ids.
func remember(list []Answered, a Answered, now time.Time, ttl time.Duration) []Answered {
	out := make([]Answered, 0, min(len(list)+1, maxAnswered))
	for _, old := range list[max(0, len(list)+1-maxAnswered):] {
		if now.Sub(old.At) < ttl {
			old.Reply, old.Intent = "", ""
			out = append(out, old)
		}
	}
	a.At = now.Truncate(time.Second)
	return append(out, a)
}
