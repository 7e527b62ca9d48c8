package config

import (
	"fmt"
	"strings"
	"time"
)

// chinaTime is the account's clock for service hours: UTC+8 all year (no
// daylight saving), fixed so the binary needs no time-zone database.
var chinaTime = time.FixedZone("CST", 8*3600)

// Hours are when the account's customer-service staff are on duty:
// "09:00-17:30" every day, "mon-fri 09:00-17:30" on those days, empty
// always. Times are China time.
type Hours struct {
	days       [7]bool // by time.Weekday
	from, till int     // minutes after midnight; till > from
	always     bool
}

var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseHours reads s in the form Hours documents.
func ParseHours(s string) (Hours, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return Hours{always: true}, nil
	}
	bad := fmt.Errorf("%q: want HH:MM-HH:MM, optionally after days such as mon-fri or sat,sun (China time)", s)
	f := strings.Fields(s)
	var h Hours
	switch len(f) {
	case 1:
		for i := range h.days {
			h.days[i] = true
		}
	case 2:
		for _, part := range strings.Split(f[0], ",") {
			a, b, isRange := strings.Cut(part, "-")
			from, to := dayIndex(a), dayIndex(b)
			if !isRange {
				to = from
			}
			if from < 0 || to < 0 {
				return Hours{}, bad
			}
			for d := from; ; d = (d + 1) % 7 {
				h.days[d] = true
				if d == to {
					break
				}
			}
		}
	default:
		return Hours{}, bad
	}
	a, b, ok := strings.Cut(f[len(f)-1], "-")
	if !ok {
		return Hours{}, bad
	}
	var err1, err2 error
	h.from, err1 = minutes(a)
	h.till, err2 = minutes(b)
	if err1 != nil || err2 != nil || h.till <= h.from {
		return Hours{}, bad
	}
	return h, nil
}

func dayIndex(s string) int {
	for i, d := range weekdays {
		if s == d {
			return i
		}
	}
	return -1
}

func minutes(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Open reports whether t falls within the hours.
func (h Hours) Open(t time.Time) bool {
	if h.always {
		return true
	}
	t = t.In(chinaTime)
	m := t.Hour()*60 + t.Minute()
	return h.days[t.Weekday()] && m >= h.from && m < h.till
}
