package config_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/yibao/yibao/bot"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/yibao/yibao/bot/redisstore"
	"github.com/yibao/yibao/cmd/yibao/config"
)

func TestSecretNeverFormats(t *testing.T) {
	const v = "hunter2-S3CRET"
	s := config.NewSecret(v)
	holder := struct {
		Key config.Secret
		Ptr *config.Secret
	}{s, &s}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10s", "%T %v"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, holder), fmt.Sprintf(verb, &s))
	}
	js, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(js), fmt.Sprint(errors.New(s.String())))
	var logged bytes.Buffer
	log := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(&logged), zap.DebugLevel))
	log.Info("x", zap.Any("secret", s), zap.Any("holder", holder), zap.Stringer("s", s), zap.Reflect("r", holder))
	outs = append(outs, logged.String())
	for _, o := range outs {
		if strings.Contains(o, v) || strings.Contains(o, fmt.Sprintf("%x", v)) {
			t.Errorf("leaks: %s", o)
		}
	}
	// A whole configuration, printed or logged by mistake.
	cfg := config.Defaults()
	cfg.AESKey, cfg.RedisURL = s, config.NewSecret("redis://:"+v+"@host:6379/0")
	logged.Reset()
	log.Info("config", zap.Any("cfg", cfg), zap.Any("ptr", &cfg))
	for _, o := range []string{fmt.Sprintf("%v %+v %#v %v", cfg, cfg, cfg, &cfg), logged.String()} {
		if strings.Contains(o, v) {
			t.Errorf("a Config leaks: %s", o)
		}
	}
	if s.Reveal() != v || !s.IsSet() || config.NewSecret("").String() != "" {
		t.Error("Reveal, IsSet or the empty mask is wrong")
	}
}

func TestLoadPrecedence(t *testing.T) {
	env := map[string]string{"YIBAO_ADDR": "127.0.0.1:9000", "YIBAO_DRAIN": "2s", "YIBAO_REDIS_AUTOPIPELINE": "off", "WECHAT_TOKEN": "tok"}
	l := config.New(config.Serve)
	c, err := l.Load([]string{"-drain", "1s"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.Drain.String() != "1s" || c.RedisAutoPipeline || c.Token.Reveal() != "tok" || c.Development {
		t.Errorf("got %+v", c)
	}
	c, err = config.New(config.Serve).Load(nil, func(string) string { return "" })
	if err != nil || !c.Development || c.Token.Reveal() != config.DevToken || c.AppID != config.DevAppID {
		t.Errorf("development defaults: %+v %v", c, err)
	}
}

// TestEnvVars is the list deploy files are checked against.
func TestEnvVars(t *testing.T) {
	got := config.EnvVars()
	for _, want := range []string{"WECHAT_TOKEN", "WECHAT_APPID", "WECHAT_APPSECRET", "WECHAT_AES_KEY", "WECHAT_PREV_AES_KEY", "REDIS_URL", "YIBAO_POLICY_DIR", "YIBAO_ADDR", "YIBAO_ADMIN_ADDR", "YIBAO_DRAIN"} {
		if !slices.Contains(got, want) {
			t.Errorf("EnvVars lacks %s: %v", want, got)
		}
	}
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("not sorted and unique: %v", got)
	}
	secrets := config.SecretEnvVars()
	for _, want := range []string{"WECHAT_TOKEN", "WECHAT_APPSECRET", "WECHAT_AES_KEY", "WECHAT_PREV_AES_KEY", "REDIS_URL"} {
		if !slices.Contains(secrets, want) {
			t.Errorf("SecretEnvVars lacks %s", want)
		}
	}
}

func TestScrub(t *testing.T) {
	c, err := config.New(config.Chat).Load([]string{"-redis", "redis://:pa ss@w0rd@host:6379/0"}, func(string) string { return "" })
	if err == nil {
		t.Fatalf("want an error for an unescaped password")
	}
	if c != nil && strings.Contains(err.Error(), "w0rd") {
		t.Errorf("error leaks: %v", err)
	}
}

func TestRedisMode(t *testing.T) {
	tests := []struct {
		name, url, mode string
		want            redisstore.Mode
		err             string // in the error; "" for none
	}{
		{"read from a single node's URL", "redis://h:6379/0", "", redisstore.ModeAuto, ""},
		{"cluster forced", "redis://h:7000", "cluster", redisstore.ModeCluster, ""},
		{"Sentinel", "redis://s:26379?master_name=m&addr=s2:26379", "sentinel", redisstore.ModeSentinel, ""},
		{"Sentinel without a master name", "redis://s:26379", "sentinel", "", "master_name"},
		{"unknown mode", "redis://h:6379/0", "ring", "", "YIBAO_REDIS_MODE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"REDIS_URL": tt.url, "YIBAO_REDIS_MODE": tt.mode}
			c, err := config.New(config.Serve).Load(nil, func(k string) string { return env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one naming %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.RedisMode != tt.want {
				t.Fatalf("mode %q, want %q", c.RedisMode, tt.want)
			}
		})
	}
}

// TestSecretFiles: every secret can come from a file (NAME_FILE), as
// Kubernetes and Docker secrets are mounted; not from both, and a file that
// cannot be read is named without any value.
func TestSecretFiles(t *testing.T) {
	dir := t.TempDir()
	values := map[string]string{
		"WECHAT_TOKEN":        "token-from-file",
		"WECHAT_AES_KEY":      "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
		"WECHAT_PREV_AES_KEY": "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210abcdefg",
		"WECHAT_APPSECRET":    "appsecret-from-file",
		"REDIS_URL":           "redis://:pw-from-file@127.0.0.1:6379/0",
	}
	secrets := config.SecretEnvVars()
	for _, name := range secrets {
		if values[name] == "" {
			t.Fatalf("no test value for the secret %s", name)
		}
	}
	for _, name := range secrets {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(dir, name)
			if err := os.WriteFile(file, []byte(values[name]+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := config.Serve
			if !slices.Contains(config.EnvVarsFor(cmd), name) {
				cmd = config.Menu
			}
			if !slices.Contains(config.EnvVarsFor(cmd), name+config.FileSuffix) {
				t.Fatalf("%s%s is not read", name, config.FileSuffix)
			}
			// The rest of a valid account, given directly.
			env := map[string]string{"WECHAT_APPID": "wx1234567890abcdef", "WECHAT_TOKEN": "direct-token", "WECHAT_AES_KEY": values["WECHAT_AES_KEY"]}
			delete(env, name)
			env[name+config.FileSuffix] = file
			c, err := config.New(cmd).Load(nil, func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			// Scrub masks exactly the secrets loaded: the file's value
			// (without its newline) is one of them.
			if got := c.Scrub("<" + values[name] + ">"); got != "<[redacted]>" {
				t.Errorf("the value from the file is not the secret: %q", got)
			}
			var dump bytes.Buffer
			if err := c.Dump(&dump); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(dump.String(), "(file)") || strings.Contains(dump.String(), values[name]) {
				t.Errorf("dump:\n%s", dump.String())
			}

			env[name] = "also-set"
			if _, err := config.New(cmd).Load(nil, func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "keep one") {
				t.Errorf("both %s and its file: %v", name, err)
			}
			delete(env, name)
			env[name+config.FileSuffix] = filepath.Join(dir, "missing")
			if _, err := config.New(cmd).Load(nil, func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), name+config.FileSuffix) {
				t.Errorf("a missing file: %v", err)
			}
		})
	}
}

// TestBotDefaultsAgree: the bot's own defaults are what serve configures
// by default, so a bot built without serve behaves the same.
func TestBotDefaultsAgree(t *testing.T) {
	c := config.Defaults()
	if got := c.ReplyTTL(); got != bot.DefaultReplyTTL {
		t.Errorf("serve's default reply TTL %v, the bot's %v", got, bot.DefaultReplyTTL)
	}
	if c.DialogTTL != bot.DefaultDialogTTL {
		t.Errorf("serve's default dialog TTL %v, the bot's %v", c.DialogTTL, bot.DefaultDialogTTL)
	}
}
