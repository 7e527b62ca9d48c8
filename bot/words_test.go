package bot_test

import (
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestNoWordsInGo: the words the bot reads and writes are data (the
// catalogue, the lexicon, replies), so that an operator can change them
// and a reviewer finds them in one place. In bot/ no line of non-test Go
// outside a whole-line comment holds a Chinese character (the rule
// `grep -P '\p{Han}' | grep -v '^\s*//'` applies); in intents/ no string
// literal does, except in the numeral and variant-folding tables, which
// are the engines' own, and the numeral, date and age grammar (see
// grammarLiteral; intents/pii's table of spoken digits is such grammar).
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
		for _, w := range wordsInGo(path, src) {
			t.Errorf("%s: it belongs in the lexicon or the catalogue", w)
		}
	})
}

// The check finds a word, and lets the grammar pass.
func TestWordsInGoCheck(t *testing.T) {
	src := []byte("package p\n" +
		"var a = \"块\"\n" +
		"var b = '的'\n" +
		"var c = `[一二]块`\n" +
		"var d = \"一年\"\n" +
		"var e, f, g = '年', \"岁\", `(?:^|[^0-9])([0-9]{1,2}|[一二两三四五六七八九十]{1,2})年`\n" +
		"// 住院 in a comment\n")
	got := wordsInGo("p.go", src)
	want := []string{"块", "'的'", "[一二]块", "一年"}
	if len(got) != len(want) {
		t.Fatalf("found %q, want the literals %q", got, want)
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("finding %d: %q, want the literal %s", i, got[i], w)
		}
	}
}

// grammar are the characters of the numeral, date and age grammar, which
// the engines in intents/ may spell in Go.
const grammar = "零〇一二两三四五六七八九十百千万亿幺壹贰叁肆伍陆柒捌玖拾佰仟年月日号份岁第"

// grammarLiteral reports whether a Go string or rune literal is grammar:
// one grammar character, or a regular expression built only from grammar
// characters and ASCII (breakyears.go's count of years).
func grammarLiteral(lit string) bool {
	v, err := strconv.Unquote(lit)
	if err != nil {
		return false
	}
	if utf8.RuneCountInString(v) == 1 {
		return strings.Contains(grammar, v)
	}
	for _, r := range v {
		if r >= utf8.RuneSelf && !strings.ContainsRune(grammar, r) {
			return false
		}
	}
	if !strings.ContainsAny(v, `[](){}|?*+^$\\`) {
		return false // "一年" is a word, not a pattern
	}
	_, err = regexp.Compile(v)
	return err == nil
}

// wordsInGo returns where and what the string and rune literals of a Go
// file hold Chinese that is not grammar.
func wordsInGo(path string, src []byte) []string {
	var found []string
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if (tok == token.STRING || tok == token.CHAR) && hasHan(lit) && !grammarLiteral(lit) {
			found = append(found, fmt.Sprintf("%s: a word in Go (%s)", fset.Position(pos), lit))
		}
	}
	return found
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
