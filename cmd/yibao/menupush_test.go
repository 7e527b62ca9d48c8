package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/alicebob/miniredis/v2"
)

// fakeMenuAPI is the platform's token and menu endpoints.
type fakeMenuAPI struct {
	mu       sync.Mutex
	tokens   int
	menus    []string // bodies received
	menuCode int      // errcode menu/create answers
}

func (f *fakeMenuAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.URL.Path {
	case "/cgi-bin/stable_token":
		f.tokens++
		fmt.Fprintf(w, `{"access_token":"tok%d","expires_in":7200}`, f.tokens)
	case menuCreatePath:
		if r.URL.Query().Get("access_token") != fmt.Sprintf("tok%d", f.tokens) {
			fmt.Fprint(w, `{"errcode":40001,"errmsg":"invalid credential"}`)
			return
		}
		body, _ := io.ReadAll(r.Body)
		f.menus = append(f.menus, string(body))
		fmt.Fprintf(w, `{"errcode":%d,"errmsg":"x"}`, f.menuCode)
	default:
		http.NotFound(w, r)
	}
}

func TestMenuPush(t *testing.T) {
	fake := &fakeMenuAPI{}
	api := httptest.NewServer(fake)
	defer api.Close()
	mr := miniredis.RunT(t)
	env := map[string]string{"WECHAT_APPID": "wxmenu", "WECHAT_APPSECRET": "secret", "REDIS_URL": "redis://" + mr.Addr(), "YIBAO_PUBLIC_URL": "https://yibao.gongzhonghao.cn"}

	// Dry run: what would be sent, nothing sent.
	code, dry, errOut := runCLI(t, env, "menu", "push", "--dry-run", "--api", api.URL)
	if code != 0 || !strings.Contains(dry, "would POST "+api.URL+menuCreatePath) || len(fake.menus) != 0 {
		t.Fatalf("dry run: exit %d, sent %d\n%s%s", code, len(fake.menus), dry, errOut)
	}

	code, out, errOut := runCLI(t, env, "menu", "push", "--api", api.URL)
	if code != 0 || !strings.Contains(out, "menu pushed") || len(fake.menus) != 1 {
		t.Fatalf("push: exit %d, sent %d\n%s%s", code, len(fake.menus), out, errOut)
	}
	// What was sent is what the dry run showed.
	var sent, shown any
	json.Unmarshal([]byte(fake.menus[0]), &sent)
	json.Unmarshal([]byte(dry[strings.Index(dry, "{"):]), &shown)
	if fmt.Sprint(sent) != fmt.Sprint(shown) {
		t.Errorf("sent %v\nshown %v", sent, shown)
	}
	// The token is in Redis, for the replicas: a second push fetches none.
	if v, err := mr.Get("yibao:token:wxmenu"); err != nil || v != "tok1" {
		t.Errorf("shared token in Redis: %q %v", v, err)
	}
	runCLI(t, env, "menu", "push", "--api", api.URL)
	if fake.tokens != 1 || len(fake.menus) != 2 {
		t.Errorf("second push: %d token fetches, %d menus; want 1 and 2", fake.tokens, len(fake.menus))
	}

	// The platform refuses: exit 1 with its errcode.
	fake.menuCode = 40018
	if code, _, errOut := runCLI(t, env, "menu", "push", "--api", api.URL); code != 1 || !strings.Contains(errOut, "40018") {
		t.Errorf("refused push: exit %d, %q", code, errOut)
	}

	// An invalid menu is never sent.
	bad := filepath.Join(t.TempDir(), "menu.yaml")
	os.WriteFile(bad, []byte("buttons: [{name: a, key: nowhere}, {name: b, page: 'h5'}]"), 0o644)
	before := len(fake.menus)
	code, _, errOut = runCLI(t, env, "menu", "push", "--file", bad, "--api", api.URL)
	if code != 1 || !strings.Contains(errOut, "nowhere") || !strings.Contains(errOut, "buttons[1].page") || len(fake.menus) != before {
		t.Errorf("invalid menu: exit %d, %q, sent %d", code, errOut, len(fake.menus)-before)
	}
	if code, _, errOut := runCLI(t, map[string]string{"YIBAO_PUBLIC_URL": "https://yibao.gongzhonghao.cn"}, "menu", "push", "--api", api.URL); code != 2 || !strings.Contains(errOut, "WECHAT_APPSECRET") {
		t.Errorf("without a secret: exit %d, %q", code, errOut)
	}
}
