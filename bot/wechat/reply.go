package wechat

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// appendTextReply appends a passive text reply from the account to user.
func appendTextReply(dst []byte, user, account string, created int64, text string) []byte {
	dst = append(dst, "<xml><ToUserName>"...)
	dst = appendCDATA(dst, user)
	dst = append(dst, "</ToUserName><FromUserName>"...)
	dst = appendCDATA(dst, account)
	dst = append(dst, "</FromUserName><CreateTime>"...)
	dst = strconv.AppendInt(dst, created, 10)
	dst = append(dst, "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"...)
	dst = appendCDATA(dst, text)
	return append(dst, "</Content></xml>"...)
}

// appendTransferReply appends the passive reply that passes the
// conversation to the account's customer-service staff.
func appendTransferReply(dst []byte, user, account string, created int64) []byte {
	dst = append(dst, "<xml><ToUserName>"...)
	dst = appendCDATA(dst, user)
	dst = append(dst, "</ToUserName><FromUserName>"...)
	dst = appendCDATA(dst, account)
	dst = append(dst, "</FromUserName><CreateTime>"...)
	dst = strconv.AppendInt(dst, created, 10)
	return append(dst, "</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>"...)
}

// appendEnvelope appends the safe-mode reply around an encrypted message.
func appendEnvelope(dst, encrypted []byte, sig *[40]byte, timestamp, nonce string) []byte {
	dst = append(dst, "<xml><Encrypt><![CDATA["...)
	dst = append(dst, encrypted...)
	dst = append(dst, "]]></Encrypt><MsgSignature><![CDATA["...)
	dst = append(dst, sig[:]...)
	dst = append(dst, "]]></MsgSignature><TimeStamp>"...)
	dst = append(dst, timestamp...)
	dst = append(dst, "</TimeStamp><Nonce><![CDATA["...)
	dst = append(dst, nonce...)
	return append(dst, "]]></Nonce></xml>"...)
}

// appendCDATA writes s as CDATA sections: a "]]>" inside s is split across
// two sections, and characters XML forbids become U+FFFD, so no reply text
// can break the document.
func appendCDATA(dst []byte, s string) []byte {
	dst = append(dst, "<![CDATA["...)
	for {
		i := strings.Index(s, "]]>")
		if i < 0 {
			break
		}
		dst = appendXMLChars(dst, s[:i+2])
		dst = append(dst, "]]><![CDATA["...)
		s = s[i+2:]
	}
	dst = appendXMLChars(dst, s)
	return append(dst, "]]>"...)
}

func appendXMLChars(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 || c == '\t' || c == '\n' || c == '\r' {
				dst = append(dst, c)
			} else {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !isXMLChar(r) {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// truncateUTF8 cuts s to at most max bytes at a character boundary.
func truncateUTF8(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}
