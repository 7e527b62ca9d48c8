package wechat

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"
)

// The SDK is imported here, in a test, only: the webhook keeps its own
// crypto (stricter: padding and length checks, constant-time signature
// comparison) and its own names, and these tests keep both equal to the
// SDK's.

func randomKey(t *testing.T) string {
	t.Helper()
	k := make([]byte, 32)
	rand.Read(k)
	return strings.TrimSuffix(base64.StdEncoding.EncodeToString(k), "=")
}

func TestSignatureMatchesSDK(t *testing.T) {
	for i := range 200 {
		parts := make([]string, 3+i%2)
		raw := make([][]byte, len(parts))
		for j := range parts {
			b := make([]byte, i%50)
			rand.Read(b)
			parts[j] = base64.RawURLEncoding.EncodeToString(b)
			raw[j] = []byte(parts[j])
		}
		var sig [40]byte
		signature(&sig, raw...)
		if want := util.Signature(parts...); string(sig[:]) != want {
			t.Fatalf("signature(%q) = %s, SDK %s", parts, sig, want)
		}
		if !validSignature([]byte(util.Signature(parts...)), raw...) {
			t.Fatalf("the SDK's signature of %q is not valid here", parts)
		}
	}
}

// TestSealAndOpenMatchSDK: what we seal the SDK opens, and what the SDK
// seals we open, for every padding length.
func TestSealAndOpenMatchSDK(t *testing.T) {
	const appID = "wx1234567890abcdef"
	for n := range 100 {
		encoded := randomKey(t)
		k, err := newAESKey(encoded)
		if err != nil {
			t.Fatal(err)
		}
		msg := bytes.Repeat([]byte("消"), n/3)
		msg = append(msg, bytes.Repeat([]byte("x"), n%3)...)

		sealed, _, err := k.seal(nil, nil, msg, appID)
		if err != nil {
			t.Fatal(err)
		}
		_, got, err := util.DecryptMsg(appID, string(sealed), encoded)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("%d bytes: the SDK opens our seal as %q, %v", len(msg), got, err)
		}

		random := make([]byte, 16)
		rand.Read(random)
		theirs, err := util.EncryptMsg(random, msg, appID, encoded)
		if err != nil {
			t.Fatal(err)
		}
		ct, err := decodeBase64(nil, theirs)
		if err != nil {
			t.Fatal(err)
		}
		opened, err := k.open(make([]byte, len(ct)), ct, appID)
		if err != nil || !bytes.Equal(opened, msg) {
			t.Fatalf("%d bytes: we open the SDK's seal as %q, %v", len(msg), opened, err)
		}
		if _, err := k.open(make([]byte, len(ct)), ct, "wx_other"); err == nil {
			t.Fatal("opened a message sealed for another AppID")
		}
	}
}

func TestMsgTypesMatchSDK(t *testing.T) {
	pairs := []struct{ ours, sdk string }{
		{string(msgTypeText), string(message.MsgTypeText)},
		{string(msgTypeImage), string(message.MsgTypeImage)},
		{string(msgTypeVoice), string(message.MsgTypeVoice)},
		{string(msgTypeVideo), string(message.MsgTypeVideo)},
		{string(msgTypeShortVideo), string(message.MsgTypeShortVideo)},
		{string(msgTypeLocation), string(message.MsgTypeLocation)},
		{string(msgTypeLink), string(message.MsgTypeLink)},
		{string(msgTypeEvent), string(message.MsgTypeEvent)},
		{string(eventSubscribe), string(message.EventSubscribe)},
		{string(eventUnsubscribe), string(message.EventUnsubscribe)},
		{string(eventClick), string(message.EventClick)},
	}
	for _, p := range pairs {
		if p.ours != p.sdk {
			t.Errorf("ours %q, the SDK's %q", p.ours, p.sdk)
		}
	}
}

// TestWebhookLinksNoSDK: the webhook's package (not its tests) pulls in
// nothing of the SDK or what the SDK brings.
func TestWebhookLinksNoSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/yibao/yibao/bot/wechat").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"github.com/silenceper/", "github.com/go-redis/redis/v8", "github.com/bradfitz/gomemcache", "github.com/sirupsen/logrus", "golang.org/x/crypto"} {
			if strings.HasPrefix(dep, bad) {
				t.Errorf("bot/wechat depends on %s", dep)
			}
		}
	}
}
