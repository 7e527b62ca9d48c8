package accesstoken_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/storetest"
	"github.com/yibao/yibao/bot/wechat/accesstoken"
)

// fakePlatform is the token and menu API: stable_token hands out
// numbered tokens (a forced refresh makes a new one; otherwise the current
// one is returned), and menu/create accepts only the current token.
type fakePlatform struct {
	mu      sync.Mutex
	current string
	n       int
	fetches atomic.Int32
	forced  atomic.Int32
	menus   atomic.Int32
	lastReq map[string]any
}

func (f *fakePlatform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/cgi-bin/stable_token":
		var req map[string]any
		json.NewDecoder(r.Body).Decode(&req)
		if req["appid"] != "wxapp" || req["secret"] != "s3cret" || req["grant_type"] != "client_credential" {
			fmt.Fprint(w, `{"errcode":40125,"errmsg":"invalid appsecret"}`)
			return
		}
		f.fetches.Add(1)
		time.Sleep(50 * time.Millisecond) // long enough for the replicas to race
		f.mu.Lock()
		defer f.mu.Unlock()
		if req["force_refresh"] == true || f.current == "" {
			if req["force_refresh"] == true {
				f.forced.Add(1)
			}
			f.n++
			f.current = fmt.Sprintf("token-%d", f.n)
		}
		fmt.Fprintf(w, `{"access_token":%q,"expires_in":7200}`, f.current)
	case "/cgi-bin/menu/create":
		f.mu.Lock()
		cur := f.current
		f.mu.Unlock()
		if r.URL.Query().Get("access_token") != cur {
			fmt.Fprint(w, `{"errcode":40001,"errmsg":"invalid credential"}`)
			return
		}
		var req map[string]any
		json.NewDecoder(r.Body).Decode(&req)
		f.mu.Lock()
		f.lastReq = req
		f.mu.Unlock()
		f.menus.Add(1)
		fmt.Fprint(w, `{"errcode":0,"errmsg":"ok"}`)
	default:
		http.NotFound(w, r)
	}
}

// invalidate is the platform cancelling the current token (as a call to
// the old token endpoint elsewhere would).
func (f *fakePlatform) invalidate() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	f.current = fmt.Sprintf("token-%d", f.n)
}

func TestTwoReplicasFetchOnce(t *testing.T) {
	for name, rdb := range storetest.Redises(t) {
		t.Run(name, func(t *testing.T) {
			fake := &fakePlatform{}
			api := httptest.NewServer(fake)
			defer api.Close()
			prefix := fmt.Sprintf("yibao-test:%s:%d:", t.Name(), time.Now().UnixNano())
			t.Cleanup(func() {
				keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
				if len(keys) > 0 {
					rdb.Del(context.Background(), keys...)
				}
			})
			replica := func() *accesstoken.Source {
				s, err := accesstoken.New(accesstoken.Options{AppID: "wxapp", AppSecret: "s3cret", Redis: rdb, Prefix: prefix, BaseURL: api.URL})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			replicas := []*accesstoken.Source{replica(), replica()}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			// Both replicas, many callers each, at once: one fetch.
			tokens := make(chan string, 20)
			var wg sync.WaitGroup
			for i := range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					tok, err := replicas[i%2].GetAccessTokenContext(ctx)
					if err != nil {
						t.Error(err)
					}
					tokens <- tok
				}()
			}
			wg.Wait()
			close(tokens)
			for tok := range tokens {
				if tok != "token-1" {
					t.Errorf("token %q, want token-1", tok)
				}
			}
			if n := fake.fetches.Load(); n != 1 {
				t.Errorf("%d fetches from two replicas; want 1", n)
			}

			// The platform cancels the token: both replicas' calls get 40001,
			// one forced refresh serves both, and the calls succeed.
			fake.invalidate()
			for i := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := replicas[i].Post(ctx, "/cgi-bin/menu/create", map[string]any{"button": []any{}}); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if n := fake.forced.Load(); n != 1 {
				t.Errorf("%d forced refreshes; want 1", n)
			}
			if n := fake.menus.Load(); n != 2 {
				t.Errorf("%d calls got through; want 2", n)
			}
		})
	}
}

func TestPlatformRefusal(t *testing.T) {
	fake := &fakePlatform{}
	api := httptest.NewServer(fake)
	defer api.Close()
	s, err := accesstoken.New(accesstoken.Options{AppID: "wxapp", AppSecret: "wrong", BaseURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.GetAccessToken()
	if err == nil || !strings.Contains(err.Error(), "40125") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("error %v; want the platform's errcode, without the secret", err)
	}
	if _, err := accesstoken.New(accesstoken.Options{AppID: "wxapp"}); err == nil {
		t.Error("a Source without AppSecret was made")
	}
}

func TestRedisCache(t *testing.T) {
	for name, rdb := range storetest.Redises(t) {
		t.Run(name, func(t *testing.T) {
			prefix := fmt.Sprintf("yibao-test:cache:%d:", time.Now().UnixNano())
			c := accesstoken.NewRedisCache(rdb, prefix)
			if c.Get("k") != nil || c.IsExist("k") {
				t.Fatal("empty cache has k")
			}
			if err := c.Set("k", "v", time.Minute); err != nil {
				t.Fatal(err)
			}
			if c.Get("k") != "v" || !c.IsExist("k") {
				t.Errorf("get %v", c.Get("k"))
			}
			if ttl := rdb.TTL(context.Background(), prefix+"k").Val(); ttl <= 0 || ttl > time.Minute {
				t.Errorf("ttl %v", ttl)
			}
			if err := c.Set("n", 42, time.Minute); err == nil {
				t.Error("a non-string value was stored")
			}
			if err := c.Delete("k"); err != nil || c.IsExist("k") {
				t.Errorf("delete: %v", err)
			}
		})
	}
}
