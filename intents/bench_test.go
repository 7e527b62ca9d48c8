package intents_test

import (
	"sync"
	"testing"

	"github.com/yibao/yibao/intents"
)

// typical are messages as residents send them, for the benchmarks.
var typical = []string{
	"住院5万能报多少", "二档三甲", "孩子在乡镇卫生院看病", "今年交多少钱", "帮我妈交医保",
	"医保报消", "二档 住院 三级 8万", "你好", "在哪交", "什么时候截止", "查缴费记录",
	"没有查询到有效的登记信息", "门诊花了200报多少", "异地就医怎么报", "大病保险",
	"灵活就业人员怎么参保", "医保咨询电话", "10万", "谢谢", "取消", "今天天气怎么样",
	"2025年1月15日住院花了3万", "我儿子8岁住院花了2万",
}

func BenchmarkMatch(b *testing.B) {
	m := newMatcher(b)
	now := testNow(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Match(typical[i%len(typical)], now)
	}
}

func BenchmarkExtract(b *testing.B) {
	m := newMatcher(b)
	now := testNow(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Extract(typical[i%len(typical)], now)
	}
}

func BenchmarkNew(b *testing.B) {
	c := intents.DefaultCatalogue()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := intents.New(c); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentMatch shares one Matcher between goroutines; run with
// -race it shows Match does not write shared state.
func TestConcurrentMatch(t *testing.T) {
	m := newMatcher(t)
	now := testNow(t)
	want := make([]intents.Intent, len(typical))
	for i, s := range typical {
		want[i] = m.Match(s, now).Intent
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (g + i) % len(typical)
				if got := m.Match(typical[k], now).Intent; got != want[k] {
					t.Errorf("Match(%q) = %s concurrently, %s alone", typical[k], got, want[k])
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkPredict(b *testing.B) {
	c := intents.Train(intents.DefaultCatalogue().TrainingSet())
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.Predict(typical[i%len(typical)])
	}
}
