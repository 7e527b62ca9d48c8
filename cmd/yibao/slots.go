package main

import (
	"container/list"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// slots caps the public listener's open connections, and lets a
// connection keep its slot only while it makes progress. The cap alone
// (netutil.LimitListener before) counted connections that had not sent a
// whole request: 800 silent or trickling clients held every slot for the
// whole header timeout, and the platform's pushes waited behind them
// (issue 21). Here a connection that has not yet delivered a whole
// request (header and body), or sits idle between requests, is
// "waiting"; when a new connection needs a slot and none is free, the
// connection that has waited longest is closed to make room. A request
// that arrives whole at once, as the platform sends it, is therefore
// never kept out by slow ones; only connections whose requests are being
// answered ("working") hold slots for sure, and answers are bounded by
// the handlers' deadlines.
type slots struct {
	net.Listener
	max int

	mu      sync.Mutex
	cond    *sync.Cond
	open    int
	waiting list.List // *slotConn, longest waiting first
	closed  bool

	evicted atomic.Int64 // connections closed to make room

	// backlog: after closeAfterBacklog, Accept takes what already waits in
	// the kernel's queue (so it is answered, not reset) and then stops.
	draining    atomic.Bool
	drainUntil  time.Time
	backlogDone chan struct{}
}

// evictGrace is how long a connection may wait before a newer one can take
// its slot: a real client's request is in the socket by the time it is
// accepted (it follows the handshake at once), so this only covers the
// server being slow to read it. An attacker must open connections faster
// than max/evictGrace (3,000 a second at the default cap) to keep every
// slot within its grace, and even then a new connection only waits.
const evictGrace = 250 * time.Millisecond

// backlogGap is how long Accept waits for one more queued connection
// while draining the backlog: a queued connection is there at once.
const backlogGap = 20 * time.Millisecond

func newSlots(ln net.Listener, max int) *slots {
	s := &slots{Listener: ln, max: max, backlogDone: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// slotConn is a connection holding a slot.
type slotConn struct {
	net.Conn
	s     *slots
	elem  *list.Element // in s.waiting; nil while working
	since time.Time     // when it began waiting
	once  sync.Once
}

// Accept returns the next connection once it has a slot.
func (s *slots) Accept() (net.Conn, error) {
	c, err := s.accept()
	if err != nil {
		return nil, err
	}
	sc := &slotConn{Conn: c, s: s}
	s.mu.Lock()
	for s.open >= s.max && !s.closed {
		if e := s.waiting.Front(); e != nil {
			victim := e.Value.(*slotConn)
			if wait := evictGrace - time.Since(victim.since); wait > 0 {
				// Even the longest waiting just arrived: give it the
				// grace to be read, and look again.
				t := time.AfterFunc(wait, func() {
					s.mu.Lock()
					s.cond.Broadcast()
					s.mu.Unlock()
				})
				s.cond.Wait()
				t.Stop()
				continue
			}
			s.waiting.Remove(e)
			victim.elem = nil
			s.mu.Unlock()
			s.evicted.Add(1)
			_ = victim.Close() // releases its slot
			s.mu.Lock()
			continue
		}
		// Every slot is working: wait for an answer to finish (the new
		// connection waits with us, as it would in the backlog).
		s.cond.Wait()
	}
	s.open++
	sc.since = time.Now()
	sc.elem = s.waiting.PushBack(sc)
	s.mu.Unlock()
	return sc, nil
}

func (s *slots) accept() (net.Conn, error) {
	for {
		draining := s.draining.Load()
		if draining {
			tl, ok := s.Listener.(interface{ SetDeadline(time.Time) error })
			if !ok || !time.Now().Before(s.drainUntil) {
				return nil, s.stop()
			}
			_ = tl.SetDeadline(time.Now().Add(backlogGap))
		}
		c, err := s.Listener.Accept()
		if err == nil {
			return c, nil
		}
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			return nil, err
		}
		if draining {
			return nil, s.stop() // the queue is empty
		}
		if s.draining.Load() {
			continue // the deadline closeAfterBacklog set to wake us
		}
		return nil, err
	}
}

// stop closes the listener once the backlog is taken.
func (s *slots) stop() error {
	_ = s.Listener.Close()
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.backlogDone)
	}
	s.cond.Broadcast()
	s.mu.Unlock()
	return net.ErrClosed
}

// Close closes the listener: what waits in the kernel's queue is reset
// (unless the socket belongs to systemd, which keeps it for the next
// process).
func (s *slots) Close() error {
	err := s.Listener.Close()
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.backlogDone)
	}
	s.cond.Broadcast()
	s.mu.Unlock()
	return err
}

// closeAfterBacklog makes Accept take the connections already queued in
// the kernel (for at most bound), then close the listener; it returns
// once the listener is closed. Closing at once would reset every queued
// connection: a push the platform sent and believes delivered.
func (s *slots) closeAfterBacklog(ctx context.Context, bound time.Duration) {
	s.drainUntil = time.Now().Add(bound)
	s.draining.Store(true)
	// Wake an Accept blocked with no deadline.
	if tl, ok := s.Listener.(interface{ SetDeadline(time.Time) error }); ok {
		_ = tl.SetDeadline(time.Now().Add(backlogGap))
	} else {
		_ = s.Close()
	}
	select {
	case <-s.backlogDone:
	case <-ctx.Done():
		_ = s.Close()
	}
}

// Close releases the connection's slot.
func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		s := c.s
		s.mu.Lock()
		if c.elem != nil {
			s.waiting.Remove(c.elem)
			c.elem = nil
		}
		s.open--
		s.cond.Signal()
		s.mu.Unlock()
	})
	return err
}

// setWaiting moves the connection to the end of the waiting line (true)
// or out of it (false: its request is being answered).
func (c *slotConn) setWaiting(w bool) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.elem != nil {
		s.waiting.Remove(c.elem)
		c.elem = nil
	}
	if w {
		c.since = time.Now()
		c.elem = s.waiting.PushBack(c)
	}
	s.cond.Signal()
}

// connState is the server's ConnState hook: a connection idle between
// requests waits again.
func (s *slots) connState(c net.Conn, st http.ConnState) {
	if sc, ok := c.(*slotConn); ok && st == http.StateIdle {
		sc.setWaiting(true)
	}
}

type slotKey struct{}

// connContext puts the connection in each request's context, for progress.
func (s *slots) connContext(ctx context.Context, c net.Conn) context.Context {
	if sc, ok := c.(*slotConn); ok {
		return context.WithValue(ctx, slotKey{}, sc)
	}
	return ctx
}

// progress wraps the public handler: a request's connection stops
// waiting once its whole body has arrived (at once when it has none), and
// waits again if the handler returns without reading it all (the server
// would then drain the rest of a trickled body on that slot).
func progress(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sc, _ := r.Context().Value(slotKey{}).(*slotConn)
		if sc == nil {
			h.ServeHTTP(w, r)
			return
		}
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			sc.setWaiting(false)
			h.ServeHTTP(w, r)
			return
		}
		b := &progressBody{ReadCloser: r.Body, conn: sc}
		r.Body = b
		h.ServeHTTP(w, r)
		if !b.done {
			sc.setWaiting(true)
		}
	})
}

type progressBody struct {
	io.ReadCloser
	conn *slotConn
	done bool
}

func (b *progressBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && !b.done {
		b.done = true
		b.conn.setWaiting(false)
	}
	return n, err
}

// share limits the requests h answers at once to limit, so that the rest
// of the connection cap stays for the platform's pushes; past it a
// request is answered 503 at once and its connection closed.
func share(h http.Handler, limit int) http.Handler {
	var busy atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if busy.Add(1) > int64(limit) {
			busy.Add(-1)
			w.Header().Set("Connection", "close")
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		defer busy.Add(-1)
		h.ServeHTTP(w, r)
	})
}
