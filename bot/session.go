package bot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/yibao/yibao/engine"
)

// Session is what the bot remembers of one user between messages.
type Session struct {
	Dialog *Dialog // the estimate in progress, if any
	// Menu is the last numbered menu shown: Menu[i] is what "i+1" opens.
	Menu []string
	// More is the rest of a reply too long for one message, shown when the
	// user picks "查看余下内容"; MoreMenu is that rest's own menu.
	More     string
	MoreMenu []string
}

// Slot is one fact the estimate dialog needs.
type Slot string

const (
	SlotNone   Slot = ""
	SlotKind   Slot = "kind"
	SlotTier   Slot = "tier"
	SlotLevel  Slot = "level"
	SlotAmount Slot = "amount"
	SlotMinor  Slot = "minor"
	// SlotOutOfPolicy is asked only when the user offers the part of the
	// bill outside the reimbursement list (目录外/自费).
	SlotOutOfPolicy Slot = "out_of_policy"
)

// Dialog is an estimate being put together, one answer at a time.
type Dialog struct {
	Facts
	// Asking is the question waiting for an answer; SlotNone once the
	// result was shown (the dialog then takes changes and recalculates).
	Asking  Slot
	Updated time.Time
	// History holds the facts before each answer, newest last, for 上一步.
	History []Facts
}

// Facts are the answers given so far.
type Facts struct {
	Kind   engine.Kind
	Tier   engine.Tier
	Level  engine.Level
	Amount string // exact decimal yuan; "" = not given
	Minor  *bool
	// TierGuessed is set when the user did not know their tier and the
	// estimate assumes 一档.
	TierGuessed bool
	// WantOut is set when the user chose to give the out-of-policy part;
	// OutOfPolicy is that part, exact decimal yuan ("" = not given, and
	// the estimate says it assumed none).
	WantOut     bool
	OutOfPolicy string
}

// maxHistory bounds 上一步: enough for every answer of one dialog.
const maxHistory = 8

// sessionFormat is the first byte of every encoded session, so that a
// later release can tell (and migrate or discard) what an older one stored.
const sessionFormat byte = 3

// The encoding is compact and positional, since it is written and read on
// every message: the format byte, then the dialog (a presence byte and its
// fields), the menu, and the rest of a split reply with its menu. Integers
// are uvarints and strings length-prefixed.

func encodeSession(s Session) []byte {
	if s.Dialog == nil && len(s.Menu) == 0 && s.More == "" {
		return nil // nothing to remember: the store deletes the key
	}
	b := make([]byte, 0, 64+len(s.More))
	b = append(b, sessionFormat)
	if d := s.Dialog; d != nil {
		b = append(b, 1, byte(slotCode(d.Asking)))
		b = binary.AppendVarint(b, d.Updated.UnixMilli())
		b = appendFacts(b, d.Facts)
		b = binary.AppendUvarint(b, uint64(len(d.History)))
		for _, f := range d.History {
			b = appendFacts(b, f)
		}
	} else {
		b = append(b, 0)
	}
	b = appendStrings(b, s.Menu)
	b = appendString(b, s.More)
	return appendStrings(b, s.MoreMenu)
}

func appendFacts(b []byte, f Facts) []byte {
	minor := byte(0)
	if f.Minor != nil {
		minor = 1
		if *f.Minor {
			minor = 2
		}
	}
	flags := byte(0)
	if f.TierGuessed {
		flags |= 1
	}
	if f.WantOut {
		flags |= 2
	}
	b = append(b, kindCode(f.Kind), byte(f.Tier), byte(f.Level), minor, flags)
	b = appendString(b, f.Amount)
	return appendString(b, f.OutOfPolicy)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = appendString(b, s)
	}
	return b
}

var errSessionFormat = errors.New("unknown session format")

func decodeSession(data []byte) (Session, error) {
	var s Session
	if len(data) == 0 {
		return s, nil
	}
	if data[0] != sessionFormat {
		return s, fmt.Errorf("%w %d", errSessionFormat, data[0])
	}
	r := reader{b: data[1:]}
	switch r.byte() {
	case 0:
	case 1:
		d := &Dialog{Asking: slotOf(r.byte())}
		d.Updated = time.UnixMilli(r.varint())
		d.Facts = r.facts()
		if n := r.count(); n > 0 {
			d.History = make([]Facts, n)
			for i := range d.History {
				d.History[i] = r.facts()
			}
		}
		s.Dialog = d
	default:
		r.fail()
	}
	s.Menu = r.strings()
	s.More = r.string()
	s.MoreMenu = r.strings()
	if r.err != nil {
		return Session{}, fmt.Errorf("decode session: %w", r.err)
	}
	return s, nil
}

// reader reads the session encoding; the first error sticks and later
// reads return zero values.
type reader struct {
	b   []byte
	err error
}

var errTruncated = errors.New("truncated")

func (r *reader) fail() {
	if r.err == nil {
		r.err = errTruncated
	}
	r.b = nil
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a list length, refusing one longer than the data could hold.
func (r *reader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *reader) string() string {
	n := r.count()
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) strings() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = r.string()
	}
	return ss
}

func (r *reader) facts() Facts {
	f := Facts{Kind: kindOf(r.byte()), Tier: engine.Tier(r.byte()), Level: engine.Level(r.byte())}
	switch r.byte() {
	case 1:
		f.Minor = ptr(false)
	case 2:
		f.Minor = ptr(true)
	}
	flags := r.byte()
	f.TierGuessed, f.WantOut = flags&1 != 0, flags&2 != 0
	f.Amount = r.string()
	f.OutOfPolicy = r.string()
	// The dialog turns these into money without checking again.
	if f.Amount != "" {
		if d, err := decimal.NewFromString(f.Amount); err != nil || !d.IsPositive() {
			r.fail()
		}
	}
	if f.OutOfPolicy != "" {
		if d, err := decimal.NewFromString(f.OutOfPolicy); err != nil || d.IsNegative() {
			r.fail()
		}
	}
	return f
}

// ptr returns a pointer to its own copy of v, for the tri-state Minor.
func ptr(v bool) *bool { return &v }

var slots = []Slot{SlotNone, SlotKind, SlotTier, SlotLevel, SlotAmount, SlotMinor, SlotOutOfPolicy}

// takesNumber reports whether a bare number answers the question: an
// amount, rather than a choice from a numbered list.
func (s Slot) takesNumber() bool { return s == SlotAmount || s == SlotOutOfPolicy }

func slotCode(s Slot) int { return max(0, slices.Index(slots, s)) }

func slotOf(c byte) Slot {
	if int(c) < len(slots) {
		return slots[c]
	}
	return SlotNone
}

func kindCode(k engine.Kind) byte {
	switch k {
	case engine.KindInpatient:
		return 1
	case engine.KindOutpatient:
		return 2
	}
	return 0
}

func kindOf(c byte) engine.Kind {
	switch c {
	case 1:
		return engine.KindInpatient
	case 2:
		return engine.KindOutpatient
	}
	return engine.KindUnknown
}
