// Package config is yibao's one configuration: every setting of every
// subcommand, read from flags and the environment, validated in one place,
// and printable for operators with its secrets masked.
//
// A setting is one row of the table in settings: its flag, its environment
// variable, which commands take it, and the Config field it fills. To add
// one, add a field and a row; EnvVars, the help text, the masked dump and
// the secret checks follow from the row.
//
// Environment values are applied after the flags are defined, never as
// their defaults, so help text shows built-in defaults only; a flag on the
// command line overrides the environment.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/redisstore"
	"github.com/yibao/yibao/bot/wechat"
	"github.com/yibao/yibao/replies"
)

// Command is a set of subcommands a setting belongs to.
type Command uint8

// The subcommands.
const (
	Serve Command = 1 << iota
	Chat
	Estimate
	Check
	Menu
	Policy
	Probe
	Stats
)

var commandNames = []struct {
	c    Command
	name string
}{{Serve, "serve"}, {Chat, "chat"}, {Estimate, "estimate"}, {Check, "check"}, {Menu, "menu"}, {Policy, "policy"}, {Probe, "probe"}, {Stats, "stats"}}

func (c Command) String() string {
	var names []string
	for _, n := range commandNames {
		if c&n.c != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, ",")
}

// Development-mode account settings, those of the platform simulator's
// defaults, so that `yibao serve` with no settings and the simulator talk
// at once.
const (
	DevToken = "test-token"
	DevAppID = "wx0000000000000000"
)

// Config is the effective configuration of one subcommand.
type Config struct {
	// Where the bot's data comes from: built-in unless a file is named.
	PolicyDir   string
	IntentsFile string
	GuidesFile  string
	MenuFile    string

	// Dialog state: Redis when set, else in memory.
	RedisURL          Secret
	RedisAutoPipeline bool
	RedisMode         redisstore.Mode // single, cluster or sentinel; empty: from the URL's form

	// The official account.
	Token      Secret // signs every push: whoever has it can forge plain-mode pushes
	AppID      string
	AppSecret  Secret
	AESKey     Secret
	PrevAESKey Secret
	MaxSkew    time.Duration

	// Serving.
	Addr        string
	AdminAddr   string // health and metrics; empty serves them on Addr
	LogLevel    string
	DialogTTL   time.Duration
	Drain       time.Duration
	MaxConns    int
	IdleTimeout time.Duration

	// The estimate page: the address residents reach the service at
	// (the menu's page buttons link under it), and whether a proxy in
	// front says who the client is.
	PublicURL  string
	TrustProxy bool

	// Hand-over to people: when on, a user who asks for a person is passed
	// to the account's customer-service staff during HandoffHours (China
	// time; empty: any time), and gets the hotline otherwise.
	Handoff      bool
	HandoffHours string

	// PrintConfig asks for the masked dump instead of running.
	PrintConfig bool
	// Development is true when serve runs with no account settings at
	// all: plain mode with DevToken and DevAppID.
	Development bool
	// Dev allows development mode where it is otherwise refused (a
	// non-loopback address, a public URL, YIBAO_ENV=production): an
	// unfilled Secret must not put the public test token on the internet.
	Dev bool
	// Env is the deployment's kind: production refuses development mode.
	Env string

	cmd     Command
	sources map[string]string // flag name → "flag" or "env"
}

// Defaults are the built-in values, the ones help shows.
func Defaults() Config {
	return Config{
		RedisAutoPipeline: true,
		MaxSkew:           wechat.DefaultMaxSkew,
		Addr:              "127.0.0.1:8080",
		LogLevel:          "info",
		DialogTTL:         bot.DefaultDialogTTL,
		// Long enough for a load balancer to see /readyz fail and stop
		// sending, well inside the 15 s the deploy files grant on stop.
		Drain: 5 * time.Second,
		// Under the common 1024 open-file limit, leaving room for Redis
		// connections, files and the admin port.
		MaxConns: 768,
		// The platform opens a connection per burst; an idle one held
		// longer only costs a file descriptor.
		IdleTimeout: 15 * time.Second,
	}
}

// A setting is one row of the table.
type setting struct {
	flag, env, usage string
	in               Command
	secret           bool
	value            flag.Value
	// show, when set, is how the dump prints the value (a URL with its
	// password masked); else value.String(), which a Secret masks.
	show func() string
}

// settings binds the table to c's fields.
func settings(c *Config) []setting {
	// stats reads the content too, to explain the questions it lists.
	content := Serve | Chat | Check | Stats
	return []setting{
		{flag: "policy-dir", env: "YIBAO_POLICY_DIR", in: content | Estimate | Policy, value: (*stringValue)(&c.PolicyDir),
			usage: "directory of extra or replacement policy files"},
		{flag: "intents", env: "YIBAO_INTENTS", in: content, value: (*stringValue)(&c.IntentsFile),
			usage: "intent catalogue file replacing the built-in one"},
		{flag: "guides", env: "YIBAO_GUIDES", in: content | Menu, value: (*stringValue)(&c.GuidesFile),
			usage: "guides file replacing the built-in one"},
		{flag: "menu", env: "YIBAO_MENU", in: Serve | Check | Menu, value: (*stringValue)(&c.MenuFile),
			usage: "account menu file replacing the built-in one"},

		{flag: "redis", env: "REDIS_URL", in: Serve | Chat | Menu | Stats, secret: true, value: &c.RedisURL, show: func() string { return redactURL(c.RedisURL) },
			usage: "Redis URL for dialog state, usage stats and the shared access token, e.g. redis://:password@127.0.0.1:6379/0; empty keeps state in memory"},
		{flag: "redis-autopipeline", env: "YIBAO_REDIS_AUTOPIPELINE", in: Serve | Chat, value: (*switchValue)(&c.RedisAutoPipeline),
			usage: "batch concurrent messages' commits to Redis (on or off)"},
		{flag: "redis-mode", env: "YIBAO_REDIS_MODE", in: Serve | Chat | Menu | Stats, value: (*redisModeValue)(&c.RedisMode),
			usage: "single, cluster or sentinel; empty reads it from the URL: master_name means sentinel, addr= parameters a cluster"},

		{flag: "token", env: "WECHAT_TOKEN", in: Serve | Probe, secret: true, value: &c.Token,
			usage: "the account's server token"},
		{flag: "appid", env: "WECHAT_APPID", in: Serve | Menu | Probe, value: (*stringValue)(&c.AppID),
			usage: "the account's AppID"},
		{flag: "appsecret", env: "WECHAT_APPSECRET", in: Menu, secret: true, value: &c.AppSecret,
			usage: "the account's AppSecret, for the platform's APIs (menu push)"},
		{flag: "aes-key", env: "WECHAT_AES_KEY", in: Serve | Probe, secret: true, value: &c.AESKey,
			usage: "43-character EncodingAESKey: safe mode"},
		{flag: "prev-aes-key", env: "WECHAT_PREV_AES_KEY", in: Serve, secret: true, value: &c.PrevAESKey,
			usage: "the previous EncodingAESKey during a key change"},
		{flag: "max-skew", env: "YIBAO_MAX_SKEW", in: Serve, value: (*durationValue)(&c.MaxSkew),
			usage: "refuse pushes whose timestamp is further than this from now"},

		{flag: "addr", env: "YIBAO_ADDR", in: Serve, value: (*stringValue)(&c.Addr),
			usage: "listen address of the webhook (/wechat)"},
		{flag: "admin-addr", env: "YIBAO_ADMIN_ADDR", in: Serve, value: (*stringValue)(&c.AdminAddr),
			usage: "listen address for /healthz, /readyz and /metrics; empty serves them on -addr"},
		{flag: "log-level", env: "YIBAO_LOG_LEVEL", in: Serve, value: (*stringValue)(&c.LogLevel),
			usage: "debug, info, warn or error"},
		{flag: "dialog-ttl", env: "YIBAO_DIALOG_TTL", in: Serve, value: (*durationValue)(&c.DialogTTL),
			usage: "an estimate dialog left idle this long ends"},
		{flag: "drain", env: "YIBAO_DRAIN", in: Serve, value: (*durationValue)(&c.Drain),
			usage: "on SIGTERM, answer not-ready but keep serving this long before shutting down"},
		{flag: "max-conns", env: "YIBAO_MAX_CONNS", in: Serve, value: (*intValue)(&c.MaxConns),
			usage: "most connections served at once on -addr; more wait to be accepted"},
		{flag: "idle-timeout", env: "YIBAO_IDLE_TIMEOUT", in: Serve, value: (*durationValue)(&c.IdleTimeout),
			usage: "close a keep-alive connection idle this long"},

		{flag: "public-url", env: "YIBAO_PUBLIC_URL", in: Serve | Check | Menu, value: (*stringValue)(&c.PublicURL),
			usage: "the service's public base URL, e.g. https://yibao.example.org; the menu's page buttons link under it"},
		{flag: "trust-proxy", env: "YIBAO_TRUST_PROXY", in: Serve, value: (*switchValue)(&c.TrustProxy),
			usage: "take the estimate API's client address from the proxy's X-Forwarded-For (on only behind a proxy that sets it)"},

		{flag: "handoff", env: "YIBAO_HANDOFF", in: Serve, value: (*switchValue)(&c.Handoff),
			usage: "pass users who ask for a person to the account's customer-service staff (on or off); only when agents are on duty"},
		{flag: "handoff-hours", env: "YIBAO_HANDOFF_HOURS", in: Serve, value: (*stringValue)(&c.HandoffHours),
			usage: "when customer-service staff are on duty, China time, e.g. \"mon-fri 09:00-17:30\"; empty: whenever handoff is on"},

		{flag: "env", env: "YIBAO_ENV", in: Serve, value: (*envValue)(&c.Env),
			usage: "production or development (empty); production refuses to start without the account's settings"},
		// No environment variable on purpose: development mode where it
		// would be refused takes a deliberate flag, not a leftover setting.
		{flag: "dev", in: Serve, value: (*switchValue)(&c.Dev),
			usage: "run development mode (the public test token, plain mode) even on a non-loopback address, with a public URL or in production"},
	}
}

// EnvVars lists every environment variable any subcommand reads, sorted,
// with the _FILE variant of each secret: deploy files are checked
// against it.
func EnvVars() []string { return EnvVarsFor(^Command(0)) }

// EnvVarsFor lists the environment variables the commands in cmd read.
func EnvVarsFor(cmd Command) []string {
	var names []string
	for _, s := range settings(&Config{}) {
		if s.env != "" && s.in&cmd != 0 {
			names = append(names, s.env)
			if s.secret {
				names = append(names, s.env+FileSuffix)
			}
		}
	}
	slices.Sort(names)
	return names
}

// FileSuffix names the variable that gives a secret's file instead of its
// value (WECHAT_TOKEN_FILE=/run/secrets/token), for Kubernetes and Docker
// secrets mounted as files, which keep the value out of the process's
// environment.
const FileSuffix = "_FILE"

// SecretEnvVars lists the environment variables that hold secrets.
func SecretEnvVars() []string {
	var names []string
	for _, s := range settings(&Config{}) {
		if s.secret && s.env != "" {
			names = append(names, s.env)
		}
	}
	slices.Sort(names)
	return names
}

// Loader reads one subcommand's configuration. A subcommand with arguments
// of its own (estimate's -cost...) defines them on FlagSet before Load.
type Loader struct {
	FlagSet *flag.FlagSet
	// Positional lets the command take arguments after its flags (explain's
	// message); others refuse them, so that a mistyped flag is not lost.
	Positional bool
	// ReadFile reads a secret's *_FILE; os.ReadFile unless a test
	// replaces it.
	ReadFile func(name string) ([]byte, error)
	cfg      *Config
	rows     []setting
}

// New returns the loader for cmd (one of the constants), its flags defined
// with their built-in defaults.
func New(cmd Command) *Loader {
	cfg := Defaults()
	cfg.cmd = cmd
	cfg.sources = map[string]string{}
	fs := flag.NewFlagSet("yibao "+cmd.String(), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var rows []setting
	for _, s := range settings(&cfg) {
		if s.in&cmd == 0 {
			continue
		}
		usage := s.usage
		if s.env != "" {
			usage += " (env " + s.env + ")"
		}
		if s.secret {
			usage += "; secret, never printed"
		}
		fs.Var(s.value, s.flag, usage)
		rows = append(rows, s)
	}
	fs.BoolVar(&cfg.PrintConfig, "print-config", false, "print the effective configuration, secrets masked, and exit")
	return &Loader{FlagSet: fs, ReadFile: os.ReadFile, cfg: &cfg, rows: rows}
}

// Load applies the environment (getenv), then args, then validates. It
// returns flag.ErrHelp for -h. Its errors never contain a secret's value.
// With PrintConfig set, a validation error is returned with the Config so
// the dump can show what is wrong.
func (l *Loader) Load(args []string, getenv func(string) string) (*Config, error) {
	c := l.cfg
	var errs []error
	for _, s := range l.rows {
		if s.env == "" {
			continue
		}
		v, src := getenv(s.env), "env"
		if file := getenv(s.env + FileSuffix); s.secret && file != "" {
			if v != "" {
				errs = append(errs, fmt.Errorf("both %s and %s%s are set: keep one", s.env, s.env, FileSuffix))
				continue
			}
			data, err := l.ReadFile(file)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s%s: %w", s.env, FileSuffix, err))
				continue
			}
			// Files written by editors and `echo` end in a newline
			// that is not part of the secret.
			v, src = strings.TrimRight(string(data), "\r\n"), "file"
			if v == "" {
				errs = append(errs, fmt.Errorf("%s%s: %s is empty", s.env, FileSuffix, file))
				continue
			}
		}
		if v != "" {
			if err := s.value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", s.env, err))
				continue
			}
			c.sources[s.flag] = src
		}
	}
	if err := l.FlagSet.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errors.New(c.Scrub(err.Error()))
	}
	if l.FlagSet.NArg() > 0 && !l.Positional {
		return nil, fmt.Errorf("unexpected argument %q", c.Scrub(l.FlagSet.Arg(0)))
	}
	l.FlagSet.Visit(func(f *flag.Flag) { c.sources[f.Name] = "flag" })
	errs = append(errs, c.validate()...)
	if len(errs) > 0 {
		// One line, so the error path prints one line.
		msgs := make([]string, len(errs))
		for i, err := range errs {
			msgs[i] = err.Error()
		}
		return c, errors.New(c.Scrub(strings.Join(msgs, "; ")))
	}
	return c, nil
}

// validate checks the settings c.cmd uses, all problems at once, and sets
// what follows from them (Development).
func (c *Config) validate() []error {
	var errs []error
	if c.cmd&(Serve|Chat|Menu|Stats) != 0 && c.RedisURL.IsSet() {
		if _, err := redisstore.ParseURL(c.RedisURL.Reveal(), redisstore.Options{Mode: c.RedisMode}); err != nil {
			errs = append(errs, fmt.Errorf("REDIS_URL: %w", err))
		}
	}
	// check reports a bad public URL as one of its problems instead.
	if c.cmd&(Serve|Menu) != 0 && c.PublicURL != "" {
		if _, err := replies.ParsePublicURL(c.PublicURL); err != nil {
			errs = append(errs, err)
		}
	}
	if c.cmd&Serve == 0 {
		return errs
	}
	c.Development = !c.Token.IsSet() && c.AppID == "" && !c.AESKey.IsSet() && !c.PrevAESKey.IsSet()
	if c.Development {
		if err := c.refuseDevelopment(); err != nil {
			errs = append(errs, err)
		}
		c.Token, c.AppID = NewSecret(DevToken), DevAppID
	}
	if err := c.WeChat().Validate(); err != nil {
		errs = append(errs, errors.New(strings.ReplaceAll(err.Error(), "\n", "; ")))
	}
	if _, err := zapcore.ParseLevel(c.LogLevel); err != nil {
		errs = append(errs, fmt.Errorf("log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if err := checkAddr("addr", c.Addr); err != nil {
		errs = append(errs, err)
	}
	if c.AdminAddr != "" {
		if err := checkAddr("admin-addr", c.AdminAddr); err != nil {
			errs = append(errs, err)
		} else if _, port, _ := net.SplitHostPort(c.Addr); c.AdminAddr == c.Addr && port != "0" {
			errs = append(errs, errors.New("admin-addr must differ from addr (leave it empty to serve health and metrics on addr)"))
		}
	}
	for _, d := range []struct {
		name     string
		v, least time.Duration
	}{{"max-skew", c.MaxSkew, 30 * time.Second}, {"dialog-ttl", c.DialogTTL, time.Minute}, {"idle-timeout", c.IdleTimeout, time.Second}, {"drain", c.Drain, 0}} {
		if d.v < d.least {
			errs = append(errs, fmt.Errorf("%s %v is too short: at least %v", d.name, d.v, d.least))
		}
	}
	if c.Drain > time.Minute {
		errs = append(errs, fmt.Errorf("drain %v is longer than any termination grace period allows: at most 1m", c.Drain))
	}
	if _, err := ParseHours(c.HandoffHours); err != nil {
		errs = append(errs, fmt.Errorf("handoff-hours %w", err))
	}
	if c.MaxConns < 1 {
		errs = append(errs, fmt.Errorf("max-conns %d: at least 1", c.MaxConns))
	}
	return errs
}

// refuseDevelopment stops development mode (the public token test-token,
// plain mode) anywhere it could face the internet: an unfilled Secret or
// env file must not start a webhook anyone can forge pushes to. -dev
// overrides it, for a deliberate test setup.
func (c *Config) refuseDevelopment() error {
	if c.Dev {
		return nil
	}
	var why string
	switch {
	case c.Env == "production":
		why = "YIBAO_ENV is production"
	case c.PublicURL != "":
		why = "a public URL is set (" + c.PublicURL + ")"
	case !loopback(c.Addr):
		why = "it would listen on " + c.Addr + ", not a loopback address"
	default:
		return nil
	}
	return fmt.Errorf("development mode refused: no WECHAT_TOKEN, WECHAT_APPID or WECHAT_AES_KEY is set, and %s; set the account's settings (or give -dev to run development mode there anyway)", why)
}

// loopback reports whether addr listens on loopback only: an empty host
// (":8080") listens on every interface.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func checkAddr(name, addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("%s %q: want host:port, e.g. 127.0.0.1:8080", name, addr)
	}
	return nil
}

// WeChat is the webhook's configuration.
func (c *Config) WeChat() wechat.Config {
	return wechat.Config{
		Token:      c.Token.Reveal(),
		AppID:      c.AppID,
		AESKey:     c.AESKey.Reveal(),
		PrevAESKey: c.PrevAESKey.Reveal(),
		MaxSkew:    c.MaxSkew,
		Handoff:    c.handoff(),
	}
}

// handoff is whether staff take a hand-over at a time, or nil when
// handoff is off (or its hours do not parse: validate reports that).
func (c *Config) handoff() func(time.Time) bool {
	if !c.Handoff {
		return nil
	}
	h, err := ParseHours(c.HandoffHours)
	if err != nil {
		return nil
	}
	return h.Open
}

// ReplyTTL is how long an answered message's reply is kept: as long as the
// webhook could accept the push again, so that a retry, or a captured push
// replayed, gets the first reply instead of moving the dialog. A push is
// accepted while its timestamp is within MaxSkew of our clock, and its
// timestamp may be up to MaxSkew ahead when it is first processed: it can
// come back until 2×MaxSkew after that. A minute more covers the time the
// first answer took and the store's clock.
func (c *Config) ReplyTTL() time.Duration { return 2*c.MaxSkew + time.Minute }

// Scrub replaces every secret's value in s with the mask: the last guard
// for text that came from elsewhere (a library's error quoting a URL).
func (c *Config) Scrub(s string) string {
	for _, sec := range []Secret{c.RedisURL, c.Token, c.AppSecret, c.AESKey, c.PrevAESKey} {
		for _, v := range secretForms(sec) {
			s = strings.ReplaceAll(s, v, mask)
		}
	}
	return s
}

// secretForms are the ways a secret may appear in text: itself, and for a
// URL its password, raw and escaped. Values under 4 characters are left
// alone: masking them would garble unrelated text, and they protect
// nothing.
func secretForms(s Secret) []string {
	v := s.Reveal()
	if len(v) < 4 {
		return nil
	}
	forms := []string{v, fmt.Sprintf("%q", v)[1 : len(fmt.Sprintf("%q", v))-1]}
	if u, err := url.Parse(v); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && len(p) >= 4 {
			forms = append(forms, p, url.QueryEscape(p), url.PathEscape(p))
		}
	}
	// Longest first, so a password inside the URL is masked with it.
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return forms
}

// Dump writes the effective configuration, one setting a line with where
// its value came from, secrets masked.
func (c *Config) Dump(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "# yibao %s: effective configuration (secrets masked)\n", c.cmd)
	for _, s := range settings(c) {
		if s.in&c.cmd == 0 {
			continue
		}
		v := s.value.String()
		if s.show != nil {
			v = s.show()
		}
		src := c.sources[s.flag]
		if src == "" {
			src = "default"
		}
		env := s.env
		if env == "" {
			env = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t(%s)\n", s.flag, env, quoteEmpty(v), src)
	}
	if c.Development {
		fmt.Fprintln(tw, "# development mode: no account settings; plain mode with the development token")
	}
	return tw.Flush()
}

func quoteEmpty(v string) string {
	if v == "" {
		return `""`
	}
	return v
}
