package engine_test

import (
	"reflect"
	"testing"

	"github.com/yibao/yibao/engine"
)

// TestAdviseTiersOncePerLoad: the tier comparison depends only on the
// year's data and minor, so after the first answer it costs no more than
// copying it (it took ~1,100 calculator runs each time: issue 21, finding
// 2), and a fallback year's answer still names the year asked.
func TestAdviseTiersOncePerLoad(t *testing.T) {
	book, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := book.ForYear(2025)
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.AdviseTiers(true)
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := s.AdviseTiers(true); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 50 {
		t.Errorf("AdviseTiers allocates %.0f times a call after the first: worked out again", allocs)
	}
	again, _ := s.AdviseTiers(true)
	if !reflect.DeepEqual(first, again) {
		t.Errorf("the shared answer differs from the first:\n%+v\n%+v", first, again)
	}
	// The year asked is the caller's, not the first caller's.
	later, err := book.ForYear(2031)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := later.AdviseTiers(true)
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := engine.Load("")
	freshSel, _ := fresh.ForYear(2031)
	want, _ := freshSel.AdviseTiers(true)
	if fb.AskedYear != 2031 || !fb.Fallback || !reflect.DeepEqual(fb, want) {
		t.Errorf("fallback year: %+v, want %+v", fb, want)
	}
}
