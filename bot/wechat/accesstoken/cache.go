package accesstoken

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
)

// RedisCache is the SDK's cache interface over go-redis v9 (the SDK's own
// Redis cache is built on go-redis v8). Values are kept as strings, which
// is all the SDK stores (tokens and tickets).
type RedisCache struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ cache.ContextCache = (*RedisCache)(nil)

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
