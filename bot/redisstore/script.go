package redisstore

import (
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/contract"
)

// commitScript is contract.Commit as one atomic step in Redis: a
// compare-and-set on the version. Versions are compared as their 8-byte
// encodings, so the script does no arithmetic and Lua's float numbers never
// touch a version. Only the version is read (GETRANGE: "" for no key, like
// the empty encoding of "no state"); the state is copied into Lua only for
// a conflict, which returns it.
//
// It is two Redis calls on one key: each call a script makes costs Redis
// about a microsecond and the script's own start about five (measured with
// redis-benchmark on the development machine), which is why message ids
// and replies live in the state (see contract.Commit) rather than in keys
// of their own the script would check and write.
//
//	KEYS[1]  state key
//	ARGV[1]  expected version, encoded; empty for "no state"
//	ARGV[2]  new state value (version .. data); empty deletes the state
//	ARGV[3]  state TTL in ms, 0 for none
//
// It returns 1 when committed; for a conflict, the current state value, or
// nil when there is none.
var commitScript = redis.NewScript(`
local cur = redis.call('GETRANGE', KEYS[1], 0, 7)
if cur ~= ARGV[1] then
  return redis.call('GET', KEYS[1])
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
elseif ARGV[3] ~= '0' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
return 1
`)

// commitResult reads the script's answer (nil for redis.Nil); version is
// what a committed write stored.
func commitResult(out any, version int64) (contract.CommitResult, error) {
	switch v := out.(type) {
	case int64:
		if v == 1 {
			return contract.CommitResult{Committed: true, Version: version}, nil
		}
	case nil:
		return contract.CommitResult{Conflict: true}, nil
	case string:
		cur, err := decodeState([]byte(v))
		if err != nil {
			return contract.CommitResult{}, err
		}
		return contract.CommitResult{Conflict: true, Current: cur}, nil
	}
	return contract.CommitResult{}, fmt.Errorf("unexpected script result %v", out)
}
