package accesstoken

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// tokenCache is what a Source keeps its token in. Its methods are those of
// the SDK's cache.ContextCache, so RedisCache serves the SDK too (a test
// checks it); the SDK's package is not imported here, since it would link
// its go-redis v8 and memcache clients into the binary.
type tokenCache interface {
	GetContext(ctx context.Context, key string) any
	SetContext(ctx context.Context, key string, val any, timeout time.Duration) error
}

// RedisCache is the SDK's cache interface over go-redis v9 (the SDK's own
// Redis cache is built on go-redis v8). Values are kept as strings, which
// is all the SDK stores (tokens and tickets).
type RedisCache struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedisCache keeps values under prefix in rdb.
func NewRedisCache(rdb redis.UniversalClient, prefix string) *RedisCache {
	return &RedisCache{rdb: rdb, prefix: prefix}
}

func (c *RedisCache) Get(key string) any { return c.GetContext(context.Background(), key) }

func (c *RedisCache) Set(key string, val any, timeout time.Duration) error {
	return c.SetContext(context.Background(), key, val, timeout)
}

func (c *RedisCache) IsExist(key string) bool { return c.IsExistContext(context.Background(), key) }

func (c *RedisCache) Delete(key string) error { return c.DeleteContext(context.Background(), key) }

// GetContext returns the string stored at key, or nil when there is none
// (or Redis fails: the caller then fetches, which is always safe).
func (c *RedisCache) GetContext(ctx context.Context, key string) any {
	v, err := c.rdb.Get(ctx, c.prefix+key).Result()
	if err != nil {
		return nil
	}
	return v
}

// SetContext stores val, a string, for timeout (0: no expiry).
func (c *RedisCache) SetContext(ctx context.Context, key string, val any, timeout time.Duration) error {
	s, ok := val.(string)
	if !ok {
		return fmt.Errorf("accesstoken cache: %T values are not supported, only strings", val)
	}
	return c.rdb.Set(ctx, c.prefix+key, s, timeout).Err()
}

func (c *RedisCache) IsExistContext(ctx context.Context, key string) bool {
	n, err := c.rdb.Exists(ctx, c.prefix+key).Result()
	return err == nil && n > 0
}

func (c *RedisCache) DeleteContext(ctx context.Context, key string) error {
	if err := c.rdb.Del(ctx, c.prefix+key).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	return nil
}

// memoryCache keeps the token in this process, for a single replica
// without Redis.
type memoryCache struct {
	mu sync.Mutex
	m  map[string]memoryEntry
}

type memoryEntry struct {
	val     any
	expires time.Time // zero: never
}

func newMemoryCache() *memoryCache { return &memoryCache{m: map[string]memoryEntry{}} }

func (c *memoryCache) GetContext(_ context.Context, key string) any {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !e.expires.IsZero() && time.Now().After(e.expires) {
		delete(c.m, key)
		return nil
	}
	return e.val
}

func (c *memoryCache) SetContext(_ context.Context, key string, val any, timeout time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := memoryEntry{val: val}
	if timeout > 0 {
		e.expires = time.Now().Add(timeout)
	}
	c.m[key] = e
	return nil
}
