package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"github.com/yibao/yibao/bot"
	"github.com/yibao/yibao/bot/breaker"
	"github.com/yibao/yibao/bot/memstore"
	"github.com/yibao/yibao/bot/redisstore"
	"github.com/yibao/yibao/cmd/yibao/config"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
	"github.com/yibao/yibao/internal/datafile"
	"github.com/yibao/yibao/replies"
)

// content is the data the bot answers from.
type content struct {
	book    *engine.Book
	catalog *intents.Catalogue
	matcher *intents.Matcher
	guides  *replies.Guides
	menu    *replies.AccountMenu
}

// loadContent loads the bot's data: built-in, or the operator's files
// that cfg names.
func loadContent(cfg *config.Config) (*content, error) {
	book, err := loadBook(cfg.PolicyDir)
	if err != nil {
		return nil, err
	}
	catalog, err := loadCatalogue(cfg.IntentsFile)
	if err != nil {
		return nil, err
	}
	lexicon, err := loadLexicon(lexiconPath(cfg.IntentsFile))
	if err != nil {
		return nil, err
	}
	matcher, err := intents.NewWithLexicon(catalog, lexicon)
	if err != nil {
		return nil, usagef("intent catalogue: %v", err)
	}
	guides, err := loadGuides(cfg.GuidesFile)
	if err != nil {
		return nil, err
	}
	// The menu's keys must be ones the bot answers.
	menu, err := loadAccountMenu(cfg.MenuFile)
	if err != nil {
		return nil, err
	}
	if ps := menu.Validate(guides); len(ps) > 0 {
		return nil, usagef("menu %s: %v (run yibao check)", sourceName(cfg.MenuFile, "replies/menu.yaml"), ps[0])
	}
	return &content{book: book, catalog: catalog, matcher: matcher, guides: guides, menu: menu}, nil
}

// loadFile returns the built-in data when path is empty, else the
// operator's file read with parse; failures are the operator's input
// errors (one line, exit 2), named by what and path.
func loadFile[T any](what, path string, builtin func() (T, error), parse func([]byte) (T, error)) (T, error) {
	if path == "" {
		return builtin()
	}
	var zero T
	data, err := datafile.Read(path)
	if err != nil {
		return zero, usagef("%s: %v", what, err)
	}
	v, err := parse(data)
	if err != nil {
		return zero, usagef("%s %s: %v", what, path, err)
	}
	return v, nil
}

func loadCatalogue(path string) (*intents.Catalogue, error) {
	return loadFile("intent catalogue", path, func() (*intents.Catalogue, error) { return intents.DefaultCatalogue(), nil }, intents.ParseCatalogue)
}

// lexiconPath is where an operator's lexicon sits: lexicon.yaml beside the
// catalogue file they configured, when there is one; "" (the built-in
// lexicon) otherwise. An operator who edits only the catalogue keeps the
// built-in words, so the file is optional.
func lexiconPath(catalogue string) string {
	if catalogue == "" {
		return ""
	}
	p := filepath.Join(filepath.Dir(catalogue), intents.LexiconFile)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// loadLexicon loads the operator's lexicon, refusing one with problems
// (yibao check lists them all).
func loadLexicon(path string) (*intents.Lexicon, error) {
	lx, err := loadFile("lexicon", path, func() (*intents.Lexicon, error) { return intents.DefaultLexicon(), nil }, intents.ParseLexicon)
	if err != nil {
		return nil, err
	}
	if ps := lx.Validate(); len(ps) > 0 {
		return nil, usagef("lexicon %s: %v (run yibao check)", path, ps[0])
	}
	return lx, nil
}

func loadGuides(path string) (*replies.Guides, error) {
	g, err := loadFile("guides", path, replies.DefaultGuides, replies.LoadGuides)
	if err != nil {
		return nil, err
	}
	if ps := g.Validate(); path != "" && len(ps) > 0 {
		return nil, usagef("guides %s: %v (run yibao check)", path, ps[0])
	}
	return g, nil
}

// openStore opens Redis when a URL is given, else the in-memory store
// (whose TTLs run on now). An
// unreachable Redis is not fatal: the bot answers without state until it
// comes back, and the caller is told so it can warn.
func openStore(ctx context.Context, cfg *config.Config, log *zap.Logger, now func() time.Time) (store bot.Store, ping func(context.Context) error, closeFn func(), err error) {
	if !cfg.RedisURL.IsSet() {
		s := memstore.New(now)
		return s, s.Ping, func() {}, nil
	}
	// go-redis reports reconnects through its own package-wide logger;
	// send them to ours, as structured warnings.
	redis.SetLogger(redisLogger{log.Named("redis").Sugar()})
	s, err := redisstore.Open(cfg.RedisURL.Reveal(), redisstore.Options{AutoPipeline: cfg.RedisAutoPipeline, Mode: cfg.RedisMode})
	if err != nil {
		return nil, nil, nil, usageError{cfg.Scrub(err.Error())}
	}
	if err := pingOnce(ctx, s); err != nil {
		err = redisstore.Explain(ctx, cfg.RedisURL.Reveal(), err)
		log.Warn("redis is not reachable yet; answering without dialog state until it is", zap.String("error", cfg.Scrub(err.Error())))
		go watchRedis(ctx, s, log)
	}
	// While Redis fails, messages answer without state at once instead of
	// each waiting out the store timeout.
	guarded := breaker.New(s, breaker.Options{OnStateChange: func(from, to breaker.State) {
		switch {
		case from == breaker.StateClosed:
			log.Warn("redis keeps failing: answering without dialog state, probing until it answers")
		case to == breaker.StateClosed:
			log.Info("redis answers again: dialog state works")
		}
	}})
	return guarded, s.Ping, func() { _ = s.Close() }, nil
}

func pingOnce(ctx context.Context, s *redisstore.Store) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return s.Ping(ctx)
}

// watchRedis retries a Redis that was down at startup until it answers, so
// the log says when dialog state works again. The bot needs no signal: each
// message tries the store and falls back on its own.
func watchRedis(ctx context.Context, s *redisstore.Store, log *zap.Logger) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := pingOnce(ctx, s); err == nil {
				log.Info("redis is reachable: dialog state works again")
				return
			}
		}
	}
}

type redisLogger struct{ l *zap.SugaredLogger }

func (r redisLogger) Printf(_ context.Context, format string, v ...any) { r.l.Warnf(format, v...) }

func newBot(c *content, store bot.Store, now func() time.Time, log *zap.Logger, cfg bot.Config) (*bot.Bot, error) {
	b, err := bot.New(bot.Deps{
		Book: c.book, Matcher: c.matcher, Catalog: c.catalog, Guides: c.guides,
		Store: store, Now: now, Log: log,
	}, cfg)
	if err != nil {
		return nil, fmt.Errorf("build bot: %w", err)
	}
	return b, nil
}
