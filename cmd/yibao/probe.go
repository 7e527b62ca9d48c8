package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/yibao/yibao/bot/wechat/wechattest"
	"github.com/yibao/yibao/cmd/yibao/config"
)

// probeTarget is the account's webhook as the platform knows it.
type probeTarget struct {
	URL    string // the server URL entered in the account's settings
	Token  string
	AppID  string
	AESKey string // set: safe mode
}

// probeUser is the openid the probe's messages come from: one no real
// user has, so its dialog state is its own.
const probeUser = "o_yibao_probe"

func cmdProbe(e env) error {
	l := config.New(config.Probe)
	var t probeTarget
	l.FlagSet.StringVar(&t.URL, "url", "", "the webhook's public URL, as entered in the account's server settings (https://.../wechat)")
	timeout := l.FlagSet.Duration("timeout", 5*time.Second, "how long each request may take (the platform waits 5s)")
	cfg, err := loadConfig(e, l)
	if err != nil {
		return err
	}
	t.Token, t.AppID, t.AESKey = cfg.Token.Reveal(), cfg.AppID, cfg.AESKey.Reveal()
	if err := t.validate(); err != nil {
		return usageError{cfg.Scrub(err.Error())}
	}
	client := &http.Client{Timeout: *timeout}
	if !probe(context.Background(), client, t, e.now, e.stdout) {
		return exitError{1}
	}
	return nil
}

func (t probeTarget) validate() error {
	u, err := url.Parse(t.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--url: want the webhook's http(s) URL, got %q", t.URL)
	}
	if t.Token == "" {
		return fmt.Errorf("--token (or WECHAT_TOKEN) is needed to sign as the platform")
	}
	if t.AESKey != "" {
		if t.AppID == "" {
			return fmt.Errorf("safe mode (--aes-key) needs --appid (or WECHAT_APPID)")
		}
		if k, err := base64.StdEncoding.DecodeString(t.AESKey + "="); len(t.AESKey) != 43 || err != nil || len(k) != 32 {
			return fmt.Errorf("--aes-key: want the 43-character EncodingAESKey")
		}
	}
	return nil
}

// probe talks to the webhook as the platform would and prints one line per
// check; it reports whether all passed.
func probe(ctx context.Context, client *http.Client, t probeTarget, now func() time.Time, out io.Writer) bool {
	u, _ := url.Parse(t.URL)
	p := &wechattest.Platform{Token: t.Token, AppID: t.AppID, AESKey: t.AESKey, Path: u.Path, Now: now}
	mode := "plain mode"
	if t.AESKey != "" {
		mode = "safe mode (encrypted)"
	}
	fmt.Fprintf(out, "probing %s in %s\n", t.URL, mode)
	ok := true
	report := func(name string, err error) {
		if err != nil {
			ok = false
			fmt.Fprintf(out, "FAIL  %s: %s\n", name, strings.TrimSpace(err.Error()))
			return
		}
		fmt.Fprintf(out, "ok    %s\n", name)
	}
	do := func(r *http.Request) (int, []byte, error) {
		r = r.WithContext(ctx)
		r.URL.Scheme, r.URL.Host, r.Host, r.RequestURI = u.Scheme, u.Host, u.Host, ""
		resp, err := client.Do(r)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return resp.StatusCode, body, err
	}

	// 1. The URL check the platform makes when the settings are saved.
	echo := fmt.Sprintf("probe%d", now().UnixNano())
	status, body, err := do(p.VerifyRequest(echo))
	switch {
	case err != nil:
		report("URL check (GET with echostr)", err)
	case status != http.StatusOK || string(body) != echo:
		report("URL check (GET with echostr)", fmt.Errorf("HTTP %d %.100q; want 200 %q (is the token the account's?)", status, body, echo))
	default:
		report("URL check (GET with echostr)", nil)
	}

	// 2. A text message, answered with a passive reply that must verify,
	// decrypt and be addressed back to the sender from the account.
	start := time.Now()
	push := wechattest.Push{From: probeUser, Type: "text", Content: "咨询电话", MsgID: now().UnixNano()}
	status, body, err = do(p.Request(push))
	took := time.Since(start)
	if err == nil {
		var r wechattest.Reply
		r, err = p.Read(probeUser, status, body)
		switch {
		case err != nil:
		case r.Success || r.Content == "":
			err = fmt.Errorf("no reply to a text message (%q)", r.Body)
		case r.MsgType != "text":
			err = fmt.Errorf("reply of type %q; want text", r.MsgType)
		}
		if err == nil {
			report(fmt.Sprintf("text message answered in %v: signature, encryption and addressing check out", took.Round(time.Millisecond)), nil)
			fmt.Fprintf(out, "      reply: %s\n", firstLine(r.Content))
		}
	}
	if err != nil {
		report("text message", err)
	}
	if err == nil && took > 4500*time.Millisecond {
		report("reply time", fmt.Errorf("%v: the platform gives up after 5s", took.Round(time.Millisecond)))
	}

	// 3. A push with a wrong signature must be refused: the webhook checks
	// who is talking.
	forged := p.Request(wechattest.Push{From: probeUser, Type: "text", Content: "forged", MsgID: now().UnixNano() + 1})
	for _, k := range []string{"signature", "msg_signature"} {
		if forged.URL.Query().Get(k) != "" {
			wechattest.SetQuery(forged, k, strings.Repeat("0", 40))
		}
	}
	status, _, err = do(forged)
	switch {
	case err != nil:
		report("forged push refused", err)
	case status == http.StatusOK:
		report("forged push refused", fmt.Errorf("a push with a wrong signature was answered (HTTP 200)"))
	default:
		report(fmt.Sprintf("forged push refused (HTTP %d)", status), nil)
	}
	if ok {
		fmt.Fprintln(out, "all checks passed")
	}
	return ok
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(line); len(r) > 60 {
		line = string(r[:60]) + "…"
	}
	return line
}
