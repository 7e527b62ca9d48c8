// Package wechat is the WeChat official-account webhook: it checks and
// decrypts the platform's pushes, turns them into contract.Messages, runs the
// bot within the platform's deadline and answers with a passive reply,
// encrypted and signed in safe mode.
//
// It does not use the SDK (github.com/silenceper/wechat/v2): the SDK's
// server compares signatures with ==, has no timestamp check, reads
// unbounded bodies, has no retry dedup, logs through a global logrus and
// parses every push into a large struct by reflection. Not even its
// message type names (msgtypes.go): any SDK package brings its
// dependencies into the serving binary. sdk_test.go checks the signing,
// sealing and opening here against the SDK's own functions.
package wechat

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/panjf2000/ants/v2"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/bot/redact"
	"github.com/yibao/yibao/replies"
)

// What the user sees when the bot cannot answer in time or fails: always a
// kind answer, never an error status, which the user would see as "该公众号
// 暂时无法提供服务".
// The texts are replies'; these names stay for the adapter's callers.
const (
	TimeoutText = replies.TimeoutText
	ErrorText   = replies.ErrorText
)

// Webhook is the http.Handler for the account's server URL (mount it at
// /wechat). GET is the platform's URL check; POST a push.
type Webhook struct {
	cfg   Config
	token []byte
	keys  []*aesKey // current, then previous; none in plain mode
	bot   contract.Handler
	log   *zap.Logger
	// sampled logs what can come once per request (refusals, timeouts, bot
	// errors): anyone can send the first, and a sick store causes floods
	// of the others; the first few each second tell the story.
	sampled *zap.Logger
	metrics *Metrics
	now     func() time.Time
	flights flights
	replays *plainReplays // plain mode only
	bufs    sync.Pool     // *buffers
	// workers run the bot off the request's goroutine (see run). They are
	// reused: a new goroutine per message grew its stack through the
	// bot's frames every time (8.8% of a profile's samples under load,
	// about 1% with reused workers). The pool has no size limit, so a
	// stuck bot never delays another.
	workers *ants.Pool
}

// New checks cfg and returns the webhook. log and m may be nil (no logs, no
// metrics); now is the clock for timestamps, time.Now when nil.
func New(cfg Config, h contract.Handler, log *zap.Logger, m *Metrics, now func() time.Time) (*Webhook, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, errors.New("wechat: no bot handler")
	}
	if log == nil {
		log = zap.NewNop()
	}
	if now == nil {
		now = time.Now
	}
	w := &Webhook{
		cfg:     cfg.withDefaults(),
		token:   []byte(cfg.Token),
		bot:     h,
		log:     log,
		metrics: m,
		now:     now,
		sampled: log.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core {
			return zapcore.NewSamplerWithOptions(c, time.Second, 10, 100)
		})),
		bufs: sync.Pool{New: func() any { return new(buffers) }},
	}
	workers, err := ants.NewPool(-1, ants.WithLogger(zap.NewStdLog(log)))
	if err != nil {
		return nil, fmt.Errorf("wechat: worker pool: %w", err)
	}
	w.workers = workers
	if !cfg.Safe() {
		w.replays = newPlainReplays(cmp.Or(cfg.PlainReplays, DefaultPlainReplays))
		log.Warn("plain mode: pushes are neither encrypted nor covered by the signature; for development only, set the AES key (safe mode) on the internet")
	}
	for _, k := range []string{cfg.AESKey, cfg.PrevAESKey} {
		if k == "" {
			continue
		}
		key, err := newAESKey(k)
		if err != nil {
			return nil, fmt.Errorf("wechat: %w", err)
		}
		w.keys = append(w.keys, key)
	}
	return w, nil
}

// Close stops the idle workers; the webhook still answers after it, each
// message then on a goroutine of its own.
func (w *Webhook) Close() {
	w.workers.Release()
}

// buffers are one request's scratch space, reused across requests.
type buffers struct {
	body, ct, pt, reply, seal, out []byte
}

// rejection is a request refused before the bot saw it.
type rejection struct {
	status  int
	outcome string
	reason  string
}

func (r *rejection) Error() string { return r.reason }

func reject(status int, outcome, reason string) *rejection {
	return &rejection{status: status, outcome: outcome, reason: reason}
}

// ServeHTTP answers the platform.
func (w *Webhook) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	switch r.Method {
	case http.MethodGet:
		w.verifyURL(rw, r, start)
	case http.MethodPost:
		w.push(rw, r, start)
	default:
		rw.Header().Set("Allow", "GET, POST")
		w.refuse(rw, r, start, reject(http.StatusMethodNotAllowed, outcomeBadRequest, "method not allowed"))
	}
}

// verifyURL is the platform's URL check: echo echostr when signed.
func (w *Webhook) verifyURL(rw http.ResponseWriter, r *http.Request, start time.Time) {
	q := parseQuery(r.URL.RawQuery)
	if rej := w.checkQuery(&q); rej != nil {
		w.refuse(rw, r, start, rej)
		return
	}
	if q.echostr == "" {
		w.refuse(rw, r, start, reject(http.StatusBadRequest, outcomeBadRequest, "no echostr"))
		return
	}
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	rw.Write([]byte(q.echostr))
	w.metrics.observe("verify", "", outcomeOK, time.Since(start))
}

// checkQuery verifies the signature and the timestamp every request carries.
func (w *Webhook) checkQuery(q *query) *rejection {
	if !validSignature([]byte(q.signature), w.token, []byte(q.timestamp), []byte(q.nonce)) {
		return reject(http.StatusForbidden, outcomeRejectedSignature, "bad or missing signature")
	}
	ts, err := strconv.ParseInt(q.timestamp, 10, 64)
	if err != nil {
		return reject(http.StatusForbidden, outcomeStale, "bad timestamp")
	}
	skew := w.now().Sub(time.Unix(ts, 0))
	if skew > w.cfg.MaxSkew || skew < -w.cfg.MaxSkew {
		return reject(http.StatusForbidden, outcomeStale, "timestamp outside the allowed window")
	}
	return nil
}

func (w *Webhook) push(rw http.ResponseWriter, r *http.Request, start time.Time) {
	b := w.bufs.Get().(*buffers)
	defer w.bufs.Put(b)

	q := parseQuery(r.URL.RawQuery)
	p, key, rej := w.readPush(rw, r, &q, b)
	if rej == nil {
		rej = checkIDs(&p)
	}
	if rej != nil {
		w.refuse(rw, r, start, rej)
		return
	}
	m, kind, handled := toMessage(&p, w.now)
	if !handled {
		// Nothing the bot acts on (VIEW, LOCATION, SCAN, ...): "success"
		// tells the platform there is no reply.
		writeSuccess(rw)
		w.metrics.observe(kind, "", outcomeOK, time.Since(start))
		return
	}
	reply, outcome := w.ask(m, start)
	text := reply.Text
	if len(text) > w.cfg.MaxReplyBytes {
		w.sampled.Warn("bot reply over the passive reply limit, cut",
			zap.String("user", redact.UserID(m.User)), zap.String("intent", reply.Intent),
			zap.Int("bytes", len(text)), zap.Int("limit", w.cfg.MaxReplyBytes))
		text = truncateUTF8(text, w.cfg.MaxReplyBytes)
	}
	// A person asked for, and staff on duty: the platform passes the
	// conversation to them. Otherwise the text (the hotline) answers.
	transfer := reply.Handoff && w.cfg.Handoff != nil && w.cfg.Handoff(w.now())
	if text == "" && !transfer {
		writeSuccess(rw)
	} else if err := w.writeReply(rw, b, key, &q, m.User, string(p.ToUserName), text, transfer); err != nil {
		// Only the random source can fail here; still answer something
		// the platform accepts.
		w.log.Error("sealing reply", zap.Error(err))
		writeSuccess(rw)
	}
	w.metrics.observe(kind, reply.Intent, outcome, time.Since(start))
	if ce := w.log.Check(zap.DebugLevel, "push answered"); ce != nil {
		ce.Write(zap.String("user", redact.UserID(m.User)), zap.String("kind", kind),
			zap.String("text", redact.Text(m.Text)), zap.String("intent", reply.Intent),
			zap.String("outcome", outcome), zap.Duration("took", time.Since(start)))
	}
}

// readPush checks the request and returns the push inside it, and in safe
// mode the key it was encrypted with.
func (w *Webhook) readPush(rw http.ResponseWriter, r *http.Request, q *query, b *buffers) (push, *aesKey, *rejection) {
	var p push
	if rej := w.checkQuery(q); rej != nil {
		return p, nil, rej
	}
	safe := q.encryptType == "aes"
	if safe != w.cfg.Safe() {
		if w.cfg.Safe() {
			return p, nil, reject(http.StatusBadRequest, outcomeBadRequest, "plain push to a safe-mode account")
		}
		return p, nil, reject(http.StatusBadRequest, outcomeBadRequest, "encrypted push to a plain-mode account")
	}
	if r.ContentLength > w.cfg.MaxBody {
		return p, nil, reject(http.StatusRequestEntityTooLarge, outcomeTooLarge, "body over the size limit")
	}
	body, err := readBody(rw, r, b.body[:0], w.cfg.MaxBody)
	b.body = body
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return p, nil, reject(http.StatusRequestEntityTooLarge, outcomeTooLarge, "body over the size limit")
		}
		return p, nil, reject(http.StatusBadRequest, outcomeBadRequest, "reading body: "+err.Error())
	}
	if err := parsePush(body, &p); err != nil {
		return p, nil, reject(http.StatusBadRequest, outcomeBadRequest, "body: "+err.Error())
	}
	if !safe {
		ts, _ := strconv.ParseInt(q.timestamp, 10, 64) // checked above
		if !w.replays.check(q, body, w.now(), time.Unix(ts, 0).Add(w.cfg.MaxSkew)) {
			return p, nil, reject(http.StatusForbidden, outcomeReplayed, "plain mode: a signed URL used again with another body")
		}
		return p, nil, nil
	}
	if !validSignature([]byte(q.msgSignature), w.token, []byte(q.timestamp), []byte(q.nonce), p.Encrypt) {
		return p, nil, reject(http.StatusForbidden, outcomeRejectedSignature, "bad or missing msg_signature")
	}
	ct, err := decodeBase64(b.ct, p.Encrypt)
	b.ct = ct
	if err != nil {
		return p, nil, reject(http.StatusBadRequest, outcomeBadRequest, err.Error())
	}
	b.pt = grow(b.pt, len(ct))
	var firstErr error
	for _, key := range w.keys {
		plain, err := key.open(b.pt, ct, w.cfg.AppID)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if err := parsePush(plain, &p); err != nil {
			return p, nil, reject(http.StatusBadRequest, outcomeBadRequest, "decrypted message: "+err.Error())
		}
		return p, key, nil
	}
	return p, nil, reject(http.StatusBadRequest, outcomeBadRequest, "decrypting: "+firstErr.Error())
}

// readBody reads at most limit bytes of the body into buf.
func readBody(rw http.ResponseWriter, r *http.Request, buf []byte, limit int64) ([]byte, error) {
	body := http.MaxBytesReader(rw, r.Body, limit)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			if errors.Is(err, io.EOF) {
				return buf, nil
			}
			return buf, err
		}
	}
}

// ask runs the bot for m, or joins the run already in progress for the
// same message ID, and waits at most until the deadline.
//
// The bot's context ends a margin before the deadline: a bot that checks
// it before committing a step (bot.Bot does) then either commits in time
// for its reply to be sent, or does not commit at all, and the apology
// for a missed deadline never goes out for a step that was kept.
func (w *Webhook) ask(m contract.Message, start time.Time) (contract.Reply, string) {
	deadline := start.Add(w.cfg.Deadline)
	fl, leader := w.flights.join(m.ID)
	if leader {
		// The bot's context is not the request's: a platform that hangs up
		// must not cancel a dialog step half-way; the deadline bounds it.
		ctx, cancel := context.WithDeadline(context.Background(), deadline.Add(-commitMargin(w.cfg.Deadline)))
		if err := w.workers.Submit(func() { w.run(ctx, cancel, m, fl) }); err != nil {
			go w.run(ctx, cancel, m, fl) // closed: answer anyway
		}
	} else {
		w.metrics.dedup("inflight")
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-fl.done:
	case <-timer.C:
		select {
		case <-fl.done: // finished just in time
		default:
			w.sampled.Warn("bot missed the deadline; answered an apology",
				zap.String("user", redact.UserID(m.User)), zap.String("msg", redactID(m.ID)),
				zap.Bool("retry", !leader))
			return contract.Reply{Text: TimeoutText}, outcomeTimeout
		}
	}
	if errors.Is(fl.err, context.DeadlineExceeded) {
		w.sampled.Warn("bot missed the deadline and did not commit; answered an apology",
			zap.String("user", redact.UserID(m.User)), zap.String("msg", redactID(m.ID)), zap.Bool("retry", !leader))
		return contract.Reply{Text: TimeoutText}, outcomeTimeout
	}
	if fl.err != nil {
		if leader {
			w.sampled.Error("bot failed; answered an apology",
				zap.String("user", redact.UserID(m.User)), zap.String("msg", redactID(m.ID)), zap.Error(fl.err))
		}
		return contract.Reply{Text: ErrorText}, outcomeError
	}
	reply := fl.reply
	if leader {
		w.metrics.reply(replyFlags{degraded: reply.Degraded, unknown: reply.Intent == "unknown"})
	}
	switch {
	case !leader:
		return reply, outcomeDuplicate
	case reply.Duplicate:
		w.metrics.dedup("store")
		return reply, outcomeDuplicate
	case reply.Degraded:
		return reply, outcomeDegraded
	}
	return reply, outcomeOK
}

// commitMargin is how much earlier than the webhook's deadline the bot's
// context ends: time for a commit begun just before it to return (the
// store's calls honour the context) and for the reply to be written.
func commitMargin(deadline time.Duration) time.Duration {
	return min(500*time.Millisecond, deadline/4)
}

// run calls the bot on its own goroutine, so that a bot ignoring its
// context cannot hold the answer past the deadline. The flight ends when
// the bot returns, not at the deadline: until then a retry must not start
// the dialog a second time.
func (w *Webhook) run(ctx context.Context, cancel context.CancelFunc, m contract.Message, fl *flight) {
	var (
		reply contract.Reply
		err   error
	)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("bot panicked: %v", p)
		}
		// Finish before cancel: the leader waits on both and must see
		// the reply, not a timeout, when the bot was in time.
		w.flights.finish(m.ID, fl, reply, err)
		cancel()
	}()
	reply, err = w.bot.Handle(ctx, m)
}

// writeReply writes the passive text reply, or with transfer the hand-over
// to customer service, sealed in safe mode.
func (w *Webhook) writeReply(rw http.ResponseWriter, b *buffers, key *aesKey, q *query, user, account, text string, transfer bool) error {
	now := w.now().Unix()
	if transfer {
		b.reply = appendTransferReply(b.reply[:0], user, account, now)
	} else {
		b.reply = appendTextReply(b.reply[:0], user, account, now, text)
	}
	out := b.reply
	if key != nil {
		var err error
		b.out, b.seal, err = key.seal(b.out[:0], b.seal, b.reply, w.cfg.AppID)
		if err != nil {
			return err
		}
		enc := b.out
		var ts, nonce [20]byte
		tsb := strconv.AppendInt(ts[:0], now, 10)
		nb := strconv.AppendUint(nonce[:0], uint64(rand.Uint32()), 10)
		var sig [40]byte
		signature(&sig, w.token, tsb, nb, enc)
		// The envelope goes after the ciphertext in the same buffer.
		b.out = appendEnvelope(b.out, enc, &sig, string(tsb), string(nb))
		out = b.out[len(enc):]
	}
	rw.Header().Set("Content-Type", "application/xml; charset=utf-8")
	rw.Write(out)
	return nil
}

func writeSuccess(rw http.ResponseWriter) {
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.Write([]byte("success"))
}

func (w *Webhook) refuse(rw http.ResponseWriter, r *http.Request, start time.Time, rej *rejection) {
	http.Error(rw, http.StatusText(rej.status), rej.status)
	w.metrics.observe("none", "", rej.outcome, time.Since(start))
	w.sampled.Warn("push refused", zap.Int("status", rej.status), zap.String("outcome", rej.outcome),
		zap.String("reason", rej.reason), zap.String("remote", r.RemoteAddr))
}

// toMessage maps a push to what the bot understands. handled is false for
// pushes the bot has nothing to do with; kind is the metrics label.
func toMessage(p *push, now func() time.Time) (m contract.Message, kind string, handled bool) {
	m.User = string(p.FromUserName)
	created, err := strconv.ParseInt(string(trimSpace(p.CreateTime)), 10, 64)
	if err == nil {
		m.Time = time.Unix(created, 0)
	} else {
		m.Time = now()
	}
	msgType := msgType(trimSpace(p.MsgType))
	if msgType == msgTypeEvent {
		event := eventType(trimSpace(p.Event))
		switch event {
		case eventSubscribe:
			m.Kind, kind = contract.KindFollow, "follow"
		case eventUnsubscribe:
			m.Kind, kind = contract.KindUnfollow, "unfollow"
		case eventClick:
			m.Kind, kind = contract.KindMenu, "menu"
			m.Key = string(p.EventKey)
		default:
			return m, "other", false
		}
		if err == nil {
			m.ID = "e:" + m.User + ":" + string(event) + ":" + string(p.EventKey) + ":" + strconv.FormatInt(created, 10)
		}
		return m, kind, true
	}
	switch msgType {
	case msgTypeText:
		m.Kind, kind = contract.KindText, "text"
		m.Text = string(p.Content)
	case msgTypeVoice:
		m.Kind, kind = contract.KindVoice, "voice"
		m.Text = string(p.Recognition)
	case msgTypeImage, msgTypeLocation, msgTypeLink, msgTypeVideo, msgTypeShortVideo:
		m.Kind, kind = contract.KindMedia, "media"
	default:
		return m, "other", false
	}
	if id := trimSpace(p.MsgID); len(id) > 0 {
		m.ID = "m:" + m.User + ":" + string(id)
	}
	return m, kind, true
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// redactID keeps a message ID loggable: the user hashed, and for an event
// its key hashed too (a menu key is ours, but the field is the sender's to
// fill). Ids are "m:user:msgid" and "e:user:event:key:created"; user,
// msgid, event and created hold no ':' (checkIDs).
func redactID(id string) string {
	kind, rest, ok := strings.Cut(id, ":")
	if !ok {
		return id
	}
	user, rest, _ := strings.Cut(rest, ":")
	if kind != "e" {
		return kind + ":" + redact.UserID(user) + ":" + rest
	}
	event, rest, _ := strings.Cut(rest, ":")
	cut := strings.LastIndexByte(rest, ':')
	if cut < 0 {
		return kind + ":" + redact.UserID(user) + ":" + event
	}
	return kind + ":" + redact.UserID(user) + ":" + event + ":" + redact.UserID(rest[:cut]) + rest[cut:]
}
