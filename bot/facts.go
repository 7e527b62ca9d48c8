package bot

import (
	"sync"
	"time"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// factsCache keeps the guides' formatted figures per (year asked, day):
// they change only with the date, so formatting them once a day per year
// keeps per-message work down.
type factsCache struct {
	book *engine.Book
	mu   sync.Mutex
	m    map[factsKey]replies.Facts
}

type factsKey struct {
	year int
	day  string
}

// maxFactsEntries bounds the cache; a few years a day is all it ever holds.
const maxFactsEntries = 64

func newFactsCache(book *engine.Book) *factsCache {
	return &factsCache{book: book, m: map[factsKey]replies.Facts{}}
}

// get returns the facts for the benefit year asked about, as of today. A
// year with no data gets the newest earlier year's facts, marked Fallback;
// a year older than every file gets the oldest, named as such.
func (c *factsCache) get(today time.Time, asked int) replies.Facts {
	k := factsKey{asked, today.Format(time.DateOnly)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.m[k]; ok {
		return f
	}
	sel, err := c.book.ForYear(asked)
	if err != nil {
		sel, _ = c.book.ForYear(c.book.Years()[0])
		asked = sel.Year
	}
	f := replies.NewFacts(sel.Policy, asked, today)
	if len(c.m) >= maxFactsEntries {
		clear(c.m)
	}
	c.m[k] = f
	return f
}
