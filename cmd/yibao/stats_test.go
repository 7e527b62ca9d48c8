package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/yibao/yibao/bot/wechat/wechattest"
)

// TestStatsFromServe runs serve with Redis, sends it what users send (and
// a forged push), and reads the counts back with `yibao stats`. miniredis
// always: the counts are exact only in a Redis of the test's own (the
// recorder and reader are tested on the real Redis in bot/usage).
func TestStatsFromServe(t *testing.T) {
	redisURL := "redis://" + miniredis.RunT(t).Addr()
	p := &wechattest.Platform{Token: "stats-token", AppID: "wx1234567890abcdef", AESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	srv := startServe(t, map[string]string{
		"WECHAT_TOKEN": p.Token, "WECHAT_APPID": p.AppID, "WECHAT_AES_KEY": p.AESKey, "REDIS_URL": redisURL,
	}, "-drain", "100ms")
	send := func(req *http.Request) int { return sendTo(t, srv.Addr(), req) }
	unknown := "今天天气怎么样呀 手机13812345678"
	for i, text := range []string{"咨询电话", unknown, unknown, "交多少钱"} {
		send(p.Request(wechattest.Push{From: "o_stats", Type: "text", Content: text, MsgID: int64(100 + i)}))
	}
	send(p.Request(wechattest.Push{From: "o_stats", Type: "text", Content: "咨询电话", MsgID: 100})) // a retry: not counted again
	forged := p.Request(wechattest.Push{From: "o_stats", Type: "text", Content: "x", MsgID: 200})
	wechattest.SetQuery(forged, "msg_signature", strings.Repeat("0", 40))
	if code := send(forged); code != http.StatusForbidden {
		t.Fatalf("forged push: %d", code)
	}

	env := map[string]string{"REDIS_URL": redisURL}
	var rep struct {
		Total   struct{ Messages, Unknown, Rejected int64 }
		Unknown []struct {
			Text  string
			Count int64
		}
		Intents []struct {
			Text  string
			Count int64
		}
	}
	// The counts are written off the reply path: wait for them.
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, out, errOut := runCLIAt(t, time.Now(), env, "stats", "--json", "--since", "1d")
		if code != 0 {
			t.Fatalf("stats: exit %d: %s", code, errOut)
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if rep.Total.Messages >= 4 && rep.Total.Rejected >= 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if rep.Total.Messages != 4 || rep.Total.Unknown != 2 || rep.Total.Rejected != 1 {
		t.Errorf("totals %+v; want 4 messages, 2 not understood, 1 rejected", rep.Total)
	}
	if len(rep.Unknown) != 1 || rep.Unknown[0].Count != 2 || strings.Contains(rep.Unknown[0].Text, "13812345678") || !strings.Contains(rep.Unknown[0].Text, "天气") {
		t.Errorf("not understood %+v: want the question once, counted twice, its phone number masked", rep.Unknown)
	}
	if len(rep.Intents) == 0 || rep.Intents[0].Text != "unknown" {
		t.Errorf("intents %+v", rep.Intents)
	}

	// The text report names the same.
	code, out, _ := runCLIAt(t, time.Now(), env, "stats", "--since", "2d")
	if code != 0 || !strings.Contains(out, "138****5678") || !strings.Contains(out, "total") {
		t.Errorf("stats: exit %d\n%s", code, out)
	}
}

func TestStatsUsage(t *testing.T) {
	tests := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"stats"}, "REDIS_URL"},
		{map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0"}, []string{"stats", "--since", "week"}, "--since"},
		{map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0"}, []string{"stats", "--top", "0"}, "--top"},
	}
	for _, tt := range tests {
		if code, _, errOut := runCLI(t, tt.env, tt.args...); code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
	for in, want := range map[string]int{"7d": 7, "1d": 1, "36h": 2, "24h": 1, "30m": 1} {
		if got, err := parseDays(in); err != nil || got != want {
			t.Errorf("parseDays(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

// TestStatsGroupsAScriptedDay: a day of messages through serve, then the
// operator's view: questions not understood grouped by likeness (most
// first), a complaint counted against the topic shown and the question it
// answered, and -explain's reading under each group.
func TestStatsGroupsAScriptedDay(t *testing.T) {
	redisURL := "redis://" + miniredis.RunT(t).Addr()
	p := &wechattest.Platform{Token: "stats-token", AppID: "wx1234567890abcdef", AESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	srv := startServe(t, map[string]string{
		"WECHAT_TOKEN": p.Token, "WECHAT_APPID": p.AppID, "WECHAT_AES_KEY": p.AESKey, "REDIS_URL": redisURL,
	}, "-drain", "100ms")
	id := int64(1000)
	say := func(user, text string) {
		t.Helper()
		id++
		sendTo(t, srv.Addr(), p.Request(wechattest.Push{From: user, Type: "text", Content: text, MsgID: id}))
	}
	day := [][2]string{
		{"o_a", "今天天气怎么样"}, {"o_b", "明天天气怎么样"}, {"o_c", "后天天气怎么样呢"},
		{"o_d", "给我讲个笑话"},
		{"o_e", "住院怎么报销"}, {"o_e", "答非所问"},
		{"o_f", "住院5万能报多少"},
	}
	for _, m := range day {
		say(m[0], m[1])
	}
	env := map[string]string{"REDIS_URL": redisURL}
	var out string
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, o, errOut := runCLIAt(t, time.Now(), env, "stats", "--since", "1d", "-explain")
		if code != 0 {
			t.Fatalf("stats: exit %d: %s", code, errOut)
		}
		out = o
		if strings.Contains(out, "[inpatient] 住院怎么报销") || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("yibao stats -explain:\n%s", out)
	for _, want := range []string{
		"     3  今天天气怎么样",            // the three weather questions, one group, first
		"     1  [inpatient] 住院怎么报销", // the complaint, against the topic and question
		"-> now read as",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stats output lacks %q", want)
		}
	}
	if strings.Index(out, "天气") > strings.Index(out, "笑话") {
		t.Errorf("the larger group should come first:\n%s", out)
	}
}

// sendTo sends a push to the server at addr and returns its status.
func sendTo(t *testing.T, addr string, req *http.Request) int {
	t.Helper()
	req.URL.Scheme, req.URL.Host, req.RequestURI = "http", addr, ""
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
