package wechat

import "net/http"

// Limits on the ids a push carries, from what the platform sends: an
// openid (FromUserName) is 28 characters and an account's original id
// (ToUserName, gh_...) 15, both of letters, digits, '-' and '_'; MsgId is
// a 64-bit number; a menu key is at most 128 bytes. Anything else did not
// come from the platform. Refusing it before any state is touched keeps
// hostile ids out of memory, Redis and the logs, and keeps the keys built
// from them (flights, the store's "{user}" hash tags, message ids joined
// with ':') unambiguous: no id contains ':', '{' or '}'.
const (
	maxUserIDLen = 64
	maxMsgIDLen  = 20
	maxEventLen  = 64
)

// EventKey's limits per event, from the platform's menu and QR-code
// documentation: a menu key is at most 128 bytes (CLICK and the menu's
// scan, photo and location buttons); a menu URL or mini-program page at
// most 1,024 (VIEW, view_miniprogram: the key is the URL); a QR scene is
// "qrscene_" and a scene string of at most 64 characters (subscribe, SCAN:
// 72). An event not listed may carry anything up to the longest.
const (
	maxMenuKeyLen  = 128
	maxMenuURLLen  = 1024
	maxSceneKeyLen = len("qrscene_") + 64
	maxEventKeyLen = maxMenuURLLen
)

func eventKeyLimit(event []byte) int {
	switch string(event) {
	case "CLICK", "scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album", "pic_weixin", "location_select":
		return maxMenuKeyLen
	case "subscribe", "SCAN":
		return maxSceneKeyLen
	}
	return maxEventKeyLen
}

// checkIDs refuses a push whose ids the platform would not send.
func checkIDs(p *push) *rejection {
	switch {
	case !isOpenID(p.FromUserName):
		return reject(http.StatusBadRequest, outcomeBadRequest, "FromUserName is not an openid")
	case !isOpenID(p.ToUserName):
		return reject(http.StatusBadRequest, outcomeBadRequest, "ToUserName is not an account id")
	case len(p.MsgID) > 0 && !isDigits(trimSpace(p.MsgID), maxMsgIDLen):
		return reject(http.StatusBadRequest, outcomeBadRequest, "MsgId is not a number")
	case len(p.Event) > 0 && !isEventName(trimSpace(p.Event)):
		return reject(http.StatusBadRequest, outcomeBadRequest, "Event is not an event name")
	case len(p.EventKey) > eventKeyLimit(trimSpace(p.Event)):
		return reject(http.StatusBadRequest, outcomeBadRequest, "EventKey is too long")
	}
	return nil
}

func isOpenID(b []byte) bool {
	if len(b) == 0 || len(b) > maxUserIDLen {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func isDigits(b []byte, max int) bool {
	if len(b) == 0 || len(b) > max {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isEventName(b []byte) bool {
	if len(b) == 0 || len(b) > maxEventLen {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return true
}
