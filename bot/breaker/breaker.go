// Package breaker puts a circuit breaker in front of a contract.Store, so
// that a store that is down or frozen costs each message nothing instead of
// the whole store timeout.
//
// Without it every message waits out its store call (a second) while Redis
// is frozen, holding the bot's per-user lock the while: capacity falls to a
// few dozen messages a second and replies queue past the platform's 5 s.
// With it, after a few consecutive failures the store calls fail at once
// with contract.ErrStoreUnavailable, so the bot answers without state (the
// guides still work), and every OpenFor one real call is let through as a
// probe; the first that succeeds restores full service.
//
// The state machine is github.com/sony/gobreaker/v2's: it is small, well
// kept, and already has the closed/open/half-open logic and its races
// worked out; this package only decides what counts as a failure.
package breaker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/yibao/yibao/bot/contract"
)

// Options tune the breaker; zero fields take the defaults.
type Options struct {
	// Failures is how many store calls in a row must fail with
	// contract.ErrStoreUnavailable before the breaker opens (5).
	Failures uint32
	// OpenFor is how long the breaker stays open before it lets a probe
	// through (250ms). Full service returns at most this long after the
	// store does, plus a probe's round trip.
	OpenFor time.Duration
	// OnStateChange, when set, is told each change of state, for logs and
	// metrics; it must not block.
	OnStateChange func(from, to State)
}

// State is the breaker's state: closed (calls go to the store), open
// (calls fail at once) or half-open (one probe goes to the store).
type State = gobreaker.State

const (
	StateClosed   = gobreaker.StateClosed
	StateOpen     = gobreaker.StateOpen
	StateHalfOpen = gobreaker.StateHalfOpen
)

// ErrOpen is the error (besides contract.ErrStoreUnavailable) of a call the
// breaker refused without asking the store.
var ErrOpen = errors.New("breaker: store calls suspended after repeated failures")

// Store is a contract.Store that stops calling the store it wraps while
// that store is failing. Ping is passed through untouched: readiness checks
// must see the store as it is, and they are not on any message's path.
type Store struct {
	next contract.Store
	cb   *gobreaker.TwoStepCircuitBreaker[struct{}]
}

var _ contract.Store = (*Store)(nil)

// New wraps next.
func New(next contract.Store, o Options) *Store {
	if o.Failures == 0 {
		o.Failures = 5
	}
	if o.OpenFor <= 0 {
		o.OpenFor = 250 * time.Millisecond
	}
	st := gobreaker.Settings{
		Name:        "store",
		MaxRequests: 1, // one probe at a time; one success closes
		Timeout:     o.OpenFor,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= o.Failures },
		// Only the store being down or slow is a failure. Other errors
		// (a corrupt record, a bad user id) mean the store answered.
		IsSuccessful: func(err error) bool { return !errors.Is(err, contract.ErrStoreUnavailable) },
		// A caller that gave up (the platform hung up) says nothing
		// about the store.
		IsExcluded: func(err error) bool { return errors.Is(err, context.Canceled) },
	}
	if o.OnStateChange != nil {
		st.OnStateChange = func(_ string, from, to gobreaker.State) { o.OnStateChange(from, to) }
	}
	return &Store{next: next, cb: gobreaker.NewTwoStepCircuitBreaker[struct{}](st)}
}

// State is the breaker's current state.
func (s *Store) State() State { return s.cb.State() }

func (s *Store) Load(ctx context.Context, user string) (contract.Record, error) {
	done, err := s.allow()
	if err != nil {
		return contract.Record{}, err
	}
	rec, err := s.next.Load(ctx, user)
	done(err)
	return rec, err
}

func (s *Store) Commit(ctx context.Context, user string, c contract.Commit) (contract.CommitResult, error) {
	done, err := s.allow()
	if err != nil {
		return contract.CommitResult{}, err
	}
	res, err := s.next.Commit(ctx, user, c)
	done(err)
	return res, err
}

func (s *Store) Delete(ctx context.Context, user string) error {
	done, err := s.allow()
	if err != nil {
		return err
	}
	err = s.next.Delete(ctx, user)
	done(err)
	return err
}

func (s *Store) Ping(ctx context.Context) error { return s.next.Ping(ctx) }

// allow asks the breaker whether a call may go to the store; done must be
// told the call's error. A refused call is marked
// contract.ErrStoreUnavailable, so the bot answers without state, as it
// would had the store failed.
func (s *Store) allow() (done func(error), err error) {
	done, err = s.cb.Allow()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", contract.ErrStoreUnavailable, ErrOpen)
	}
	return done, nil
}
