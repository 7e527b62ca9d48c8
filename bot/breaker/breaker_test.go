package breaker_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/breaker"
	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/bot/storetest"
)

// While the store works, the breaker must not change what it does.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Subject {
		var now atomic.Int64
		now.Store(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC).UnixNano())
		s := memstore.New(func() time.Time { return time.Unix(0, now.Load()) })
		return storetest.Subject{
			Store:   breaker.New(s, breaker.Options{}),
			Advance: func(d time.Duration) { now.Add(int64(d)) },
		}
	})
}

// flaky is a store whose calls fail with err while it is set, and which
// counts the calls that reached it; with hold set, calls wait for it to be
// closed first, like a frozen Redis.
type flaky struct {
	contract.Store
	mu    sync.Mutex
	err   error
	hold  chan struct{}
	calls atomic.Int64
}

func newFlaky() *flaky { return &flaky{Store: memstore.New(nil)} }

func (f *flaky) set(err error, hold chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err, f.hold = err, hold
}

func (f *flaky) fail() error {
	f.calls.Add(1)
	f.mu.Lock()
	err, hold := f.err, f.hold
	f.mu.Unlock()
	if hold != nil {
		<-hold
	}
	return err
}

func (f *flaky) Load(ctx context.Context, user string) (contract.Record, error) {
	if err := f.fail(); err != nil {
		return contract.Record{}, err
	}
	return f.Store.Load(ctx, user)
}

func (f *flaky) Commit(ctx context.Context, user string, c contract.Commit) (contract.CommitResult, error) {
	if err := f.fail(); err != nil {
		return contract.CommitResult{}, err
	}
	return f.Store.Commit(ctx, user, c)
}

func (f *flaky) Delete(ctx context.Context, user string) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.Delete(ctx, user)
}

var (
	down    = fmt.Errorf("redisstore: commit: %w: i/o timeout", contract.ErrStoreUnavailable)
	corrupt = errors.New("redisstore: load: stored state of 3 bytes is shorter than its version")
)

// calls are the store calls that go through the breaker.
var calls = []struct {
	name string
	call func(s contract.Store) error
}{
	{"Load", func(s contract.Store) error { _, err := s.Load(context.Background(), "u1"); return err }},
	{"Commit", func(s contract.Store) error {
		_, err := s.Commit(context.Background(), "u1", contract.Commit{Data: []byte("a")})
		return err
	}},
	{"Delete", func(s contract.Store) error { return s.Delete(context.Background(), "u1") }},
}

func TestTrips(t *testing.T) {
	tests := []struct {
		name     string
		err      error // of every store call
		failures uint32
		open     bool // after failures calls
	}{
		{"store down trips it", down, 3, true},
		{"fewer failures than the threshold do not", down, 2, false},
		{"errors that are not the store being down do not", corrupt, 10, false},
		{"a caller that gave up does not", fmt.Errorf("redisstore: load: %w", context.Canceled), 10, false},
	}
	for _, tt := range tests {
		for _, c := range calls {
			t.Run(tt.name+"/"+c.name, func(t *testing.T) {
				f := newFlaky()
				s := breaker.New(f, breaker.Options{Failures: 3, OpenFor: time.Hour})
				f.set(tt.err, nil)
				for range tt.failures {
					if err := c.call(s); !errors.Is(err, tt.err) {
						t.Fatalf("error %v, want the store's %v", err, tt.err)
					}
				}
				if got := s.State() == breaker.StateOpen; got != tt.open {
					t.Fatalf("after %d failures: state %v, want open %v", tt.failures, s.State(), tt.open)
				}
				before := f.calls.Load()
				err := c.call(s)
				if reached := f.calls.Load() > before; reached == tt.open {
					t.Fatalf("call reached the store: %v, with the breaker open %v", reached, tt.open)
				}
				if tt.open && (!errors.Is(err, contract.ErrStoreUnavailable) || !errors.Is(err, breaker.ErrOpen)) {
					t.Fatalf("refused call: error %v, want ErrStoreUnavailable and ErrOpen", err)
				}
			})
		}
	}
}

// A success in between starts the count again: the threshold is of
// failures in a row.
func TestSuccessResetsCount(t *testing.T) {
	f := newFlaky()
	s := breaker.New(f, breaker.Options{Failures: 3, OpenFor: time.Hour})
	for range 5 {
		f.set(down, nil)
		calls[0].call(s)
		calls[0].call(s)
		f.set(nil, nil)
		if err := calls[0].call(s); err != nil {
			t.Fatal(err)
		}
	}
	if s.State() != breaker.StateClosed {
		t.Fatalf("state %v after alternating failures and successes, want closed", s.State())
	}
}

// Ping is the readiness check: it must see the store, open or not.
func TestPingPassesThrough(t *testing.T) {
	f := newFlaky()
	s := breaker.New(f, breaker.Options{Failures: 1, OpenFor: time.Hour})
	f.set(down, nil)
	calls[0].call(s)
	if s.State() != breaker.StateOpen {
		t.Fatal("breaker did not open")
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping with the breaker open = %v, want the store's answer", err)
	}
}

// After OpenFor one probe goes to the store: a failure opens the breaker
// again, a success closes it; while the probe is out, other calls are
// refused at once rather than queued behind it.
func TestProbe(t *testing.T) {
	const openFor = 20 * time.Millisecond
	f := newFlaky()
	var changes []string
	var mu sync.Mutex
	s := breaker.New(f, breaker.Options{Failures: 1, OpenFor: openFor, OnStateChange: func(from, to breaker.State) {
		mu.Lock()
		changes = append(changes, from.String()+">"+to.String())
		mu.Unlock()
	}})
	f.set(down, nil)
	calls[0].call(s)

	// Still down: the probe fails and the breaker opens again.
	time.Sleep(openFor + 5*time.Millisecond)
	if err := calls[0].call(s); !errors.Is(err, down) {
		t.Fatalf("probe error %v, want the store's", err)
	}
	if s.State() != breaker.StateOpen {
		t.Fatalf("state %v after a failed probe, want open", s.State())
	}

	// Frozen: the probe waits; meanwhile other calls fail at once.
	time.Sleep(openFor + 5*time.Millisecond)
	hold := make(chan struct{})
	f.set(nil, hold)
	probed := make(chan error)
	go func() { probed <- calls[1].call(s) }()
	for f.calls.Load() < 3 {
		time.Sleep(time.Millisecond)
	}
	// The probe is held until hold closes, so a call that waited for it
	// would never return: each must come back refused while it hangs.
	for _, c := range calls {
		if err := c.call(s); !errors.Is(err, breaker.ErrOpen) {
			t.Errorf("%s during the probe: %v, want refused", c.name, err)
		}
	}
	// The store answers: the probe succeeds and full service is back.
	close(hold)
	if err := <-probed; err != nil {
		t.Fatalf("probe = %v", err)
	}
	f.set(nil, nil)
	for _, c := range calls {
		if err := c.call(s); err != nil {
			t.Errorf("%s after recovery: %v", c.name, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := "[closed>open open>half-open half-open>open open>half-open half-open>closed]"
	if got := fmt.Sprint(changes); got != want {
		t.Fatalf("state changes %s, want %s", got, want)
	}
}
