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
		// Polarity (issue 17): years of paying are no break.
		{"我连续交了5年", 0},
		{"我连续交了5年断保了要等多久才能报", 0},
		{"每年都交了一直没断", 0},
		{"一直在交十年了", 0},
		{"参保5年了", 0},
		{"交了5年中间断了2年", 2},
		{"两年没买医保了", 2},
		{"断了有两年", 2},
		{"没交两年了", 2},
	} {
		if got := m.BreakYears(tt.in); got != tt.want {
			t.Errorf("BreakYears(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestPeople(t *testing.T) {
	m, err := intents.New(intents.DefaultCatalogue())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text string
		want int
	}{
		{"我们屋头4个人都交一档 2026年度一共好多钱", 4},
		{"一家三口都交二档 按2026年的标准要好多", 3},
		{"两口子都交二档要好多钱", 2},
		{"全家五口人交医保一共多少", 5},
		{"我们三个都交一档", 3},
		{"住院三个月花了5万", 0},
		{"二档交多少钱", 0},
		{"交了12年了", 0},
		{"一个人交多少", 0},
		{"第3个", 0},
	} {
		if got := m.People(intents.Normalize(tt.text)); got != tt.want {
			t.Errorf("People(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}
