package engine_test

import (
	"testing"
	"time"

	"github.com/yibao/yibao/engine"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestBenefitStart(t *testing.T) {
	b := mustBook(t)
	tests := []struct {
		paid  string
		known bool
		start string
		rule  engine.StartRule
	}{
		{"2024-09-12", false, "", engine.StartUnknown},
		{"2024-09-13", true, "2025-01-01", engine.StartEnrolment},
		{"2024-11-20", true, "2025-01-01", engine.StartEnrolment},
		{"2024-12-31", true, "2025-01-01", engine.StartEnrolment},
		{"2025-01-01", true, "2025-02-01", engine.StartLate},
		{"2025-01-31", true, "2025-02-01", engine.StartLate},
		{"2025-02-01", true, "2025-03-01", engine.StartLate},
		{"2025-02-28", true, "2025-03-01", engine.StartLate},
		{"2025-03-01", false, "", engine.StartUnknown},
		{"2026-11-23", false, "", engine.StartUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.paid, func(t *testing.T) {
			r := b.BenefitStart(day(tt.paid))
			if r.Known != tt.known || r.Rule != tt.rule {
				t.Fatalf("known %v rule %s, want %v %s (%s)", r.Known, r.Rule, tt.known, tt.rule, r.Gap)
			}
			if tt.known && r.Start.Format(time.DateOnly) != tt.start {
				t.Errorf("start %s, want %s", r.Start.Format(time.DateOnly), tt.start)
			}
			if !tt.known && r.Gap == "" {
				t.Error("unknown start without a reason")
			}
			if r.Year != 2025 {
				t.Errorf("year %d, want 2025", r.Year)
			}
		})
	}
	// A payment late in the evening in China is still that day.
	cst := time.FixedZone("CST", 8*3600)
	if r := b.BenefitStart(time.Date(2025, 2, 28, 23, 59, 0, 0, cst)); !r.Known || r.Start.Format(time.DateOnly) != "2025-03-01" {
		t.Errorf("late evening 28 Feb in CST: %+v", r)
	}
}

func TestYearSelection(t *testing.T) {
	b := mustBook(t)
	tests := []struct {
		day      string
		year     int
		fallback bool
	}{
		{"2025-06-01", 2025, false},
		{"2025-01-01", 2025, false},
		{"2026-11-23", 2025, true},
		{"2030-01-01", 2025, true},
	}
	for _, tt := range tests {
		s, err := b.ForDate(day(tt.day))
		if err != nil {
			t.Fatalf("%s: %v", tt.day, err)
		}
		if s.Year != tt.year || s.Fallback != tt.fallback {
			t.Errorf("%s: year %d fallback %v, want %d %v", tt.day, s.Year, s.Fallback, tt.year, tt.fallback)
		}
	}
	if _, err := b.ForDate(day("2020-05-05")); err == nil {
		t.Error("2020: want an error, the book starts in 2025")
	}
	if got := b.Newest().SeasonOf(day("2026-11-23")); got != engine.SeasonClosed {
		t.Errorf("season today = %s", got)
	}
	if got := b.Newest().SeasonOf(day("2024-10-01")); got != engine.SeasonEnrolment {
		t.Errorf("season 2024-10-01 = %s", got)
	}
}

func TestOperatorYearOverridesAndAdds(t *testing.T) {
	dir := t.TempDir()
	ps, err := engine.DefaultPolicies()
	if err != nil {
		t.Fatal(err)
	}
	writePolicy(t, dir, "2026.yaml", "year: 2025", "year: 2026",
		"start: 2025-01-01\n  end: 2025-12-31", "start: 2026-01-01\n  end: 2026-12-31",
		"start: 2024-09-13\n  end: 2024-12-31\n  benefits_from: 2025-01-01", "start: 2025-09-01\n  end: 2025-12-31\n  benefits_from: 2026-01-01",
		"start: 2025-01-01\n  end: 2025-02-28", "start: 2026-01-01\n  end: 2026-02-28",
		"tier1: 400", "tier1: 380")
	b, err := engine.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Embedded partial years (only a contribution known) are not among
	// Years, which lists the complete ones.
	if len(ps) == 0 || len(b.Years()) != 2 {
		t.Fatalf("years %v", b.Years())
	}
	s, err := b.ForDate(day("2026-11-23"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Contribution(engine.Tier1)
	if s.Year != 2026 || s.Fallback || got.String() != "380.00" {
		t.Errorf("2026: year %d fallback %v tier1 %s", s.Year, s.Fallback, got)
	}
	if r := b.BenefitStart(day("2026-02-10")); !r.Known || r.Year != 2026 || r.Start.Format(time.DateOnly) != "2026-03-01" {
		t.Errorf("2026 late payment: %+v", r)
	}
}
