package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/bot/wechat"
	"github.com/yibao/yibao/bot/wechat/wechattest"
	"github.com/yibao/yibao/cmd/yibao/config"
)

// slowCommit is a store whose first commit takes hold, as a Redis under
// pressure might, holding the user's turn.
type slowCommit struct {
	*memstore.Store
	hold    time.Duration
	started chan struct{} // closed when the slow commit begins
	once    sync.Once
}

func (s *slowCommit) Commit(ctx context.Context, user string, c contract.Commit) (contract.CommitResult, error) {
	s.once.Do(func() {
		close(s.started)
		time.Sleep(s.hold)
	})
	return s.Store.Commit(ctx, user, c)
}

// TestApologyMeansNotCommitted: when the webhook answers "请再发一次"
// because the bot missed the deadline, the step must not be committed
// afterwards, or the user's next message lands on a step they were told
// did not happen.
func TestApologyMeansNotCommitted(t *testing.T) {
	c, err := loadContent(&config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	const user = "o_deadline"
	mem := memstore.New(nil)
	store := &slowCommit{Store: mem, hold: 600 * time.Millisecond, started: make(chan struct{})}
	b, err := newBot(c, store, nil, zap.NewNop(), bot.Config{})
	if err != nil {
		t.Fatal(err)
	}
	p := &wechattest.Platform{Token: "t"}
	hook, err := wechat.New(wechat.Config{Token: p.Token, Deadline: 200 * time.Millisecond}, b, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan struct{})
	go func() {
		defer close(first)
		p.Do(hook, wechattest.Push{From: user, Type: "text", Content: "你好", MsgID: 1})
	}()
	<-store.started // the first message holds the user's turn
	r, err := p.Do(hook, wechattest.Push{From: user, Type: "text", Content: "住院能报多少", MsgID: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The waiting message gives up at its own deadline: the apology, or
	// (since the wait is for the user's turn, not the store) an answer
	// made without state, which moves nothing either.
	if r.Content != wechat.TimeoutText && !strings.Contains(r.Content, "暂时不可用") {
		t.Fatalf("want the apology or a stateless answer, got %q", r.Content)
	}
	<-first
	time.Sleep(700 * time.Millisecond) // anything still running has finished
	// The session remembers the messages it took: the bot, asked again
	// for message 2, must not find it answered.
	res, err := b.Handle(context.Background(), bot.Message{User: user, ID: "m:" + user + ":2", Kind: bot.KindText, Text: "住院能报多少"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Duplicate {
		t.Errorf("the step apologised for was committed afterwards (reply %.40q)", res.Text)
	}
}
