package wechattest

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// LoadResult counts a load run. Refused dials sent nothing (no server was
// listening) and were tried again; Failed requests may have reached the
// webhook and got no proper answer: those are what a restart must not
// cause.
type LoadResult struct {
	OK      int64
	Failed  int64
	Refused int64
	Errors  map[string]int // Failed by error text, for the report
}

func (r LoadResult) String() string {
	return fmt.Sprintf("%d answered, %d failed, %d dials refused (retried) %v", r.OK, r.Failed, r.Refused, r.Errors)
}

var addrs = regexp.MustCompile(`[0-9.]+:[0-9]+`)

// script.txt holds the messages a load run sends, one a line, in turn.
//
//go:embed script.txt
var scriptText string

// loadScript is script.txt's messages, blank lines skipped.
func loadScript() []string {
	var msgs []string
	for line := range strings.Lines(scriptText) {
		if line = strings.TrimSpace(line); line != "" {
			msgs = append(msgs, line)
		}
	}
	if len(msgs) == 0 {
		panic("wechattest: script.txt holds no message")
	}
	return msgs
}

// Load plays the platform under load: conc workers each send text pushes
// from users of their own, over keep-alive connections to baseURL (the
// webhook's scheme://host), until ctx ends.
func (p *Platform) Load(ctx context.Context, baseURL string, conc int) LoadResult {
	tr := &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc,
		DialContext: (&net.Dialer{Timeout: 2 * time.Second}).DialContext}
	defer tr.CloseIdleConnections()
	client := &http.Client{Timeout: 10 * time.Second, Transport: tr}
	var (
		ok, failed, refused atomic.Int64
		mu                  sync.Mutex
		errs                = map[string]int{}
		msgID               atomic.Int64
		wg                  sync.WaitGroup
	)
	msgID.Store(time.Now().UnixNano() / 1000)
	script := loadScript()
	run := mrand.Uint32() // users of this run only: a shared Redis may hold others'
	for w := range conc {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				req := p.Request(Push{From: fmt.Sprintf("o_load_%08x_%04d", run, w), Type: "text", Content: script[i%len(script)], MsgID: msgID.Add(1)})
				u := baseURL + req.URL.RequestURI()
				out, err := http.NewRequestWithContext(context.WithoutCancel(ctx), req.Method, u, req.Body)
				if err != nil {
					panic(err)
				}
				out.Header = req.Header
				reused := false
				out = out.WithContext(httptrace.WithClientTrace(out.Context(), &httptrace.ClientTrace{
					GotConn: func(i httptrace.GotConnInfo) { reused = i.Reused },
				}))
				resp, err := client.Do(out)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				var op *net.OpError
				switch {
				case err == nil:
					ok.Add(1)
				case errors.As(err, &op) && op.Op == "dial":
					refused.Add(1)
					time.Sleep(5 * time.Millisecond)
				default:
					failed.Add(1)
					var ue *url.Error
					if errors.As(err, &ue) {
						err = ue.Err // without the URL, which differs each time
					}
					key := addrs.ReplaceAllString(err.Error(), "ADDR") + " (new connection)"
					if reused {
						key = strings.TrimSuffix(key, " (new connection)") + " (reused connection)"
					}
					mu.Lock()
					errs[key]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return LoadResult{OK: ok.Load(), Failed: failed.Load(), Refused: refused.Load(), Errors: errs}
}
