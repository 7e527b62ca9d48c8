package accesstoken

import (
	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
)

// The token source and the Redis cache fit the SDK's interfaces, so the
// SDK's own API clients can use them; only this test imports the SDK.
var (
	_ credential.AccessTokenContextHandle = (*Source)(nil)
	_ cache.ContextCache                  = (*RedisCache)(nil)
)
