package h5_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/yibao/yibao/bot/h5"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/intents"
)

var today = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

func newHandler(t testing.TB, cfg h5.Config) *h5.Handler {
	t.Helper()
	book, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Book = book
	if cfg.ReadAmount == nil {
		cfg.ReadAmount = intents.DefaultLexicon().ReadAmount
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return today }
	}
	h, err := h5.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func post(h http.Handler, body string, header func(*http.Request)) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, h5.APIPath, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if header != nil {
		header(r)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// engineEstimate is the engine's own answer, to compare the API with.
func engineEstimate(t *testing.T, year int, in any) engine.Estimate {
	t.Helper()
	book, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	sel, err := book.ForYear(year)
	if err != nil {
		t.Fatal(err)
	}
	var e engine.Estimate
	switch in := in.(type) {
	case engine.InpatientInput:
		e, err = sel.EstimateInpatient(in)
	case engine.OutpatientInput:
		e, err = sel.EstimateOutpatient(in)
	}
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEstimateGood(t *testing.T) {
	h := newHandler(t, h5.Config{})
	tests := []struct {
		name, body string
		year       int
		in         any
	}{
		{"inpatient as typed", `{"kind":"inpatient","tier":2,"level":3,"cost":"5万"}`, 2025,
			engine.InpatientInput{Tier: 2, Level: 3, Cost: engine.Yuan(50000)}},
		{"inpatient with everything", `{"kind":"inpatient","tier":1,"level":2,"minor":true,"cost":"12,345.67","out_of_policy":"3.5千","prior_basic":"１０００","prior_selfpay":"2000元"}`, 2025,
			engine.InpatientInput{Tier: 1, Level: 2, Minor: true, Cost: money(t, "12345.67"), OutOfPolicy: engine.Yuan(3500), PriorBasic: engine.Yuan(1000), PriorSelfPay: engine.Yuan(2000)}},
		{"inpatient with a number", `{"kind":"inpatient","tier":1,"level":1,"cost":80000}`, 2025,
			engine.InpatientInput{Tier: 1, Level: 1, Cost: engine.Yuan(80000)}},
		{"outpatient", `{"kind":"outpatient","tier":1,"level":1,"cost":"350.5","used":"100"}`, 2025,
			engine.OutpatientInput{Tier: 1, Level: 1, Cost: money(t, "350.5"), Used: engine.Yuan(100)}},
		{"outpatient, an explicit year", `{"kind":"outpatient","tier":2,"level":2,"cost":"3.5万","year":2025}`, 2025,
			engine.OutpatientInput{Tier: 2, Level: 2, Cost: engine.Yuan(35000)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := post(h, tt.body, nil)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			var got map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			e := engineEstimate(t, tt.year, tt.in)
			want := map[string]string{
				"cost": e.Cost.String(), "out_of_policy": e.OutOfPolicy.String(), "deductible": e.Deductible.String(),
				"ratio": e.Ratio.String(), "basic": e.Basic.RoundFen().String(), "out_of_pocket": e.OutOfPocket.String(),
			}
			if e.Kind == engine.KindInpatient {
				want["critical"], want["total_reimbursed"] = e.Critical.RoundFen().String(), e.Total.String()
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %v, engine says %s", k, got[k], v)
				}
			}
			if got["year"] != float64(e.Year) || got["kind"] != string(e.Kind) {
				t.Errorf("year %v kind %v", got["year"], got["kind"])
			}
			if a, _ := got["assumptions"].([]any); len(a) != len(e.Assumptions) {
				t.Errorf("assumptions %v, engine has %d", got["assumptions"], len(e.Assumptions))
			}
			if w, _ := got["working"].([]any); len(w) == 0 {
				t.Error("no working")
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q", ct)
			}
		})
	}
}

func money(t *testing.T, s string) engine.Money {
	t.Helper()
	m, err := engine.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEstimateYearFallback(t *testing.T) {
	h := newHandler(t, h5.Config{Now: func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }})
	w := post(h, `{"kind":"outpatient","tier":1,"level":1,"cost":"500"}`, nil)
	var got h5.Estimate
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
		t.Fatalf("%d %v %s", w.Code, err, w.Body)
	}
	if got.Year != 2025 || got.AskedYear != 2026 || !got.Fallback {
		t.Errorf("year %d asked %d fallback %v", got.Year, got.AskedYear, got.Fallback)
	}
	found := false
	for _, a := range got.Assumptions {
		found = found || a.Code == "year_fallback"
	}
	if !found {
		t.Errorf("the fallback is not said: %v", got.Assumptions)
	}
}

func TestContribution(t *testing.T) {
	h := newHandler(t, h5.Config{})
	book, _ := engine.Load("")
	sel, _ := book.ForYear(2025)
	for _, tt := range []struct {
		body, scheme string
		want         func() (engine.Money, error)
	}{
		{`{"kind":"contribution","tier":1}`, "resident", func() (engine.Money, error) { return sel.Contribution(1) }},
		{`{"kind":"contribution","tier":2,"scheme":"resident"}`, "resident", func() (engine.Money, error) { return sel.Contribution(2) }},
		{`{"kind":"contribution","tier":1,"scheme":"employee"}`, "employee", func() (engine.Money, error) { return sel.EmployeeContribution(1) }},
	} {
		want, err := tt.want()
		if err != nil {
			t.Fatal(err)
		}
		w := post(h, tt.body, nil)
		var got h5.Contribution
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
			t.Fatalf("%s: %d %v %s", tt.body, w.Code, err, w.Body)
		}
		if got.Contribution != want.String() || got.Year != 2025 || got.Scheme != tt.scheme {
			t.Errorf("%s: got %+v, want %s", tt.body, got, want)
		}
	}
}

// TestEstimateBad sends each kind of bad input: every problem is named by
// its field, in Chinese, and nothing sent comes back.
func TestEstimateBad(t *testing.T) {
	h := newHandler(t, h5.Config{Burst: 1000})
	tests := []struct {
		name, body  string
		contentType string
		status      int
		fields      []string // every problem's field, in order
		message     string   // part of the first problem or the error
	}{
		{"no kind", `{"tier":1,"level":1,"cost":"100"}`, "", 422, []string{"kind"}, "请选择要算什么"},
		{"unknown kind", `{"kind":"<script>","tier":1,"level":1,"cost":"100"}`, "", 422, []string{"kind"}, "只能算住院"},
		{"no tier", `{"kind":"inpatient","level":1,"cost":"100"}`, "", 422, []string{"tier"}, "请选择档次"},
		{"tier 3", `{"kind":"inpatient","tier":3,"level":1,"cost":"100"}`, "", 422, []string{"tier"}, "一档或二档"},
		{"no level", `{"kind":"outpatient","tier":1,"cost":"100"}`, "", 422, []string{"level"}, "医院等级"},
		{"no cost", `{"kind":"inpatient","tier":1,"level":1}`, "", 422, []string{"cost"}, "请填写总费用"},
		{"cost not a number", `{"kind":"inpatient","tier":1,"level":1,"cost":"<b>五万</b>"}`, "", 422, []string{"cost"}, "总费用要填数字"},
		{"cost in exponent form", `{"kind":"inpatient","tier":1,"level":1,"cost":"1e5"}`, "", 422, []string{"cost"}, "总费用要填数字"},
		{"negative cost", `{"kind":"inpatient","tier":1,"level":1,"cost":"-100"}`, "", 422, []string{"cost"}, "不能是负数"},
		{"huge cost", `{"kind":"inpatient","tier":1,"level":1,"cost":"99999万"}`, "", 422, []string{"cost"}, "太大了"},
		{"below the fen", `{"kind":"inpatient","tier":1,"level":1,"cost":"1.001"}`, "", 422, []string{"cost"}, "最多写到分"},
		{"out of policy above the bill", `{"kind":"inpatient","tier":1,"level":1,"cost":"100","out_of_policy":"200"}`, "", 422, []string{"out_of_policy"}, "不能超过总费用"},
		{"negative prior", `{"kind":"inpatient","tier":1,"level":1,"cost":"100","prior_basic":"-1"}`, "", 422, []string{"prior_basic"}, "不能是负数"},
		{"used not a number", `{"kind":"outpatient","tier":1,"level":1,"cost":"100","used":"abc"}`, "", 422, []string{"used"}, "今年门诊已报销要填数字"},
		{"every field at once", `{"kind":"inpatient","tier":0,"level":9,"cost":"x","out_of_policy":"-1"}`, "", 422, []string{"tier", "level", "cost", "out_of_policy"}, "请选择档次"},
		{"year before the data", `{"kind":"inpatient","tier":1,"level":1,"cost":"100","year":1999}`, "", 422, []string{"year"}, "没有1999年度的标准"},
		{"bad scheme", `{"kind":"contribution","tier":1,"scheme":"<i>x</i>"}`, "", 422, []string{"scheme"}, "参保方式"},
		{"tier as a string", `{"kind":"inpatient","tier":"二档","level":1,"cost":"100"}`, "", 400, []string{"tier"}, "档次的格式不对"},
		{"unknown field", `{"kind":"inpatient","<img src=x>":1}`, "", 400, []string{"body"}, "字段名"},
		{"not JSON", `kind=inpatient&cost=<script>`, "", 400, []string{"body"}, "不是这个接口认识的 JSON"},
		{"two objects", `{"kind":"inpatient"} {"kind":"outpatient"}`, "", 400, []string{"body"}, "只能有一个"},
		{"form content type", `{"kind":"inpatient","tier":1,"level":1,"cost":"100"}`, "application/x-www-form-urlencoded", 415, nil, "JSON"},
		{"oversized body", `{"kind":"inpatient","cost":"` + strings.Repeat("1", 5000) + `"}`, "", 413, nil, "太长"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := post(h, tt.body, func(r *http.Request) {
				if tt.contentType != "" {
					r.Header.Set("Content-Type", tt.contentType)
				}
			})
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			raw := w.Body.String()
			for _, bad := range []string{"<", ">", "五万", "1e5", "abc"} {
				if strings.Contains(raw, bad) {
					t.Errorf("answer echoes %q: %s", bad, raw)
				}
			}
			var got struct {
				Error    string       `json:"error"`
				Problems []h5.Problem `json:"problems"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("not JSON: %v: %s", err, raw)
			}
			var fields []string
			for _, p := range got.Problems {
				fields = append(fields, p.Field)
				if p.Message == "" {
					t.Errorf("problem for %s has no message", p.Field)
				}
			}
			if strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("fields %v, want %v", fields, tt.fields)
			}
			text := got.Error
			if len(got.Problems) > 0 {
				text = got.Problems[0].Message
			}
			if !strings.Contains(text, tt.message) {
				t.Errorf("message %q lacks %q", text, tt.message)
			}
		})
	}
}

func TestEstimateRateLimit(t *testing.T) {
	h := newHandler(t, h5.Config{Rate: rate.Every(time.Hour), Burst: 3})
	from := func(ip string) func(*http.Request) {
		return func(r *http.Request) { r.RemoteAddr = ip + ":5555" }
	}
	body := `{"kind":"outpatient","tier":1,"level":1,"cost":"100"}`
	for i := range 3 {
		if w := post(h, body, from("192.0.2.1")); w.Code != 200 {
			t.Fatalf("request %d: status %d", i, w.Code)
		}
	}
	w := post(h, body, from("192.0.2.1"))
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "请求太频繁") {
		t.Errorf("4th request: %d %q %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	// Retry-After says when the bucket next holds a request: an hour here.
	if s, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || s < 3590 || s > 3600 {
		t.Errorf("Retry-After %q, want about 3600 (one request an hour)", w.Header().Get("Retry-After"))
	}
	if w := post(h, body, from("192.0.2.2")); w.Code != 200 {
		t.Errorf("another client is limited too: %d", w.Code)
	}
	// Bad requests spend the budget as well: probing is not free.
	if w := post(h, `nonsense`, from("192.0.2.1")); w.Code != http.StatusTooManyRequests {
		t.Errorf("bad request over the limit: %d", w.Code)
	}
}

func TestRateLimitBehindProxy(t *testing.T) {
	body := `{"kind":"outpatient","tier":1,"level":1,"cost":"100"}`
	via := func(xff string) func(*http.Request) {
		return func(r *http.Request) {
			r.RemoteAddr = "10.0.0.1:443"
			r.Header.Set("X-Forwarded-For", xff)
		}
	}
	trusting := newHandler(t, h5.Config{Rate: rate.Every(time.Hour), Burst: 1, TrustProxy: true})
	if w := post(trusting, body, via("198.51.100.7, 203.0.113.1")); w.Code != 200 {
		t.Fatalf("first: %d", w.Code)
	}
	// A client cannot escape its budget by writing its own first entry.
	if w := post(trusting, body, via("198.51.100.8, 203.0.113.1")); w.Code != http.StatusTooManyRequests {
		t.Errorf("same proxy-seen client: %d", w.Code)
	}
	if w := post(trusting, body, via("203.0.113.2")); w.Code != 200 {
		t.Errorf("another client: %d", w.Code)
	}
	plain := newHandler(t, h5.Config{Rate: rate.Every(time.Hour), Burst: 1})
	post(plain, body, via("203.0.113.1"))
	if w := post(plain, body, via("203.0.113.2")); w.Code != http.StatusTooManyRequests {
		t.Errorf("X-Forwarded-For trusted without TrustProxy: %d", w.Code)
	}
}

func TestNoCORS(t *testing.T) {
	h := newHandler(t, h5.Config{})
	r := httptest.NewRequest(http.MethodOptions, h5.APIPath, nil)
	r.Header.Set("Origin", "https://elsewhere.example")
	r.Header.Set("Access-Control-Request-Method", "POST")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code == http.StatusOK || w.Code == http.StatusNoContent {
		t.Errorf("preflight answered %d", w.Code)
	}
	w = post(h, `{"kind":"outpatient","tier":1,"level":1,"cost":"100"}`, func(r *http.Request) { r.Header.Set("Origin", "https://elsewhere.example") })
	for k := range w.Header() {
		if strings.HasPrefix(strings.ToLower(k), "access-control-") {
			t.Errorf("CORS header %s sent", k)
		}
	}
	r = httptest.NewRequest(http.MethodGet, h5.APIPath, nil)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", w.Code)
	}
}

func TestTiers(t *testing.T) {
	h := newHandler(t, h5.Config{})
	book, _ := engine.Load("")
	sel, _ := book.ForYear(2025)
	for _, minor := range []bool{false, true} {
		a, err := sel.AdviseTiers(minor)
		if err != nil {
			t.Fatal(err)
		}
		body := `{"kind":"tiers"}`
		if minor {
			body = `{"kind":"tiers","minor":true}`
		}
		w := post(h, body, nil)
		var got h5.Tiers
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
			t.Fatalf("%s: %d %v %s", body, w.Code, err, w.Body)
		}
		if got.Year != a.Year || got.Minor != minor || got.PremiumDifference != a.PremiumDifference.String() || got.Tier2 != a.Tier2.String() {
			t.Errorf("%s: %+v", body, got)
		}
		for _, be := range a.Inpatient {
			key := fmt.Sprintf("inpatient_level_%d", be.Level)
			if be.PaysBack && (got.BreakEven[key] == nil || *got.BreakEven[key] != be.From.String()) {
				t.Errorf("%s: %s = %v, engine says %s", body, key, got.BreakEven[key], be.From)
			}
			if got.BreakEvenText[key] == "" {
				t.Errorf("%s: no text for %s", body, key)
			}
		}
		if len(got.Assumptions) != len(a.Assumptions) {
			t.Errorf("%s: %d assumptions, engine has %d", body, len(got.Assumptions), len(a.Assumptions))
		}
	}
	// The comparison needs no tier, level or bill.
	if w := post(h, `{"kind":"tiers","year":1999}`, nil); w.Code != 422 || !strings.Contains(w.Body.String(), `"field":"year"`) {
		t.Errorf("tiers for 1999: %d %s", w.Code, w.Body)
	}
}

// The page reads an amount as the chat does (strictly): what the chat
// suggests typing ("三万五") gives the same answer as its figures.
func TestPageTakesTheChatsAmounts(t *testing.T) {
	h := newHandler(t, h5.Config{})
	want := post(h, `{"kind":"inpatient","tier":1,"level":2,"cost":"35000"}`, nil)
	if want.Code != http.StatusOK {
		t.Fatalf("35000: status %d: %s", want.Code, want.Body)
	}
	for _, cost := range []string{"三万五", "3.5万", "３５０００元", "¥35,000"} {
		got := post(h, `{"kind":"inpatient","tier":1,"level":2,"cost":"`+cost+`"}`, nil)
		if got.Code != http.StatusOK || got.Body.String() != want.Body.String() {
			t.Errorf("%s: status %d: %s\nwant %s", cost, got.Code, got.Body, want.Body)
		}
	}
	if got := post(h, `{"kind":"inpatient","tier":1,"level":2,"cost":"3来万"}`, nil); got.Code != http.StatusUnprocessableEntity {
		t.Errorf("a rough amount: status %d, want 422: %s", got.Code, got.Body)
	}
}
