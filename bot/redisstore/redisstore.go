// Package redisstore keeps dialog state in Redis, so that every replica of
// the webhook sees the same state and a restart loses nothing.
//
// It runs on one node, a Redis Cluster or a Sentinel-watched master (see
// Mode). Each user has one key:
//
//	<prefix>{<user>}:s   the state: 8-byte big-endian version, then the data
//
// The version lives in the same string as the data so that Load is one GET
// and the commit script reads the version with one GETRANGE; a hash (fields
// v and d) would cost an HMGET reply of two elements and a little more
// memory per user for nothing. The braces keep a user's keys in one Redis
// Cluster hash slot, should a release add one.
package redisstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/contract"
)

// DefaultPrefix starts every key unless Options.Prefix says otherwise.
const DefaultPrefix = "yibao:"

// Options tune the store; the zero value is usable.
type Options struct {
	// Prefix starts every key (DefaultPrefix when empty), so that several
	// deployments or tests can share one Redis.
	Prefix string
	// PoolSize caps the connections Open keeps to Redis; 0 keeps the URL's
	// pool_size, or go-redis's default of 10 per CPU.
	PoolSize int
	// AutoPipeline sends the commits of concurrent messages to Redis in
	// batches (go-redis's autopipeliner): one write and one read carry
	// many commits, which roughly halves the CPU that Redis and this
	// process spend per message under load. go-redis marks the API
	// experimental, so it is a switch. Only idempotent commits
	// (contract.Commit.Idempotent) go through it: a batch that is resent
	// after a dropped connection may run a command twice.
	AutoPipeline bool
	// Mode is the topology Open connects to; ModeAuto reads it from the
	// URL's form.
	Mode Mode
}

// Store is a contract.Store on Redis.
type Store struct {
	client redis.UniversalClient
	// batched runs idempotent commits (see Options.AutoPipeline); nil
	// when auto-pipelining is off.
	batched redis.Scripter
	prefix  string
	owned   bool // Close closes the client: Open made it
	// reload asks a cluster client to read the slot map again; nil for
	// other topologies. See fail.
	reload func()
}

var _ contract.Store = (*Store)(nil)

// New returns a store on client, which the caller keeps and closes.
func New(client redis.UniversalClient, opts Options) *Store {
	prefix := opts.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	s := &Store{client: client, prefix: prefix}
	if cc, ok := client.(*redis.ClusterClient); ok {
		s.reload = func() { cc.ReloadState(context.Background()) }
	}
	if opts.AutoPipeline {
		// Building the autopipeliner starts its goroutines but does not
		// connect; it fails only on invalid options, and then commits
		// simply go one by one.
		if ap, err := client.AutoPipeline(); err == nil {
			s.batched = ap
		}
	}
	return s
}

// Close closes the client if Open made it; a client given to New is the
// caller's to close.
func (s *Store) Close() error {
	if !s.owned {
		return nil
	}
	if err := s.client.Close(); err != nil {
		return fmt.Errorf("redisstore: close: %w", err)
	}
	return nil
}

// Load returns the user's state, or a zero Record when there is none.
func (s *Store) Load(ctx context.Context, user string) (contract.Record, error) {
	if err := checkUser(user); err != nil {
		return contract.Record{}, err
	}
	raw, err := s.client.Get(ctx, s.stateKey(user)).Bytes()
	if errors.Is(err, redis.Nil) {
		return contract.Record{}, nil
	}
	if err != nil {
		return contract.Record{}, s.fail("load", err)
	}
	rec, err := decodeState(raw)
	if err != nil {
		return contract.Record{}, fmt.Errorf("redisstore: load: %w", err)
	}
	return rec, nil
}

// Commit checks the version and writes, in one script run (one round
// trip); see contract.Commit. Deleting (nil Data) reports Version 0, as
// Load will.
func (s *Store) Commit(ctx context.Context, user string, c contract.Commit) (contract.CommitResult, error) {
	if err := checkUser(user); err != nil {
		return contract.CommitResult{}, err
	}
	keys := []string{s.stateKey(user)}
	var version int64
	var value []byte // empty: delete
	if c.Data != nil {
		version = nextVersion(c.Version)
		value = encodeState(version, c.Data)
	}
	args := []any{encodeVersion(c.Version), value, millis(c.StateTTL)}
	var (
		out any
		err error
	)
	if c.Idempotent && s.batched != nil {
		out, err = runBatched(ctx, s.batched, keys, args)
	} else {
		out, err = commitScript.Run(ctx, s.client, keys, args...).Result()
	}
	if err != nil && !errors.Is(err, redis.Nil) {
		return contract.CommitResult{}, s.fail("commit", err)
	}
	res, err := commitResult(out, version)
	if err != nil {
		return contract.CommitResult{}, fmt.Errorf("redisstore: commit: %w", err)
	}
	return res, nil
}

// runBatched runs the commit script through the autopipeliner, which does
// not watch a queued command's context: the wait is made here, so a slow
// Redis costs the caller no more than its deadline. A commit given up on
// may still run; it is idempotent (only such commits are batched), and the
// bot's version check catches the state it wrote.
func runBatched(ctx context.Context, via redis.Scripter, keys []string, args []any) (any, error) {
	type result struct {
		out any
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := commitScript.Run(ctx, via, keys, args...).Result()
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fail wraps err (see wrap). A cluster node that stops answering (killed,
// not failed over by hand) sends no MOVED, and go-redis rereads the slot
// map only every minute by default: until then every message of a third of
// the users would go to the dead master. So each such failure asks for a
// reload; go-redis runs one at a time, at most every 200ms, and once a
// replica has taken over the slot map names it.
func (s *Store) fail(op string, err error) error {
	if s.reload != nil && unavailable(err) {
		s.reload()
	}
	return wrap(op, err)
}

// Delete forgets the user's state.
func (s *Store) Delete(ctx context.Context, user string) error {
	if err := checkUser(user); err != nil {
		return err
	}
	if err := s.client.Del(ctx, s.stateKey(user)).Err(); err != nil {
		return s.fail("delete", err)
	}
	return nil
}

// Ping checks that Redis answers, for a readiness probe.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return s.fail("ping", err)
	}
	return nil
}

func (s *Store) stateKey(user string) string {
	return s.prefix + "{" + user + "}:s"
}

// checkUser rejects ids that could break out of the key's hash tag and
// collide with another user's keys. WeChat's openids are [A-Za-z0-9_-].
func checkUser(user string) error {
	if user == "" || strings.ContainsAny(user, "{}") {
		return fmt.Errorf("redisstore: unusable user id %q", user)
	}
	return nil
}

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

// millis rounds a TTL up to whole milliseconds (PX's unit); 0 means none.
func millis(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}

const versionLen = 8

func encodeVersion(v int64) []byte {
	if v == 0 {
		return nil // no state: compared with the empty string
	}
	return binary.BigEndian.AppendUint64(make([]byte, 0, versionLen), uint64(v))
}

func encodeState(v int64, data []byte) []byte {
	b := make([]byte, versionLen, versionLen+len(data))
	binary.BigEndian.PutUint64(b, uint64(v))
	return append(b, data...)
}

func decodeState(raw []byte) (contract.Record, error) {
	if len(raw) < versionLen {
		return contract.Record{}, fmt.Errorf("stored state of %d bytes is shorter than its version", len(raw))
	}
	v := int64(binary.BigEndian.Uint64(raw))
	if v <= 0 {
		return contract.Record{}, fmt.Errorf("stored state has version %d", v)
	}
	return contract.Record{Version: v, Data: raw[versionLen:]}, nil
}
