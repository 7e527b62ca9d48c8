package config

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/yibao/yibao/bot/redisstore"
)

// flag.Value adapters binding table rows to Config fields; the flag
// package's own are unexported.

type stringValue string

func (v *stringValue) String() string     { return string(*v) }
func (v *stringValue) Set(s string) error { *v = stringValue(s); return nil }

type durationValue time.Duration

func (v *durationValue) String() string { return time.Duration(*v).String() }
func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("not a duration (e.g. 5s, 2m)")
	}
	*v = durationValue(d)
	return nil
}

type intValue int

func (v *intValue) String() string { return strconv.Itoa(int(*v)) }
func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not a whole number")
	}
	*v = intValue(n)
	return nil
}

// switchValue is a boolean that also takes on and off, as the deploy
// files write it.
type switchValue bool

func (v *switchValue) String() string {
	if *v {
		return "on"
	}
	return "off"
}

func (v *switchValue) Set(s string) error {
	switch strings.ToLower(s) {
	case "on", "true", "1", "yes":
		*v = true
	case "off", "false", "0", "no":
		*v = false
	default:
		return errors.New("want on or off")
	}
	return nil
}

func (v *switchValue) IsBoolFlag() bool { return true }

// redisModeValue is YIBAO_REDIS_MODE: single, cluster, sentinel or empty.
type redisModeValue redisstore.Mode

func (v *redisModeValue) String() string { return string(*v) }
func (v *redisModeValue) Set(s string) error {
	m, err := redisstore.ParseMode(s)
	if err != nil {
		return errors.New("want single, cluster or sentinel")
	}
	*v = redisModeValue(m)
	return nil
}

// envValue is YIBAO_ENV: production, development or empty.
type envValue string

func (v *envValue) String() string { return string(*v) }
func (v *envValue) Set(s string) error {
	switch s {
	case "", "production", "development":
		*v = envValue(s)
		return nil
	}
	return errors.New("want production or development")
}
