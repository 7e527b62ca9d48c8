package bot

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// Format 6 stores the session as named, numbered fields in the protocol
// buffers wire format (google.golang.org/protobuf/encoding/protowire), after
// the format byte. A field left at its zero value is not written, and a
// reader skips the fields it does not know: a release may add an optional
// field without a format change, and an older release reading it keeps
// the rest. A field's number is never reused for another meaning.
//
// It stays a hand-written table of fields, not a generated message: no
// protoc in the build, and the codec runs twice per message (see
// BenchmarkSessionCodec; encoding/json was eleven times slower).
const fieldsFormat byte = 6

// maxChoices bounds the options a stored page may list.
const maxChoices = 16

// Session fields.
const (
	fUpdated     protowire.Number = 1  // varint: Unix seconds, zigzag
	fDialog      protowire.Number = 2  // message: dialog fields
	fTopic       protowire.Number = 3  // message: topic fields
	fPage        protowire.Number = 4  // string
	fPageIsTopic protowire.Number = 5  // bool: the page is the topic's guide
	fChoice      protowire.Number = 6  // string, repeated
	fMore        protowire.Number = 7  // string
	fAnswered    protowire.Number = 8  // bytes: the answered messages' log (Answered.log)
	fReply       protowire.Number = 9  // bytes: the newest answered message's reply
	fIntent      protowire.Number = 10 // string: and its intent
)

// Dialog fields.
const (
	fAsking  protowire.Number = 1 // varint: Slot
	fFacts   protowire.Number = 2 // message: facts fields
	fHistory protowire.Number = 3 // message: facts fields, repeated, oldest first
)

// Facts fields; amounts are fen (zigzag varint), or with a finer precision
// their decimal text in the field numbered 100 more.
const (
	fKind          protowire.Number = 1 // varint: 1 inpatient, 2 outpatient
	fTier          protowire.Number = 2
	fLevel         protowire.Number = 3
	fWho           protowire.Number = 4
	fTierGuessed   protowire.Number = 5 // bools
	fWantOut       protowire.Number = 6
	fOutGiven      protowire.Number = 7
	fAmountApprox  protowire.Number = 8
	fAmountDoubt   protowire.Number = 9
	fAmountChecked protowire.Number = 10
	fAmount        protowire.Number = 11 // amounts
	fOutOfPolicy   protowire.Number = 12
	fPriorBasic    protowire.Number = 13
	fPriorSelfPay  protowire.Number = 14
	fNamed         protowire.Number = 15 // message: named answer fields, repeated, by name
	amountAsText   protowire.Number = 100
)

// Named answer fields (an added question's answer).
const (
	fAnswerName  protowire.Number = 1 // string
	fAnswerValue protowire.Number = 2 // string
)

// maxNamed bounds the added questions' answers a session may hold.
const maxNamed = 16

// Topic fields.
const (
	fTopicKey   protowire.Number = 1 // string
	fTopicTier  protowire.Number = 2
	fTopicLevel protowire.Number = 3
	fTopicWho   protowire.Number = 4
	fTopicYear  protowire.Number = 5
)

func encodeFields(s Session) []byte {
	b := make([]byte, 0, 64+len(s.More))
	b = append(b, fieldsFormat)
	if !s.Updated.IsZero() {
		b = protowire.AppendVarint(protowire.AppendTag(b, fUpdated, protowire.VarintType), protowire.EncodeZigZag(s.Updated.Unix()))
	}
	if d := s.Dialog; d != nil {
		var m []byte
		m = appendUint(m, fAsking, uint64(d.Asking))
		m = protowire.AppendTag(m, fFacts, protowire.BytesType)
		m = protowire.AppendBytes(m, appendFactFields(nil, d.Facts))
		for _, f := range d.History {
			m = protowire.AppendTag(m, fHistory, protowire.BytesType)
			m = protowire.AppendBytes(m, appendFactFields(nil, f))
		}
		b = protowire.AppendTag(b, fDialog, protowire.BytesType)
		b = protowire.AppendBytes(b, m)
	}
	if s.Topic != (Topic{}) {
		var m []byte
		m = appendText(m, fTopicKey, string(s.Topic.Key))
		m = appendUint(m, fTopicTier, uint64(s.Topic.Tier))
		m = appendUint(m, fTopicLevel, uint64(s.Topic.Level))
		m = appendUint(m, fTopicWho, uint64(s.Topic.Who))
		m = appendUint(m, fTopicYear, uint64(s.Topic.Year))
		b = protowire.AppendTag(b, fTopic, protowire.BytesType)
		b = protowire.AppendBytes(b, m)
	}
	if s.pageIsTopic() {
		b = appendUint(b, fPageIsTopic, 1)
	} else {
		b = appendText(b, fPage, string(s.Page))
	}
	for _, c := range s.Choices {
		b = protowire.AppendTag(b, fChoice, protowire.BytesType)
		b = protowire.AppendString(b, string(c))
	}
	b = appendText(b, fMore, s.More)
	if a := s.Answered; len(a.log) > 0 {
		b = protowire.AppendBytes(protowire.AppendTag(b, fAnswered, protowire.BytesType), a.log)
		if len(a.Reply) > 0 {
			b = protowire.AppendBytes(protowire.AppendTag(b, fReply, protowire.BytesType), a.Reply)
		}
		b = appendText(b, fIntent, a.Intent)
	}
	return b
}

func appendFactFields(b []byte, f Facts) []byte {
	b = appendUint(b, fKind, uint64(kindCode(f.Kind)))
	b = appendUint(b, fTier, uint64(f.Tier))
	b = appendUint(b, fLevel, uint64(f.Level))
	b = appendUint(b, fWho, uint64(f.Who))
	for _, fl := range []struct {
		n   protowire.Number
		set bool
	}{{fTierGuessed, f.TierGuessed}, {fWantOut, f.WantOut}, {fOutGiven, f.OutGiven},
		{fAmountApprox, f.AmountApprox}, {fAmountDoubt, f.AmountDoubt}, {fAmountChecked, f.AmountChecked}} {
		if fl.set {
			b = appendUint(b, fl.n, 1)
		}
	}
	b = appendAmount(b, fAmount, f.Amount)
	b = appendAmount(b, fOutOfPolicy, f.OutOfPolicy)
	b = appendAmount(b, fPriorBasic, f.PriorBasic)
	b = appendAmount(b, fPriorSelfPay, f.PriorSelfPay)
	for _, name := range slices.Sorted(maps.Keys(f.Named)) {
		var m []byte
		m = protowire.AppendString(protowire.AppendTag(m, fAnswerName, protowire.BytesType), name)
		m = protowire.AppendString(protowire.AppendTag(m, fAnswerValue, protowire.BytesType), f.Named[name])
		b = protowire.AppendBytes(protowire.AppendTag(b, fNamed, protowire.BytesType), m)
	}
	return b
}

func appendUint(b []byte, n protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	return protowire.AppendVarint(protowire.AppendTag(b, n, protowire.VarintType), v)
}

func appendText(b []byte, n protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	return protowire.AppendString(protowire.AppendTag(b, n, protowire.BytesType), s)
}

func appendAmount(b []byte, n protowire.Number, m engine.Money) []byte {
	d := m.Decimal()
	switch {
	case d.IsZero():
		return b
	case d.Equal(d.Round(2)) && d.Shift(2).IntPart() < 1<<53:
		return protowire.AppendVarint(protowire.AppendTag(b, n, protowire.VarintType), protowire.EncodeZigZag(d.Shift(2).IntPart()))
	}
	return appendText(b, n+amountAsText, d.String())
}

// fields walks one message's fields; the first malformed one stops it.
type fields struct {
	b   []byte
	err error
}

var errFields = errors.New("malformed field")

// next returns the next field's number, and its value as a varint or as
// bytes by its wire type; ok is false at the end or on an error.
func (r *fields) next() (n protowire.Number, v uint64, data []byte, ok bool) {
	for len(r.b) > 0 && r.err == nil {
		num, typ, tn := protowire.ConsumeTag(r.b)
		if tn < 0 {
			break
		}
		r.b = r.b[tn:]
		switch typ {
		case protowire.VarintType:
			x, vn := protowire.ConsumeVarint(r.b)
			if vn < 0 {
				r.err = errFields
				return 0, 0, nil, false
			}
			r.b = r.b[vn:]
			return num, x, nil, true
		case protowire.BytesType:
			x, bn := protowire.ConsumeBytes(r.b)
			if bn < 0 {
				r.err = errFields
				return 0, 0, nil, false
			}
			r.b = r.b[bn:]
			return num, 0, x, true
		default:
			// A type this release never writes: skip it.
			vn := protowire.ConsumeFieldValue(num, typ, r.b)
			if vn < 0 {
				r.err = errFields
				return 0, 0, nil, false
			}
			r.b = r.b[vn:]
		}
	}
	if len(r.b) > 0 && r.err == nil {
		r.err = errFields
	}
	return 0, 0, nil, false
}

// eachField calls f with every field of one message, in order, and stops
// at the first error, f's or the data's.
func eachField(data []byte, f func(n protowire.Number, v uint64, b []byte) error) error {
	r := fields{b: data}
	for {
		n, v, b, ok := r.next()
		if !ok {
			return r.err
		}
		if err := f(n, v, b); err != nil {
			return err
		}
	}
}

func decodeFields(data []byte) (Session, error) {
	var s Session
	var pageIsTopic bool
	err := eachField(data, func(n protowire.Number, v uint64, b []byte) error {
		var err error
		switch n {
		case fUpdated:
			s.Updated = time.Unix(protowire.DecodeZigZag(v), 0)
		case fDialog:
			s.Dialog, err = decodeDialog(b)
		case fTopic:
			s.Topic, err = decodeTopic(b)
		case fPage:
			s.Page = PageRef(b)
		case fPageIsTopic:
			pageIsTopic = v != 0
		case fChoice:
			if len(s.Choices) == maxChoices {
				return errors.New("too many choices")
			}
			s.Choices = append(s.Choices, replies.MenuKey(b))
		case fMore:
			s.More = string(b)
		case fAnswered:
			if len(b)%answeredEntry != 0 || len(b) > maxAnswered*answeredEntry {
				return errors.New("malformed answered log")
			}
			s.Answered.log = b
		case fReply:
			s.Answered.Reply = b
		case fIntent:
			s.Answered.Intent = string(b)
		}
		return err
	})
	if err != nil {
		return Session{}, fmt.Errorf("decode session: %w", err)
	}
	if pageIsTopic {
		s.Page = PageRef(s.Topic.Key)
	}
	return s, nil
}

func decodeDialog(data []byte) (*Dialog, error) {
	d := &Dialog{}
	err := eachField(data, func(n protowire.Number, v uint64, b []byte) error {
		switch n {
		case fAsking:
			if v >= uint64(maxSlot) {
				return errors.New("no such question")
			}
			d.Asking = Slot(v)
		case fFacts:
			f, err := decodeFacts(b)
			d.Facts = f
			return err
		case fHistory:
			if len(d.History) == maxHistory {
				return errors.New("history too long")
			}
			f, err := decodeFacts(b)
			d.History = append(d.History, f)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dialog: %w", err)
	}
	return d, nil
}

func decodeTopic(data []byte) (Topic, error) {
	var t Topic
	err := eachField(data, func(n protowire.Number, v uint64, b []byte) error {
		switch n {
		case fTopicKey:
			t.Key = TopicKey(b)
		case fTopicTier:
			t.Tier = engine.Tier(min(v, 0xff))
		case fTopicLevel:
			t.Level = engine.Level(min(v, 0xff))
		case fTopicWho:
			t.Who = Who(min(v, 0xff))
		case fTopicYear:
			t.Year = int(min(v, 9999))
		}
		return nil
	})
	if err == nil && (t.Tier != 0 && !t.Tier.Valid() || t.Level != 0 && !t.Level.Valid() || t.Who > WhoMinor) {
		err = errFields
	}
	if err != nil {
		return Topic{}, fmt.Errorf("topic: %w", err)
	}
	return t, nil
}

func decodeFacts(data []byte) (Facts, error) {
	var f Facts
	amount := func(v uint64, text []byte) (engine.Money, error) {
		d := decimal.New(protowire.DecodeZigZag(v), -2)
		if text != nil {
			var err error
			if d, err = decimal.NewFromString(string(text)); err != nil {
				return engine.Money{}, errFields
			}
		}
		if d.IsNegative() {
			return engine.Money{}, errFields
		}
		return engine.MoneyOf(d), nil
	}
	err := eachField(data, func(n protowire.Number, v uint64, b []byte) error {
		switch n {
		case fKind:
			f.Kind = kindOf(byte(min(v, 0xff)))
		case fTier:
			f.Tier = engine.Tier(min(v, 0xff))
		case fLevel:
			f.Level = engine.Level(min(v, 0xff))
		case fWho:
			f.Who = Who(min(v, 0xff))
		case fNamed:
			return f.decodeNamed(b)
		}
		if flag := f.flag(n); flag != nil {
			*flag = v != 0
		}
		if n > amountAsText {
			n -= amountAsText
		} else {
			b = nil
		}
		if m := f.amount(n); m != nil {
			var err error
			*m, err = amount(v, b)
			return err
		}
		return nil
	})
	if err == nil && (f.Tier != 0 && !f.Tier.Valid() || f.Level != 0 && !f.Level.Valid() || f.Who > WhoMinor) {
		err = errFields
	}
	if err != nil {
		return Facts{}, fmt.Errorf("facts: %w", err)
	}
	return f, nil
}

// decodeNamed adds one added question's answer.
func (f *Facts) decodeNamed(data []byte) error {
	var name, value string
	err := eachField(data, func(n protowire.Number, _ uint64, b []byte) error {
		switch n {
		case fAnswerName:
			name = string(b)
		case fAnswerValue:
			value = string(b)
		}
		return nil
	})
	if err != nil || name == "" || len(f.Named) == maxNamed {
		return errFields
	}
	if f.Named == nil {
		f.Named = map[string]string{}
	}
	f.Named[name] = value
	return nil
}

// flag is the field of Facts that field n holds, if it is a flag.
func (f *Facts) flag(n protowire.Number) *bool {
	switch n {
	case fTierGuessed:
		return &f.TierGuessed
	case fWantOut:
		return &f.WantOut
	case fOutGiven:
		return &f.OutGiven
	case fAmountApprox:
		return &f.AmountApprox
	case fAmountDoubt:
		return &f.AmountDoubt
	case fAmountChecked:
		return &f.AmountChecked
	}
	return nil
}

// amount is the field of Facts that field n holds, if it is an amount.
func (f *Facts) amount(n protowire.Number) *engine.Money {
	switch n {
	case fAmount:
		return &f.Amount
	case fOutOfPolicy:
		return &f.OutOfPolicy
	case fPriorBasic:
		return &f.PriorBasic
	case fPriorSelfPay:
		return &f.PriorSelfPay
	}
	return nil
}
