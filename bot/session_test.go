package bot

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

func money(t testing.TB, s string) engine.Money {
	t.Helper()
	m, err := engine.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAnswered(t *testing.T) {
	now := time.Unix(1795000000, 0)
	var a Answered
	for i := range maxAnswered + 5 {
		a = a.add(uint64(i), "r"+strconv.Itoa(i), "x", now, time.Hour)
	}
	if a.len() != maxAnswered {
		t.Fatalf("after %d messages %d kept, want %d", maxAnswered+5, a.len(), maxAnswered)
	}
	for id, want := range map[uint64][2]bool{4: {false, false}, 5: {true, false}, maxAnswered + 4: {true, true}} {
		if found, newest := a.find(id, now); found != want[0] || newest != want[1] {
			t.Errorf("find(%d) = %v, %v; want %v, %v", id, found, newest, want[0], want[1])
		}
	}
	if string(a.Reply) != "r36" || a.Intent != "x" {
		t.Errorf("newest reply %q (%s), want r36 (x)", a.Reply, a.Intent)
	}
	if found, _ := a.find(5, now.Add(time.Second)); found {
		t.Error("found a message answered before the time asked about")
	}
	later := a.add(999, "", "", now.Add(time.Hour), time.Hour)
	if later.len() != 1 {
		t.Errorf("an hour later with a TTL of an hour: %d kept, want only the new one", later.len())
	}
	if found, newest := later.find(999, now); !found || !newest || len(later.Reply) != 0 {
		t.Errorf("the new one: found %v newest %v reply %q", found, newest, later.Reply)
	}
}

func TestSessionRoundTrip(t *testing.T) {
	at := time.Unix(1795000000, 0).UTC()
	tests := []struct {
		name string
		s    Session
	}{
		{"empty", Session{}},
		{"guide reader", Session{Updated: at, Topic: Topic{Key: "contribution", Tier: engine.Tier2}, Page: "contribution"}},
		{"choices", Session{Updated: at, Page: pageChoices, Choices: []replies.MenuKey{"contribution", "estimate_inpatient"}}},
		{"dialog", Session{
			Updated: at,
			Dialog: &Dialog{
				Facts: Facts{Kind: engine.KindInpatient, Tier: engine.Tier2, Level: engine.Level3, Who: WhoAdult,
					Amount: money(t, "50000.5"), OutOfPolicy: money(t, "10000"), OutGiven: true, WantOut: true,
					PriorBasic: money(t, "20000"), PriorSelfPay: money(t, "3000.25")},
				Asking: SlotMinor,
				History: []Facts{{Kind: engine.KindInpatient}, {Kind: engine.KindInpatient, Tier: engine.Tier1, TierGuessed: true, Who: WhoMinor},
					{Kind: engine.KindOutpatient, Amount: engine.Yuan(30000), AmountApprox: true, AmountDoubt: true, AmountChecked: true}},
			},
			Topic: Topic{Key: topicResult, Tier: engine.Tier2},
			Page:  pageResult,
		}},
		{"split reply", Session{Updated: at, More: "余下的内容……", Page: "help"}},
		{"answered", Session{Updated: at, Page: "help",
			Answered: Answered{}.add(1<<63+5, "", "", at.Add(-time.Minute), time.Hour).add(42, "回复", "human", at, time.Hour)}},
		{"answered alone", Session{Answered: Answered{}.add(7, "你好", "", at, time.Hour)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeSession(encodeSession(tt.s))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(normalize(got), normalize(tt.s)) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, tt.s)
			}
		})
	}
}

// TestSessionSize: a user who only read a guide costs a few bytes of state,
// since the menu is kept as the page's key, not as its list of keys.
func TestSessionSize(t *testing.T) {
	s := Session{Updated: time.Now(), Topic: Topic{Key: "contribution"}, Page: "contribution"}
	if n := len(encodeSession(s)); n > 40 {
		t.Errorf("a guide reader's state is %d bytes", n)
	}
}

// TestFormat4SessionIsRead: sessions stored by the release before the
// topic remembered the patient are read, with no patient, not dropped.
func TestFormat4SessionIsRead(t *testing.T) {
	// format 4, updated 1795000000 (zigzag varint), no dialog, topic
	// "inpatient" 二档 二级, page = topic, no choices, no rest.
	data := []byte{topicNoWhoFormat}
	data = binary.AppendVarint(data, 1795000000)
	data = append(data, 0, 9)
	data = append(data, "inpatient"...)
	data = append(data, byte(engine.Tier2), byte(engine.Level2), pageIsTopic, 0, 0)
	s, err := decodeSession(data)
	if err != nil {
		t.Fatal(err)
	}
	want := Session{Updated: time.Unix(1795000000, 0), Topic: Topic{Key: "inpatient", Tier: engine.Tier2, Level: engine.Level2}, Page: "inpatient"}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got %+v, want %+v", s, want)
	}
	// Written again, it is the current format and keeps a patient.
	want.Topic.Who = WhoMinor
	if got, err := decodeSession(encodeSession(want)); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("round trip: %+v, %v", got, err)
	}
}

func TestOldSessionFormatIsDropped(t *testing.T) {
	s, err := decodeSession([]byte{oldSessionFormat, 1, 2, 3})
	if err != nil || s.Dialog != nil {
		t.Errorf("old format: %+v, %v", s, err)
	}
}

// FuzzDecodeSession: whatever a store hands back (another release's data,
// corruption), decoding returns an error or a session, never a panic, and
// what decodes encodes back to the same session.
func FuzzDecodeSession(f *testing.F) {
	data := encodeSession(Session{Updated: time.Unix(1795000000, 0), Dialog: &Dialog{Facts: Facts{Kind: engine.KindOutpatient, Amount: engine.Yuan(200)}, Asking: SlotTier, History: []Facts{{}}}, Page: "help"})
	f.Add(data)
	f.Add([]byte{sessionFormat, 1, 9, 0xff})
	f.Add([]byte(`1{"d":{}}`))
	form, err := newForm(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeSession(b)
		if err != nil {
			return
		}
		again := encodeSession(s)
		if d := s.Dialog; d != nil {
			form.recap(d.Facts) // the dialog reads the amounts without checking them again
			_ = form.missing(d.Facts)
		}
		s2, err := decodeSession(again)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !reflect.DeepEqual(normalize(s), normalize(s2)) {
			t.Fatalf("not stable:\n%+v\n%+v", s, s2)
		}
	})
}

// normalize makes equal sessions deeply equal: times in one zone, amounts
// by value, empty lists as nil.
func normalize(s Session) Session {
	s.Updated = s.Updated.UTC()
	if s.Dialog == nil && s.Topic == (Topic{}) && s.Page == "" && len(s.Choices) == 0 && s.More == "" && s.Answered.len() == 0 {
		s.Updated = time.Time{} // nothing to remember: not stored at all
	}
	if len(s.Answered.Reply) == 0 {
		s.Answered.Reply = nil
	}
	if len(s.Choices) == 0 {
		s.Choices = nil
	}
	if s.Dialog != nil {
		d := *s.Dialog
		d.Facts = normFacts(d.Facts)
		h := make([]Facts, len(d.History))
		for i, f := range d.History {
			h[i] = normFacts(f)
		}
		if len(h) == 0 {
			h = nil
		}
		d.History = h
		s.Dialog = &d
	}
	return s
}

func normFacts(f Facts) Facts {
	for _, m := range []*engine.Money{&f.Amount, &f.OutOfPolicy, &f.PriorBasic, &f.PriorSelfPay} {
		d, _ := decimal.NewFromString(m.Decimal().String())
		*m = engine.MoneyOf(d)
	}
	return f
}

// benchSession is a dialog half-way through, the largest common state.
func benchSession(b *testing.B) Session {
	return Session{
		Updated: time.Unix(1795000000, 0).UTC(),
		Dialog: &Dialog{
			Facts:   Facts{Kind: engine.KindInpatient, Tier: engine.Tier2, Level: engine.Level3, Who: WhoAdult, Amount: money(b, "50000.5")},
			Asking:  SlotMinor,
			History: []Facts{{Kind: engine.KindInpatient}, {Kind: engine.KindInpatient, Tier: engine.Tier2}},
		},
		Topic: Topic{Key: "inpatient", Tier: engine.Tier2},
	}
}

// BenchmarkSessionCodec is the hand-written codec, run twice per message
// (decode the stored state, encode the new one). BenchmarkSessionJSON is
// encoding/json on the same session, for comparison.
func BenchmarkSessionCodec(b *testing.B) {
	s := benchSession(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeSession(encodeSession(s)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSessionJSON(b *testing.B) {
	s := benchSession(b)
	b.ReportAllocs()
	for b.Loop() {
		data, err := json.Marshal(s)
		if err != nil {
			b.Fatal(err)
		}
		var got Session
		if err := json.Unmarshal(data, &got); err != nil {
			b.Fatal(err)
		}
	}
}

// A session written by the release before named fields (format 5) is read
// whole: the bytes below are what it stored for this session.
func TestFormat5SessionIsRead(t *testing.T) {
	data, err := hex.DecodeString("05809becaf0d0100010203010701e4ade20401c09a0c01c0b802000201000000000000000001020000080000000009696e70617469656e740203020763686f69636573020c636f6e747269627574696f6e12657374696d6174655f696e70617469656e7406e4bd99e4b88b")
	if err != nil {
		t.Fatal(err)
	}
	want := Session{
		Updated: time.Unix(1795000000, 0),
		Dialog: &Dialog{
			Facts: Facts{Kind: engine.KindInpatient, Tier: engine.Tier2, Level: engine.Level3, Who: WhoAdult, Amount: money(t, "50000.5"),
				OutOfPolicy: money(t, "1000"), OutGiven: true, WantOut: true, PriorBasic: money(t, "200"), TierGuessed: true},
			History: []Facts{{Kind: engine.KindInpatient}, {Kind: engine.KindInpatient, Tier: engine.Tier2, AmountApprox: true}},
		},
		Topic:   Topic{Key: "inpatient", Tier: engine.Tier2, Level: engine.Level3, Who: WhoMinor},
		Page:    "choices",
		Choices: []replies.MenuKey{"contribution", "estimate_inpatient"},
		More:    "余下",
	}
	got, err := decodeSession(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalize(got), normalize(want)) {
		t.Errorf("format 5:\n got %+v\nwant %+v", got, want)
	}
	if again, err := decodeSession(encodeSession(got)); err != nil || !reflect.DeepEqual(normalize(again), normalize(want)) {
		t.Errorf("written again as format %d: %+v, %v", sessionFormat, again, err)
	}
	if again := appendPositional(want); !bytes.Equal(again, data) {
		t.Errorf("the test's format 5 writer drifted from what was stored:\n%x", again)
	}
}

// A later release may add an optional field without a new format: this
// one skips the fields it does not know, at any depth, and keeps the rest.
func TestUnknownFieldsAreSkipped(t *testing.T) {
	s := Session{Updated: time.Unix(1795000000, 0), Topic: Topic{Key: "inpatient", Tier: engine.Tier2}, Page: "inpatient", More: "余下"}
	data := encodeSession(s)
	data = protowire.AppendVarint(protowire.AppendTag(data, 40, protowire.VarintType), 7)
	data = protowire.AppendString(protowire.AppendTag(data, 41, protowire.BytesType), "a field from the future")
	data = protowire.AppendFixed64(protowire.AppendTag(data, 42, protowire.Fixed64Type), 1)
	got, err := decodeSession(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalize(got), normalize(s)) {
		t.Errorf("with unknown fields:\n got %+v\nwant %+v", got, s)
	}
	if _, err := decodeSession(append(encodeSession(s), 0x0a, 0x05, 'x')); err == nil {
		t.Error("a truncated field was read")
	}
}
