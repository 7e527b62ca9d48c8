package bot

import (
	"encoding/binary"
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

// maxAnswered bounds the messages a session remembers: far more than a
// person sends within the reply TTL.
const maxAnswered = 32

// answeredEntry is the size of one message in Answered's log: the id's
// hash and the Unix second it was answered, both big-endian.
const answeredEntry = 16

// Answered is what a session remembers of the messages it answered within
// the reply TTL. The ids are a flat log rather than a slice of structs:
// the session is decoded and encoded for every message, and a busy user's
// log of 32 entries then costs two copies of 512 bytes instead of 32
// decoded records.
type Answered struct {
	log []byte // answeredEntry bytes a message, oldest first
	// Reply is what the newest message was answered, and Intent what it
	// was taken for (an adapter may act on it: a request for a person is
	// handed to staff). Only the newest's are kept: a platform retry comes
	// seconds later, before the next message, and keeping every reply
	// would multiply the state's size. An older message seen again gets no
	// reply (the platform shows nothing). Reply may share the stored
	// state's bytes: it is never written to.
	Reply  []byte
	Intent string
}

// answerID is a message id as the session keeps it: 64 bits of FNV-1a,
// stable across processes and releases. A collision needs two of one
// user's few recent ids to meet, about one in 2^59.
func answerID(msgID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(msgID))
	return h.Sum64()
}

func (a Answered) len() int { return len(a.log) / answeredEntry }

func (a Answered) entry(i int) (id uint64, at int64) {
	e := a.log[i*answeredEntry:]
	return binary.BigEndian.Uint64(e), int64(binary.BigEndian.Uint64(e[8:]))
}

// find reports whether message id was answered at since or later, and
// whether it was the newest.
func (a Answered) find(id uint64, since time.Time) (found, newest bool) {
	for i := a.len() - 1; i >= 0; i-- {
		if eid, at := a.entry(i); eid == id && at >= since.Unix() {
			return true, i == a.len()-1
		}
	}
	return false, false
}

// add returns a with message id, answered now by reply (taken for
// intent), as its newest: messages answered ttl or more before now are
// dropped, and so are all but the newest maxAnswered.
func (a Answered) add(id uint64, reply, intent string, now time.Time, ttl time.Duration) Answered {
	n := a.len()
	from := max(0, n+1-maxAnswered)
	for from < n {
		if _, at := a.entry(from); now.Sub(time.Unix(at, 0)) < ttl {
			break
		}
		from++
	}
	log := make([]byte, 0, (n-from+1)*answeredEntry)
	log = append(log, a.log[from*answeredEntry:]...)
	log = binary.BigEndian.AppendUint64(log, id)
	log = binary.BigEndian.AppendUint64(log, uint64(now.Unix()))
	return Answered{log: log, Reply: []byte(reply), Intent: intent}
}
