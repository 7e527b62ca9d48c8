package contract

import (
	"context"
	"errors"
	"time"
)

// Record is one user's stored dialog state: an opaque encoded blob and the
// version the store gave it. A user with no state has Version 0 and no Data.
type Record struct {
	Version int64
	Data    []byte
}

// Commit asks the store to replace a user's state atomically: a
// compare-and-set on the version.
//
// The store knows nothing of messages. A state that must not take the same
// message twice (a platform retry, a replayed push) records the ids it has
// answered itself (the bot's Session does): a retry computed from an older
// version then meets a conflict whose Current says it was answered.
type Commit struct {
	// Version is the version the new state was computed from; the commit
	// succeeds only if the stored version still equals it.
	Version int64
	// Data is the new state; nil deletes the user's state.
	Data     []byte
	StateTTL time.Duration
	// Idempotent says that running the commit twice is harmless: Data
	// records the message it answers, so a second run finds a conflict
	// whose Current shows the message answered. A store may then batch it
	// with other users' commits, although a batch resent after a dropped
	// connection may run it twice.
	Idempotent bool
}

// CommitResult says what a Commit did. Exactly one of Committed and
// Conflict is true.
type CommitResult struct {
	Committed bool
	Version   int64 // the new version, when Committed

	Conflict bool   // the stored version moved on
	Current  Record // the stored state, when Conflict
}

// Store keeps per-user dialog state. Implementations must be safe for
// concurrent use and make Commit atomic per user, across processes where
// they are shared (Redis).
type Store interface {
	Load(ctx context.Context, user string) (Record, error)
	Commit(ctx context.Context, user string, c Commit) (CommitResult, error)
	Delete(ctx context.Context, user string) error
	Ping(ctx context.Context) error
}

// ErrStoreUnavailable marks store errors caused by the backend being down or
// slow, as opposed to a bug; the bot then answers without state.
var ErrStoreUnavailable = errors.New("dialog store unavailable")
