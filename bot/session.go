package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/yibao/yibao/engine"
)

// Session is what the bot remembers of one user between messages.
type Session struct {
	Dialog *Dialog `json:"d,omitempty"` // the estimate in progress, if any
	// Menu is the last numbered menu shown: Menu[i] is what "i+1" opens.
	Menu []string `json:"m,omitempty"`
	// More is the rest of a reply too long for one message, shown when the
	// user picks "查看余下内容"; MoreMenu is that rest's own menu.
	More     string   `json:"r,omitempty"`
	MoreMenu []string `json:"rm,omitempty"`
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
)

// Dialog is an estimate being put together, one answer at a time.
type Dialog struct {
	Facts
	// Asking is the question waiting for an answer; SlotNone once the
	// result was shown (the dialog then takes changes and recalculates).
	Asking  Slot      `json:"a,omitempty"`
	Updated time.Time `json:"u"`
	// History holds the facts before each answer, newest last, for 上一步.
	History []Facts `json:"h,omitempty"`
}

// Facts are the answers given so far.
type Facts struct {
	Kind   engine.Kind  `json:"k,omitempty"`
	Tier   engine.Tier  `json:"t,omitempty"`
	Level  engine.Level `json:"l,omitempty"`
	Amount string       `json:"c,omitempty"` // exact decimal yuan; "" = not given
	Minor  *bool        `json:"n,omitempty"`
	// TierGuessed is set when the user did not know their tier and the
	// estimate assumes 一档.
	TierGuessed bool `json:"tg,omitempty"`
}

// maxHistory bounds 上一步: enough for every answer of one dialog.
const maxHistory = 8

// sessionFormat prefixes every encoded session so that a later release can
// read, migrate or discard what an older one stored.
const sessionFormat = '1'

func encodeSession(s Session) ([]byte, error) {
	if s.Dialog == nil && len(s.Menu) == 0 && s.More == "" {
		return nil, nil // nothing to remember: the store deletes the key
	}
	body, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode session: %w", err)
	}
	return append([]byte{sessionFormat}, body...), nil
}

var errSessionFormat = errors.New("unknown session format")

func decodeSession(data []byte) (Session, error) {
	var s Session
	if len(data) == 0 {
		return s, nil
	}
	if data[0] != sessionFormat {
		return s, fmt.Errorf("%w %q", errSessionFormat, data[0])
	}
	if err := json.Unmarshal(data[1:], &s); err != nil {
		return Session{}, fmt.Errorf("decode session: %w", err)
	}
	return s, nil
}
