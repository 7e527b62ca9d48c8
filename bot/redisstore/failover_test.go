package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/redisstore"
)

// TestClusterFailover fails over one master of REDIS_CLUSTER_URL (CLUSTER
// FAILOVER on its replica) while two stores, as two webhook replicas,
// commit many users' dialog steps.
func TestClusterFailover(t *testing.T) {
	url := os.Getenv("REDIS_CLUSTER_URL")
	if url == "" {
		t.Skip("REDIS_CLUSTER_URL not set")
	}
	failoverSuite(t, url, func(ctx context.Context, client redis.UniversalClient) (func() bool, error) {
		cc := client.(*redis.ClusterClient)
		var (
			mu      sync.Mutex
			replica *redis.Client
		)
		err := cc.ForEachSlave(ctx, func(ctx context.Context, c *redis.Client) error {
			mu.Lock()
			defer mu.Unlock()
			if replica == nil {
				replica = c
			}
			return nil
		})
		if err != nil || replica == nil {
			return nil, fmt.Errorf("finding a replica: %v", err)
		}
		if err := replica.ClusterFailover(ctx).Err(); err != nil {
			return nil, err
		}
		return func() bool {
			role, err := replica.Do(ctx, "ROLE").Slice()
			return err == nil && len(role) > 0 && role[0] == "master"
		}, nil
	})
}

// TestSentinelFailover fails REDIS_SENTINEL_URL's master over while two
// stores commit many users' dialog steps, the way the README says to for
// maintenance: pause writes on the master (CLIENT PAUSE WRITE), then
// SENTINEL FAILOVER. Sentinel alone promotes the replica while the old
// master still takes writes, and clients move only when told of the
// switch: about a second of acknowledged writes would be lost (a known
// limit of SENTINEL FAILOVER, redis/redis#13118). Paused, those writes
// wait and time out unacknowledged instead.
func TestSentinelFailover(t *testing.T) {
	url := os.Getenv("REDIS_SENTINEL_URL")
	if url == "" {
		t.Skip("REDIS_SENTINEL_URL not set")
	}
	failoverSuite(t, url, func(ctx context.Context, _ redis.UniversalClient) (func() bool, error) {
		cfg, err := redisstore.ParseURL(url, redisstore.Options{})
		if err != nil {
			return nil, err
		}
		sc := redis.NewSentinelClient(&redis.Options{Addr: cfg.Failover.SentinelAddrs[0]})
		t.Cleanup(func() { sc.Close() })
		name := cfg.Failover.MasterName
		before, err := sc.GetMasterAddrByName(ctx, name).Result()
		if err != nil {
			return nil, err
		}
		master := redis.NewClient(&redis.Options{Addr: before[0] + ":" + before[1]})
		defer master.Close()
		if err := master.Do(ctx, "CLIENT", "PAUSE", sentinelPause.Milliseconds(), "WRITE").Err(); err != nil {
			return nil, fmt.Errorf("pausing writes on the master: %w", err)
		}
		// A failover right after another (a rerun) is refused until the
		// last one's timeout has passed: wait for it.
		for {
			err = sc.Failover(ctx, name).Err()
			if err == nil || !strings.Contains(err.Error(), "INPROG") || ctx.Err() != nil {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		if err != nil {
			return nil, err
		}
		return func() bool {
			now, err := sc.GetMasterAddrByName(ctx, name).Result()
			return err == nil && strings.Join(now, ":") != strings.Join(before, ":")
		}, nil
	})
}

// sentinelPause outlasts Sentinel's switch and the clients' move to the new
// master (about 1.5 s on loopback).
const sentinelPause = 3 * time.Second

// failoverSuite runs users' dialogs on two stores sharing one Redis, calls
// failover mid-way, and goes on until its check says the new master took
// over and commits have gone through again. Then, for every user: each step
// acknowledged (committed, or answered as a duplicate with its reply) is in
// the final state once and in order; no message was committed by both
// stores; and store errors meanwhile were all ErrStoreUnavailable.
func failoverSuite(t *testing.T, url string, failover func(context.Context, redis.UniversalClient) (func() bool, error)) {
	first, client, prefix := realStoreWith(t, url, redisstore.Options{AutoPipeline: true})
	second, err := redisstore.Open(url, redisstore.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	stores := [2]*redisstore.Store{first, second}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var (
		stop        atomic.Bool
		lastFailure atomic.Int64 // unix nanos
		failures    atomic.Int64
		acked       atomic.Int64
		wg          sync.WaitGroup
	)
	const users = 40
	ackedByUser := make([][]string, users)
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("fo%03d", u)
			rng := rand.New(rand.NewPCG(uint64(u), 1))
			var rec contract.Record
			for step := 0; !stop.Load(); step++ {
				id := fmt.Sprintf("%s-%d", user, step)
				for !stop.Load() {
					// The state records the ids it took, as the bot's
					// session does: a conflict whose state holds id says
					// the message was answered.
					c := contract.Commit{
						Version: rec.Version, Data: append(append([]byte{}, rec.Data...), id+","...),
						Idempotent: true,
					}
					at := rng.IntN(2)
					results, errs := commitOnce(stores[at], user, c), [2]error{}
					var other *commitOutcome
					if rng.IntN(5) == 0 { // the platform retries on the other replica
						other = commitOnce(stores[1-at], user, c)
					}
					res := results.wait()
					errs[0] = res.err
					if other != nil {
						o := other.wait()
						errs[1] = o.err
						if res.r.Committed && o.r.Committed {
							t.Errorf("%s committed by both replicas", id)
						}
						if res.err != nil || (res.r.Conflict && o.err == nil && !o.r.Conflict) {
							res = o
						}
					}
					for _, err := range errs {
						if err != nil && !errors.Is(err, contract.ErrStoreUnavailable) {
							t.Errorf("%s: %v, want ErrStoreUnavailable", id, err)
						}
					}
					switch {
					case res.err != nil:
						failures.Add(1)
						lastFailure.Store(time.Now().UnixNano())
						time.Sleep(20 * time.Millisecond)
						continue
					case res.r.Conflict && !strings.Contains(","+string(res.r.Current.Data), ","+id+","):
						rec = res.r.Current
						continue
					case res.r.Conflict: // answered before: a retry, or a batch run twice
						rec = res.r.Current
					default:
						rec = contract.Record{Version: res.r.Version, Data: c.Data}
					}
					ackedByUser[u] = append(ackedByUser[u], id)
					acked.Add(1)
					break
				}
			}
		}()
	}

	time.Sleep(time.Second)
	ackedBefore := acked.Load()
	start := time.Now()
	tookOver, err := failover(ctx, client)
	if err != nil {
		stop.Store(true)
		wg.Wait()
		t.Fatalf("failover: %v", err)
	}
	for !tookOver() {
		if ctx.Err() != nil {
			stop.Store(true)
			wg.Wait()
			t.Fatal("the new master did not take over within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	tookOverAfter := time.Since(start)
	// Go on for three seconds after the new master took over (clients
	// learn of it in their own time), and until two have passed without a
	// failure.
	settled := func() bool {
		return time.Since(start) > tookOverAfter+3*time.Second && time.Since(time.Unix(0, lastFailure.Load())) > 2*time.Second
	}
	for !settled() && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	var recovered time.Duration
	if f := lastFailure.Load(); f > start.UnixNano() {
		recovered = time.Unix(0, f).Sub(start)
	}
	t.Logf("%d steps acknowledged (%d before the failover); %d commits failed; new master after %v; last failure %v after the failover began",
		acked.Load(), ackedBefore, failures.Load(), tookOverAfter.Round(time.Millisecond), recovered.Round(time.Millisecond))
	if acked.Load() <= ackedBefore {
		t.Fatal("no step acknowledged after the failover")
	}

	for u, ids := range ackedByUser {
		user := fmt.Sprintf("fo%03d", u)
		rec, err := first.Load(context.Background(), user)
		if err != nil {
			t.Fatalf("final load of %s: %v", user, err)
		}
		stored := strings.Split(strings.TrimSuffix(string(rec.Data), ","), ",")
		if len(ids) == 0 {
			continue
		}
		if diff := firstDifference(ids, stored); diff != "" {
			t.Errorf("%s: %d steps acknowledged, %d in the final state: %s", user, len(ids), len(stored), diff)
		}
	}
}

// firstDifference describes where the final state departs from the steps
// acknowledged, or is "" when they are the same.
func firstDifference(acked, stored []string) string {
	for i := range max(len(acked), len(stored)) {
		switch {
		case i >= len(stored):
			return fmt.Sprintf("acknowledged %s missing at the end", acked[i])
		case i >= len(acked):
			return fmt.Sprintf("%s stored but never acknowledged", stored[i])
		case acked[i] != stored[i]:
			return fmt.Sprintf("step %d: acknowledged %s, stored %s", i, acked[i], stored[i])
		}
	}
	return ""
}

// commitOutcome is a commit running on its own goroutine.
type commitOutcome struct {
	done chan struct{}
	r    contract.CommitResult
	err  error
}

func commitOnce(s *redisstore.Store, user string, c contract.Commit) *commitOutcome {
	o := &commitOutcome{done: make(chan struct{})}
	go func() {
		defer close(o.done)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		o.r, o.err = s.Commit(ctx, user, c)
	}()
	return o
}

func (o *commitOutcome) wait() *commitOutcome {
	<-o.done
	return o
}
