package redisstore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"
)

// ErrPlainServer: a rediss:// (TLS) URL names a server that speaks plain
// Redis. The TLS handshake then waits for an answer that never comes, and
// all go-redis says is "context deadline exceeded".
var ErrPlainServer = errors.New("the server answers plain Redis, not TLS: use redis:// in REDIS_URL, or enable TLS on the server")

// Explain adds what an operator can act on to err, a failed first call
// to the Redis of rawURL: for a rediss:// URL (the handshake times out
// against a real Redis, or ends in EOF), it asks the server in plain Redis
// (one PING, bounded by ctx and a second) and, if it answers, says the URL
// wants redis://. Otherwise err is returned as it is.
func Explain(ctx context.Context, rawURL string, err error) error {
	if err == nil {
		return nil
	}
	u, perr := url.Parse(rawURL)
	if perr != nil || u.Scheme != "rediss" || u.Host == "" {
		return err
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "6379")
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c, derr := (&net.Dialer{}).DialContext(ctx, "tcp", host)
	if derr != nil {
		return err
	}
	defer c.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(d)
	}
	if _, werr := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); werr != nil {
		return err
	}
	line, rerr := bufio.NewReader(c).ReadString('\n')
	if rerr != nil || len(line) == 0 || (line[0] != '+' && line[0] != '-') {
		return err
	}
	return fmt.Errorf("%w (%v)", ErrPlainServer, err)
}
