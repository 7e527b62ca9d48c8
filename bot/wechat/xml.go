package wechat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// push holds the fields of a platform push the webhook reads: both the
// safe-mode envelope (ToUserName, Encrypt) and the message inside. Values
// are raw bytes, often sub-slices of the parsed buffer: copy before keeping.
type push struct {
	ToUserName, FromUserName, MsgType, CreateTime, MsgID []byte
	Content, Recognition, Event, EventKey, Encrypt       []byte
}

var errXML = errors.New("malformed XML")

// parsePush reads a push: one <xml> root whose children are text or CDATA
// (nested elements, as in ScanCodeInfo, are skipped). It is a small strict
// scanner instead of encoding/xml because it runs twice per push in safe
// mode and encoding/xml's reflection costs more than the rest of the
// request; FuzzParsePush checks it against encoding/xml.
func parsePush(data []byte, p *push) error {
	*p = push{}
	if !validChars(data) {
		return errXML
	}
	s := scanner{b: data}
	if !s.skipMisc() {
		return errXML
	}
	if s.hasPrefix("<?xml") {
		if !s.xmlDecl() || !s.skipMisc() {
			return errXML
		}
	}
	name, empty, ok := s.startTag()
	if !ok || string(name) != "xml" {
		return errXML
	}
	if !empty {
		for {
			if !s.skipMisc() {
				return errXML
			}
			if s.hasPrefix("</") {
				if !s.endTag(name) {
					return errXML
				}
				break
			}
			child, childEmpty, ok := s.startTag()
			if !ok {
				return errXML
			}
			var v []byte
			if !childEmpty {
				if v, ok = s.content(child); !ok {
					return errXML
				}
			}
			p.set(child, v)
		}
	}
	if !s.skipMisc() || s.i != len(s.b) {
		return errXML
	}
	return nil
}

func (p *push) set(name, v []byte) {
	switch string(name) {
	case "ToUserName":
		p.ToUserName = v
	case "FromUserName":
		p.FromUserName = v
	case "MsgType":
		p.MsgType = v
	case "CreateTime":
		p.CreateTime = v
	case "MsgId":
		p.MsgID = v
	case "Content":
		p.Content = v
	case "Recognition":
		p.Recognition = v
	case "Event":
		p.Event = v
	case "EventKey":
		p.EventKey = v
	case "Encrypt":
		p.Encrypt = v
	}
}

type scanner struct {
	b []byte
	i int
}

func (s *scanner) hasPrefix(p string) bool {
	return len(s.b)-s.i >= len(p) && string(s.b[s.i:s.i+len(p)]) == p
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipMisc skips white space and comments between elements; false for a
// broken comment.
func (s *scanner) skipMisc() bool {
	for {
		for s.i < len(s.b) && isSpace(s.b[s.i]) {
			s.i++
		}
		if !s.hasPrefix("<!--") {
			return true
		}
		if !s.skipComment() {
			return false
		}
	}
}

// skipComment skips "<!--...-->" and nothing after it (white space after a
// comment inside text is text). "--" may only end a comment.
func (s *scanner) skipComment() bool {
	end := bytes.Index(s.b[s.i+4:], []byte("--"))
	if end < 0 {
		return false
	}
	j := s.i + 4 + end + 2
	if j >= len(s.b) || s.b[j] != '>' {
		return false
	}
	s.i = j + 1
	return true
}

// xmlDecl reads the XML declaration, accepting only what encoding/xml
// reads as UTF-8 XML 1.0: <?xml version="1.0" encoding="UTF-8"
// standalone="yes"?>, each part optional, in that order.
func (s *scanner) xmlDecl() bool {
	j := s.i + len("<?xml")
	for _, p := range []struct {
		name string
		ok   func(string) bool
	}{
		{"version", func(v string) bool { return v == "1.0" }},
		{"encoding", func(v string) bool { return strings.EqualFold(v, "utf-8") }},
		{"standalone", func(v string) bool { return v == "yes" || v == "no" }},
	} {
		k := j
		for k < len(s.b) && isSpace(s.b[k]) {
			k++
		}
		if k == j || !bytes.HasPrefix(s.b[k:], []byte(p.name)) {
			continue
		}
		k += len(p.name)
		value, next, ok := s.eqQuoted(k)
		if !ok || !p.ok(string(value)) {
			return false
		}
		j = next
	}
	for j < len(s.b) && isSpace(s.b[j]) {
		j++
	}
	if !bytes.HasPrefix(s.b[j:], []byte("?>")) {
		return false
	}
	s.i = j + 2
	return true
}

// eqQuoted reads `S? = S? "value"` (or single quotes) at j: the raw value
// and the index after its closing quote.
func (s *scanner) eqQuoted(j int) (value []byte, next int, ok bool) {
	for j < len(s.b) && isSpace(s.b[j]) {
		j++
	}
	if j >= len(s.b) || s.b[j] != '=' {
		return nil, 0, false
	}
	j++
	for j < len(s.b) && isSpace(s.b[j]) {
		j++
	}
	if j >= len(s.b) || (s.b[j] != '"' && s.b[j] != '\'') {
		return nil, 0, false
	}
	end := bytes.IndexByte(s.b[j+1:], s.b[j])
	if end < 0 {
		return nil, 0, false
	}
	return s.b[j+1 : j+1+end], j + 1 + end + 1, true
}

func isNameByte(c byte, first bool) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		return true
	case c >= '0' && c <= '9', c == '-', c == '.':
		return !first
	}
	return false
}

// startTag reads "<name attr='v'...>" or "<name/>".
func (s *scanner) startTag() (name []byte, empty, ok bool) {
	if s.i >= len(s.b) || s.b[s.i] != '<' {
		return nil, false, false
	}
	j := s.i + 1
	for j < len(s.b) && isNameByte(s.b[j], j == s.i+1) {
		j++
	}
	if j == s.i+1 {
		return nil, false, false
	}
	name = s.b[s.i+1 : j]
	// Attributes are not part of any push; skip them, checked as
	// encoding/xml checks them: name = "value", the value without '<' and
	// with valid references only.
	for {
		k := j
		for j < len(s.b) && isSpace(s.b[j]) {
			j++
		}
		if j >= len(s.b) {
			return nil, false, false
		}
		switch s.b[j] {
		case '>':
			s.i = j + 1
			return name, false, true
		case '/':
			if j+1 < len(s.b) && s.b[j+1] == '>' {
				s.i = j + 2
				return name, true, true
			}
			return nil, false, false
		}
		if k == s.i+1+len(name) && j == k {
			return nil, false, false // "<name" runs into something else
		}
		var ok bool
		if j, ok = s.attribute(j); !ok {
			return nil, false, false
		}
	}
}

// attribute skips one attribute starting at j, checked as encoding/xml
// checks it, and returns where it ends.
func (s *scanner) attribute(j int) (int, bool) {
	a := j
	for j < len(s.b) && isNameByte(s.b[j], j == a) {
		j++
	}
	if j == a {
		return 0, false
	}
	value, next, ok := s.eqQuoted(j)
	if !ok || bytes.IndexByte(value, '<') >= 0 {
		return 0, false
	}
	if _, ok := unescape(value); !ok {
		return 0, false
	}
	return next, true
}

// endTag reads "</name>", white space allowed before '>'.
func (s *scanner) endTag(name []byte) bool {
	if !s.hasPrefix("</") {
		return false
	}
	j := s.i + 2
	if len(s.b)-j < len(name) || !bytes.Equal(s.b[j:j+len(name)], name) {
		return false
	}
	j += len(name)
	for j < len(s.b) && isSpace(s.b[j]) {
		j++
	}
	if j >= len(s.b) || s.b[j] != '>' {
		return false
	}
	s.i = j + 1
	return true
}

// content reads the text of element name up to and including its end tag:
// character data and CDATA sections, nested elements skipped. The common
// case, one CDATA section or plain text, returns a sub-slice of the input.
func (s *scanner) content(name []byte) ([]byte, bool) {
	var (
		single []byte // the only segment so far, not yet copied
		built  []byte // segments joined, once there is more than one
		parts  int
	)
	add := func(seg []byte) {
		parts++
		switch parts {
		case 1:
			single = seg
		case 2:
			built = append(append([]byte(nil), single...), seg...)
		default:
			built = append(built, seg...)
		}
	}
	for {
		lt := bytes.IndexByte(s.b[s.i:], '<')
		if lt < 0 {
			return nil, false
		}
		if lt > 0 {
			text, ok := charData(s.b[s.i : s.i+lt])
			if !ok {
				return nil, false
			}
			add(text)
			s.i += lt
		}
		switch {
		case s.hasPrefix("<![CDATA["):
			end := bytes.Index(s.b[s.i+9:], []byte("]]>"))
			if end < 0 {
				return nil, false
			}
			add(s.b[s.i+9 : s.i+9+end])
			s.i += 9 + end + 3
		case s.hasPrefix("<!--"):
			if !s.skipComment() {
				return nil, false
			}
		case s.hasPrefix("</"):
			if !s.endTag(name) {
				return nil, false
			}
			v := single
			if parts > 1 {
				v = built
			}
			return normalizeNewlines(v), true
		default:
			if !s.skipElement() {
				return nil, false
			}
		}
	}
}

// skipElement skips a nested element and everything inside it.
func (s *scanner) skipElement() bool {
	const maxDepth = 16
	var stack [maxDepth][]byte
	depth := 0
	for {
		switch {
		case s.hasPrefix("<![CDATA["):
			end := bytes.Index(s.b[s.i+9:], []byte("]]>"))
			if end < 0 {
				return false
			}
			s.i += 9 + end + 3
		case s.hasPrefix("<!--"):
			if !s.skipComment() {
				return false
			}
		case s.hasPrefix("</"):
			if depth == 0 || !s.endTag(stack[depth-1]) {
				return false
			}
			depth--
			if depth == 0 {
				return true
			}
		case s.hasPrefix("<"):
			name, empty, ok := s.startTag()
			if !ok {
				return false
			}
			if empty {
				if depth == 0 {
					return true
				}
				continue
			}
			if depth == maxDepth {
				return false
			}
			stack[depth] = name
			depth++
		default:
			lt := bytes.IndexByte(s.b[s.i:], '<')
			if lt < 0 || depth == 0 {
				return false
			}
			if _, ok := charData(s.b[s.i : s.i+lt]); !ok {
				return false
			}
			s.i += lt
		}
	}
}

// charData resolves the references in text between tags, where "]]>" may
// not appear.
func charData(b []byte) ([]byte, bool) {
	if bytes.Contains(b, []byte("]]>")) {
		return nil, false
	}
	return unescape(b)
}

// unescape resolves the five predefined entities and character references.
func unescape(b []byte) ([]byte, bool) {
	amp := bytes.IndexByte(b, '&')
	if amp < 0 {
		return b, true
	}
	out := append([]byte(nil), b[:amp]...)
	b = b[amp:]
	for len(b) > 0 {
		if b[0] != '&' {
			out = append(out, b[0])
			b = b[1:]
			continue
		}
		semi := bytes.IndexByte(b, ';')
		if semi < 2 {
			return nil, false
		}
		ent := string(b[1:semi])
		switch ent {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			r, ok := charRef(ent)
			if !ok {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
		}
		b = b[semi+1:]
	}
	return out, true
}

func charRef(ent string) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ent[1] == 'x' {
		n, err = strconv.ParseUint(ent[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(ent[1:], 10, 32)
	}
	if err != nil || !isXMLChar(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// isXMLChar reports whether r may appear in an XML 1.0 document.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// normalizeNewlines turns \r\n and a lone \r into \n, as XML parsers must.
func normalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\r' {
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// validChars reports whether b is UTF-8 made only of characters XML allows.
func validChars(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i := 0; i < len(b); {
		// Eight bytes at a time while they are printable ASCII: no high
		// bit set, and none below 0x20 (the subtraction borrows into the
		// high bit of any byte that is).
		if len(b)-i >= 8 {
			x := binary.LittleEndian.Uint64(b[i:])
			if (x|(x-0x20*ones))&highs == 0 {
				i += 8
				continue
			}
		}
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || !isXMLChar(r) {
			return false
		}
		i += size
	}
	return true
}
