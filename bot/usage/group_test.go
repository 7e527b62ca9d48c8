package usage_test

import (
	"testing"

	"github.com/yibao/yibao/bot/usage"
)

func TestGrouped(t *testing.T) {
	got := usage.Grouped([]usage.Count{
		{Text: "医院停车场收不收费", Count: 1},
		{Text: "今天天气怎么样", Count: 2},
		{Text: "医院的停车场收费吗", Count: 1},
		{Text: "医院的停车场要收费吗", Count: 1},
		{Text: "[inpatient 0.41] 住院押金要交好多", Count: 1},
		{Text: "[inpatient 0.38] 住院押金交多少", Count: 1},
	}, 0)
	want := []struct {
		count int64
		texts int
	}{{3, 3}, {2, 1}, {2, 2}}
	if len(got) != len(want) {
		t.Fatalf("groups %+v, want %d", got, len(want))
	}
	for i, w := range want {
		if got[i].Count != w.count || len(got[i].Texts) != w.texts {
			t.Errorf("group %d = %+v, want %d questions counted %d", i, got[i], w.texts, w.count)
		}
	}
	if top := usage.Grouped([]usage.Count{{Text: "a", Count: 1}, {Text: "b", Count: 2}}, 1); len(top) != 1 || top[0].Texts[0].Text != "b" {
		t.Errorf("top 1 = %+v", top)
	}
}
