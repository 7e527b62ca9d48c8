// Package storetest is the behaviour every contract.Store must have, written once
// and run against each implementation (memory, miniredis, real Redis).
package storetest

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/contract"
)

// Subject is one fresh, empty store under test.
type Subject struct {
	Store contract.Store
	// Advance moves the store's clock on by d. It is nil for a store on real
	// time (a real Redis); the TTL tests are then skipped, and the
	// implementation's own tests check its TTLs another way.
	Advance func(d time.Duration)
}

// Run runs the whole suite; newSubject is called once per subtest and must
// return a store that holds nothing.
func Run(t *testing.T, newSubject func(t *testing.T) Subject) {
	tests := []struct {
		name string
		run  func(t *testing.T, s Subject)
	}{
		{"LoadMissing", testLoadMissing},
		{"RoundTrip", testRoundTrip},
		{"VersionIncrements", testVersionIncrements},
		{"Conflict", testConflict},
		{"RunTwice", testRunTwice},
		{"NilDataDeletes", testNilDataDeletes},
		{"EmptyDataIsState", testEmptyDataIsState},
		{"Delete", testDelete},
		{"CopiesBytes", testCopiesBytes},
		{"UserIsolation", testUserIsolation},
		{"Ping", testPing},
		{"StateTTL", needsClock(testStateTTL)},
		{"ConcurrentCommits", testConcurrentCommits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newSubject(t))
		})
	}
}

func needsClock(run func(t *testing.T, s Subject)) func(t *testing.T, s Subject) {
	return func(t *testing.T, s Subject) {
		if s.Advance == nil {
			t.Skip("store runs on real time; its own tests check TTLs")
		}
		run(t, s)
	}
}

func testLoadMissing(t *testing.T, s Subject) {
	rec := load(t, s.Store, "nobody")
	if rec.Version != 0 || rec.Data != nil {
		t.Fatalf("Load of a missing user = %+v, want zero Record", rec)
	}
}

func testRoundTrip(t *testing.T, s Subject) {
	data := []byte("1{\"d\":{}}\x00\xff binary-safe \xe7\x8a\xb6\xe6\x80\x81")
	v := committed(t, s.Store, "u1", contract.Commit{Data: data, StateTTL: time.Hour})
	if v == 0 {
		t.Fatal("Commit returned version 0 for a stored state")
	}
	rec := load(t, s.Store, "u1")
	if rec.Version != v || !bytes.Equal(rec.Data, data) {
		t.Fatalf("Load = {%d %q}, want {%d %q}", rec.Version, rec.Data, v, data)
	}
}

func testVersionIncrements(t *testing.T, s Subject) {
	v := committed(t, s.Store, "u1", contract.Commit{Data: []byte("a")})
	for i, d := range []string{"b", "c", "d"} {
		next := committed(t, s.Store, "u1", contract.Commit{Version: v, Data: []byte(d)})
		if next != v+1 {
			t.Fatalf("commit %d from version %d gave version %d, want %d", i+2, v, next, v+1)
		}
		v = next
	}
	if rec := load(t, s.Store, "u1"); rec.Version != v || string(rec.Data) != "d" {
		t.Fatalf("Load = {%d %q}, want {%d \"d\"}", rec.Version, rec.Data, v)
	}
}

func testConflict(t *testing.T, s Subject) {
	v := committed(t, s.Store, "u1", contract.Commit{Data: []byte("first")})
	v = committed(t, s.Store, "u1", contract.Commit{Version: v, Data: []byte("second")})
	want := contract.Record{Version: v, Data: []byte("second")}

	for _, stale := range []int64{0, v - 1, v + 1} {
		res := commit(t, s.Store, "u1", contract.Commit{Version: stale, Data: []byte("lost"), Idempotent: true})
		if !res.Conflict || res.Committed {
			t.Fatalf("commit from stale version %d = %+v, want a conflict", stale, res)
		}
		if !sameRecord(res.Current, want) {
			t.Fatalf("conflict Current = {%d %q}, want {%d %q}", res.Current.Version, res.Current.Data, want.Version, want.Data)
		}
	}
	if rec := load(t, s.Store, "u1"); !sameRecord(rec, want) {
		t.Fatalf("a conflicting commit wrote: Load = {%d %q}", rec.Version, rec.Data)
	}
	// The retry from the current version commits.
	res := commit(t, s.Store, "u1", contract.Commit{Version: v, Data: []byte("third"), Idempotent: true})
	if !res.Committed {
		t.Fatalf("retry after a conflict = %+v, want committed", res)
	}

	res = commit(t, s.Store, "nobody", contract.Commit{Version: 7, Data: []byte("x")})
	if !res.Conflict || !sameRecord(res.Current, contract.Record{}) {
		t.Fatalf("commit from version 7 on a missing user = %+v, want a conflict with a zero Current", res)
	}
}

// testRunTwice is a batch resent after a dropped connection: the same
// commit arrives again. The second run must write nothing and show the
// first run's state, from which the caller sees its message answered.
func testRunTwice(t *testing.T, s Subject) {
	v := committed(t, s.Store, "u1", contract.Commit{Data: []byte("s1")})
	c := contract.Commit{Version: v, Data: []byte("s2 answers m1"), Idempotent: true}
	v2 := committed(t, s.Store, "u1", c)
	res := commit(t, s.Store, "u1", c)
	want := contract.Record{Version: v2, Data: []byte("s2 answers m1")}
	if !res.Conflict || !sameRecord(res.Current, want) {
		t.Fatalf("the same commit again = %+v, want a conflict showing {%d %q}", res, want.Version, want.Data)
	}
	if rec := load(t, s.Store, "u1"); !sameRecord(rec, want) {
		t.Fatalf("the second run wrote: Load = {%d %q}", rec.Version, rec.Data)
	}
}

func testNilDataDeletes(t *testing.T, s Subject) {
	v := committed(t, s.Store, "u1", contract.Commit{Data: []byte("a"), StateTTL: time.Hour})
	if got := committed(t, s.Store, "u1", contract.Commit{Version: v, Data: nil}); got != 0 {
		t.Fatalf("deleting commit gave version %d, want 0 (what Load now returns)", got)
	}
	if rec := load(t, s.Store, "u1"); !sameRecord(rec, contract.Record{}) {
		t.Fatalf("Load after a deleting commit = {%d %q}, want zero", rec.Version, rec.Data)
	}
	if v := committed(t, s.Store, "u1", contract.Commit{Version: 0, Data: []byte("b")}); v == 0 {
		t.Fatal("recreating a deleted state gave version 0")
	}
	// Deleting what is not there is a commit too.
	if res := commit(t, s.Store, "u2", contract.Commit{Version: 0, Data: nil}); !res.Committed {
		t.Fatalf("deleting a missing state = %+v, want committed", res)
	}
}

func testEmptyDataIsState(t *testing.T, s Subject) {
	v := committed(t, s.Store, "u1", contract.Commit{Data: []byte{}})
	rec := load(t, s.Store, "u1")
	if v == 0 || rec.Version != v || len(rec.Data) != 0 {
		t.Fatalf("empty non-nil Data: commit version %d, Load {%d %q}; want a stored, empty state", v, rec.Version, rec.Data)
	}
}

func testDelete(t *testing.T, s Subject) {
	committed(t, s.Store, "u1", contract.Commit{Data: []byte("a"), StateTTL: time.Hour})
	committed(t, s.Store, "u2", contract.Commit{Data: []byte("b")})
	if err := s.Store.Delete(context.Background(), "u1"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if rec := load(t, s.Store, "u1"); !sameRecord(rec, contract.Record{}) {
		t.Fatalf("Load after Delete = {%d %q}, want zero", rec.Version, rec.Data)
	}
	if rec := load(t, s.Store, "u2"); string(rec.Data) != "b" {
		t.Fatalf("Delete of u1 touched u2: %q", rec.Data)
	}
	if err := s.Store.Delete(context.Background(), "never-seen"); err != nil {
		t.Fatalf("Delete of a missing user: %v", err)
	}
}

func testCopiesBytes(t *testing.T, s Subject) {
	data := []byte("state")
	committed(t, s.Store, "u1", contract.Commit{Data: data})
	data[0] = 'X'
	rec := load(t, s.Store, "u1")
	if string(rec.Data) != "state" {
		t.Fatalf("changing the committed slice changed the store: %q", rec.Data)
	}
	rec.Data[0] = 'Y'
	if again := load(t, s.Store, "u1"); string(again.Data) != "state" {
		t.Fatalf("changing a loaded slice changed the store: %q", again.Data)
	}
	res := commit(t, s.Store, "u1", contract.Commit{Version: rec.Version - 1, Data: []byte("x")})
	res.Current.Data[0] = 'Z'
	if again := load(t, s.Store, "u1"); string(again.Data) != "state" {
		t.Fatalf("changing a conflict's Current changed the store: %q", again.Data)
	}
}

func testUserIsolation(t *testing.T, s Subject) {
	v1 := committed(t, s.Store, "u1", contract.Commit{Data: []byte("one")})
	v2 := committed(t, s.Store, "u2", contract.Commit{Data: []byte("two")})
	v1 = committed(t, s.Store, "u1", contract.Commit{Version: v1, Data: []byte("one again")})
	if rec := load(t, s.Store, "u2"); !sameRecord(rec, contract.Record{Version: v2, Data: []byte("two")}) {
		t.Fatalf("u2 = {%d %q} after u1 committed, want {%d \"two\"}", rec.Version, rec.Data, v2)
	}
	if rec := load(t, s.Store, "u1"); !sameRecord(rec, contract.Record{Version: v1, Data: []byte("one again")}) {
		t.Fatalf("u1 = {%d %q}, want {%d \"one again\"}", rec.Version, rec.Data, v1)
	}
	// Similar ids must not share keys.
	for _, u := range []string{"u", "u1x", "U1", "u1:s", "u1:m"} {
		if rec := load(t, s.Store, u); !sameRecord(rec, contract.Record{}) {
			t.Fatalf("user %q sees state {%d %q}", u, rec.Version, rec.Data)
		}
	}
}

func testPing(t *testing.T, s Subject) {
	if err := s.Store.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testStateTTL(t *testing.T, s Subject) {
	const ttl = 30 * time.Minute
	v := committed(t, s.Store, "u1", contract.Commit{Data: []byte("a"), StateTTL: ttl})
	committed(t, s.Store, "forever", contract.Commit{Data: []byte("f"), StateTTL: 0})

	s.Advance(ttl - time.Minute)
	if rec := load(t, s.Store, "u1"); rec.Version != v {
		t.Fatalf("state gone %v before its TTL", time.Minute)
	}
	// A commit renews the TTL.
	v = committed(t, s.Store, "u1", contract.Commit{Version: v, Data: []byte("b"), StateTTL: ttl})
	s.Advance(ttl - time.Minute)
	if rec := load(t, s.Store, "u1"); rec.Version != v {
		t.Fatal("a commit did not renew the state's TTL")
	}
	s.Advance(2 * time.Minute)
	if rec := load(t, s.Store, "u1"); !sameRecord(rec, contract.Record{}) {
		t.Fatalf("state {%d %q} still there after its TTL", rec.Version, rec.Data)
	}
	if res := commit(t, s.Store, "u1", contract.Commit{Version: v, Data: []byte("c")}); !res.Conflict || !sameRecord(res.Current, contract.Record{}) {
		t.Fatalf("commit on an expired state = %+v, want a conflict with a zero Current", res)
	}
	if res := commit(t, s.Store, "u1", contract.Commit{Version: 0, Data: []byte("c")}); !res.Committed {
		t.Fatalf("commit from 0 on an expired state = %+v, want committed", res)
	}

	s.Advance(1000 * time.Hour)
	if rec := load(t, s.Store, "forever"); string(rec.Data) != "f" {
		t.Fatal("a state with StateTTL 0 expired")
	}
}

// testConcurrentCommits has many goroutines add one to a counter of one
// user at once, each retrying on conflict as the bot does. Every increment
// must be in the final count; a store whose Commit is not atomic loses some.
func testConcurrentCommits(t *testing.T, s Subject) {
	const workers = 50
	users := []string{"busy-a", "busy-b", "busy-c"}
	var wg sync.WaitGroup
	start := make(chan struct{}) // released at once, for the most overlap
	errs := make(chan error, workers*len(users))
	for _, user := range users {
		for i := range workers {
			wg.Go(func() {
				<-start
				if err := increment(s.Store, user); err != nil {
					errs <- fmt.Errorf("%s worker %d: %w", user, i, err)
				}
			})
		}
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, user := range users {
		if rec := load(t, s.Store, user); string(rec.Data) != strconv.Itoa(workers) {
			t.Errorf("%s counted %q, want %d", user, rec.Data, workers)
		}
	}
}

func increment(s contract.Store, user string) error {
	ctx := context.Background()
	rec, err := s.Load(ctx, user)
	if err != nil {
		return err
	}
	for range 10000 {
		n := 0
		if rec.Data != nil {
			if n, err = strconv.Atoi(string(rec.Data)); err != nil {
				return fmt.Errorf("stored counter %q: %w", rec.Data, err)
			}
		}
		res, err := s.Commit(ctx, user, contract.Commit{
			Version: rec.Version, Data: []byte(strconv.Itoa(n + 1)), StateTTL: time.Hour, Idempotent: true,
		})
		switch {
		case err != nil:
			return err
		case res.Committed:
			return nil
		case res.Conflict:
			rec = res.Current
		default:
			return fmt.Errorf("commit result %+v is neither committed nor a conflict", res)
		}
	}
	return fmt.Errorf("no commit after 10000 conflicts")
}

func load(t *testing.T, s contract.Store, user string) contract.Record {
	t.Helper()
	rec, err := s.Load(context.Background(), user)
	if err != nil {
		t.Fatalf("Load(%q): %v", user, err)
	}
	return rec
}

func commit(t *testing.T, s contract.Store, user string, c contract.Commit) contract.CommitResult {
	t.Helper()
	res, err := s.Commit(context.Background(), user, c)
	if err != nil {
		t.Fatalf("Commit(%q): %v", user, err)
	}
	if res.Committed == res.Conflict {
		t.Fatalf("Commit(%q) = %+v: want exactly one of committed and conflict", user, res)
	}
	return res
}

// committed commits c, which must succeed, and returns the new version.
func committed(t *testing.T, s contract.Store, user string, c contract.Commit) int64 {
	t.Helper()
	res := commit(t, s, user, c)
	if !res.Committed {
		t.Fatalf("Commit(%q, version %d) = %+v, want committed", user, c.Version, res)
	}
	return res.Version
}

func sameRecord(a, b contract.Record) bool {
	return a.Version == b.Version && bytes.Equal(a.Data, b.Data) && (a.Data == nil) == (b.Data == nil)
}
