package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/yibao/yibao/intents"
)

// TestEstimateAPIMatchesCLI: the page's API answers with the same fields
// and figures as `yibao estimate --json`, for the same bill.
func TestEstimateAPIMatchesCLI(t *testing.T) {
	book, err := loadBook("")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	mux := http.NewServeMux()
	same := func(h http.Handler) http.Handler { return h }
	page, err := newH5(book, intents.DefaultLexicon(), func() time.Time { return now }, zap.NewNop(), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	mountH5(mux, same, page)
	for _, tt := range []struct {
		cli  []string
		body string
	}{
		{[]string{"--kind", "inpatient", "--tier", "1", "--level", "3", "--cost", "200000", "--minor"},
			`{"kind":"inpatient","tier":1,"level":3,"cost":"20万","minor":true}`},
		{[]string{"--kind", "outpatient", "--tier", "2", "--level", "2", "--cost", "350.5", "--used", "100"},
			`{"kind":"outpatient","tier":2,"level":2,"cost":"350.5","used":"100"}`},
		{[]string{"--kind", "contribution", "--tier", "2", "--scheme", "employee"},
			`{"kind":"contribution","tier":2,"scheme":"employee"}`},
		{[]string{"--kind", "tiers", "--minor"}, `{"kind":"tiers","minor":true}`},
		{[]string{"--kind", "tiers", "--year", "2025"}, `{"kind":"tiers","year":2025}`},
	} {
		code, out, errOut := runCLIAt(t, now, nil, append([]string{"estimate", "--json"}, tt.cli...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", tt.cli, code, errOut)
		}
		var cli map[string]any
		if err := json.Unmarshal([]byte(out), &cli); err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest(http.MethodPost, "/api/v1/estimate", strings.NewReader(tt.body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		var api map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &api); err != nil || w.Code != 200 {
			t.Fatalf("%s: %d %v %s", tt.body, w.Code, err, w.Body)
		}
		for k, v := range cli {
			got, _ := json.Marshal(api[k])
			want, _ := json.Marshal(v)
			if string(got) != string(want) {
				t.Errorf("%s: %s: API %s, CLI %s", tt.body, k, got, want)
			}
		}
	}
}
