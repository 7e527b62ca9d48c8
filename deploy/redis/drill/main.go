// Command drill puts a steady load of many users on one or more `yibao
// serve` replicas, breaks Redis mid-load with commands of your choosing
// (freeze a node, fail over a master, kill one), and then checks what the
// issue asks of the service:
//
//   - no HTTP error, no reply later than 4.5 s;
//   - throughput while Redis is broken, against before;
//   - how long after Redis returns until every message is stored again;
//   - retries of one message, sent to another replica at once, answered
//     with the same reply;
//   - no acknowledged dialog step lost: a message whose reply came from a
//     stored dialog step still has its stored reply (written by the same
//     atomic commit as the state) in Redis at the end.
//
// It speaks to the webhook as the WeChat platform does in plain mode (a
// token-signed XML push). Example (two replicas on a local cluster):
//
//	go run ./deploy/redis/drill -targets http://127.0.0.1:18081/wechat,http://127.0.0.1:18082/wechat \
//	  -redis "$(deploy/redis/local.sh url cluster)" -d 30s \
//	  -at 10s -do 'redis-cli -p 7003 cluster failover'
//
// -do runs (sh -c) at -at; -then, when set, runs -for later (e.g. SIGSTOP,
// then SIGCONT 5 s on).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/redisstore"
	"github.com/yibao/yibao/bot/wechat/wechattest"
)

type config struct {
	targets  []string
	redisURL string
	prefix   string
	token    string
	users    int
	conc     int
	dur      time.Duration
	retry    float64
	script   []string
	at       time.Duration
	do       string
	forDur   time.Duration
	then     string
	timeline bool
}

// sent is one push and what came of it.
type sent struct {
	user, msgID, text string
	at, took          time.Duration // since the start
	status            int           // 0: no HTTP answer
	reply             string
	retryReply        *string // the other replica's answer to the same push
	retryStatus       int
	retryTook         time.Duration
	storedReply       *string // the reply stored in Redis under its message id, if any
}

func main() {
	var c config
	targets := flag.String("targets", "http://127.0.0.1:18081/wechat", "comma-separated webhook URLs (the replicas)")
	flag.StringVar(&c.redisURL, "redis", "", "REDIS_URL of the replicas' Redis, to check stored replies at the end (empty: no check)")
	flag.StringVar(&c.prefix, "prefix", redisstore.DefaultPrefix, "the replicas' key prefix")
	flag.StringVar(&c.token, "token", "test-token", "the account token (plain mode)")
	flag.IntVar(&c.users, "users", 20000, "distinct users")
	flag.IntVar(&c.conc, "c", 300, "concurrent connections")
	flag.DurationVar(&c.dur, "d", 30*time.Second, "duration")
	flag.Float64Var(&c.retry, "retry", 0.05, "share of messages also sent at once to another replica, as a platform retry")
	script := flag.String("script", "报销计算|二档|住院|三级医院|50000|怎么报销|交多少钱|1|你好", "dialog each user runs, messages split by |")
	flag.DurationVar(&c.at, "at", 10*time.Second, "when to run -do")
	flag.StringVar(&c.do, "do", "", "shell command that breaks Redis (empty: none)")
	flag.DurationVar(&c.forDur, "for", 5*time.Second, "how long after -do to run -then")
	flag.StringVar(&c.then, "then", "", "shell command that mends it (empty: none)")
	flag.BoolVar(&c.timeline, "timeline", false, "print the messages sent and not stored per 250 ms around the fault")
	flag.Parse()
	c.targets = strings.Split(*targets, ",")
	c.script = strings.Split(*script, "|")
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "drill:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	before, err := scrapeAll(c.targets)
	if err != nil {
		return err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: c.conc, MaxConnsPerHost: 2 * c.conc}
	client := &http.Client{Timeout: 5 * time.Second, Transport: tr} // the platform gives up after 5 s
	p := &wechattest.Platform{Token: c.token}
	start := time.Now()
	var (
		mu        sync.Mutex
		all       []sent
		brokeAt   = time.Duration(-1)
		mendedAt  = time.Duration(-1)
		faultDone = make(chan error, 1)
	)
	go func() { faultDone <- fault(c, start, &mu, &brokeAt, &mendedAt) }()

	var msgID atomic.Int64
	msgID.Store(time.Now().UnixNano() / 1000)
	run := strconv.FormatInt(time.Now().Unix()%100000, 10)
	var wg sync.WaitGroup
	for w := range c.conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			step := map[int]int{}
			var local []sent
			// Worker w owns users w, w+conc, ..., so each user's messages
			// go one after another, as a person types them.
			for u := w; time.Since(start) < c.dur; {
				user := "o_drill_" + run + "_" + strconv.Itoa(u)
				text := c.script[step[u]%len(c.script)]
				step[u]++
				id := msgID.Add(1)
				push := wechattest.Push{From: user, Type: "text", Content: text, MsgID: id}
				first := rng.IntN(len(c.targets))
				s := sent{user: user, msgID: strconv.FormatInt(id, 10), text: text, at: time.Since(start)}
				var retried sync.WaitGroup
				if len(c.targets) > 1 && rng.Float64() < c.retry {
					var reply string
					s.retryReply = &reply
					retried.Add(1)
					go func() {
						defer retried.Done()
						time.Sleep(time.Duration(rng.IntN(20)) * time.Millisecond)
						t0 := time.Now()
						s.retryStatus, reply = send(client, p, c.targets[(first+1)%len(c.targets)], push)
						s.retryTook = time.Since(t0)
					}()
				}
				t0 := time.Now()
				s.status, s.reply = send(client, p, c.targets[first], push)
				s.took = time.Since(t0)
				retried.Wait()
				local = append(local, s)
				if u += c.conc; u >= c.users {
					u = w
				}
			}
			mu.Lock()
			all = append(all, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := <-faultDone; err != nil {
		return err
	}
	after, err := scrapeAll(c.targets)
	if err != nil {
		return err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].at < all[j].at })
	stored, err := storedReplies(c, all)
	if err != nil {
		return err
	}
	report(c, all, elapsed, brokeAt, mendedAt, before, after, stored)
	return nil
}

// fault runs -do at -at and -then -for later, noting when each returned.
func fault(c config, start time.Time, mu *sync.Mutex, brokeAt, mendedAt *time.Duration) error {
	if c.do == "" {
		return nil
	}
	time.Sleep(time.Until(start.Add(c.at)))
	if out, err := exec.Command("sh", "-c", c.do).CombinedOutput(); err != nil {
		return fmt.Errorf("-do %q: %v: %s", c.do, err, out)
	}
	mu.Lock()
	*brokeAt = time.Since(start)
	mu.Unlock()
	if c.then == "" {
		return nil
	}
	time.Sleep(c.forDur)
	if out, err := exec.Command("sh", "-c", c.then).CombinedOutput(); err != nil {
		return fmt.Errorf("-then %q: %v: %s", c.then, err, out)
	}
	mu.Lock()
	*mendedAt = time.Since(start)
	mu.Unlock()
	return nil
}

func send(client *http.Client, p *wechattest.Platform, target string, push wechattest.Push) (int, string) {
	r := p.Request(push)
	req, err := http.NewRequest(http.MethodPost, target+"?"+r.URL.RawQuery, r.Body)
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	reply, err := p.Read(push.From, resp.StatusCode, body)
	if err != nil {
		return resp.StatusCode, err.Error()
	}
	return resp.StatusCode, reply.Content
}

// storedReplies says, per message, whether its reply is stored in Redis
// (the commit that stores a dialog step writes it in the same script), and
// notes the stored reply.
func storedReplies(c config, all []sent) ([]bool, error) {
	out := make([]bool, len(all))
	if c.redisURL == "" {
		return out, nil
	}
	cfg, err := redisstore.ParseURL(c.redisURL, redisstore.Options{})
	if err != nil {
		return nil, err
	}
	client := cfg.NewClient()
	defer client.Close()
	ctx := context.Background()
	const batch = 500
	for i := 0; i < len(all); i += batch {
		pipe := client.Pipeline()
		j := min(i+batch, len(all))
		cmds := make([]*redis.StringCmd, 0, j-i)
		for _, s := range all[i:j] {
			key := c.prefix + "{" + s.user + "}:m:m:" + s.user + ":" + s.msgID
			cmds = append(cmds, pipe.Get(ctx, key))
		}
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("checking stored replies: %w", err)
		}
		for k, cmd := range cmds {
			if v, err := cmd.Result(); err == nil {
				out[i+k] = true
				all[i+k].storedReply = &v
			}
		}
	}
	return out, nil
}

// metrics are the counters the replicas export that the drill reads.
type metrics struct{ degraded, timeouts, errors float64 }

func scrapeAll(targets []string) (metrics, error) {
	var sum metrics
	for _, t := range targets {
		m, err := scrape(strings.TrimSuffix(t, "/wechat") + "/metrics")
		if err != nil {
			return sum, err
		}
		sum.degraded += m.degraded
		sum.timeouts += m.timeouts
		sum.errors += m.errors
	}
	return sum, nil
}

func scrape(url string) (metrics, error) {
	var m metrics
	resp, err := http.Get(url)
	if err != nil {
		return m, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return m, err
	}
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, "yibao_wechat_requests_total{") {
			continue
		}
		v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err != nil {
			return m, errors.New("unreadable metric line: " + line)
		}
		switch {
		case strings.Contains(line, `outcome="degraded"`):
			m.degraded += v
		case strings.Contains(line, `outcome="timeout"`):
			m.timeouts += v
		case strings.Contains(line, `outcome="error"`):
			m.errors += v
		}
	}
	return m, nil
}

func report(c config, all []sent, elapsed, brokeAt, mendedAt time.Duration, before, after metrics, stored []bool) {
	var lat []time.Duration
	failed, retries, retryMismatch, twoAnswers, notStored := 0, 0, 0, 0, 0
	var firstFailure string
	for i, s := range all {
		lat = append(lat, s.took)
		if s.status != http.StatusOK {
			failed++
			if firstFailure == "" {
				msg := s.reply
				if len(msg) > 160 { // a Go error names the long URL first
					msg = "…" + msg[len(msg)-160:]
				}
				firstFailure = fmt.Sprintf("HTTP %d at %.2fs: %s", s.status, s.at.Seconds(), msg)
			}
		}
		if s.retryReply != nil {
			retries++
			lat = append(lat, s.retryTook)
			if s.retryStatus != http.StatusOK {
				failed++
			}
			if *s.retryReply != s.reply {
				retryMismatch++
				// One of the two may be degraded (that replica's store
				// call failed); but both differing from the stored reply
				// would mean the step ran twice.
				if s.storedReply != nil && *s.storedReply != s.reply && *s.storedReply != *s.retryReply {
					twoAnswers++
				}
			}
		}
		answered := s.status == http.StatusOK || (s.retryReply != nil && s.retryStatus == http.StatusOK)
		if !stored[i] && answered {
			notStored++ // a message never answered acknowledged nothing
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	fmt.Printf("requests %d (%d messages, %d sent twice to two replicas) in %.1fs; HTTP errors or no answer %d\n",
		len(lat), len(all), retries, elapsed.Seconds(), failed)
	if firstFailure != "" {
		fmt.Printf("  first failure: %s\n", firstFailure)
	}
	fmt.Printf("latency p50 %v p99 %v max %v; over 4.5s: %d\n", pct(.5).Round(time.Microsecond), pct(.99).Round(time.Microsecond),
		pct(1).Round(time.Microsecond), countOver(lat, 4500*time.Millisecond))
	fmt.Printf("replicas: degraded replies %.0f, timeouts %.0f, errors %.0f\n",
		after.degraded-before.degraded, after.timeouts-before.timeouts, after.errors-before.errors)
	fmt.Printf("retries answered differently from the first push: %d; of these, neither answer is the stored one: %d\n",
		retryMismatch, twoAnswers)

	rate := func(from, to time.Duration) float64 {
		n := 0
		for _, s := range all {
			if s.at >= from && s.at < to {
				n++
			}
		}
		if to <= from {
			return 0
		}
		return float64(n) / (to - from).Seconds()
	}
	if brokeAt >= 0 {
		mend := mendedAt
		if mend < 0 {
			mend = brokeAt
		}
		fmt.Printf("fault at %.2fs, mended at %.2fs\n", brokeAt.Seconds(), mend.Seconds())
		fmt.Printf("throughput msgs/s: before %.0f, while broken %.0f, after %.0f\n",
			rate(time.Second, brokeAt), rate(brokeAt, max(mend, brokeAt+time.Second)), rate(mend+time.Second, elapsed-time.Second))
		var lastLost time.Duration = -1
		for i, s := range all {
			if !stored[i] && s.at > lastLost {
				lastLost = s.at
			}
		}
		if c.timeline {
			timeline(all, stored, brokeAt-time.Second, mend+3*time.Second)
		}
		if c.redisURL != "" {
			if lastLost < 0 {
				fmt.Printf("every message stored a dialog step\n")
			} else {
				fmt.Printf("last message not stored: sent %.2fs after the fault, %.2fs after it was mended\n",
					(lastLost - brokeAt).Seconds(), (lastLost - mend).Seconds())
			}
		}
	} else {
		fmt.Printf("throughput %.0f msgs/s\n", float64(len(all))/elapsed.Seconds())
	}
	if c.redisURL != "" {
		// A degraded reply stores nothing; any other reply not stored is
		// an acknowledged dialog step lost (or a commit that gave up on
		// conflicts, which the bot also answers without storing).
		deg := int(after.degraded - before.degraded)
		fmt.Printf("answered messages whose reply is not stored in Redis: %d; degraded replies %d; acknowledged steps lost (at most): %d\n",
			notStored, deg, max(0, notStored-deg))
	}
}

// timeline prints, per 250 ms of sending time, the messages sent, those
// not stored, and the slowest reply; and a few replies not stored after.
func timeline(all []sent, stored []bool, from, to time.Duration) {
	const step = 250 * time.Millisecond
	type bucket struct {
		n, notStored int
		slowest      time.Duration
	}
	buckets := map[time.Duration]*bucket{}
	for i, s := range all {
		if s.at < from || s.at >= to {
			continue
		}
		k := s.at.Truncate(step)
		b := buckets[k]
		if b == nil {
			b = &bucket{}
			buckets[k] = b
		}
		b.n++
		b.slowest = max(b.slowest, s.took)
		if !stored[i] {
			b.notStored++
		}
	}
	for k := from.Truncate(step); k < to; k += step {
		if b := buckets[k]; b != nil {
			fmt.Printf("  %6.2fs sent %5d not stored %5d slowest %v\n", k.Seconds(), b.n, b.notStored, b.slowest.Round(time.Millisecond))
		}
	}
	shown := 0
	for i, s := range all {
		if s.at >= to && !stored[i] && shown < 5 {
			shown++
			fmt.Printf("  not stored at %.2fs (%s, %q): %.100q\n", s.at.Seconds(), s.user, s.text, s.reply)
		}
	}
}

func countOver(lat []time.Duration, d time.Duration) int {
	n := 0
	for _, l := range lat {
		if l > d {
			n++
		}
	}
	return n
}
