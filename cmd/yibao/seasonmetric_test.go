package main

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/yibao/yibao/engine"
)

// The gauge an alert watches: in December 2026 the year being enrolled
// (2027) has no contribution at all, and 2026's comes from a town plan,
// not the city's notice.
func TestSeasonGauge(t *testing.T) {
	b, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 12, 5, 10, 0, 0, 0, chongqing) }
	c := newSeasonCollector(func() *engine.Book { return b }, now)
	want := `
# HELP yibao_policy_year_unconfirmed 1 when the benefit year in force or being enrolled (role) has no contribution confirmed by the city's notice.
# TYPE yibao_policy_year_unconfirmed gauge
yibao_policy_year_unconfirmed{role="enrolling",year="2027"} 1
yibao_policy_year_unconfirmed{role="in_force",year="2026"} 1
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}
