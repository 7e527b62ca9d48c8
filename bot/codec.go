package bot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// sessionFormat is the first byte of every encoded session, so that a
// release can tell what an older one stored. Format 6 is named fields (see
// codec6.go): it needs no new format for an optional field. Formats 5 and
// 4 (before the topic remembered the patient), compact and positional, are
// still read; format 3 (before typed answers) is dropped quietly: it held at
// most a half-finished estimate.
const (
	sessionFormat         = fieldsFormat
	positionalFormat byte = 5
	topicNoWhoFormat byte = 4
	oldSessionFormat byte = 3
)

func encodeSession(s Session) []byte {
	if s.Dialog == nil && s.Topic == (Topic{}) && s.Page == "" && len(s.Choices) == 0 && s.More == "" && s.Answered.len() == 0 {
		return nil // nothing to remember: the store deletes the key
	}
	return encodeFields(s)
}

// The positional formats 4 and 5, as earlier releases wrote them (the
// writer is in codec_test.go): the format byte, the update time, the
// dialog (a presence byte and its fields), the topic, the page and the rest
// of a split reply. Integers are varints, strings length-prefixed, amounts
// in fen.

// pageIsTopic stands for the page key when it is the topic's; no string
// length starts with it (pages are short).
const pageIsTopic byte = 0xff

const (
	moneyZero byte = iota
	moneyFen
	moneyText
)

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errSessionFormat = errors.New("unknown session format")

// decodeSession reads a stored session. Everything is checked, since the
// dialog uses the values without looking again: a corrupt record is an
// error, never a panic later.
func decodeSession(data []byte) (Session, error) {
	var s Session
	if len(data) == 0 || data[0] == oldSessionFormat {
		return s, nil
	}
	format := data[0]
	if format == fieldsFormat {
		return decodeFields(data[1:])
	}
	if format != positionalFormat && format != topicNoWhoFormat {
		return s, fmt.Errorf("%w %d", errSessionFormat, format)
	}
	r := reader{b: data[1:]}
	s.Updated = time.Unix(r.varint(), 0)
	s.Dialog = r.dialog()
	s.Topic.Key = TopicKey(r.string())
	s.Topic.Tier = r.tier()
	if s.Topic.Level = engine.Level(r.byte()); s.Topic.Level != 0 && !s.Topic.Level.Valid() {
		r.fail()
	}
	if format >= positionalFormat {
		if s.Topic.Who = Who(r.byte()); s.Topic.Who > WhoMinor {
			r.fail()
		}
	}
	if len(r.b) > 0 && r.b[0] == pageIsTopic {
		r.byte()
		s.Page = PageRef(s.Topic.Key)
	} else {
		s.Page = PageRef(r.string())
	}
	if n := r.count(); n > 0 {
		s.Choices = make([]replies.MenuKey, n)
		for i := range s.Choices {
			s.Choices[i] = replies.MenuKey(r.string())
		}
	}
	s.More = r.string()
	if r.err == nil && len(r.b) > 0 {
		r.err = errors.New("trailing bytes")
	}
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

var errTruncated = errors.New("truncated or malformed")

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

func (r *reader) tier() engine.Tier {
	t := engine.Tier(r.byte())
	if t != 0 && !t.Valid() {
		r.fail()
	}
	return t
}

// money reads an amount, refusing anything but a non-negative decimal.
func (r *reader) money() engine.Money {
	var d decimal.Decimal
	switch r.byte() {
	case moneyZero:
		return engine.Money{}
	case moneyFen:
		d = decimal.New(r.varint(), -2)
	case moneyText:
		var err error
		if d, err = decimal.NewFromString(r.string()); err != nil {
			r.fail()
			return engine.Money{}
		}
	default:
		r.fail()
		return engine.Money{}
	}
	if d.IsNegative() {
		r.fail()
		return engine.Money{}
	}
	return engine.MoneyOf(d)
}

// dialog reads a presence byte and, when present, the dialog.
func (r *reader) dialog() *Dialog {
	switch r.byte() {
	case 0:
		return nil
	case 1:
	default:
		r.fail()
		return nil
	}
	d := &Dialog{Asking: Slot(r.byte())}
	if d.Asking >= slotCount {
		r.fail()
	}
	d.Facts = r.facts()
	if n := r.count(); n > 0 && n <= maxHistory {
		d.History = make([]Facts, n)
		for i := range d.History {
			d.History[i] = r.facts()
		}
	} else if n > maxHistory {
		r.fail()
	}
	return d
}

func (r *reader) facts() Facts {
	f := Facts{Kind: kindOf(r.byte()), Tier: r.tier(), Level: engine.Level(r.byte()), Who: Who(r.byte())}
	if f.Level != 0 && !f.Level.Valid() || f.Who > WhoMinor {
		r.fail()
	}
	flags := r.byte()
	f.TierGuessed, f.WantOut, f.OutGiven = flags&1 != 0, flags&2 != 0, flags&4 != 0
	f.AmountApprox, f.AmountDoubt, f.AmountChecked = flags&8 != 0, flags&16 != 0, flags&32 != 0
	f.Amount, f.OutOfPolicy, f.PriorBasic, f.PriorSelfPay = r.money(), r.money(), r.money(), r.money()
	return f
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
