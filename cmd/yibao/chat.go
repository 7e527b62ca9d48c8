package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"go.uber.org/zap"
	"golang.org/x/term"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/cmd/yibao/config"
)

func cmdChat(e env) error {
	l := config.New(config.Chat)
	user := l.FlagSet.String("user", "terminal", "user id to chat as (state is kept per user)")
	cfg, err := loadConfig(e, l)
	if err != nil {
		return err
	}
	c, err := loadContent(cfg)
	if err != nil {
		return err
	}
	log := zap.NewNop()
	ctx := context.Background()
	store, _, closeStore, err := openStore(ctx, cfg, log, e.now)
	if err != nil {
		return err
	}
	defer closeStore()
	b, err := newBot(c, store, e.now, log, bot.Config{})
	if err != nil {
		return err
	}

	interactive := false
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		interactive = true
		fmt.Fprintln(e.stdout, "医保助手（输入“你好”看菜单，Ctrl-D 退出）")
	}
	in := bufio.NewScanner(e.stdin)
	in.Buffer(make([]byte, 64*1024), 64*1024)
	for {
		if interactive {
			fmt.Fprint(e.stdout, "\n你：")
		}
		if !in.Scan() {
			break
		}
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		r, err := b.Handle(ctx, bot.Message{User: *user, Kind: bot.KindText, Text: line, Time: e.now()})
		cancel()
		if err != nil {
			return fmt.Errorf("handle %q: %w", line, err)
		}
		if r.Degraded {
			fmt.Fprintln(e.stderr, "(dialog store unavailable: answered without state)")
		}
		if interactive {
			fmt.Fprintf(e.stdout, "\n医保助手：\n%s\n", r.Text)
		} else {
			fmt.Fprintf(e.stdout, "> %s\n%s\n\n", line, r.Text)
		}
	}
	if err := in.Err(); err != nil {
		return fmt.Errorf("read messages: %w", err)
	}
	return nil
}
