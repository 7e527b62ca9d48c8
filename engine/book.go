package engine

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/yibao/yibao/internal/datafile"
)

//go:embed policies/*.yaml
var embedded embed.FS

// Book is every benefit year's policy the service knows, oldest first.
type Book struct {
	years   []*Policy // complete years: estimates and guides use these
	partial []*Policy // years with only some groups known (a contribution, say)
	drafts  []*Policy
}

// ErrNoPolicy is returned for a year older than any data the book holds.
var ErrNoPolicy = errors.New("no policy data for that year")

// NewBook collects policies; a later policy for the same year replaces an
// earlier one, so an operator's file overrides the embedded default.
func NewBook(policies ...*Policy) (*Book, error) {
	byYear := map[int]*Policy{}
	for _, p := range policies {
		byYear[p.Year] = p
	}
	if len(byYear) == 0 {
		return nil, errors.New("no policy years loaded")
	}
	b := &Book{}
	for _, p := range byYear {
		if p.Complete() {
			b.years = append(b.years, p)
		} else {
			b.partial = append(b.partial, p)
		}
	}
	if len(b.years) == 0 {
		return nil, errors.New("no complete policy year loaded (every year file lacks some figures)")
	}
	byYearAsc := func(ps []*Policy) {
		sort.Slice(ps, func(i, j int) bool { return ps[i].Year < ps[j].Year })
	}
	byYearAsc(b.years)
	byYearAsc(b.partial)
	return b, nil
}

// DefaultPolicies are the policy files built into the binary.
func DefaultPolicies() ([]*Policy, error) {
	sub, err := fs.Sub(embedded, "policies")
	if err != nil {
		return nil, err
	}
	return loadFS(sub, "embedded:", func(name string) ([]byte, error) { return fs.ReadFile(sub, name) })
}

// LoadDir reads every *.yaml or *.yml file in dir. Each must be a regular
// file (or a link to one) of at most datafile.MaxSize bytes.
func LoadDir(dir string) ([]*Policy, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("policy directory: %w", err)
	}
	return loadFS(os.DirFS(dir), dir+string(filepath.Separator), func(name string) ([]byte, error) {
		return datafile.Read(filepath.Join(dir, name))
	})
}

func loadFS(fsys fs.FS, prefix string, read func(name string) ([]byte, error)) ([]*Policy, error) {
	names, err := fs.Glob(fsys, "*.y*ml")
	if err != nil {
		return nil, err
	}
	var (
		out      []*Policy
		problems Problems
	)
	for _, name := range names {
		if ext := filepath.Ext(name); ext != ".yaml" && ext != ".yml" {
			continue
		}
		data, err := read(name)
		if err != nil {
			return nil, fmt.Errorf("read policy %s: %w", prefix+name, err)
		}
		p, err := ParsePolicy(prefix+name, data)
		var ps Problems
		switch {
		case errors.As(err, &ps):
			problems = append(problems, ps...)
			continue
		case err != nil:
			return nil, fmt.Errorf("load policy %s: %w", prefix+name, err)
		}
		if stem := strings.TrimSuffix(name, filepath.Ext(name)); stem != fmt.Sprint(p.Year) {
			problems = append(problems, Problem{File: prefix + name, Field: "year",
				Msg: fmt.Sprintf("file says %d; name the file %d.yaml", p.Year, p.Year)})
			continue
		}
		out = append(out, p)
	}
	if len(problems) > 0 {
		return out, problems
	}
	return out, nil
}

// Load builds the book from the embedded defaults plus, when dir is not
// empty, the files in dir, which add years or replace embedded ones. Drafts
// (files with values still marked unconfirmed) are left out, so that no
// figure nobody checked is ever quoted; Drafts lists them.
func Load(dir string) (*Book, error) {
	ps, err := DefaultPolicies()
	if err != nil {
		return nil, fmt.Errorf("embedded policies: %w", err)
	}
	if dir != "" {
		extra, err := LoadDir(dir)
		if err != nil {
			return nil, err
		}
		ps = append(ps, extra...)
	}
	var ready, drafts []*Policy
	for _, p := range ps {
		if p.Draft() {
			drafts = append(drafts, p)
		} else {
			ready = append(ready, p)
		}
	}
	b, err := NewBook(ready...)
	if err != nil {
		return nil, err
	}
	b.drafts = drafts
	return b, nil
}

// Drafts are the files Load left out because values in them are still
// marked unconfirmed.
func (b *Book) Drafts() []*Policy { return b.drafts }

// Years lists the years the book holds, oldest first.
func (b *Book) Years() []int {
	ys := make([]int, len(b.years))
	for i, p := range b.years {
		ys[i] = p.Year
	}
	return ys
}

// All lists every year the book holds, complete or partial, oldest first.
func (b *Book) All() []*Policy {
	all := append(slices.Clone(b.years), b.partial...)
	sort.Slice(all, func(i, j int) bool { return all[i].Year < all[j].Year })
	return all
}

// Year is the file of one benefit year, complete or partial.
func (b *Book) Year(year int) (*Policy, bool) {
	for _, p := range b.All() {
		if p.Year == year {
			return p, true
		}
	}
	return nil, false
}

// ContributionYear is the year whose contribution answers a question about
// year: that year when its file records one, else the newest earlier one.
// ok is false when no year up to it records a contribution.
func (b *Book) ContributionYear(year int) (*Policy, bool) {
	all := b.All()
	for i := len(all) - 1; i >= 0; i-- {
		if p := all[i]; p.Year <= year && p.HasContribution() {
			return p, true
		}
	}
	return nil, false
}

// NewestContribution is the newest year whose file records a contribution.
func (b *Book) NewestContribution() *Policy {
	p, _ := b.ContributionYear(1 << 30)
	if p == nil {
		return b.Newest()
	}
	return p
}

// Newest is the latest year's policy.
func (b *Book) Newest() *Policy { return b.years[len(b.years)-1] }

// Selection is the policy chosen to answer for a year. When the year asked
// has no data, the newest older year is used and Fallback says so: every
// answer must name Policy.Year, and say it is not the year asked.
type Selection struct {
	*Policy
	Asked    int
	Fallback bool
	// Partial is true when the year asked has a file with only some
	// figures (its contribution, say): answers say the rest is Year's.
	Partial bool
}

// ForYear picks the policy for a benefit year.
func (b *Book) ForYear(year int) (Selection, error) {
	for i := len(b.years) - 1; i >= 0; i-- {
		if p := b.years[i]; p.Year <= year {
			_, partial := b.partialYear(year)
			return Selection{Policy: p, Asked: year, Fallback: p.Year != year, Partial: partial && p.Year != year}, nil
		}
	}
	return Selection{}, fmt.Errorf("%w: %d (the oldest is %d)", ErrNoPolicy, year, b.years[0].Year)
}

func (b *Book) partialYear(year int) (*Policy, bool) {
	for _, p := range b.partial {
		if p.Year == year {
			return p, true
		}
	}
	return nil, false
}

// ForDate picks the policy for the benefit year a day belongs to.
func (b *Book) ForDate(day time.Time) (Selection, error) {
	for _, p := range b.years {
		if p.BenefitYear.Contains(day) {
			return Selection{Policy: p, Asked: p.Year}, nil
		}
	}
	// Benefit years are calendar years here; a day outside every file's
	// benefit year belongs to its calendar year.
	return b.ForYear(day.Year())
}
