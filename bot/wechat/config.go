package wechat

import (
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Defaults for the zero fields of Config.
const (
	// DefaultMaxBody bounds a push body. The largest real push is a text
	// message at the input limit (a few thousand characters, under 10 KB of
	// UTF-8), which safe mode grows by base64 (4/3) and the envelope to
	// under 16 KB; 64 KiB leaves room for list-carrying events and still
	// keeps a flood of large bodies cheap to turn away.
	DefaultMaxBody = 64 << 10
	// DefaultMaxSkew is how far a push's timestamp may be from our clock; a
	// push outside it is a replay (the platform's retries all come within
	// about 15 s of the first try).
	DefaultMaxSkew = 5 * time.Minute
	// DefaultDeadline leaves half a second of the platform's 5 s for the
	// network: a reply after 5 s is lost and the platform retries.
	DefaultDeadline = 4500 * time.Millisecond
	// DefaultMaxReplyBytes is under the reported 2048-byte passive reply
	// limit, which some accounts hit earlier.
	DefaultMaxReplyBytes = 2000
	// DefaultPlainReplays bounds plain mode's memory of signed URLs: about
	// 6 MB, 200 pushes a second over a five-minute window. Past it plain
	// mode refuses URLs it can no longer vouch for, and plain mode is for
	// development.
	DefaultPlainReplays = 1 << 16
)

// Config is an official account's server settings and the webhook's limits.
type Config struct {
	Token string // the token set in the account's server configuration
	AppID string // required in safe mode: checked inside every ciphertext
	// AESKey is the 43-character EncodingAESKey. Set, the webhook runs in
	// safe mode and accepts only encrypted pushes; empty, in plain mode.
	AESKey string
	// PrevAESKey, during a key change, is the key being replaced: pushes
	// encrypted with it are still accepted and answered with it.
	PrevAESKey string

	// Handoff says whether the account's customer-service staff take
	// conversations at the given time. When it does, a reply marked
	// Handoff is the platform's transfer_customer_service message instead
	// of its text; nil never hands over. The platform shows the user
	// nothing when no agent is on duty, hence the operator's say.
	Handoff func(now time.Time) bool

	MaxBody       int64         // bytes; DefaultMaxBody when 0
	MaxSkew       time.Duration // DefaultMaxSkew when 0
	Deadline      time.Duration // DefaultDeadline when 0
	MaxReplyBytes int           // DefaultMaxReplyBytes when 0
	// PlainReplays is how many signed URLs plain mode remembers with their
	// bodies (DefaultPlainReplays when 0); see plainReplays.
	PlainReplays int
}

// Safe reports whether the webhook runs in safe (encrypted) mode.
func (c Config) Safe() bool { return c.AESKey != "" }

// Validate says what is wrong with c, in words an operator can act on.
func (c Config) Validate() error {
	var errs []error
	if c.Token == "" {
		errs = append(errs, errors.New("wechat: Token is empty; set it to the token of the account's server configuration"))
	}
	if c.Safe() {
		if err := checkAESKey("AESKey", c.AESKey); err != nil {
			errs = append(errs, err)
		}
		if c.AppID == "" {
			errs = append(errs, errors.New("wechat: AppID is required in safe mode (AESKey set): it is checked inside every encrypted push"))
		}
	}
	if c.PrevAESKey != "" {
		if !c.Safe() {
			errs = append(errs, errors.New("wechat: PrevAESKey is set but AESKey is not; set AESKey to the new key"))
		} else if err := checkAESKey("PrevAESKey", c.PrevAESKey); err != nil {
			errs = append(errs, err)
		}
	}
	if c.MaxBody < 0 || c.MaxSkew < 0 || c.Deadline < 0 || c.MaxReplyBytes < 0 {
		errs = append(errs, errors.New("wechat: MaxBody, MaxSkew, Deadline and MaxReplyBytes must not be negative"))
	}
	if c.Deadline >= 5*time.Second {
		errs = append(errs, fmt.Errorf("wechat: Deadline %v is too long: the platform drops the connection after 5s", c.Deadline))
	}
	if c.MaxBody != 0 && c.MaxBody < 1024 {
		errs = append(errs, fmt.Errorf("wechat: MaxBody %d is too small for a real push; use at least 1024 bytes", c.MaxBody))
	}
	return errors.Join(errs...)
}

func checkAESKey(name, k string) error {
	if len(k) != 43 {
		return fmt.Errorf("wechat: %s must be the 43-character EncodingAESKey from the account's server configuration, got %d characters", name, len(k))
	}
	if _, err := decodeAESKey(k); err != nil {
		return fmt.Errorf("wechat: %s is not valid base64 (letters, digits, + and / only): %w", name, err)
	}
	return nil
}

func decodeAESKey(k string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(k + "=")
	if err != nil {
		return nil, err
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("decodes to %d bytes, want 32", len(key))
	}
	return key, nil
}

func (c Config) withDefaults() Config {
	if c.MaxBody == 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxSkew == 0 {
		c.MaxSkew = DefaultMaxSkew
	}
	if c.Deadline == 0 {
		c.Deadline = DefaultDeadline
	}
	if c.MaxReplyBytes == 0 {
		c.MaxReplyBytes = DefaultMaxReplyBytes
	}
	return c
}
