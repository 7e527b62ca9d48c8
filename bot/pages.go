package bot

import (
	"sync"
	"time"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// pages caches the guides as rendered for a (year asked, day): a guide's
// text depends only on the figures and the date, so it is rendered once a
// day per year and key instead of on every message.
type pages struct {
	book   *engine.Book
	guides *replies.Guides
	mu     sync.RWMutex
	facts  map[factsKey]replies.Facts
	pages  map[pageKey]replies.Page
}

type factsKey struct {
	year int
	day  string
}

type pageKey struct {
	factsKey
	guide replies.GuideKey
}

// maxCached bounds each map; a day's traffic needs a few years × the guides.
const maxCached = 1024

func newPages(book *engine.Book, guides *replies.Guides) *pages {
	return &pages{book: book, guides: guides, facts: map[factsKey]replies.Facts{}, pages: map[pageKey]replies.Page{}}
}

// render returns the guide key as it reads on today for the benefit year
// asked about.
func (c *pages) render(key replies.GuideKey, today time.Time, asked int) (replies.Page, error) {
	fk := factsKey{asked, today.Format(time.DateOnly)}
	pk := pageKey{fk, key}
	c.mu.RLock()
	p, ok := c.pages[pk]
	c.mu.RUnlock()
	if ok {
		return p, nil
	}
	p, err := c.guides.Render(key, c.factsFor(fk, today, asked))
	if err != nil {
		return replies.Page{}, err
	}
	c.mu.Lock()
	if len(c.pages) >= maxCached {
		clear(c.pages)
	}
	c.pages[pk] = p
	c.mu.Unlock()
	return p, nil
}

// factsFor formats the figures for the benefit year asked about, as of
// today. A year with no data gets the newest earlier year's facts, marked
// Fallback; a year older than every file gets the oldest, named as such.
func (c *pages) factsFor(k factsKey, today time.Time, asked int) replies.Facts {
	c.mu.RLock()
	f, ok := c.facts[k]
	c.mu.RUnlock()
	if ok {
		return f
	}
	rulesYear := asked
	sel, err := c.book.ForYear(asked)
	if err != nil {
		sel, _ = c.book.ForYear(c.book.Years()[0])
		rulesYear = sel.Year
	}
	// The rules are the selected year's; the contribution and the round of
	// enrolment are the year asked's, which may be older than every
	// complete year (2024's contribution, for back-payment questions).
	f = replies.WithYear(replies.NewFacts(sel.Policy, rulesYear, today), c.book, asked, today)
	c.mu.Lock()
	if len(c.facts) >= maxCached {
		clear(c.facts)
	}
	c.facts[k] = f
	c.mu.Unlock()
	return f
}
