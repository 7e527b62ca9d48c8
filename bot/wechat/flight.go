package wechat

import (
	"sync"

	"github.com/yibao/yibao/bot/contract"
)

// flights runs the bot at most once at a time per message ID in this
// process: a platform retry that arrives while the first try is still being
// handled waits for the first reply instead of running the dialog again.
// An entry lives exactly as long as the bot call it stands for, so the map
// holds only calls in progress. (Retries after that are the store's job:
// the bot finds the message ID there and answers the stored reply.)
//
// Not golang.org/x/sync/singleflight: its DoChan starts a goroutine per
// call, and it tells who led only when the call is over; see
// BenchmarkFlights against BenchmarkSingleflightDoChan (141 ns, 2 allocs
// against 533 ns, 5 allocs and a goroutine).
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done  chan struct{} // closed when reply and err are set
	reply contract.Reply
	err   error
}

// join returns the flight for id and whether the caller leads it (and must
// call finish). An empty id is never shared.
func (f *flights) join(id string) (fl *flight, leader bool) {
	if id == "" {
		return &flight{done: make(chan struct{})}, true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if fl, ok := f.m[id]; ok {
		return fl, false
	}
	if f.m == nil {
		f.m = make(map[string]*flight)
	}
	fl = &flight{done: make(chan struct{})}
	f.m[id] = fl
	return fl, true
}

func (f *flights) finish(id string, fl *flight, reply contract.Reply, err error) {
	fl.reply, fl.err = reply, err
	if id != "" {
		f.mu.Lock()
		delete(f.m, id)
		f.mu.Unlock()
	}
	close(fl.done)
}

// inFlight is the number of calls in progress, for tests.
func (f *flights) inFlight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.m)
}
