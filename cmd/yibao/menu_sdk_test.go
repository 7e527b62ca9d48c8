package main

import (
	"encoding/json"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/officialaccount/menu"

	"github.com/yibao/yibao/replies"
)

// TestButtonsEncodeAsTheSDKs: the menu the binary sends is, byte for byte,
// what the SDK's own button type would send for the same menu.
func TestButtonsEncodeAsTheSDKs(t *testing.T) {
	m, err := replies.DefaultAccountMenu()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://yibao.example.org")
	ours := platformButtons(m, base)
	var sdk []*menu.Button
	var convert func(b *button) *menu.Button
	convert = func(b *button) *menu.Button {
		s := &menu.Button{Type: b.Type, Name: b.Name, Key: b.Key, URL: b.URL}
		for _, c := range b.SubButtons {
			s.SubButtons = append(s.SubButtons, convert(c))
		}
		return s
	}
	for _, b := range ours {
		sdk = append(sdk, convert(b))
	}
	a, _ := json.Marshal(map[string]any{"button": ours})
	b, _ := json.Marshal(map[string]any{"button": sdk})
	if string(a) != string(b) {
		t.Errorf("ours:\n%s\nSDK's:\n%s", a, b)
	}
}

// TestBinaryLinksNoSDK: the binary links none of the WeChat SDK (its root
// package sets the global logrus logger to debug on stdout; its packages
// bring go-redis v8, a memcache client and an old x/crypto). The SDK is
// used only in tests, to cross-check our own code against it.
func TestBinaryLinksNoSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/silenceper/wechat", "github.com/go-redis/redis/v8", "github.com/bradfitz/gomemcache", "github.com/sirupsen/logrus"} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("the yibao binary links %s", dep)
			}
		}
	}
}
