package wechat

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParsePush(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    stdPush
		wantErr bool
	}{
		{name: "cdata", in: "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_1]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>123</MsgId></xml>",
			want: stdPush{ToUserName: "gh_1", FromUserName: "o_1", CreateTime: "1700000000", MsgType: "text", Content: "你好", MsgID: "123"}},
		{name: "prolog, spaces, comments", in: "<?xml version=\"1.0\"?>\n<xml>\n  <!-- c -->\n  <Content>a</Content>\n</xml>\n",
			want: stdPush{Content: "a"}},
		{name: "entities", in: "<xml><Content>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#20320;&#x597D;</Content></xml>",
			want: stdPush{Content: `a <b> & "c" 'd' 你好`}},
		{name: "split cdata", in: "<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>", want: stdPush{Content: "a]]>b"}},
		{name: "text and cdata", in: "<xml><Content>x<![CDATA[<y>]]>z</Content></xml>", want: stdPush{Content: "x<y>z"}},
		{name: "nested skipped", in: "<xml><Event>scancode_push</Event><ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo><EventKey>k</EventKey></xml>",
			want: stdPush{Event: "scancode_push", EventKey: "k"}},
		{name: "self-closing", in: "<xml><Content/><EventKey /></xml>", want: stdPush{}},
		{name: "attributes", in: `<xml a="1"><Content b='>'>x</Content></xml>`, want: stdPush{Content: "x"}},
		{name: "crlf", in: "<xml><Content>a\r\nb\rc</Content></xml>", want: stdPush{Content: "a\nb\nc"}},
		{name: "last duplicate wins", in: "<xml><Content>a</Content><Content>b</Content></xml>", want: stdPush{Content: "b"}},
		{name: "empty", in: "", wantErr: true},
		{name: "not xml", in: `{"Content":"x"}`, wantErr: true},
		{name: "wrong root", in: "<root><Content>x</Content></root>", wantErr: true},
		{name: "unclosed root", in: "<xml><Content>x</Content>", wantErr: true},
		{name: "unclosed child", in: "<xml><Content>x</xml>", wantErr: true},
		{name: "mismatched", in: "<xml><Content>x</Contents></xml>", wantErr: true},
		{name: "unclosed cdata", in: "<xml><Content><![CDATA[x</Content></xml>", wantErr: true},
		{name: "unknown entity", in: "<xml><Content>&nbsp;</Content></xml>", wantErr: true},
		{name: "bad char ref", in: "<xml><Content>&#0;</Content></xml>", wantErr: true},
		{name: "control char", in: "<xml><Content>\x01</Content></xml>", wantErr: true},
		{name: "invalid utf-8", in: "<xml><Content>\xc3\x28</Content></xml>", wantErr: true},
		{name: "trailing garbage", in: "<xml></xml><xml></xml>", wantErr: true},
		{name: "text in root", in: "<xml>hello<Content>x</Content></xml>", wantErr: true},
		{name: "space after a comment is text", in: "<xml><Content>a<!-- c --> b</Content></xml>", want: stdPush{Content: "a b"}},
		{name: "declaration", in: "<?xml version='1.0' encoding=\"utf-8\" standalone=\"yes\" ?><xml><Content>a</Content></xml>", want: stdPush{Content: "a"}},
		{name: "< in an attribute", in: `<xml><Content a="<">x</Content></xml>`, wantErr: true},
		{name: "attribute without value", in: `<xml><Content a>x</Content></xml>`, wantErr: true},
		{name: "GBK declared", in: `<?xml version="1.0" encoding="GBK"?><xml></xml>`, wantErr: true},
		{name: "]]> in text", in: "<xml><Content>a]]>b</Content></xml>", wantErr: true},
		{name: "-- in a comment", in: "<xml><!-- a -- b --></xml>", wantErr: true},
		{name: "deep nesting", in: "<xml><A>" + repeat("<b>", 20) + repeat("</b>", 20) + "</A></xml>", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p push
			err := parsePush([]byte(tt.in), &p)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && toStd(&p) != tt.want {
				t.Fatalf("got %+v, want %+v", toStd(&p), tt.want)
			}
		})
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// stdPush is push as encoding/xml reads it: the reference for the scanner.
type stdPush struct {
	XMLName                                        xml.Name `xml:"xml"`
	ToUserName, FromUserName, MsgType, CreateTime  string
	MsgID                                          string `xml:"MsgId"`
	Content, Recognition, Event, EventKey, Encrypt string
}

func toStd(p *push) stdPush {
	return stdPush{ToUserName: string(p.ToUserName), FromUserName: string(p.FromUserName), MsgType: string(p.MsgType),
		CreateTime: string(p.CreateTime), MsgID: string(p.MsgID), Content: string(p.Content), Recognition: string(p.Recognition),
		Event: string(p.Event), EventKey: string(p.EventKey), Encrypt: string(p.Encrypt)}
}

// FuzzParsePush checks the scanner against encoding/xml in both
// directions: what one reads the other must read the same way, and what
// one refuses the other must refuse, except for the constructs the scanner
// refuses by design (refusedByDesign), none of which a push contains.
func FuzzParsePush(f *testing.F) {
	for _, s := range []string{
		"<xml><FromUserName><![CDATA[o]]></FromUserName><Content>a&amp;b</Content><MsgId>1</MsgId></xml>",
		"<xml><Event>e</Event><ScanCodeInfo><ScanType>q</ScanType></ScanCodeInfo></xml>",
		"<?xml version=\"1.0\"?><xml><Content><![CDATA[x]]]]><![CDATA[>]]></Content><!-- c --></xml>",
		"<xml><Content/><Encrypt>abc</Encrypt></xml>",
		"<xml><Content>a<!-- c --> b</Content></xml>",
		`<xml><Content a="<">x</Content></xml>`,
		`<xml><Content a>x</Content></xml>`,
		`<?xml version="1.0" encoding="GBK"?><xml></xml>`,
		"<xml><Content>a]]>b</Content></xml>",
		"<xml><Content>a<!-- x -- y -->b</Content></xml>",
		`<xml><A b="&amp;" c='&#60;'><B d="x"/></A><Content a="1"b="2">x</Content></xml>`,
		"<xml ><Content\n>&#x41;&#00065;</Content ></xml >",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p push
		scanErr := parsePush(data, &p)
		std, stdErr := stdParse(data)
		switch {
		case scanErr == nil && stdErr != nil:
			t.Fatalf("scanner accepts what encoding/xml refuses (%v): %q", stdErr, data)
		case scanErr != nil && stdErr == nil:
			if why := refusedByDesign(data); why == "" {
				t.Fatalf("scanner refuses what encoding/xml reads as %+v: %q", std, data)
			}
		case scanErr == nil:
			if got := toStd(&p); got != std {
				t.Fatalf("%q\nscanner      %+v\nencoding/xml %+v", data, got, std)
			}
		}
	})
}

// stdParse reads data with encoding/xml as a whole document: one root,
// then nothing but white space, comments and processing instructions.
func stdParse(data []byte) (stdPush, error) {
	var std stdPush
	d := xml.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&std); err != nil {
		return std, err
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return std, err
		}
		switch tok := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if len(bytes.TrimLeft(tok, " \t\r\n")) > 0 {
				return std, errors.New("text after the root")
			}
		default:
			return std, fmt.Errorf("%T after the root", tok)
		}
	}
	std.XMLName = xml.Name{}
	return std, nil
}

// refusedByDesign names what in data the scanner refuses although
// encoding/xml reads it, or "" when there is nothing of the kind: no push
// has a DOCTYPE, a processing instruction besides the XML declaration,
// namespaces, names outside ASCII, text in or around the root, nesting
// deeper than a push's, or a reference to a character XML does not allow
// (which encoding/xml turns into U+FFFD).
func refusedByDesign(data []byte) string {
	if !validChars(data) {
		return "a character XML does not allow (encoding/xml does not look in comments)"
	}
	for _, m := range charRefs.FindAllSubmatch(data, -1) {
		if _, ok := charRef(string(m[1])); !ok {
			return "reference to a character XML does not allow"
		}
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	depth, first := 0, true
	for {
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		switch tok := tok.(type) {
		case xml.Directive:
			return "directive"
		case xml.ProcInst:
			if !first || tok.Target != "xml" {
				return "processing instruction"
			}
			if !plainDecl.Match(data[bytes.Index(data, []byte("<?xml")):]) {
				return "declaration other than version 1.0, UTF-8, standalone"
			}
		case xml.StartElement:
			if !scannerName(tok.Name) {
				return "name"
			}
			for _, a := range tok.Attr {
				if !scannerName(a.Name) {
					return "attribute name"
				}
			}
			depth++
			if depth > 2+16 {
				return "nesting"
			}
		case xml.EndElement:
			if !scannerName(tok.Name) {
				return "name"
			}
			depth--
		case xml.CharData:
			if depth <= 1 && len(bytes.TrimLeft(tok, " \t\r\n")) > 0 {
				return "text in or around the root"
			}
			if depth == 1 && len(tok) > 0 && bytes.Contains(data, []byte("<![CDATA[")) {
				return "CDATA in the root" // RawToken does not say which it was
			}
		}
		if _, isSpace := tok.(xml.CharData); !isSpace {
			first = false
		} else if depth > 0 {
			first = false
		}
	}
}

var charRefs = regexp.MustCompile(`&(#x?[0-9a-fA-F]+);`)

var plainDecl = regexp.MustCompile(`^<\?xml(\s+version\s*=\s*(?:"1\.0"|'1\.0'))?(\s+encoding\s*=\s*(?:"(?i:utf-8)"|'(?i:utf-8)'))?(\s+standalone\s*=\s*(?:"(?:yes|no)"|'(?:yes|no)'))?\s*\?>`)

func scannerName(n xml.Name) bool {
	if n.Space != "" || n.Local == "" {
		return false
	}
	for i := 0; i < len(n.Local); i++ {
		if !isNameByte(n.Local[i], i == 0) {
			return false
		}
	}
	return true
}

func TestValidChars(t *testing.T) {
	slow := func(s string) bool {
		if !utf8.ValidString(s) {
			return false
		}
		for _, r := range s {
			if !isXMLChar(r) {
				return false
			}
		}
		return true
	}
	var cases []string
	for _, bad := range []string{"\x00", "\x01", "\x1f", "\x08", "\xff", "\xc3", "\uFFFE", "\t", "\n", "\r", "\x7f", " ", "é", "你"} {
		for offset := range 17 {
			cases = append(cases, strings.Repeat("a", offset)+bad+strings.Repeat("b", 9))
		}
	}
	for _, s := range cases {
		if got, want := validChars([]byte(s)), slow(s); got != want {
			t.Errorf("validChars(%q) = %v, want %v", s, got, want)
		}
	}
}

// BenchmarkParsePush is the hand-written scanner on a text push (it runs
// twice per push in safe mode); BenchmarkParsePushEncodingXML is
// encoding/xml on the same bytes, the reason the scanner exists.
func BenchmarkParsePush(b *testing.B) {
	data := []byte(benchPushXML)
	var p push
	b.ReportAllocs()
	for b.Loop() {
		if err := parsePush(data, &p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePushEncodingXML(b *testing.B) {
	data := []byte(benchPushXML)
	b.ReportAllocs()
	for b.Loop() {
		var p stdPush
		if err := xml.Unmarshal(data, &p); err != nil {
			b.Fatal(err)
		}
	}
}

const benchPushXML = "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></FromUserName>" +
	"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[我妈在区医院住院花了3万5，二档，能报好多]]></Content>" +
	"<MsgId>24436128736123456</MsgId></xml>"
