package bot

import (
	"reflect"
	"testing"
	"time"

	"github.com/yibao/yibao/engine"
)

func TestSessionRoundTrip(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		s    Session
	}{
		{"empty", Session{}},
		{"menu only", Session{Menu: []string{"contribution", "payment"}}},
		{"dialog", Session{
			Dialog: &Dialog{
				Facts:   Facts{Kind: engine.KindInpatient, Tier: engine.Tier2, Level: engine.Level3, Amount: "50000.5", Minor: &no},
				Asking:  SlotMinor,
				Updated: time.UnixMilli(1795000000123),
				History: []Facts{{Kind: engine.KindInpatient}, {Kind: engine.KindInpatient, Tier: engine.Tier1, TierGuessed: true, Minor: &yes}},
			},
			Menu: []string{"estimate_amount"},
		}},
		{"split reply", Session{More: "余下的内容……", MoreMenu: []string{"help"}, Menu: []string{"more"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeSession(encodeSession(tt.s))
			if err != nil {
				t.Fatal(err)
			}
			if d := got.Dialog; d != nil {
				d.Updated = d.Updated.In(tt.s.Dialog.Updated.Location())
			}
			if !reflect.DeepEqual(got, tt.s) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, tt.s)
			}
		})
	}
}

// FuzzDecodeSession: whatever a store hands back (another release's data,
// corruption), decoding returns an error or a session, never a panic, and
// what decodes encodes back to the same session.
func FuzzDecodeSession(f *testing.F) {
	data := encodeSession(Session{Dialog: &Dialog{Facts: Facts{Kind: engine.KindOutpatient, Amount: "200"}, Asking: SlotTier, History: []Facts{{}}}, Menu: []string{"a"}})
	f.Add(data)
	f.Add([]byte{sessionFormat, 1, 9, 0xff})
	f.Add([]byte(`1{"d":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeSession(b)
		if err != nil {
			return
		}
		again := encodeSession(s)
		if d := s.Dialog; d != nil {
			d.Facts.recap() // the dialog reads the amount without checking it again
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

func normalize(s Session) Session {
	if len(s.Menu) == 0 {
		s.Menu = nil
	}
	if len(s.MoreMenu) == 0 || s.More == "" {
		s.MoreMenu = nil // a menu for no rest of a reply is not kept
	}
	if s.Dialog != nil {
		d := *s.Dialog
		d.Updated = d.Updated.UTC()
		s.Dialog = &d
	}
	return s
}
