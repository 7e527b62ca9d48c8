// Package accesstoken holds the official account's access token once for
// every replica: the platform's stable-token endpoint (which, unlike the
// old token endpoint, does not cancel the token other holders use), a
// Redis cache shared by the replicas (a go-redis v9 implementation of the
// SDK's cache interface), a Redis lock so that one replica fetches at a
// time, and one forced refresh when the platform says the token is no
// longer valid (errcode 40001 or 42001).
//
// The SDK (github.com/silenceper/wechat/v2) has a StableAccessToken, but
// its lock is per process and its endpoint address is a package constant
// (changeable only through package-wide state), and it never forces a
// refresh; Source keeps its interface (credential.AccessTokenContextHandle)
// so SDK code can use it.
package accesstoken

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultBaseURL is the platform's API.
const DefaultBaseURL = "https://api.weixin.qq.com"

// Error codes meaning the token used is not (or no longer) valid.
const (
	ErrCodeInvalidToken = 40001
	ErrCodeExpiredToken = 42001
)

// Options configure a Source.
type Options struct {
	AppID, AppSecret string
	// Redis holds the token and the refresh lock for all replicas; nil
	// keeps the token in this process only (a one-off command).
	Redis redis.UniversalClient
	// Prefix starts every Redis key ("yibao:" when empty).
	Prefix string
	// BaseURL is the platform's API (DefaultBaseURL when empty).
	BaseURL string
	// HTTP is the client for the platform (a 10 s timeout when nil).
	HTTP *http.Client
	// LockTTL bounds how long a replica that died mid-refresh blocks the
	// others (10 s when 0).
	LockTTL time.Duration
}

// Source hands out the account's access token.
type Source struct {
	opt   Options
	cache tokenCache
	key   string
	lock  string
}

// New makes a Source.
func New(opt Options) (*Source, error) {
	if opt.AppID == "" || opt.AppSecret == "" {
		return nil, errors.New("accesstoken: AppID and AppSecret are required")
	}
	if opt.Prefix == "" {
		opt.Prefix = "yibao:"
	}
	if opt.BaseURL == "" {
		opt.BaseURL = DefaultBaseURL
	}
	opt.BaseURL = strings.TrimRight(opt.BaseURL, "/")
	if opt.HTTP == nil {
		opt.HTTP = &http.Client{Timeout: 10 * time.Second}
	}
	if opt.LockTTL <= 0 {
		opt.LockTTL = 10 * time.Second
	}
	s := &Source{opt: opt, key: "token:" + opt.AppID, lock: "token:" + opt.AppID + ":lock"}
	if opt.Redis != nil {
		s.cache = NewRedisCache(opt.Redis, opt.Prefix)
	} else {
		s.cache = newMemoryCache()
	}
	return s, nil
}

// GetAccessToken is GetAccessTokenContext without a deadline.
func (s *Source) GetAccessToken() (string, error) {
	return s.GetAccessTokenContext(context.Background())
}

// GetAccessTokenContext returns the cached token, fetching one when there is
// none (one replica fetches; the others wait for its result).
func (s *Source) GetAccessTokenContext(ctx context.Context) (string, error) {
	return s.token(ctx, "")
}

// Refresh is for a call the platform refused with 40001 or 42001: it forces
// a new token, unless another replica has already replaced stale.
func (s *Source) Refresh(ctx context.Context, stale string) (string, error) {
	if stale == "" {
		return "", errors.New("accesstoken: Refresh needs the token that was refused")
	}
	return s.token(ctx, stale)
}

// token returns a cached token other than stale, or fetches one under the
// lock (forcing a refresh when the cached one is stale).
func (s *Source) token(ctx context.Context, stale string) (string, error) {
	for {
		if tok := s.cached(ctx); tok != "" && tok != stale {
			return tok, nil
		}
		unlock, ok, err := s.tryLock(ctx)
		if err != nil {
			return "", err
		}
		if ok {
			defer unlock()
			// Checked again under the lock: another replica may have
			// finished between our read and our lock.
			if tok := s.cached(ctx); tok != "" && tok != stale {
				return tok, nil
			}
			return s.fetch(ctx, stale != "")
		}
		// Another replica is fetching: wait for its token.
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("accesstoken: waiting for another replica's refresh: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Source) cached(ctx context.Context) string {
	v, _ := s.cache.GetContext(ctx, s.key).(string)
	return v
}

// tryLock takes the refresh lock: a Redis key only its holder deletes, with
// a TTL in case the holder dies. Without Redis the process is alone.
func (s *Source) tryLock(ctx context.Context) (unlock func(), ok bool, err error) {
	if s.opt.Redis == nil {
		return func() {}, true, nil
	}
	var b [16]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	key := s.opt.Prefix + s.lock
	ok, err = s.opt.Redis.SetNX(ctx, key, id, s.opt.LockTTL).Result()
	if err != nil {
		return nil, false, fmt.Errorf("accesstoken: lock: %w", err)
	}
	return func() {
		// Delete only our own lock: it may have expired and been taken.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		unlockScript.Run(ctx, s.opt.Redis, []string{key}, id)
	}, ok, nil
}

var unlockScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// tokenResponse is the stable-token endpoint's answer.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	ErrCode     int    `json:"errcode"`
	ErrMsg      string `json:"errmsg"`
}

// fetch asks the stable-token endpoint and caches the answer a little short
// of its expiry.
func (s *Source) fetch(ctx context.Context, force bool) (string, error) {
	body, _ := json.Marshal(map[string]any{
		"grant_type": "client_credential", "appid": s.opt.AppID, "secret": s.opt.AppSecret, "force_refresh": force,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.opt.BaseURL+"/cgi-bin/stable_token", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("accesstoken: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.opt.HTTP.Do(req)
	if err != nil {
		return "", fmt.Errorf("accesstoken: stable_token: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", fmt.Errorf("accesstoken: stable_token: %w", err)
	}
	var r tokenResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return "", fmt.Errorf("accesstoken: stable_token: HTTP %d: %.100q", resp.StatusCode, data)
	}
	if r.ErrCode != 0 || r.AccessToken == "" {
		return "", fmt.Errorf("accesstoken: stable_token: errcode %d: %s", r.ErrCode, r.ErrMsg)
	}
	// Renew five minutes early (the platform's advice), but keep a token
	// with a short life for at least a minute.
	ttl := time.Duration(r.ExpiresIn)*time.Second - 5*time.Minute
	if ttl < time.Minute {
		ttl = time.Minute
	}
	if err := s.cache.SetContext(ctx, s.key, r.AccessToken, ttl); err != nil {
		return "", fmt.Errorf("accesstoken: caching: %w", err)
	}
	return r.AccessToken, nil
}

// APIError is the platform's refusal of a call.
type APIError struct {
	Code int
	Msg  string
}

func (e *APIError) Error() string { return fmt.Sprintf("errcode %d: %s", e.Code, e.Msg) }

// Post sends body as JSON to the platform's path (e.g. /cgi-bin/menu/create)
// with the access token, and checks the answer's errcode. When the platform
// says the token is invalid or expired it forces one refresh and tries once
// more.
func (s *Source) Post(ctx context.Context, path string, body any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tok, err := s.GetAccessTokenContext(ctx)
	if err != nil {
		return err
	}
	err = s.post(ctx, path, tok, data)
	var ae *APIError
	if errors.As(err, &ae) && (ae.Code == ErrCodeInvalidToken || ae.Code == ErrCodeExpiredToken) {
		if tok, err = s.Refresh(ctx, tok); err != nil {
			return err
		}
		err = s.post(ctx, path, tok, data)
	}
	return err
}

func (s *Source) post(ctx context.Context, path, tok string, data []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.opt.BaseURL+path+"?access_token="+tok, bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := s.opt.HTTP.Do(req)
	if err != nil {
		// The URL carries the token: say which call failed, not the URL.
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) {
			err = ue.Unwrap()
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var r struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return fmt.Errorf("%s: HTTP %d: %.100q", path, resp.StatusCode, out)
	}
	if r.ErrCode != 0 {
		return fmt.Errorf("%s: %w", path, &APIError{Code: r.ErrCode, Msg: r.ErrMsg})
	}
	return nil
}
