package intents

import (
	"strings"
	"testing"
)

// TestVariantsData: the embedded table parses, has OpenCC's breadth, keeps
// the receipts' numerals, and a malformed line is refused with its number.
func TestVariantsData(t *testing.T) {
	m, err := parseVariants(variantsTxt)
	if err != nil {
		t.Fatal(err)
	}
	if len(m) < 4000 {
		t.Errorf("%d variants, want OpenCC's ~4,100", len(m))
	}
	for from, to := range map[rune]rune{'醫': '医', '臺': '台', '灣': '湾', '陸': '六', '貳': '二', '仟': '千', '鬆': '松'} {
		if m[from] != to {
			t.Errorf("%c folds to %c, want %c", from, m[from], to)
		}
	}
	for _, bad := range []string{"醫", "醫\t医生", "ab\t医"} {
		if _, err := parseVariants(bad + "\n"); err == nil || !strings.Contains(err.Error(), "variants.txt:1") {
			t.Errorf("%q: err %v, want a line 1 error", bad, err)
		}
	}
}

func TestFoldWidthAndVariants(t *testing.T) {
	for in, want := range map[string]string{
		"醫療保險怎麼報銷":  "医疗保险怎么报销",
		"住院３万５，ＡＢＣ": "住院3万5abc",
		"陸仟貳佰元":     "六千二百元",
		"在臺灣看病":     "在台湾看病",
		"￥１２，０００":   "12,000", // the yen sign is a symbol: dropped
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
