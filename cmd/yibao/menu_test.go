package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/replies"
)

func TestMenuPrints(t *testing.T) {
	code, out, errOut := runCLI(t, map[string]string{"YIBAO_PUBLIC_URL": "https://yibao.example.org"}, "menu")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var body struct {
		Button []struct {
			Name      string                                  `json:"name"`
			SubButton []struct{ Type, Name, Key, URL string } `json:"sub_button"`
		} `json:"button"`
	}
	if err := json.Unmarshal([]byte(out), &body); err != nil {
		t.Fatalf("not the platform's JSON: %v\n%s", err, out)
	}
	if len(body.Button) == 0 || len(body.Button[0].SubButton) == 0 || body.Button[0].SubButton[0].Type != "click" {
		t.Errorf("unexpected menu: %s", out)
	}
	var views []string
	for _, b := range body.Button {
		for _, s := range b.SubButton {
			if s.Type == "view" {
				views = append(views, s.Name+" "+s.URL)
			}
		}
	}
	if len(views) != 1 || views[0] != "填表算一算 https://yibao.example.org/h5/" {
		t.Errorf("view buttons %q, want the estimate page under the public URL", views)
	}
}

// TestMenuPublicURL: the page button needs the public URL, and check says
// so; a bad one is a problem.
func TestMenuPublicURL(t *testing.T) {
	code, _, errOut := runCLI(t, nil, "menu")
	if code != 2 || !strings.Contains(errOut, "YIBAO_PUBLIC_URL") {
		t.Errorf("menu without a public URL: exit %d, %s", code, errOut)
	}
	code, _, out := runCLI(t, nil, "check")
	if code != 0 || !strings.Contains(out, "warning: embedded:replies/menu.yaml: the menu links the page /h5/") {
		t.Errorf("check without a public URL: exit %d\n%s", code, out)
	}
	code, _, out = runCLI(t, map[string]string{"YIBAO_PUBLIC_URL": "yibao.example.org"}, "check")
	if code != 1 || !strings.Contains(out, `public URL "yibao.example.org"`) {
		t.Errorf("check with a bad public URL: exit %d\n%s", code, out)
	}
	code, _, errOut = runCLI(t, map[string]string{"YIBAO_PUBLIC_URL": "https://yibao.example.org/?x=1"}, "menu")
	if code != 2 || !strings.Contains(errOut, "no query") {
		t.Errorf("menu with a bad public URL: exit %d, %s", code, errOut)
	}
	code, _, out = runCLI(t, nil, "check", "-public-url", "https://yibao.gongzhonghao.cn")
	if code != 0 || strings.Contains(out, "/h5/") {
		t.Errorf("check with a public URL: exit %d\n%s", code, out)
	}
}

func TestMenuRefuses(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "menu.yaml")
	if err := os.WriteFile(bad, []byte("buttons: [{name: 太长的按钮名字啊, key: nowhere}]"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, nil, "menu", "--menu", bad)
	if code != 1 || !strings.Contains(errOut, bad+": buttons[0].name") || !strings.Contains(errOut, "nowhere") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	if code, _, _ := runCLI(t, nil, "menu", "--publish"); code != 2 {
		t.Errorf("publish without AppSecret: exit %d, want 2", code)
	}
}

// TestMenuKeysAnswer clicks every button of the built-in menu: each must
// open its own guide or start an estimate, not fall back to the main menu.
func TestMenuKeysAnswer(t *testing.T) {
	c, err := loadContent(&config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := newBot(c, memstore.New(nil), nil, zap.NewNop(), bot.Config{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := replies.DefaultAccountMenu()
	if err != nil {
		t.Fatal(err)
	}
	for _, top := range m.Buttons {
		for _, s := range append([]replies.MenuButton{top}, top.Sub...) {
			if s.Key == "" {
				continue
			}
			r, err := b.Handle(context.Background(), bot.Message{User: "u-" + string(s.Key), Kind: bot.KindMenu, Key: string(s.Key)})
			if err != nil {
				t.Fatal(err)
			}
			if r.Text == "" || (r.Intent != string(s.Key) && !strings.HasPrefix(r.Intent, "estimate")) {
				t.Errorf("click %s: intent %q, reply %.60q", s.Key, r.Intent, r.Text)
			}
		}
	}
}
