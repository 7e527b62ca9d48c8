package wechat

// The platform's names for what a push is (MsgType) and, for events, which
// event (Event). They are the SDK's constants, written here so that the
// webhook does not import the SDK: its packages bring a second Redis
// client, a memcache client and an old golang.org/x/crypto into the
// serving binary. TestMsgTypesMatchSDK keeps them equal.
type (
	msgType   string
	eventType string
)

const (
	msgTypeText       msgType = "text"
	msgTypeImage      msgType = "image"
	msgTypeVoice      msgType = "voice"
	msgTypeVideo      msgType = "video"
	msgTypeShortVideo msgType = "shortvideo"
	msgTypeLocation   msgType = "location"
	msgTypeLink       msgType = "link"
	msgTypeEvent      msgType = "event"

	eventSubscribe   eventType = "subscribe"
	eventUnsubscribe eventType = "unsubscribe"
	eventClick       eventType = "CLICK"
)
