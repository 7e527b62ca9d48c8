package bot_test

import (
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestNoWordsInGo: the words the bot reads and writes are data (the
// catalogue, the lexicon, replies), so that an operator can change them
// and a reviewer finds them in one place. In bot/ no line of non-test Go
// outside a whole-line comment holds a Chinese character (the rule
// `grep -P '\p{Han}' | grep -v '^\s*//'` applies); in intents/ no string
// literal does, except in the numeral and variant-folding tables, which
// are the engines' own.
func TestNoWordsInGo(t *testing.T) {
	comment := regexp.MustCompile(`^\s*//`)
	walk(t, "..", "bot", func(path string, src []byte) {
		for i, line := range strings.Split(string(src), "\n") {
			if hasHan(line) && !comment.MatchString(line) {
				t.Errorf("%s:%d holds Chinese outside a comment: %s", path, i+1, strings.TrimSpace(line))
			}
		}
	})
	engines := map[string]bool{"numerals.go": true, "fold.go": true}
	walk(t, "..", "intents", func(path string, src []byte) {
		if engines[filepath.Base(path)] {
			return
		}
		fset := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
		for {
			pos, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if (tok == token.STRING || tok == token.CHAR) && hasHan(lit) {
				t.Errorf("%s: a word in Go (%s): it belongs in the lexicon or the catalogue", fset.Position(pos), lit)
			}
		}
	})
}

// walk calls f with every non-test Go file under root/dir.
func walk(t *testing.T, root, dir string, f func(path string, src []byte)) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f(path, src)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
