package main

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// secretEnv holds a value for every secret setting, each easy to find in
// output: none may ever be printed.
var secretEnv = map[string]string{
	"WECHAT_TOKEN":        "tokenS3CRETvalue",
	"WECHAT_APPID":        "wx1234567890abcdef",
	"WECHAT_AES_KEY":      "S3CRETabcdefghijklmnopqrstuvwxyz0123456789A",
	"WECHAT_PREV_AES_KEY": "S3CRETzyxwvutsrqponmlkjihgfedcba9876543210Z",
	"WECHAT_APPSECRET":    "appsecretS3CRETvalue",
	"REDIS_URL":           "redis://:redisS3CRETpw@127.0.0.1:1/0",
}

func secretValues() []string {
	vals := []string{"redisS3CRETpw"}
	for k, v := range secretEnv {
		if k != "WECHAT_APPID" {
			vals = append(vals, v)
		}
	}
	return vals
}

// TestSecretsNeverPrinted runs every subcommand's help, masked dump and
// error paths with secrets in the environment (as flag defaults used to
// print them) and checks no output contains one.
func TestSecretsNeverPrinted(t *testing.T) {
	with := func(over map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range secretEnv {
			m[k] = v
		}
		for k, v := range over {
			m[k] = v
		}
		return m
	}
	// A broken setting beside the secrets, so that each error path runs.
	badRedis := map[string]string{"REDIS_URL": "redis://:redisS3CRETpw@127.0.0.1:notaport/0"}
	badKey := map[string]string{"WECHAT_AES_KEY": "S3CRET!bcdefghijklmnopqrstuvwxyz0123456789A"}
	type run struct {
		env  map[string]string
		args []string
	}
	var runs []run
	// Each command as run without touching the network beyond 127.0.0.1.
	for _, cmd := range [][]string{{"serve"}, {"chat"}, {"estimate"}, {"check"}, {"menu"},
		{"menu", "push", "--dry-run"}, {"probe"}, {"probe", "--url", "http://127.0.0.1:1/wechat"},
		{"stats"}, {"policy", "new", "2027"}} {
		args := func(extra ...string) []string { return append(append([]string(nil), cmd...), extra...) }
		runs = append(runs,
			run{with(nil), args("-h")},
			run{with(nil), args("-print-config")},
			run{with(nil), args("-no-such-flag")},
			run{with(nil), args("extra-argument")},
			run{with(badRedis), args("-print-config")},
			run{with(badRedis), args()},
			run{with(badKey), args()},
			run{with(map[string]string{"YIBAO_POLICY_DIR": "/nonexistent"}), args()},
			run{with(nil), args("-aes-key", secretEnv["WECHAT_AES_KEY"]+"x")},
			run{with(nil), args("-redis", "redis://:redisS3CRETpw@[::1")},
		)
	}
	runs = append(runs,
		run{with(map[string]string{"WECHAT_APPID": ""}), []string{"menu", "-publish"}},
		run{with(map[string]string{"YIBAO_PUBLIC_URL": "https://yibao.example.org"}), []string{"menu", "push", "--api", "http://127.0.0.1:1"}})
	for _, r := range runs {
		t.Run(strings.Join(r.args, " "), func(t *testing.T) {
			code, out, errOut := runCLIInput(t, time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), "", r.env, r.args...)
			for _, secret := range secretValues() {
				for _, form := range []string{secret, url.QueryEscape(secret)} {
					if strings.Contains(out+errOut, form) {
						t.Errorf("exit %d: output contains the secret %q:\n%s%s", code, form, out, errOut)
					}
				}
			}
		})
	}
}

func TestPrintConfig(t *testing.T) {
	code, out, errOut := runCLI(t, secretEnv, "serve", "-print-config", "-drain", "3s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"WECHAT_AES_KEY            [redacted]",
		"redis://:[redacted]@127.0.0.1:1/0",
		"drain", "3s", "(flag)",
		"addr", "127.0.0.1:8080", "(default)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dump lacks %q:\n%s", want, out)
		}
	}
	// A command shows only its own settings.
	_, out, _ = runCLI(t, secretEnv, "estimate", "-print-config")
	if strings.Contains(out, "WECHAT") || !strings.Contains(out, "YIBAO_POLICY_DIR") {
		t.Errorf("estimate's dump:\n%s", out)
	}
}

// TestHelpShowsBuiltInDefaults: the environment is not a flag default.
func TestHelpShowsBuiltInDefaults(t *testing.T) {
	// Help asked for is the command's output: stdout, exit 0.
	code, out, errOut := runCLI(t, map[string]string{"YIBAO_ADDR": "10.9.8.7:1234"}, "serve", "-h")
	if code != 0 || errOut != "" || !strings.Contains(out, "127.0.0.1:8080") || strings.Contains(out, "10.9.8.7") {
		t.Errorf("help: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// TestChatScripted runs a whole estimate dialog through chat's stdin.
func TestChatScripted(t *testing.T) {
	script := "住院能报多少\n二档\n三甲\n10万\n不是\n\n你好\n"
	code, out, errOut := runCLIInput(t, time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), script, nil, "chat", "-user", "t1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"> 住院能报多少\n", "哪一档", "> 不是\n", "医保能报：71,683.40元", "> 你好\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "> ") != 6 {
		t.Errorf("want 6 answered lines (the blank one skipped):\n%s", out)
	}
}
