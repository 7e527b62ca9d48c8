package replies_test

import (
	"strings"
	"testing"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// Every code the page API uses has a sentence, and its arguments fill it.
func TestPageMessages(t *testing.T) {
	for code, args := range map[string][]any{
		"too_many": nil, "not_json": nil, "too_long": {4096}, "one_object": nil, "one_object_field": nil,
		"server_error": {"023-12393"}, "fix_fields": nil, "field_format": {"总费用"}, "unreadable": nil,
		"unknown_json": nil, "no_year": {2024, 2025}, "kind_missing": nil, "kind_unknown": nil,
		"tier_missing": nil, "level_missing": nil, "scheme_missing": nil, "not_in_year": {2025, "023-12393"},
		"year_fallback": {2026, 2025}, "amount_missing": {"总费用"}, "amount_negative": {"总费用"},
		"amount_too_large": {"总费用", int64(10000)}, "amount_below_fen": {"总费用"}, "amount_not_number": {"总费用"},
	} {
		got := replies.PageMessage(code, args...)
		if got == code || strings.Contains(got, "%!") {
			t.Errorf("PageMessage(%q, %v) = %q", code, args, got)
		}
	}
	if l, ok := replies.PageFieldLabel("cost"); !ok || l == "" {
		t.Error("the cost field has no label")
	}
}

// Every reason the engine gives for refusing input is worded here.
func TestEveryInputCodeIsWorded(t *testing.T) {
	for _, code := range []string{engine.CodeTierInvalid, engine.CodeLevelInvalid, engine.CodeNegative,
		engine.CodeOutOfListOverTotal, engine.CodeYearsTooLarge, engine.CodePaidBackOverBroken} {
		if msg := replies.InputMessage("cost", code); msg == code || !strings.HasPrefix(msg, "总费用") {
			t.Errorf("%s: %q", code, msg)
		}
	}
}
