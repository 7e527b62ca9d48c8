package intents_test

import (
	"testing"

	"github.com/yibao/yibao/intents"
)

func TestBreakYears(t *testing.T) {
	m, err := intents.New(intents.DefaultCatalogue())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"断保两年了现在交什么时候能用", 2},
		{"3年没交了", 3},
		{"去年没交今年还能交吗", 1},
		{"断缴十年", 10},
		{"停交了十二年", 12},
		{"断缴了还能交吗", 0},
		{"2023年断的", 0},
	} {
		if got := m.BreakYears(tt.in); got != tt.want {
			t.Errorf("BreakYears(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
