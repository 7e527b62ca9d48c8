package engine_test

import (
	"testing"
	"time"

	"github.com/yibao/yibao/engine"
)

func BenchmarkInpatient(b *testing.B) {
	s := year(b, 2025)
	in := engine.InpatientInput{Tier: 1, Level: 3, Minor: true, Cost: engine.Yuan(200000), PriorSelfPay: engine.Yuan(3000)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.EstimateInpatient(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOutpatient(b *testing.B) {
	s := year(b, 2025)
	in := engine.OutpatientInput{Tier: 2, Level: 2, Cost: engine.Yuan(700)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.EstimateOutpatient(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBenefitStart(b *testing.B) {
	book := mustBook(b)
	paid := time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		book.BenefitStart(paid)
	}
}

func BenchmarkContribution(b *testing.B) {
	book := mustBook(b)
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		s, err := book.ForDate(now)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Contribution(engine.Tier2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAdviseTiers is the tier comparison of a year as callers get it:
// worked out once per policy (three levels, about 1,100 calculator runs,
// 2.4-4.7 ms), then copied.
func BenchmarkAdviseTiers(b *testing.B) {
	s := year(b, 2025)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.AdviseTiers(false); err != nil {
			b.Fatal(err)
		}
	}
}
