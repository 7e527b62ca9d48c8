package h5_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/yibao/yibao/bot/h5"
	"github.com/yibao/yibao/engine"
	"github.com/yibao/yibao/replies"
)

// The browser tests drive Debian's Chromium headless over the page as a
// resident's phone shows it (360×740). They need a browser (YIBAO_CHROMIUM,
// else chromium on PATH) and, for the accessibility check, axe-core's
// axe.min.js (YIBAO_AXE_JS; .ci/run installs both). Outside CI they skip
// when either is missing; in CI (CI set) they fail instead.

// browserNow is the service's clock in these tests: today, when benefit
// year 2026 has no data yet, so the page must say it used 2025's rules.
var browserNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func need(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI must run the browser tests, but %s", what)
	}
	t.Skipf("skipping the browser test: %s (CI installs it; see .ci/run)", what)
}

func browserPath(t *testing.T) string {
	if p := os.Getenv("YIBAO_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	need(t, "no Chromium found (set YIBAO_CHROMIUM or apt-get install chromium)")
	return ""
}

func axeSource(t *testing.T) string {
	p := os.Getenv("YIBAO_AXE_JS")
	if p == "" {
		need(t, "YIBAO_AXE_JS is not set (npm install axe-core, then point it at node_modules/axe-core/axe.min.js)")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("YIBAO_AXE_JS: %v", err)
	}
	return string(b)
}

// screenshotDir is where the screenshots go: YIBAO_SCREENSHOTS, else a
// directory under the system's temp dir that outlives the test, so a
// person can look at them.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("YIBAO_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "yibao-h5-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// requests records every request the page makes, and the bytes each
// brought in.
type requests struct {
	mu    sync.Mutex
	urls  []string
	bytes map[network.RequestID]float64
}

func (r *requests) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r.urls = append(r.urls, ev.Request.URL)
	case *network.EventLoadingFinished:
		r.bytes[ev.RequestID] = ev.EncodedDataLength
	}
}

func (r *requests) snapshot() (urls []string, total float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.bytes {
		total += b
	}
	return append([]string(nil), r.urls...), total
}

func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := browserPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(360, 740),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return ctx
}

func TestBrowserEstimates(t *testing.T) {
	axe := axeSource(t)
	ctx := newBrowser(t)
	srv := httptest.NewServer(newHandler(t, h5.Config{Now: func() time.Time { return browserNow }}))
	t.Cleanup(srv.Close)
	shots := screenshotDir(t)

	reqs := &requests{bytes: map[network.RequestID]float64{}}
	if err := chromedp.Listen(ctx, reqs.listen); err != nil {
		t.Fatal(err)
	}

	// A first visit: the page and what it links, within the budget.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+h5.PagePath), chromedp.WaitVisible("#form")); err != nil {
		t.Fatal(err)
	}
	_, firstVisit := reqs.snapshot()
	t.Logf("first visit transferred %.0f bytes (budget %d)", firstVisit, firstVisitBudget)
	if firstVisit == 0 || firstVisit > firstVisitBudget {
		t.Errorf("first visit transferred %.0f bytes; the budget is %d", firstVisit, firstVisitBudget)
	}
	checkAxe(t, ctx, axe, "empty form")

	// An inpatient stay, filled in as a relative would: 20万 at a 三级
	// hospital for a child, 一档.
	fill(t, ctx, "inpatient", "1", "3", "20万", true)
	in := engineEstimate(t, browserNow.Year(), engine.InpatientInput{Tier: 1, Level: 3, Minor: true, Cost: engine.Yuan(200000)})
	checkResult(t, ctx, in, map[string]engine.Money{
		"total_reimbursed": in.Total, "out_of_pocket": in.OutOfPocket, "basic": in.Basic.RoundFen(), "critical": in.Critical.RoundFen(),
	})
	shared, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	checkAxe(t, ctx, axe, "inpatient result")
	screenshot(t, ctx, filepath.Join(shots, "inpatient.png"))
	phoneScreen(t, ctx, "#result", filepath.Join(shots, "inpatient-screen.png"))

	// An outpatient bill typed with a thousands separator.
	fill(t, ctx, "outpatient", "2", "2", "1,250.5", false)
	out := engineEstimate(t, browserNow.Year(), engine.OutpatientInput{Tier: 2, Level: 2, Cost: money(t, "1250.5")})
	checkResult(t, ctx, out, map[string]engine.Money{"basic": out.Basic.RoundFen(), "out_of_pocket": out.OutOfPocket})
	screenshot(t, ctx, filepath.Join(shots, "outpatient.png"))

	// The inpatient link, opened as someone it was shared with would:
	// the form comes back filled and the same figures appear.
	if err := chromedp.Do(ctx, chromedp.Navigate(shared), chromedp.WaitVisible("#result")); err != nil {
		t.Fatal(err)
	}
	checkResult(t, ctx, in, map[string]engine.Money{"total_reimbursed": in.Total, "out_of_pocket": in.OutOfPocket})
	u, _ := url.Parse(shared)
	if q := u.Query(); q.Get("kind") != "inpatient" || q.Get("cost") != "20万" || q.Get("minor") != "1" {
		t.Errorf("shared link %s does not hold the inputs", shared)
	}

	// The tier comparison: no tier, level or bill to give.
	if err := chromedp.Do(ctx,
		chromedp.Click(`input[name=kind][value=tiers]`),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("input[name=minor]").checked = false; document.getElementById("result").hidden = true`),
		chromedp.Click("button.go"),
		chromedp.WaitVisible("#r-tiers"),
	); err != nil {
		t.Fatalf("tiers: %v", err)
	}
	book, err := engine.Load("")
	if err != nil {
		t.Fatal(err)
	}
	sel, err := book.ForYear(browserNow.Year())
	if err != nil {
		t.Fatal(err)
	}
	advice, err := sel.AdviseTiers(false)
	if err != nil {
		t.Fatal(err)
	}
	diff, err := chromedp.Run(ctx, chromedp.Text(`#result [data-field=premium_difference]`))
	if err != nil || strings.TrimSuffix(strings.ReplaceAll(diff, ",", ""), "元") != advice.PremiumDifference.String() {
		t.Errorf("premium difference shows %q (%v), engine says %s", diff, err, advice.PremiumDifference)
	}
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#r-breakeven li")].map(li => li.textContent)`))
	if err != nil || len(lines) != len(advice.Inpatient) {
		t.Fatalf("break-even lines %q, %v", lines, err)
	}
	for i, be := range advice.Inpatient {
		if want := be.Level.String() + "医院：" + replies.TierBreakEven(be); lines[i] != want {
			t.Errorf("break-even line %q, want %q", lines[i], want)
		}
	}
	if year, _ := chromedp.Run(ctx, chromedp.Text("#r-year")); !strings.Contains(year, fmt.Sprintf("按%d年度标准", advice.Year)) {
		t.Errorf("tiers year line %q", year)
	}
	checkAxe(t, ctx, axe, "tier comparison")
	screenshot(t, ctx, filepath.Join(shots, "tiers.png"))

	// A mistake (a rough sum: the page needs the figure): the field says
	// what is wrong, and nothing else changes. "两万" alone is read, as in
	// the chat.
	fill(t, ctx, "inpatient", "1", "3", "两万多", true)
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#err-cost")); err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text("#err-cost"))
	if err != nil || !strings.Contains(msg, "总费用要填数字") {
		t.Errorf("cost error %q, %v", msg, err)
	}
	invalid, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("cost").getAttribute("aria-invalid")`))
	if err != nil || invalid != "true" {
		t.Errorf("cost field aria-invalid %q, %v", invalid, err)
	}
	checkAxe(t, ctx, axe, "error state")
	screenshot(t, ctx, filepath.Join(shots, "error.png"))

	// Nothing left the page's own origin.
	urls, _ := reqs.snapshot()
	for _, u := range urls {
		if !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s, outside %s", u, srv.URL)
		}
	}
	if len(urls) < 4 {
		t.Errorf("only %d requests seen; is the listener working? %v", len(urls), urls)
	}
	// Nothing stored about the visitor.
	stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.cookie + "|" + localStorage.length + "|" + sessionStorage.length`))
	if err != nil || stored != "|0|0" {
		t.Errorf("cookies|localStorage|sessionStorage = %q, %v", stored, err)
	}
	t.Logf("screenshots in %s", shots)
}

// fill sets the form as a person would, by clicking and typing, and sends it.
func fill(t *testing.T, ctx context.Context, kind, tier, level, cost string, minor bool) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Click(`input[name=kind][value=`+kind+`]`),
		chromedp.Click(`input[name=tier][value="`+tier+`"]`),
		chromedp.Click(`input[name=level][value="`+level+`"]`),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("cost").value = ""`),
		chromedp.SendKeys("#cost", cost),
	)
	if err != nil {
		t.Fatalf("fill: %v", err)
	}
	if kind == "inpatient" {
		checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("input[name=minor]").checked`))
		if err != nil {
			t.Fatal(err)
		}
		if checked != minor {
			if err := chromedp.Do(ctx, chromedp.Click(`input[name=minor]`)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Wait for this answer, not the last one still on screen.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById("result").hidden = true`),
		chromedp.Click("button.go"),
		chromedp.Poll[chromedp.Void](`!document.getElementById("result").hidden || !document.getElementById("summary").hidden`, chromedp.WithPollingTimeout(10*time.Second)),
	); err != nil {
		t.Fatalf("submit: %v", err)
	}
}

// checkResult reads the figures off the page and compares them with the
// engine's, to the fen, and checks the year is named.
func checkResult(t *testing.T, ctx context.Context, e engine.Estimate, want map[string]engine.Money) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#result")); err != nil {
		t.Fatal(err)
	}
	for field, m := range want {
		text, err := chromedp.Run(ctx, chromedp.Text(`#result [data-field=`+field+`]`))
		if err != nil {
			t.Fatalf("%s: %v", field, err)
		}
		got := strings.TrimSuffix(strings.ReplaceAll(strings.TrimSpace(text), ",", ""), "元")
		if got != m.String() {
			t.Errorf("%s %s shows %q, engine says %s", e.Kind, field, text, m)
		}
	}
	year, err := chromedp.Run(ctx, chromedp.Text("#r-year"))
	if err != nil {
		t.Fatal(err)
	}
	if wantYear := fmt.Sprintf("按%d年度标准", e.Year); !strings.Contains(year, wantYear) {
		t.Errorf("year line %q lacks %q", year, wantYear)
	}
	if e.Fallback && !strings.Contains(year, fmt.Sprint(e.AskedYear)) {
		t.Errorf("year line %q does not say %d's rules are not in yet", year, e.AskedYear)
	}
	items, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#r-assumptions li")].map(li => li.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(e.Assumptions) {
		t.Errorf("%d assumptions shown, engine has %d", len(items), len(e.Assumptions))
	}
	for i, a := range e.Assumptions {
		if want := replies.AssumptionText(a); i < len(items) && items[i] != want {
			t.Errorf("assumption %d shows %q, replies say %q", i, items[i], want)
		}
	}
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkAxe runs axe-core in the page: no serious or critical violations.
func checkAxe(t *testing.T, ctx context.Context, axe, state string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`if (!window.axe) { (function(){`+axe+`}).call(window) }; undefined`)); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	const run = `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}))))`
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("axe, %s: %s %s: %s at %v", state, v.Impact, v.ID, v.Help, v.Nodes)
		} else {
			t.Logf("axe, %s: %s %s: %s at %v", state, v.Impact, v.ID, v.Help, v.Nodes)
		}
	}
}

func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	noOverflow(t, ctx, filepath.Base(path))
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// phoneScreen saves what the phone's screen shows with sel scrolled to
// the top.
func phoneScreen(t *testing.T, ctx context.Context, sel, path string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("`+sel+`").scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// noOverflow fails when any text on the page reaches past the phone's
// screen: on a 360-pixel phone a figure cut at the edge is a wrong figure.
func noOverflow(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	cut, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const w = document.documentElement.clientWidth;
		return [...document.querySelectorAll("body *")]
			.filter(e => e.offsetParent !== null && e.children.length === 0 && e.getBoundingClientRect().right > w + 0.5)
			.map(e => e.tagName + ": " + e.textContent.slice(0, 30));
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cut) > 0 {
		t.Errorf("%s: text past the screen's right edge: %q", what, cut)
	}
}
