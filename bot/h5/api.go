package h5

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"

	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// maxBody is the largest request the API reads: a full form is under 400
// bytes.
const maxBody = 4 << 10

// Request is what the page posts: the fields of `yibao estimate`, named as
// in its JSON. Amounts are strings as typed ("3.5万", "12,000"); a JSON
// number is taken too.
type Request struct {
	Kind         string `json:"kind"` // inpatient, outpatient or contribution
	Year         int    `json:"year"` // 0: this year
	Tier         int    `json:"tier"`
	Level        int    `json:"level"`
	Minor        bool   `json:"minor"`
	Cost         Amount `json:"cost"`
	OutOfPolicy  Amount `json:"out_of_policy"`
	PriorBasic   Amount `json:"prior_basic"`
	PriorSelfPay Amount `json:"prior_selfpay"`
	Used         Amount `json:"used"`
	Scheme       string `json:"scheme"` // contribution: resident (default) or employee
}

// Amount is an amount field as sent, read by parseAmount.
type Amount string

// UnmarshalJSON takes a string or a number.
func (a *Amount) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*a = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = Amount(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*a = Amount(n.String())
	return nil
}

// Estimate is the answer for a bill: the fields of `yibao estimate --json`,
// plus the working worded as the chat gives it.
type Estimate struct {
	Year            int                  `json:"year"`
	AskedYear       int                  `json:"asked_year"`
	Fallback        bool                 `json:"fallback"`
	Kind            engine.Kind          `json:"kind"`
	Tier            int                  `json:"tier"`
	Level           int                  `json:"level"`
	Minor           bool                 `json:"minor,omitempty"`
	Cost            string               `json:"cost"`
	OutOfPolicy     string               `json:"out_of_policy"`
	Deductible      string               `json:"deductible"`
	Ratio           string               `json:"ratio"`
	Basic           string               `json:"basic"`
	BasicCapped     bool                 `json:"basic_capped"`
	Critical        *string              `json:"critical,omitempty"`
	CriticalCapped  bool                 `json:"critical_capped,omitempty"`
	TotalReimbursed *string              `json:"total_reimbursed,omitempty"`
	OutOfPocket     string               `json:"out_of_pocket"`
	Assumptions     []replies.Assumption `json:"assumptions"`
	Working         []string             `json:"working,omitempty"`
}

// Contribution is the answer for what a year's cover costs, as
// `yibao estimate --kind contribution --json` gives it.
type Contribution struct {
	Year         int    `json:"year"`
	AskedYear    int    `json:"asked_year"`
	Fallback     bool   `json:"fallback"`
	Kind         string `json:"kind"`
	Scheme       string `json:"scheme"`
	Tier         int    `json:"tier"`
	Contribution string `json:"contribution"`
	// The same shape as every other kind's: code and text.
	Assumptions []replies.Assumption `json:"assumptions"`
}

// Problem is one thing wrong with a request, named by its field.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// errorBody is every error answer: a sentence for the page's summary and
// a problem per field. Messages never repeat what was sent.
type errorBody struct {
	Error    string    `json:"error"`
	Problems []Problem `json:"problems,omitempty"`
}

func (h *Handler) serveEstimate(w http.ResponseWriter, r *http.Request) {
	if ok, wait := h.limits.allow(h.clientIP(r)); !ok {
		// Closing, the server need not wait for the rest of a body it
		// will not read (a trickled one held the connection).
		w.Header().Set("Connection", "close")
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
		writeJSON(w, http.StatusTooManyRequests, errorBody{Error: replies.PageMessage("too_many")})
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, errorBody{Error: replies.PageMessage("not_json")})
		return
	}
	// The whole body is read against the limit: the decoder alone stops
	// after the object, so whitespace past 4 KB went unseen.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.Header().Set("Connection", "close")
			writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: replies.PageMessage("too_long", maxBody)})
			return
		}
		writeJSON(w, http.StatusBadRequest, decodeProblem(err))
		return
	}
	var req Request
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, decodeProblem(err))
		return
	}
	if dec.More() {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: replies.PageMessage("one_object"), Problems: []Problem{{"body", replies.PageMessage("one_object_field")}}})
		return
	}
	out, problems, err := h.answer(req)
	switch {
	case err != nil:
		h.log(r, err)
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: replies.PageMessage("server_error", h.hotline)})
	case len(problems) > 0:
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{Error: replies.PageMessage("fix_fields"), Problems: problems})
	default:
		writeJSON(w, http.StatusOK, out)
	}
}

// decodeProblem explains a body that is not the request's JSON without
// quoting it: a type error names the field, which is ours, not the
// sender's text.
func decodeProblem(err error) errorBody {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		if label, ok := replies.PageFieldLabel(typeErr.Field); ok {
			return errorBody{Error: replies.PageMessage("fix_fields"), Problems: []Problem{{typeErr.Field, replies.PageMessage("field_format", label)}}}
		}
	}
	return errorBody{Error: replies.PageMessage("unreadable"), Problems: []Problem{{"body", replies.PageMessage("unknown_json")}}}
}

// answer validates req and runs the engine. Problems are the caller's to
// fix; an error is ours.
func (h *Handler) answer(req Request) (any, []Problem, error) {
	ps := problems{read: h.amount}
	year := req.Year
	if year == 0 {
		year = h.now().Year()
	}
	sel, err := h.book.ForYear(year)
	if err != nil {
		ps.add("year", replies.PageMessage("no_year", year, h.book.Years()[0]))
	}
	switch req.Kind {
	case "tiers":
		return h.tiers(sel, req.Minor, ps)
	case "contribution", string(engine.KindInpatient), string(engine.KindOutpatient):
	case "":
		ps.add("kind", replies.PageMessage("kind_missing"))
		return nil, ps.list, nil
	default:
		ps.add("kind", replies.PageMessage("kind_unknown"))
		return nil, ps.list, nil
	}
	tier := engine.Tier(req.Tier)
	if !tier.Valid() {
		ps.add("tier", replies.PageMessage("tier_missing"))
	}
	if req.Kind == "contribution" {
		return h.contribution(sel, tier, req.Scheme, ps)
	}
	level := engine.Level(req.Level)
	if !level.Valid() {
		ps.add("level", replies.PageMessage("level_missing"))
	}
	cost := ps.amount("cost", req.Cost, true)
	outOfPolicy := ps.amount("out_of_policy", req.OutOfPolicy, false)
	var est engine.Estimate
	if req.Kind == string(engine.KindInpatient) {
		in := engine.InpatientInput{Tier: tier, Level: level, Minor: req.Minor, Cost: cost, OutOfPolicy: outOfPolicy,
			PriorBasic: ps.amount("prior_basic", req.PriorBasic, false), PriorSelfPay: ps.amount("prior_selfpay", req.PriorSelfPay, false)}
		if ps.list != nil {
			return nil, ps.list, nil
		}
		est, err = sel.EstimateInpatient(in)
	} else {
		in := engine.OutpatientInput{Tier: tier, Level: level, Cost: cost, OutOfPolicy: outOfPolicy,
			Used: ps.amount("used", req.Used, false)}
		if ps.list != nil {
			return nil, ps.list, nil
		}
		est, err = sel.EstimateOutpatient(in)
	}
	var inErr *engine.InputError
	if errors.As(err, &inErr) {
		// The engine's own checks (目录外 above the bill), worded here.
		ps.add(inErr.Field, replies.InputMessage(inErr.Field, inErr.Code))
		return nil, ps.list, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("estimate %s: %w", req.Kind, err)
	}
	return EstimateOf(est), nil, nil
}

func (h *Handler) contribution(sel engine.Selection, tier engine.Tier, scheme string, ps problems) (any, []Problem, error) {
	if scheme == "" {
		scheme = "resident"
	}
	if scheme != "resident" && scheme != "employee" {
		ps.add("scheme", replies.PageMessage("scheme_missing"))
	}
	if ps.list != nil {
		return nil, ps.list, nil
	}
	amount, err := sel.Contribution(tier)
	if scheme == "employee" {
		amount, err = sel.EmployeeContribution(tier)
	}
	if err != nil {
		// Data the year's file does not hold: say so, do not guess.
		ps.add("tier", replies.PageMessage("not_in_year", sel.Year, h.hotline))
		return nil, ps.list, nil
	}
	return ContributionOf(sel, scheme, tier, amount), nil, nil
}

// ContributionOf is what a tier costs in a year, as the API and `yibao
// estimate --kind contribution --json` give it.
func ContributionOf(sel engine.Selection, scheme string, tier engine.Tier, amount engine.Money) Contribution {
	out := Contribution{Year: sel.Year, AskedYear: sel.Asked, Fallback: sel.Fallback, Kind: "contribution",
		Scheme: scheme, Tier: int(tier), Contribution: amount.String(), Assumptions: []replies.Assumption{}}
	if sel.Fallback {
		out.Assumptions = append(out.Assumptions, replies.Assumption{Code: "year_fallback", Text: replies.PageMessage("year_fallback", sel.Asked, sel.Year)})
	}
	return out
}

// tiers compares the two tiers for the year, as `yibao estimate --kind
// tiers` does.
func (h *Handler) tiers(sel engine.Selection, minor bool, ps problems) (any, []Problem, error) {
	if ps.list != nil {
		return nil, ps.list, nil
	}
	a, err := sel.AdviseTiers(minor)
	if err != nil {
		return nil, nil, fmt.Errorf("tier advice: %w", err)
	}
	return TiersOf(a), nil, nil
}

// EstimateOf is an estimate as the API and `yibao estimate --json` give
// it: money as strings with two decimals, and the working as the chat words
// it.
func EstimateOf(e engine.Estimate) Estimate {
	o := Estimate{
		Year: e.Year, AskedYear: e.AskedYear, Fallback: e.Fallback,
		Kind: e.Kind, Tier: int(e.Tier), Level: int(e.Level), Minor: e.Minor,
		Cost: e.Cost.String(), OutOfPolicy: e.OutOfPolicy.String(),
		Deductible: e.Deductible.String(), Ratio: e.Ratio.String(),
		Basic: e.Basic.RoundFen().String(), BasicCapped: e.BasicCapped,
		OutOfPocket: e.OutOfPocket.String(), Assumptions: replies.Assumptions(e.Assumptions, replies.AssumptionText),
		Working: replies.EstimateWorking(e),
	}
	if e.Kind == engine.KindInpatient {
		c, t := e.Critical.RoundFen().String(), e.Total.String()
		o.Critical, o.TotalReimbursed, o.CriticalCapped = &c, &t, e.CriticalCapped
	}
	return o
}

// problems gathers every problem of a request, so the page can mark all
// the fields at once.
type problems struct {
	list []Problem
	read func(string) (engine.Money, error) // an amount field's reader
}

func (p *problems) add(field, msg string) { p.list = append(p.list, Problem{field, msg}) }

// amount reads one amount field; an optional one left empty is zero.
func (p *problems) amount(field string, a Amount, required bool) engine.Money {
	m, err := p.read(string(a))
	label, _ := replies.PageFieldLabel(field)
	switch {
	case err == nil:
		return m
	case errors.Is(err, engine.ErrAmountEmpty) && !required:
		return engine.Money{}
	case errors.Is(err, engine.ErrAmountEmpty):
		p.add(field, replies.PageMessage("amount_missing", label))
	case errors.Is(err, engine.ErrAmountNegative):
		p.add(field, replies.PageMessage("amount_negative", label))
	case errors.Is(err, engine.ErrAmountTooLarge):
		p.add(field, replies.PageMessage("amount_too_large", label, engine.MaxAmount.Decimal().IntPart()/10000))
	case errors.Is(err, engine.ErrAmountBelowFen):
		p.add(field, replies.PageMessage("amount_below_fen", label))
	default:
		p.add(field, replies.PageMessage("amount_not_number", label))
	}
	return engine.Money{}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	// HTML escaping stays on: nothing in an answer can become markup.
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.Copy(w, &buf)
}
