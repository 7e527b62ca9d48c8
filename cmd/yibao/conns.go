package main

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// connTracker follows the public server's connections (its ConnState
// hook): how many are open, and how many are between accept and the end
// of an answer.
type connTracker struct {
	mu    sync.Mutex
	state map[net.Conn]http.ConnState
	busy  int
	// shedAbove: past this many open connections, one that goes idle is
	// closed, so that under a flood of idle connections the cap is held by
	// requests, not by silence.
	shedAbove int
}

func newConnTracker(shedAbove int) *connTracker {
	return &connTracker{state: map[net.Conn]http.ConnState{}, shedAbove: shedAbove}
}

func (t *connTracker) track(c net.Conn, s http.ConnState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	prev, known := t.state[c]
	wasBusy := known && (prev == http.StateNew || prev == http.StateActive)
	isBusy := s == http.StateNew || s == http.StateActive
	switch {
	case wasBusy && !isBusy:
		t.busy--
	case !wasBusy && isBusy:
		t.busy++
	}
	if s == http.StateClosed || s == http.StateHijacked {
		delete(t.state, c)
		return
	}
	t.state[c] = s
	if s == http.StateIdle && len(t.state) > t.shedAbove {
		_ = c.Close()
	}
}

// waitQuiet returns once no connection is busy, or when ctx ends.
func (t *connTracker) waitQuiet(ctx context.Context) {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		t.mu.Lock()
		busy := t.busy
		t.mu.Unlock()
		if busy == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
