package main

import (
	"strings"
	"testing"
)

// TestServeRefusesDevelopmentMode: without the account's settings, serve
// runs development mode (the public token test-token) only on loopback,
// without a public URL and outside production, unless -dev says so.
func TestServeRefusesDevelopmentMode(t *testing.T) {
	account := map[string]string{"WECHAT_TOKEN": "tok-123456", "WECHAT_APPID": "wx1234567890abcdef", "WECHAT_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, tt := range []struct {
		name    string
		env     map[string]string
		args    []string
		refused string // the reason named; empty: starts
	}{
		{"loopback", nil, nil, ""},
		{"localhost", with(nil, "YIBAO_ADDR", "localhost:8080"), nil, ""},
		{"every interface", with(nil, "YIBAO_ADDR", "0.0.0.0:8080"), nil, "not a loopback address"},
		{"every interface, no host", nil, []string{"-addr", ":8080"}, "not a loopback address"},
		{"a public address", with(nil, "YIBAO_ADDR", "10.0.0.5:8080"), nil, "not a loopback address"},
		{"public URL", with(nil, "YIBAO_PUBLIC_URL", "https://yibao.gongzhonghao.cn"), nil, "a public URL is set"},
		{"production", with(nil, "YIBAO_ENV", "production"), nil, "YIBAO_ENV is production"},
		{"-dev on every interface", with(nil, "YIBAO_ADDR", "0.0.0.0:8080", "YIBAO_ENV", "production"), []string{"-dev"}, ""},
		{"the account on every interface", with(account, "YIBAO_ADDR", "0.0.0.0:8080", "YIBAO_ENV", "production", "YIBAO_PUBLIC_URL", "https://yibao.gongzhonghao.cn"), nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.env, append(append([]string{"serve"}, tt.args...), "-print-config")...)
			if tt.refused == "" {
				if code != 0 {
					t.Errorf("exit %d: %s", code, errOut)
				}
				return
			}
			if code != 2 || !strings.Contains(errOut, "development mode refused") || !strings.Contains(errOut, tt.refused) || !strings.Contains(errOut, "-dev") {
				t.Errorf("exit %d, want 2 naming %q and -dev:\n%s", code, tt.refused, errOut)
			}
		})
	}
}

// TestPlaceholderPublicURLRefused: check and menu push (dry run too)
// refuse the deploy files' placeholder domain and plain http, so the
// menu's page button never goes live pointing at either.
func TestPlaceholderPublicURLRefused(t *testing.T) {
	for _, tt := range []struct{ url, why string }{
		{"https://yibao.example.org", "placeholder"},
		{"https://example.com", "placeholder"},
		{"https://yibao.test", "placeholder"},
		{"http://yibao.gongzhonghao.cn", "https"},
	} {
		env := map[string]string{"YIBAO_PUBLIC_URL": tt.url}
		code, out, errOut := runCLI(t, env, "check")
		if code != 1 || !strings.Contains(out+errOut, tt.why) {
			t.Errorf("check with %s: exit %d, want 1 naming %q\n%s%s", tt.url, code, tt.why, out, errOut)
		}
		code, out, errOut = runCLI(t, env, "menu", "push", "--dry-run")
		if code != 2 || !strings.Contains(errOut, tt.why) || strings.Contains(out, "would POST") {
			t.Errorf("menu push --dry-run with %s: exit %d, want 2 naming %q\n%s%s", tt.url, code, tt.why, out, errOut)
		}
	}
	if code, out, errOut := runCLI(t, map[string]string{"YIBAO_PUBLIC_URL": "https://yibao.gongzhonghao.cn"}, "check"); code != 0 {
		t.Errorf("check with a real domain: exit %d\n%s%s", code, out, errOut)
	}
}
