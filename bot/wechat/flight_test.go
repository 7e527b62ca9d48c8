package wechat

import (
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
