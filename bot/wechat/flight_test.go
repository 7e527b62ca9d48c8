package wechat

import (
	"golang.org/x/sync/singleflight"
	"sync"
	"testing"

	"github.com/yibao/yibao/bot/contract"
)

func TestFlightsShareAndForget(t *testing.T) {
	var f flights
	first, leader := f.join("m:u:1")
	if !leader {
		t.Fatal("first caller must lead")
	}
	var wg sync.WaitGroup
	got := make([]string, 5)
	for i := range got {
		fl, leads := f.join("m:u:1")
		if leads || fl != first {
			t.Fatal("a retry must join the flight in progress")
		}
		wg.Go(func() { <-fl.done; got[i] = fl.reply.Text })
	}
	if other, leads := f.join("m:u:2"); !leads || other == first {
		t.Fatal("another message must get its own flight")
	} else {
		f.finish("m:u:2", other, contract.Reply{}, nil)
	}
	f.finish("m:u:1", first, contract.Reply{Text: "same"}, nil)
	wg.Wait()
	for i, text := range got {
		if text != "same" {
			t.Errorf("waiter %d got %q", i, text)
		}
	}
	if n := f.inFlight(); n != 0 {
		t.Fatalf("%d flights left after all finished", n)
	}
	if _, leads := f.join(""); !leads || f.inFlight() != 0 {
		t.Fatal("an empty ID is never shared nor kept")
	}
}

// BenchmarkFlights is one message's join and finish, as ask and run do.
// BenchmarkSingleflightDoChan is golang.org/x/sync/singleflight doing the
// same: DoChan starts a goroutine of its own per call (the bot already
// runs on a reused worker), and only tells who led once the call is over,
// while ask needs it at once (the in-flight duplicate count, the timeout
// log). These two are why flights stays.
func BenchmarkFlights(b *testing.B) {
	var f flights
	b.ReportAllocs()
	for b.Loop() {
		fl, _ := f.join("m:o-user:1")
		f.finish("m:o-user:1", fl, contract.Reply{Text: "ok"}, nil)
		<-fl.done
	}
}

func BenchmarkSingleflightDoChan(b *testing.B) {
	var g singleflight.Group
	b.ReportAllocs()
	for b.Loop() {
		<-g.DoChan("m:o-user:1", func() (any, error) { return contract.Reply{Text: "ok"}, nil })
	}
}
