package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/yibao/yibao/bot/wechat/accesstoken"
	"github.com/yibao/yibao/cmd/yibao/config"
)

// menuCreatePath is the platform's custom-menu API.
const menuCreatePath = "/cgi-bin/menu/create"

// cmdMenuPush validates the menu and sends it to the platform with the
// access token the serving replicas share (through Redis), so pushing a
// menu never cancels the token they use.
func cmdMenuPush(e env) error {
	l := config.New(config.Menu)
	fs := l.FlagSet
	fs.Var(fs.Lookup("menu").Value, "file", "menu file replacing the built-in one (same as -menu)")
	dryRun := fs.Bool("dry-run", false, "validate and print what would be sent, send nothing")
	api := fs.String("api", accesstoken.DefaultBaseURL, "the platform's API address")
	timeout := fs.Duration("timeout", 30*time.Second, "how long the push may take")
	cfg, err := loadConfig(e, l)
	if err != nil {
		return err
	}
	m, err := loadAccountMenu(cfg.MenuFile)
	if err != nil {
		return err
	}
	guides, err := loadGuides(cfg.GuidesFile)
	if err != nil {
		return err
	}
	if ps := m.Validate(guides); len(ps) > 0 {
		for _, p := range ps {
			fmt.Fprintln(e.stderr, sourceName(cfg.MenuFile, "replies/menu.yaml")+": "+p.String())
		}
		return exitError{1}
	}
	base, err := menuBase(m, cfg.PublicURL)
	if err != nil {
		return err
	}
	// The dry run too: it is what an operator checks before the push.
	if err := liveBase(base); err != nil {
		return err
	}
	body := map[string]any{"button": platformButtons(m, base)}
	if *dryRun {
		fmt.Fprintf(e.stdout, "dry run: would POST %s%s with:\n", *api, menuCreatePath)
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(body)
	}
	if err := pushMenu(cfg, *api, *timeout, body); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "menu pushed; the account shows it within a few minutes (users may need to re-open the chat)")
	return nil
}

// pushMenu sends body to the platform's menu API with the access token the
// replicas share through Redis (REDIS_URL), or one fetched for this run.
func pushMenu(cfg *config.Config, api string, timeout time.Duration, body any) error {
	if cfg.AppID == "" || !cfg.AppSecret.IsSet() {
		return usagef("pushing the menu needs WECHAT_APPID and WECHAT_APPSECRET")
	}
	opt := accesstoken.Options{AppID: cfg.AppID, AppSecret: cfg.AppSecret.Reveal(), BaseURL: api}
	if cfg.RedisURL.IsSet() {
		rdb, err := redisClient(cfg)
		if err != nil {
			return err
		}
		defer rdb.Close()
		opt.Redis = rdb
	}
	tokens, err := accesstoken.New(opt)
	if err != nil {
		return usageError{err.Error()}
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := tokens.Post(ctx, menuCreatePath, body); err != nil {
		return fmt.Errorf("push menu: %s", cfg.Scrub(err.Error()))
	}
	return nil
}
