package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/yibao/yibao/bot/wechat/accesstoken"
	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/replies"
)

// cmdMenu prints the account's custom menu as the platform's menu API takes
// it, or publishes it. In server mode the menu set in the admin panel stops
// working, so the service defines its own.
func cmdMenu(e env) error {
	if len(e.args) > 0 && e.args[0] == "push" {
		e.args = e.args[1:]
		return cmdMenuPush(e)
	}
	l := config.New(config.Menu)
	publish := l.FlagSet.Bool("publish", false, "publish the menu to the account (needs WECHAT_APPID and WECHAT_APPSECRET; the same as menu push)")
	cfg, err := loadConfig(e, l)
	if err != nil {
		return err
	}
	menuFile, guidesFile := &cfg.MenuFile, &cfg.GuidesFile
	m, err := loadAccountMenu(*menuFile)
	if err != nil {
		return err
	}
	guides, err := loadGuides(*guidesFile)
	if err != nil {
		return err
	}
	if ps := m.Validate(guides); len(ps) > 0 {
		for _, p := range ps {
			fmt.Fprintln(e.stderr, sourceName(*menuFile, "replies/menu.yaml")+": "+p.String())
		}
		return exitError{1}
	}
	base, err := menuBase(m, cfg.PublicURL)
	if err != nil {
		return err
	}
	buttons := platformButtons(m, base)
	if !*publish {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"button": buttons})
	}
	// The same path as `menu push`: the replicas' shared stable token, so
	// publishing never cancels the token they use.
	if err := pushMenu(cfg, accesstoken.DefaultBaseURL, 30*time.Second, map[string]any{"button": buttons}); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "menu published")
	return nil
}

func loadAccountMenu(path string) (*replies.AccountMenu, error) {
	return loadFile("menu", path, replies.DefaultAccountMenu, replies.LoadAccountMenu)
}

// button is one button as the platform's menu API takes it. It is declared
// here rather than taken from the SDK, whose menu package would link the
// SDK's go-redis v8 and memcache clients into the binary; a test checks it
// encodes as the SDK's does.
type button struct {
	Type       string    `json:"type,omitempty"`
	Name       string    `json:"name,omitempty"`
	Key        string    `json:"key,omitempty"`
	URL        string    `json:"url,omitempty"`
	SubButtons []*button `json:"sub_button,omitempty"`
}

// platformButtons turns the menu into the platform's buttons: every key a
// click, every page a view of base joined with its path.
func platformButtons(m *replies.AccountMenu, base *url.URL) []*button {
	leaf := func(b replies.MenuButton) *button {
		btn := &button{Name: b.Name}
		switch {
		case b.Key != "":
			btn.Type, btn.Key = "click", string(b.Key)
		case b.Page != "":
			btn.Type, btn.URL = "view", replies.PageURL(base, b.Page)
		}
		return btn
	}
	var out []*button
	for _, b := range m.Buttons {
		btn := leaf(b)
		for _, s := range b.Sub {
			btn.SubButtons = append(btn.SubButtons, leaf(s))
		}
		out = append(out, btn)
	}
	return out
}
