package wechat

import (
	"encoding/xml"
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

// FuzzParsePush checks the scanner against encoding/xml: whatever the
// scanner accepts, encoding/xml must read the same way.
func FuzzParsePush(f *testing.F) {
	for _, s := range []string{
		"<xml><FromUserName><![CDATA[o]]></FromUserName><Content>a&amp;b</Content><MsgId>1</MsgId></xml>",
		"<xml><Event>e</Event><ScanCodeInfo><ScanType>q</ScanType></ScanCodeInfo></xml>",
		"<?xml version=\"1.0\"?><xml><Content><![CDATA[x]]]]><![CDATA[>]]></Content><!-- c --></xml>",
		"<xml><Content/><Encrypt>abc</Encrypt></xml>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p push
		if parsePush(data, &p) != nil {
			return
		}
		var std stdPush
		if err := xml.Unmarshal(data, &std); err != nil {
			t.Skipf("scanner accepts what encoding/xml refuses (%v)", err)
		}
		std.XMLName = xml.Name{}
		if got := toStd(&p); got != std {
			t.Fatalf("scanner %+v\nencoding/xml %+v", got, std)
		}
	})
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
