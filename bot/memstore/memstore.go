// Package memstore keeps dialog state in process memory. It serves a single
// instance when no Redis is configured; state is lost on restart and is not
// shared between replicas.
package memstore

import (
	"context"
	"hash/maphash"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/yibao/yibao/bot/contract"
)

// shardCount spreads users over independent locks so that one user's
// commits never wait for another's.
const shardCount = 64

// sweepEvery bounds how often a shard scans for expired entries; the scan
// runs on a write, so an idle store costs nothing and starts no goroutine.
const sweepEvery = time.Minute

// Store is an in-memory contract.Store. The zero value is not usable; call New.
type Store struct {
	now    func() time.Time
	seed   maphash.Seed
	shards [shardCount]shard
}

var _ contract.Store = (*Store)(nil)

type shard struct {
	mu        sync.Mutex
	states    map[string]state
	nextSweep time.Time
}

type state struct {
	version int64
	data    []byte
	expires time.Time // zero: never
}

// New returns an empty store reading time from clock (time.Now when nil),
// which decides when TTLs run out.
func New(clock func() time.Time) *Store {
	if clock == nil {
		clock = time.Now
	}
	s := &Store{now: clock, seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].states = make(map[string]state)
	}
	return s
}

func (s *Store) shard(user string) *shard {
	return &s.shards[maphash.String(s.seed, user)%shardCount]
}

// Load returns the user's state, or a zero Record when there is none.
func (s *Store) Load(_ context.Context, user string) (contract.Record, error) {
	sh := s.shard(user)
	now := s.now()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	st, ok := sh.live(user, now)
	if !ok {
		return contract.Record{}, nil
	}
	return contract.Record{Version: st.version, Data: clone(st.data)}, nil
}

// Commit checks the version, then writes; see contract.Commit. Deleting (nil Data) reports Version 0, as Load will.
func (s *Store) Commit(_ context.Context, user string, c contract.Commit) (contract.CommitResult, error) {
	sh := s.shard(user)
	now := s.now()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.sweep(now)

	cur, ok := sh.live(user, now)
	if !ok {
		cur = state{}
	}
	if cur.version != c.Version {
		return contract.CommitResult{Conflict: true, Current: contract.Record{Version: cur.version, Data: clone(cur.data)}}, nil
	}

	var version int64
	if c.Data == nil {
		delete(sh.states, user)
	} else {
		version = nextVersion(c.Version)
		sh.states[user] = state{version: version, data: clone(c.Data), expires: deadline(now, c.StateTTL)}
	}
	return contract.CommitResult{Committed: true, Version: version}, nil
}

// Delete forgets the user's state.
func (s *Store) Delete(_ context.Context, user string) error {
	sh := s.shard(user)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	delete(sh.states, user)
	return nil
}

// Ping always succeeds: memory is always there.
func (s *Store) Ping(context.Context) error { return nil }

// nextVersion is the version a commit made from version v gets. A state
// created from nothing starts at a random version rather than 1 so that a
// version is not reused after the state was deleted or expired: a replica
// still holding the old version in a cache must see a conflict, not
// overwrite a newer dialog that happens to have reached the same number.
func nextVersion(v int64) int64 {
	if v == 0 {
		return rand.Int64N(1<<52) + 1
	}
	return v + 1
}

// live returns the user's unexpired state; the caller holds sh.mu.
func (sh *shard) live(user string, now time.Time) (state, bool) {
	st, ok := sh.states[user]
	if !ok || expired(st.expires, now) {
		return state{}, false
	}
	return st, true
}

// sweep drops expired entries at most once per sweepEvery; the caller holds
// sh.mu.
func (sh *shard) sweep(now time.Time) {
	if now.Before(sh.nextSweep) {
		return
	}
	sh.nextSweep = now.Add(sweepEvery)
	for k, st := range sh.states {
		if expired(st.expires, now) {
			delete(sh.states, k)
		}
	}
}

func deadline(now time.Time, ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return now.Add(ttl)
}

func expired(expires, now time.Time) bool {
	return !expires.IsZero() && !now.Before(expires)
}

// clone copies b so that neither the caller nor the store can change the
// other's bytes; a non-nil empty slice stays non-nil.
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}
