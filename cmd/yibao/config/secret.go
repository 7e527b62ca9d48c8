package config

import (
	"fmt"
	"net/url"
	"strings"
)

// Secret is a setting that must never be printed: an AES key, an AppSecret,
// a Redis URL with its password. Every way of turning it into text (%v,
// %s, %q, %#v, String, JSON, YAML, zap's reflection) yields a mask, so a
// Secret that reaches a log line, an error or a panic leaks nothing. Reveal
// is the one way to read it, used where the value is handed to the code
// that needs it.
type Secret struct{ value string }

// NewSecret wraps v.
func NewSecret(v string) Secret { return Secret{v} }

const mask = "[redacted]"

// Reveal returns the secret itself.
func (s Secret) Reveal() string { return s.value }

// IsSet reports whether a value was given.
func (s Secret) IsSet() bool { return s.value != "" }

// String is the mask when set, empty when not: enough to tell an operator
// whether the setting is there.
func (s Secret) String() string {
	if s.value == "" {
		return ""
	}
	return mask
}

// GoString masks %#v.
func (s Secret) GoString() string { return fmt.Sprintf("config.Secret(%q)", s.String()) }

// Format masks every verb.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s.String())
		return
	}
	fmt.Fprint(f, s.String())
}

// MarshalText masks encoders (JSON, YAML, zap).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Set makes *Secret a flag.Value.
func (s *Secret) Set(v string) error {
	s.value = v
	return nil
}

// redactURL shows a URL with its password masked and its query dropped (a
// query may carry credentials too), or the mask when it does not parse.
func redactURL(s Secret) string {
	if !s.IsSet() {
		return ""
	}
	u, err := url.Parse(s.value)
	if err != nil || u.Opaque != "" {
		return mask
	}
	u.RawQuery, u.Fragment = "", ""
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), mask)
	}
	return strings.Replace(u.String(), url.QueryEscape(mask), mask, 1)
}
