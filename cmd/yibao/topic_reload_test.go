package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.yaml.in/yaml/v3"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/replies"
)

// TestTopicAddedAsData: an operator adds a topic with data alone (a
// catalogue entry with its examples, and a guide of the same name), sends
// SIGHUP, and the bot answers the topic's own examples and other wordings
// of it, with no programmer involved.
func TestTopicAddedAsData(t *testing.T) {
	dir := t.TempDir()
	catFile, guidesFile := filepath.Join(dir, "catalogue.yaml"), filepath.Join(dir, "guides.yaml")
	write := func(path string, data []byte) {
		t.Helper()
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(catFile, intents.DefaultCatalogueYAML())
	write(guidesFile, replies.DefaultGuidesYAML())

	r, reg := startReloader(t, &config.Config{IntentsFile: catFile, GuidesFile: guidesFile})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.reloadOnHangup(ctx)

	ask := func(user, text string) string {
		t.Helper()
		rep, err := r.live.Handle(context.Background(), bot.Message{User: user, Kind: bot.KindText, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Text
	}
	const heading = "【医保服务大厅办公时间】"
	examples := []string{
		"医保服务大厅几点上班", "医保局周六上班吗", "医保大厅中午休息吗", "医保窗口几点下班",
		"周末能去医保大厅办业务吗", "医保经办大厅的办公时间", "节假日医保服务中心开门没", "医保中心早上几点开门",
	}
	others := []string{"医保大厅礼拜天开不开门", "去医保局办事要几点前到"}
	if got := ask("before", examples[0]); strings.Contains(got, heading) {
		t.Fatalf("the topic is answered before it is added: %q", got)
	}

	// The operator's edit: one catalogue entry, one guide.
	cat := intents.DefaultCatalogue()
	cat.Entries = append(cat.Entries, intents.IntentSpec{
		Name: "office_hours", Title: "办公时间", Keywords: []string{"办公时间", "几点上班", "几点下班"}, Examples: examples,
	})
	data, err := yaml.Marshal(cat)
	if err != nil {
		t.Fatal(err)
	}
	write(catFile, data)
	guide := "guides:\n  office_hours:\n    text: |\n      " + heading + "\n      各区县医保经办大厅的办公时间不同，请拨打{{template \"phones\" .}}问清楚再去。\n\n"
	write(guidesFile, []byte(strings.Replace(string(replies.DefaultGuidesYAML()), "guides:\n", guide, 1)))
	if code, out, errOut := runCLI(t, map[string]string{"YIBAO_INTENTS": catFile, "YIBAO_GUIDES": guidesFile}, "check"); code != 0 {
		t.Fatalf("check refuses the operator's files (exit %d):\n%s%s", code, out, errOut)
	}

	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for counterValueOr(reg, "yibao_reloads_total", "ok") < 1 {
		if time.Now().After(deadline) {
			t.Fatal("SIGHUP did not reload the data")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for i, text := range examples {
		if got := ask(fmt.Sprint("after", i), text); !strings.Contains(got, heading) {
			t.Errorf("%q after the reload: %q", text, got)
		}
	}
	// Wordings it was not given are answered, or the topic is offered by
	// name: never another topic's guide.
	for i, text := range others {
		if got := ask(fmt.Sprint("other", i), text); !strings.Contains(got, heading) && !strings.Contains(got, "回复 1 办公时间") {
			t.Errorf("%q after the reload: %q", text, got)
		}
	}
}

// counterValueOr reads one series of a counter, 0 when absent.
func counterValueOr(reg *prometheus.Registry, name, label string) float64 {
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if len(m.GetLabel()) == 1 && m.GetLabel()[0].GetValue() == label {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
