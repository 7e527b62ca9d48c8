package engine_test

import (
	"testing"
	"time"

	"github.com/yibao/yibao/engine"
)

func TestSeason(t *testing.T) {
	b, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		day                string
		inForce, enrolling int
		phase              engine.Season
		known              bool
	}{
		{"2024-10-08", 2024, 2025, engine.SeasonEnrolment, true},
		{"2025-01-20", 2025, 2025, engine.SeasonLate, true},
		{"2025-03-10", 2025, 2026, engine.SeasonBefore, false},
		{"2025-10-20", 2025, 2026, engine.SeasonEnrolment, false}, // 2026's dates were not found
		{"2026-03-10", 2026, 2027, engine.SeasonBefore, false},
		{"2026-12-05", 2026, 2027, engine.SeasonEnrolment, false},
		{"2026-12-31", 2026, 2027, engine.SeasonEnrolment, false},
		{"2027-01-05", 2027, 2027, engine.SeasonLate, false},
	}
	for _, tt := range tests {
		d, _ := time.Parse(time.DateOnly, tt.day)
		s := b.Season(d)
		if s.InForce != tt.inForce || s.Enrolling != tt.enrolling || s.Phase != tt.phase || s.WindowsKnown != tt.known {
			t.Errorf("%s: in force %d, enrolling %d, %s, known %v; want %d, %d, %s, %v",
				tt.day, s.InForce, s.Enrolling, s.Phase, s.WindowsKnown, tt.inForce, tt.enrolling, tt.phase, tt.known)
		}
	}
}

func TestSeasonYears(t *testing.T) {
	b, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	ys := b.SeasonYears(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	if len(ys) != 2 || ys[0] != (engine.YearStatus{Year: 2026, Role: "in_force", Status: engine.StatusOfficialLocal}) ||
		ys[1] != (engine.YearStatus{Year: 2027, Role: "enrolling", Status: engine.StatusUnknown}) {
		t.Errorf("%+v", ys)
	}
	if ys[0].Confirmed() || ys[1].Confirmed() {
		t.Error("neither 2026 (a town plan citing the notice) nor 2027 (nothing) is confirmed by the city's notice")
	}
}
