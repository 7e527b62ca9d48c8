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

// Commit asks the store to replace a user's state atomically.
type Commit struct {
	// Version is the version the new state was computed from; the commit
	// succeeds only if the stored version still equals it.
	Version int64
	// Data is the new state; nil deletes the user's state.
	Data     []byte
	StateTTL time.Duration
	// MsgID, when set, makes the commit idempotent: the reply is kept under
	// it for ReplyTTL, and a later commit with the same MsgID returns that
	// reply instead of writing anything.
	MsgID    string
	Reply    []byte
	ReplyTTL time.Duration
}

// CommitResult says what a Commit did. Exactly one of Committed, Duplicate
// and Conflict is true.
type CommitResult struct {
	Committed bool
	Version   int64 // the new version, when Committed

	Duplicate bool   // MsgID had been committed before
	Reply     []byte // the reply stored with it, when Duplicate

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
