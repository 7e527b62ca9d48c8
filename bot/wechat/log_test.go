package wechat_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/redact"
	"github.com/yibao/yibao/bot/wechat"
	"github.com/yibao/yibao/bot/wechat/wechattest"
)

func TestLogsKeepPersonalDataOut(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	b := &fakeBot{reply: func(_ context.Context, m contract.Message) (contract.Reply, error) {
		if strings.Contains(m.Text, "fail") {
			return contract.Reply{}, errors.New("store exploded")
		}
		return contract.Reply{Text: "好的", Intent: "fee"}, nil
	}}
	w, err := wechat.New(safeConfig(), b, zap.New(core), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := platformFor(safeConfig())
	secret := "我的电话13812345678，身份证500101199001011234"
	texts := []string{secret, secret + " fail", "138.1234.5678", "138/1234/5678", "138，1234，5678", "138 - 1234 - 5678 fail", "500101 19900101 12 34 fail", "一三八：一二三四：五六七八", "\u202eevil\u2066x\u009b31m"}
	for i, text := range texts {
		if _, err := p.Do(w, wechattest.Push{From: user, Type: "text", Content: text, MsgID: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	// A menu click whose key carries a number, answered after the
	// deadline so that its id is logged.
	b.reply = func(ctx context.Context, m contract.Message) (contract.Reply, error) {
		return contract.Reply{}, errors.New("store exploded")
	}
	if _, err := p.Do(w, wechattest.Push{From: user, Type: "event", Event: "CLICK", EventKey: "key_13812345678"}); err != nil {
		t.Fatal(err)
	}
	if logs.Len() < 2 {
		t.Fatalf("%d log entries, want the debug line and the error", logs.Len())
	}
	var all strings.Builder
	for _, e := range logs.All() {
		fmt.Fprintf(&all, "%s %v\n", e.Message, e.ContextMap())
	}
	for _, leak := range []string{user, "13812345678", "500101199001011234", "1234.5678", "1234/5678", "1234，5678", "1234 - 5678", "12 34", "key_", "一二三四", "\u202e", "\u2066", "\u009b"} {
		if strings.Contains(all.String(), leak) {
			t.Errorf("logs contain %q:\n%s", leak, all.String())
		}
	}
	if !strings.Contains(all.String(), redact.UserID(user)) {
		t.Errorf("logs lack the hashed user id:\n%s", all.String())
	}
	if logs.FilterMessageSnippet("bot failed").Len() == 0 {
		t.Errorf("the bot's error was not logged:\n%s", all.String())
	}
}
