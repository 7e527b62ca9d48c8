package engine

import "errors"

// MaxAmount bounds every amount the bot and the page take: no bill a
// resident brings is near it, and a bound keeps a slip (an extra 万) from
// being computed as a real bill.
var MaxAmount = Yuan(100_000_000)

// Why an amount is refused: one set of reasons for every reader (the
// chat's and the page's), so that each says the same thing its own way.
var (
	ErrAmountEmpty    = errors.New("amount: empty")
	ErrNotAmount      = errors.New("amount: not an amount")
	ErrAmountNegative = errors.New("amount: negative")
	ErrAmountTooLarge = errors.New("amount: too large")
	ErrAmountBelowFen = errors.New("amount: finer than a fen")
	ErrAmountZero     = errors.New("amount: zero")
)

// CheckBill says why a bill cannot be computed (nil when it can): it is
// more than nothing and at most MaxAmount.
func CheckBill(v Money) error {
	switch {
	case v.IsNegative():
		return ErrAmountNegative
	case v.IsZero():
		return ErrAmountZero
	case v.GreaterThan(MaxAmount):
		return ErrAmountTooLarge
	}
	return nil
}

// CheckPart says why a part of a bill or a sum already paid this year
// cannot be taken: it may be nothing, never less, and at most MaxAmount.
func CheckPart(v Money) error {
	switch {
	case v.IsNegative():
		return ErrAmountNegative
	case v.GreaterThan(MaxAmount):
		return ErrAmountTooLarge
	}
	return nil
}
