package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/cmd/yibao/config"
)

// TestMenuKeyNotLoggedRaw: a CLICK key is the sender's to fill; the bot's
// warning about an unknown key must not carry a number in it.
func TestMenuKeyNotLoggedRaw(t *testing.T) {
	c, err := loadContent(&config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zapcore.DebugLevel)
	b, err := newBot(c, memstore.New(nil), nil, zap.New(core), bot.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Handle(context.Background(), bot.Message{User: "o_menu", Kind: bot.KindMenu, Key: "k_138.1234.5678"}); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, e := range logs.All() {
		fmt.Fprintf(&all, "%s %v\n", e.Message, e.ContextMap())
	}
	if logs.Len() == 0 || strings.Contains(all.String(), "1234.5678") {
		t.Errorf("logs:\n%s", all.String())
	}
}
