package bot

import (
	"encoding/binary"

	"github.com/yibao/yibao/engine"
)

// appendPositional writes format 5, as the releases before format 6 did,
// so that tests can check it is still read.
func appendPositional(s Session) []byte {
	b := make([]byte, 0, 48+len(s.More))
	b = append(b, positionalFormat)
	b = binary.AppendVarint(b, s.Updated.Unix())
	if d := s.Dialog; d != nil {
		b = append(b, 1, byte(d.Asking))
		b = appendFacts(b, d.Facts)
		b = binary.AppendUvarint(b, uint64(len(d.History)))
		for _, f := range d.History {
			b = appendFacts(b, f)
		}
	} else {
		b = append(b, 0)
	}
	b = appendString(b, string(s.Topic.Key))
	b = append(b, byte(s.Topic.Tier), byte(s.Topic.Level), byte(s.Topic.Who))
	switch {
	case s.pageIsTopic():
		b = append(b, pageIsTopic)
	case len(s.Page) < 0x7f:
		b = appendString(b, string(s.Page))
	default:
		b = appendString(b, "")
	}
	b = binary.AppendUvarint(b, uint64(len(s.Choices)))
	for _, c := range s.Choices {
		b = appendString(b, string(c))
	}
	return appendString(b, s.More)
}

func appendFacts(b []byte, f Facts) []byte {
	var flags byte
	for i, set := range []bool{f.TierGuessed, f.WantOut, f.OutGiven, f.AmountApprox, f.AmountDoubt, f.AmountChecked} {
		if set {
			flags |= 1 << i
		}
	}
	b = append(b, kindCode(f.Kind), byte(f.Tier), byte(f.Level), byte(f.Who), flags)
	for _, m := range []engine.Money{f.Amount, f.OutOfPolicy, f.PriorBasic, f.PriorSelfPay} {
		b = appendMoney(b, m)
	}
	return b
}

// appendMoney writes an amount: a tag byte, then for a whole number of fen
// (every amount people type) the fen as a varint, else its decimal text.
// Fen decode without parsing text, which matters on every message.
func appendMoney(b []byte, m engine.Money) []byte {
	d := m.Decimal()
	switch {
	case d.IsZero():
		return append(b, moneyZero)
	case d.Equal(d.Round(2)) && d.Shift(2).IntPart() < 1<<53:
		return binary.AppendVarint(append(b, moneyFen), d.Shift(2).IntPart())
	}
	return appendString(append(b, moneyText), d.String())
}
