package main

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

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
	reg := prometheus.NewRegistry()
	reg.MustRegister(newSeasonCollector(func() *engine.Book { return b }, now))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "yibao_policy_year_unconfirmed" {
			continue
		}
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, lp := range m.GetLabel() {
				l[lp.GetName()] = lp.GetValue()
			}
			got[l["year"]+"/"+l["role"]] = m.GetGauge().GetValue()
		}
	}
	want := map[string]float64{"2027/enrolling": 1, "2026/in_force": 1}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
}
