// Package wechattest plays the WeChat platform towards a webhook in tests:
// it signs and (in safe mode) encrypts pushes as the platform does, and
// verifies and decrypts the answers. It is written from the platform's
// published rules with the standard library only, independently of the
// webhook's own code, so that a shared misunderstanding cannot hide.
package wechattest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Platform is one official account as the platform sees it.
type Platform struct {
	Token  string
	AppID  string
	AESKey string // set: safe mode
	// Account is the account's original id (gh_...), the pushes' ToUserName;
	// "gh_test" when empty.
	Account string
	// Now is the platform's clock, for timestamps; time.Now when nil.
	Now func() time.Time
	// Path is the webhook's path; "/wechat" when empty.
	Path string

	nonce     atomic.Int64
	nonceOnce sync.Once
}

// Push is one message or event the platform delivers.
type Push struct {
	From        string
	Type        string // text, voice, image, location, link, video, shortvideo, event
	Content     string // text
	Recognition string // voice
	Event       string // subscribe, unsubscribe, CLICK, VIEW, ...
	EventKey    string
	MsgID       int64 // 0: none (events)
	Created     int64 // 0: the platform's now
}

func (p *Platform) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Platform) account() string {
	if p.Account == "" {
		return "gh_test"
	}
	return p.Account
}

// Sign is the platform's signature: sha1 of the sorted parts, in hex.
func Sign(parts ...string) string {
	s := append([]string(nil), parts...)
	sort.Strings(s)
	sum := sha1.Sum([]byte(strings.Join(s, "")))
	return hex.EncodeToString(sum[:])
}

// CDATA wraps s in CDATA sections, splitting any "]]>" in it.
func CDATA(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

// XML is the plaintext XML of m.
func (p *Platform) XML(m Push) []byte {
	created := m.Created
	if created == 0 {
		created = p.now().Unix()
	}
	var b strings.Builder
	b.WriteString("<xml><ToUserName>" + CDATA(p.account()) + "</ToUserName>")
	b.WriteString("<FromUserName>" + CDATA(m.From) + "</FromUserName>")
	b.WriteString("<CreateTime>" + strconv.FormatInt(created, 10) + "</CreateTime>")
	b.WriteString("<MsgType>" + CDATA(m.Type) + "</MsgType>")
	switch m.Type {
	case "text":
		b.WriteString("<Content>" + CDATA(m.Content) + "</Content>")
	case "voice":
		b.WriteString("<MediaId>" + CDATA("media1") + "</MediaId><Format>" + CDATA("amr") + "</Format>")
		b.WriteString("<Recognition>" + CDATA(m.Recognition) + "</Recognition>")
	case "image":
		b.WriteString("<PicUrl>" + CDATA("http://example.invalid/a.jpg") + "</PicUrl><MediaId>" + CDATA("m") + "</MediaId>")
	case "location":
		b.WriteString("<Location_X>29.563</Location_X><Location_Y>106.551</Location_Y><Scale>15</Scale><Label>" + CDATA("Yuzhong District, Chongqing") + "</Label>")
	case "link":
		b.WriteString("<Title>" + CDATA("t") + "</Title><Description>" + CDATA("d") + "</Description><Url>" + CDATA("http://example.invalid") + "</Url>")
	case "event":
		b.WriteString("<Event>" + CDATA(m.Event) + "</Event>")
		if m.EventKey != "" {
			b.WriteString("<EventKey>" + CDATA(m.EventKey) + "</EventKey>")
		}
		if m.Event == "scancode_push" {
			b.WriteString("<ScanCodeInfo><ScanType>" + CDATA("qrcode") + "</ScanType><ScanResult>" + CDATA("1") + "</ScanResult></ScanCodeInfo>")
		}
	}
	if m.MsgID != 0 {
		b.WriteString("<MsgId>" + strconv.FormatInt(m.MsgID, 10) + "</MsgId>")
	}
	b.WriteString("</xml>")
	return []byte(b.String())
}

// Request is the POST the platform sends for m.
func (p *Platform) Request(m Push) *http.Request {
	if p.AESKey == "" {
		return p.PlainRequest(p.XML(m))
	}
	return p.EncryptedRequest(Seal(p.AESKey, p.AppID, p.XML(m)))
}

// PlainRequest is a plain-mode POST with body as is.
func (p *Platform) PlainRequest(body []byte) *http.Request {
	q := p.signedQuery()
	return p.post(q, body)
}

// EncryptedRequest is a safe-mode POST carrying encrypt (any string: the
// caller may craft broken ones), with a valid msg_signature over it.
func (p *Platform) EncryptedRequest(encrypt string) *http.Request {
	body := "<xml><ToUserName>" + CDATA(p.account()) + "</ToUserName><Encrypt>" + CDATA(encrypt) + "</Encrypt></xml>"
	return p.SafeRequest([]byte(body), encrypt)
}

// SafeRequest is a safe-mode POST with body as is and a valid
// msg_signature over encrypt: for envelopes that are themselves broken.
func (p *Platform) SafeRequest(body []byte, encrypt string) *http.Request {
	q := p.signedQuery()
	q.Set("encrypt_type", "aes")
	q.Set("msg_signature", Sign(p.Token, q.Get("timestamp"), q.Get("nonce"), encrypt))
	return p.post(q, body)
}

// VerifyRequest is the URL check.
func (p *Platform) VerifyRequest(echostr string) *http.Request {
	q := p.signedQuery()
	q.Set("echostr", echostr)
	return httptest.NewRequest(http.MethodGet, p.path()+"?"+q.Encode(), nil)
}

func (p *Platform) path() string {
	if p.Path == "" {
		return "/wechat"
	}
	return p.Path
}

func (p *Platform) signedQuery() url.Values {
	ts := strconv.FormatInt(p.now().Unix(), 10)
	// Random, as the platform's: two Platforms must not sign the same
	// (timestamp, nonce), which a plain-mode webhook takes for a replay.
	p.nonceOnce.Do(func() { p.nonce.Store(mrand.Int64N(1e15)) })
	nonce := strconv.FormatInt(p.nonce.Add(1), 10)
	return url.Values{
		"signature": {Sign(p.Token, ts, nonce)},
		"timestamp": {ts},
		"nonce":     {nonce},
		"openid":    {"o_ignored"},
	}
}

func (p *Platform) post(q url.Values, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, p.path()+"?"+q.Encode(), bytes.NewReader(body))
	r.Header.Set("Content-Type", "text/xml")
	return r
}

// SetQuery changes (or with value "" removes) a query parameter of r.
func SetQuery(r *http.Request, key, value string) {
	q := r.URL.Query()
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	r.URL.RawQuery = q.Encode()
	r.RequestURI = r.URL.RequestURI()
}

func aesKey(encoded string) []byte {
	k, err := base64.StdEncoding.DecodeString(encoded + "=")
	if err != nil || len(k) != 32 {
		panic(fmt.Sprintf("wechattest: bad EncodingAESKey %q", encoded))
	}
	return k
}

// Seal encrypts msg as the platform does: base64(AES-256-CBC(random(16) |
// len(msg) big-endian (4) | msg | appID, PKCS#7 to 32 bytes)), IV = key[:16].
func Seal(encodedKey, appID string, msg []byte) string {
	var buf bytes.Buffer
	r := make([]byte, 16)
	rand.Read(r)
	buf.Write(r)
	binary.Write(&buf, binary.BigEndian, uint32(len(msg)))
	buf.Write(msg)
	buf.WriteString(appID)
	pad := 32 - buf.Len()%32
	buf.Write(bytes.Repeat([]byte{byte(pad)}, pad))
	return EncryptBlocks(encodedKey, buf.Bytes())
}

// EncryptBlocks encrypts plaintext, a whole number of AES blocks, with no
// padding added: for crafting broken ciphertexts.
func EncryptBlocks(encodedKey string, plaintext []byte) string {
	key := aesKey(encodedKey)
	block, _ := aes.NewCipher(key)
	out := make([]byte, len(plaintext))
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(out, plaintext)
	return base64.StdEncoding.EncodeToString(out)
}

// Open decrypts what Seal makes and checks the padding and the AppID.
func Open(encodedKey, appID, encrypted string) ([]byte, error) {
	key := aesKey(encodedKey)
	ct, err := base64.StdEncoding.DecodeString(encrypted)
	if err != nil {
		return nil, fmt.Errorf("not base64: %w", err)
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, errors.New("not a whole number of blocks")
	}
	block, _ := aes.NewCipher(key)
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, key[:16]).CryptBlocks(pt, ct)
	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > 32 || !bytes.Equal(pt[len(pt)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, errors.New("bad padding")
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < 20 {
		return nil, errors.New("too short")
	}
	n := int(binary.BigEndian.Uint32(pt[16:20]))
	if 20+n > len(pt) {
		return nil, errors.New("length overruns")
	}
	if got := string(pt[20+n:]); got != appID {
		return nil, fmt.Errorf("encrypted for AppID %q, want %q", got, appID)
	}
	return pt[20 : 20+n], nil
}

// Reply is a webhook's answer as the platform reads it.
type Reply struct {
	Status     int
	Body       string
	Success    bool // "success" or empty: no passive reply
	MsgType    string
	Content    string
	To, From   string
	CreateTime int64
}

type envelope struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      string   `xml:"Encrypt"`
	MsgSignature string   `xml:"MsgSignature"`
	TimeStamp    string   `xml:"TimeStamp"`
	Nonce        string   `xml:"Nonce"`
}

type textReply struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   `xml:"ToUserName"`
	FromUserName string   `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      string   `xml:"MsgType"`
	Content      string   `xml:"Content"`
}

// Read checks an answer to a push from user the way the platform does: in
// safe mode the signature and the encryption, then the XML and that it is
// addressed to user from the account.
func (p *Platform) Read(user string, status int, body []byte) (Reply, error) {
	r := Reply{Status: status, Body: string(body)}
	if status != http.StatusOK {
		return r, fmt.Errorf("HTTP %d: %.200s", status, body)
	}
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" || trimmed == "success" {
		r.Success = true
		return r, nil
	}
	inner := []byte(trimmed)
	if p.AESKey != "" {
		var e envelope
		if err := xml.Unmarshal(inner, &e); err != nil {
			return r, fmt.Errorf("safe-mode reply is not XML: %w", err)
		}
		if e.Encrypt == "" || e.TimeStamp == "" || e.Nonce == "" {
			return r, fmt.Errorf("safe-mode reply lacks Encrypt, TimeStamp or Nonce: %s", trimmed)
		}
		if Sign(p.Token, e.TimeStamp, e.Nonce, e.Encrypt) != e.MsgSignature {
			return r, errors.New("safe-mode reply MsgSignature does not verify")
		}
		var err error
		if inner, err = Open(p.AESKey, p.AppID, e.Encrypt); err != nil {
			return r, fmt.Errorf("decrypting reply: %w", err)
		}
	}
	var t textReply
	if err := xml.Unmarshal(inner, &t); err != nil {
		return r, fmt.Errorf("reply is not XML: %w: %s", err, inner)
	}
	if t.ToUserName != user || t.FromUserName != p.account() {
		return r, fmt.Errorf("reply addressed to %q from %q, want to %q from %q", t.ToUserName, t.FromUserName, user, p.account())
	}
	r.MsgType, r.Content, r.To, r.From, r.CreateTime = t.MsgType, t.Content, t.ToUserName, t.FromUserName, t.CreateTime
	return r, nil
}

// Do serves m to h and reads the answer.
func (p *Platform) Do(h http.Handler, m Push) (Reply, error) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, p.Request(m))
	return p.Read(m.From, rec.Code, rec.Body.Bytes())
}
