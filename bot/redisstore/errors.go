package redisstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/yibao/yibao/bot/contract"
)

// wrap adds the operation to err and, when Redis is down, slow or busy
// rather than the request being wrong, marks it contract.ErrStoreUnavailable so
// that the bot answers without state.
func wrap(op string, err error) error {
	if unavailable(err) {
		return fmt.Errorf("redisstore: %s: %w: %w", op, contract.ErrStoreUnavailable, err)
	}
	return fmt.Errorf("redisstore: %s: %w", op, err)
}

// busyReplies are Redis error replies that say the server cannot serve now
// (starting, failing over, without the replicas it must write to, out of
// memory, stuck in a script), not that the command was wrong.
var busyReplies = []string{"LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "READONLY", "NOREPLICAS", "OOM"}

// lostTopology are go-redis's own errors, which it does not export, for a
// topology with no node to ask: every sentinel unreachable, or a cluster
// whose nodes all failed.
var lostTopology = []string{"redis: all sentinels specified in configuration are unreachable", "redis: cluster has no nodes"}

func unavailable(err error) bool {
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, redis.ErrClosed),
		errors.Is(err, redis.ErrPoolTimeout),
		errors.Is(err, redis.ErrPoolExhausted),
		errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &netErr):
		return true
	}
	for _, msg := range lostTopology {
		if strings.Contains(err.Error(), msg) {
			return true
		}
	}
	for _, prefix := range busyReplies {
		if redis.HasErrorPrefix(err, prefix) {
			return true
		}
	}
	return false
}
