package main

import (
	"encoding/json"
	"testing"
)

// TestEstimateJSONShape: one shape per concept across every kind: each
// names its kind and benefit year, and lists its assumptions as objects
// with a code and a text (a year not yet recorded shows as year_fallback
// in every kind that uses a year's figures).
func TestEstimateJSONShape(t *testing.T) {
	for _, args := range [][]string{
		{"--kind", "inpatient", "--tier", "2", "--level", "3", "--cost", "100000"},
		{"--kind", "outpatient", "--tier", "1", "--level", "1", "--cost", "200"},
		{"--kind", "contribution", "--tier", "2"},
		{"--kind", "tiers"},
		{"--kind", "start", "--paid", "2025-01-15"},
		{"--kind", "start", "--paid", "2031-07-01"}, // outside the data: an assumption
	} {
		code, out, errOut := runCLI(t, nil, append([]string{"estimate", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		var got struct {
			Kind        string            `json:"kind"`
			Year        int               `json:"year"`
			Assumptions []json.RawMessage `json:"assumptions"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		if got.Kind != args[1] || got.Year == 0 || got.Assumptions == nil {
			t.Errorf("%v: kind %q, year %d, assumptions %v", args, got.Kind, got.Year, got.Assumptions)
		}
		codes := map[string]bool{}
		for _, raw := range got.Assumptions {
			var a map[string]string
			if err := json.Unmarshal(raw, &a); err != nil || a["code"] == "" || a["text"] == "" || len(a) != 2 {
				t.Errorf("%v: assumption %s is not {code, text}", args, raw)
			}
			codes[a["code"]] = true
		}
		if args[1] != "start" && !codes["year_fallback"] {
			t.Errorf("%v: no year_fallback in 2026, which has no figures", args)
		}
		if args[len(args)-1] == "2031-07-01" && len(codes) == 0 {
			t.Errorf("%v: a date outside the data has no assumption", args)
		}
	}
}
