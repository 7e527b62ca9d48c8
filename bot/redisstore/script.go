package redisstore

import (
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/contract"
)

// commitScript is contract.Commit as one atomic step in Redis. Versions are
// compared as their 8-byte encodings, so the script does no arithmetic and
// Lua's float numbers never touch a version. Only the version is read
// (GETRANGE: "" for no key, like the empty encoding of "no state"); the
// state is copied into Lua only for a conflict, which returns it.
//
//	KEYS[1]  state key
//	KEYS[2]  reply key, only when the commit has a message id
//	ARGV[1]  expected version, encoded; empty for "no state"
//	ARGV[2]  new state value (version .. data); empty deletes the state
//	ARGV[3]  state TTL in ms, 0 for none
//	ARGV[4]  reply
//	ARGV[5]  reply TTL in ms, 0 for none
//
// It returns {1} when committed, {2, reply} for a duplicate, and {3} or
// {3, current state value} for a conflict.
var commitScript = redis.NewScript(`
if KEYS[2] then
  local reply = redis.call('GET', KEYS[2])
  if reply then return {2, reply} end
end
local curVersion = redis.call('GETRANGE', KEYS[1], 0, 7)
if curVersion ~= ARGV[1] then
  local cur = redis.call('GET', KEYS[1])
  if cur then return {3, cur} end
  return {3}
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
elseif ARGV[3] ~= '0' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
if KEYS[2] then
  if ARGV[5] ~= '0' then
    redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
  else
    redis.call('SET', KEYS[2], ARGV[4])
  end
end
return {1}
`)

const (
	outCommitted = 1
	outDuplicate = 2
	outConflict  = 3
)

// commitResult reads the script's answer; version is what a committed
// write stored.
func commitResult(out []any, version int64) (contract.CommitResult, error) {
	if len(out) == 0 {
		return contract.CommitResult{}, fmt.Errorf("empty script result")
	}
	code, _ := out[0].(int64)
	switch {
	case code == outCommitted && len(out) == 1:
		return contract.CommitResult{Committed: true, Version: version}, nil
	case code == outDuplicate && len(out) == 2:
		reply, ok := out[1].(string)
		if !ok {
			break
		}
		return contract.CommitResult{Duplicate: true, Reply: []byte(reply)}, nil
	case code == outConflict && len(out) == 1:
		return contract.CommitResult{Conflict: true}, nil
	case code == outConflict && len(out) == 2:
		raw, ok := out[1].(string)
		if !ok {
			break
		}
		cur, err := decodeState([]byte(raw))
		if err != nil {
			return contract.CommitResult{}, err
		}
		return contract.CommitResult{Conflict: true, Current: cur}, nil
	}
	return contract.CommitResult{}, fmt.Errorf("unexpected script result %v", out)
}
