// Package browsertest drives the agenda page of examples/server in a real
// browser: Debian's chromium, headless, through chromedp. It holds tests
// only, in the examples/server module, so that nothing importing package
// agenda ever sees chromedp.
//
// The tests skip when no Chromium is found (apt-get install chromium), and
// fail instead when CI=true. CHROMIUM names the binary explicitly.
// AGENDA_SCREENSHOT=FILE also writes the week view's screenshot there.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/chromedp/chromedp"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/examples/server/httpapi"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// chromium finds the browser, or skips (fails on CI).
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "no Chromium found (apt-get install chromium, or set CHROMIUM): the browser tests of the agenda page do not run")
	return ""
}

// missing skips the test for want of a component, or fails it on CI,
// where every browser and database test must run.
func missing(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// site is the server the page is tested on: the small generated dataset
// in a live index, the clock fixed at the dataset's anchor.
type site struct {
	srv     *httptest.Server
	live    *agenda.Live
	now     time.Time
	paris   *time.Location
	agent   string // an agent offering service
	service string
	week    time.Time // a Monday, Paris midnight

	token string // the agent's bearer token, under access control

	mu       sync.Mutex
	requests []string // every request the server had, in order
}

// quiet waits until the server has had no request for 300ms, and returns
// the count of requests so far.
func (s *site) quiet(t *testing.T) int {
	t.Helper()
	_, n := s.requestsSince(0)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(300 * time.Millisecond)
		_, m := s.requestsSince(0)
		if m == n {
			return n
		}
		n = m
	}
	t.Fatal("the page kept making requests for 5s")
	return 0
}

// requestsSince returns the requests after the first n, and their count.
func (s *site) requestsSince(n int) ([]string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests[n:]), len(s.requests)
}

func newSite(t *testing.T) *site { return newSiteWith(t, nil) }

// testToken is the bearer token of the site's agent under access control.
const testToken = "browser-test-token-0001"

// newSiteWith is newSite with access control when access is not nil; the
// site's agent is then given testToken (set in access.Tokens).
func newSiteWith(t *testing.T, access *httpapi.Access) *site {
	t.Helper()
	ds := gen.Generate(gen.Small, 1)
	live, err := agenda.NewLive(ds)
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	now := gen.DefaultAnchor()
	s := &site{live: live, now: now, paris: paris, week: time.Date(2026, 12, 7, 0, 0, 0, 0, paris)}
	// The first agent of several organisations with a non-collective
	// service that has slots that week.
	collective := map[string]bool{}
	for _, svc := range ds.Services {
		collective[svc.ID] = svc.Collective
	}
	orgs := map[string]int{}
	for _, a := range ds.Agents {
		orgs[a.ID] = len(a.OrganisationIDs)
	}
	ctx := context.Background()
	for _, op := range ds.OpeningPeriods {
		svc := op.ServiceIDs[0]
		if collective[svc] || op.PlaceID == "" || orgs[op.AgentID] < 2 {
			continue
		}
		slots, err := live.Slots(ctx, agenda.SlotQuery{ServiceID: svc, AgentIDs: []string{op.AgentID}, From: s.week,
			To: s.week.AddDate(0, 0, 7), Now: now, View: agenda.ViewAgent})
		if err == nil && len(slots) >= 4 {
			s.agent, s.service = op.AgentID, svc
			break
		}
	}
	if s.agent == "" {
		t.Fatal("the small dataset has no agent of several organisations with slots in the week of 2026-12-07")
	}
	events := httpapi.NewEvents(live, httpapi.EventsConfig{})
	if access != nil {
		for _, a := range ds.Agents {
			if a.ID == s.agent {
				access.Tokens = httpapi.Tokens{testToken: {AgentID: a.ID, OrganisationIDs: a.OrganisationIDs}}
				s.token = testToken
			}
		}
	}
	api := httpapi.New(live, httpapi.Config{Events: events, Now: func() time.Time { return now }, Access: access})
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
		s.mu.Unlock()
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { events.Close(); s.srv.Close() })
	return s
}

// feedIDs returns the ids of the agenda feed over the week, as the page
// asks for it.
func (s *site) feedIDs(t *testing.T) []string { return s.feedIDsFor(t, "") }

// feedIDsFor is feedIDs on behalf of an organisation ("" for all).
func (s *site) feedIDsFor(t *testing.T, org string) []string {
	t.Helper()
	return feedIDsAt(t, s.srv.URL, s.agent, s.token, org)
}

// feedIDsAt is feedIDsFor from the server at base, read with token.
func feedIDsAt(t *testing.T, base, agent, token, org string) []string {
	t.Helper()
	return feedIDsOfWeek(t, base, agent, token, org, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
}

// feedIDsOfWeek is feedIDsAt over the week from monday (its date only).
func feedIDsOfWeek(t *testing.T, base, agent, token, org string, monday time.Time) []string {
	t.Helper()
	q := url.Values{"start": {monday.Format("2006-01-02") + "T00:00:00"}, "end": {monday.AddDate(0, 0, 7).Format("2006-01-02") + "T00:00:00"},
		"timeZone": {"Europe/Paris"}}
	if org != "" {
		q.Set("organisation", org)
	}
	var events []struct {
		ID    string `json:"id"`
		Start string `json:"start"`
	}
	getJSON(t, base+"/agents/"+agent+"/agenda?"+q.Encode(), token, &events)
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
		// Events shown without their record's id are numbered by their
		// place in one response; the page keeps them apart by their start.
		if k, _, ok := strings.Cut(e.ID, "::"); ok {
			ids[i] = k + "::@" + e.Start
		}
	}
	slices.Sort(ids)
	return ids
}

func getJSON(t *testing.T, u, token string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatal(err)
	}
}

// browser starts a headless Chromium with a fresh profile and collects the
// page's console errors, exceptions and browser log errors.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	exe := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx) // no timeout: it would stop the browser
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(problems)
	}
}

// step runs actions with a time limit.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression into a T.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// poll waits for a JavaScript condition, failing after d.
func poll(t *testing.T, ctx context.Context, what, cond string, d time.Duration) {
	t.Helper()
	pctx, cancel := context.WithTimeout(ctx, d+time.Second)
	defer cancel()
	_, err := chromedp.Run(pctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingInterval(10*time.Millisecond),
		chromedp.WithPollingTimeout(d)))
	if err != nil {
		state := eval[string](t, ctx, `JSON.stringify(window.agendaPage && {ready: agendaPage.ready, subscribed: agendaPage.subscribed, changes: agendaPage.changes, refreshes: agendaPage.refreshes}) + " " + document.querySelector('#panel').innerText`)
		t.Fatalf("%s: not within %s (%v); page: %s", what, d, err, state)
	}
}

// drawnIDs are the feed ids of the events the calendar drew (one DOM
// element or more per event; slots aside); an event without its record's
// id is named by its kind and start, as feedIDsFor names it.
const drawnIDs = `[...new Set([...document.querySelectorAll('#calendar [data-event-id]')].map(e => e.dataset.eventId))]
	.filter(id => !id.startsWith('slot:')).map(id => id.replace(/::\d+@/, '::@')).sort()`

func TestAgendaPage(t *testing.T) {
	s := newSite(t)
	ctx, problems := browser(t)
	page := fmt.Sprintf("%s/?agent=%s&service=%s&date=2026-12-07&view=timeGridWeek", s.srv.URL, s.agent, s.service)
	step(t, ctx, "open the page", chromedp.Navigate(page))
	poll(t, ctx, "the page loads and subscribes", `window.agendaPage && agendaPage.ready && agendaPage.subscribed && document.querySelector('[data-event-id^="slot:"]') !== null`, 20*time.Second)

	// 1. The events drawn are the feed's, one for one.
	want := s.feedIDs(t)
	drawn := eval[[]string](t, ctx, drawnIDs)
	if !slices.Equal(drawn, want) {
		t.Fatalf("drawn events differ from the feed:\n drawn %d %v\n feed  %d %v", len(drawn), drawn, len(want), want)
	}
	kinds := map[string]int{}
	for _, id := range want {
		kinds[id[:strings.IndexByte(id, ':')]]++
	}
	t.Logf("agent %s, week of 2026-12-07: %d events drawn as in the feed %v", s.agent, len(drawn), kinds)
	zone := eval[string](t, ctx, `document.querySelector('#zone').textContent`)
	if zone != "Times in Europe/Paris" {
		t.Errorf("zone shown: %q", zone)
	}

	// The slots drawn are the service's slots for the agent that week.
	slots, err := s.live.Slots(ctx, agenda.SlotQuery{ServiceID: s.service, AgentIDs: []string{s.agent}, From: s.week,
		To: s.week.AddDate(0, 0, 7), Now: s.now, View: agenda.ViewAgent})
	if err != nil {
		t.Fatal(err)
	}
	drawnSlots := eval[int](t, ctx, `new Set([...document.querySelectorAll('[data-event-id^="slot:"]')].map(e => e.dataset.eventId)).size`)
	if drawnSlots != len(slots) {
		t.Errorf("%d slots drawn, the server offers %d", drawnSlots, len(slots))
	}

	// The screenshot of the week view, for a reviewer.
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "agenda-page-")
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "week.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("agenda page screenshot (week view): %s\n", shot)
	if out := os.Getenv("AGENDA_SCREENSHOT"); out != "" {
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eval[bool](t, ctx, `window.notReloaded = true`)

	// 2. Clicking a slot holds it; confirming books it: it shows as an
	// appointment and is gone from the slots.
	first := slots[0]
	slotID := fmt.Sprintf("slot:%s:%d", first.PlaceID, first.Start.Unix())
	step(t, ctx, "click the first slot", chromedp.Click(chromedp.CSS(`[data-event-id="`+slotID+`"]`)))
	poll(t, ctx, "the hold is drawn and asked to be confirmed",
		`document.querySelector('#confirm') !== null && document.querySelector('.k-hold') !== null`, 5*time.Second)
	step(t, ctx, "confirm", chromedp.Click(chromedp.CSS(`#confirm`)))
	booked := waitAppointment(t, s, first.Start)
	poll(t, ctx, "the booked slot shows as an appointment and not as a slot",
		fmt.Sprintf(`document.querySelector('[data-event-id="appointment:%s"]') !== null && document.querySelector('[data-event-id="%s"]') === null`, booked, slotID),
		5*time.Second)

	// A time that is not a slot says why on click: Tuesday 20:00, where
	// the agent has no opening.
	eval[bool](t, ctx, `document.querySelector('td.fc-timegrid-slot-lane[data-time="20:00:00"]').scrollIntoView({block: 'center'}), true`)
	xy := eval[[]float64](t, ctx, `(() => {
		const col = document.querySelector('td.fc-timegrid-col[data-date="2026-12-08"]').getBoundingClientRect();
		const lane = document.querySelector('td.fc-timegrid-slot-lane[data-time="20:00:00"]').getBoundingClientRect();
		return [col.left + col.width / 2, lane.top + lane.height / 2];
	})()`)
	step(t, ctx, "click Tuesday 20:00", chromedp.MouseClickXY(xy[0], xy[1]))
	poll(t, ctx, "the page says why 20:00 is not free",
		`/Not (bookable|a free slot)/.test(document.querySelector('#panel').innerText) && /outside the openings|no opening of/.test(document.querySelector('#panel').innerText)`, 5*time.Second)
	why := eval[string](t, ctx, `document.querySelector('#panel').innerText`)
	t.Logf("clicked Tuesday 20:00: %q", why)

	// 3. A booking by another client, over the API, shows within a second.
	changesBefore := eval[int](t, ctx, `agendaPage.changes`)
	mark := s.quiet(t) // the page's own booking has been reloaded
	other := slots[len(slots)-1]
	body := fmt.Sprintf(`{"id":"api-1","agent_id":%q,"place_id":%q,"start":%q,"view":"agent"}`, s.agent, other.PlaceID, other.Start.Format(time.RFC3339))
	t0 := time.Now()
	resp, err := http.Post(s.srv.URL+"/services/"+s.service+"/bookings", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("booking over the API: %d", resp.StatusCode)
	}
	poll(t, ctx, "the other client's booking appears without a reload",
		fmt.Sprintf(`document.querySelector('[data-event-id="appointment:api-1"]') !== null && document.querySelector('[data-event-id="slot:%s:%d"]') === null`, other.PlaceID, other.Start.Unix()),
		5*time.Second)
	t.Logf("another client's booking was drawn %s after the POST was sent", time.Since(t0).Round(time.Millisecond))
	// What the page asked for: the agenda and the slots of that one day.
	day := other.Start.In(s.paris).Format("2006-01-02")
	next := other.Start.In(s.paris).AddDate(0, 0, 1).Format("2006-01-02")
	asked, _ := s.requestsSince(mark)
	var reads []string
	for _, r := range asked {
		if strings.HasPrefix(r, "GET /agents/"+s.agent+"/agenda?") || strings.HasPrefix(r, "GET /services/"+s.service+"/slots?") {
			reads = append(reads, r)
			u, _ := url.Parse(strings.TrimPrefix(r, "GET "))
			q := u.Query()
			from, to := q.Get("start")+q.Get("from"), q.Get("end")+q.Get("to")
			if from != day+"T00:00:00" || to != next+"T00:00:00" {
				t.Errorf("after the other client's booking the page asked for %s to %s, want the day %s: %s", from, to, day, r)
			}
		}
	}
	if len(reads) != 2 {
		t.Errorf("after the other client's booking the page read %d times, want the agenda and the slots of the day once each: %v", len(reads), asked)
	}
	notReloaded := eval[bool](t, ctx, `window.notReloaded === true`)
	changes := eval[int](t, ctx, `agendaPage.changes`)
	if !notReloaded {
		t.Error("the page was reloaded")
	}
	if changes <= changesBefore {
		t.Errorf("no change message reached the page (%d before, %d after)", changesBefore, changes)
	}

	// After both bookings, the drawn events are still the feed's.
	poll(t, ctx, "refreshes settle", `agendaPage.refreshes >= 2`, 5*time.Second)
	want = s.feedIDs(t)
	drawn = eval[[]string](t, ctx, drawnIDs)
	if !slices.Equal(drawn, want) {
		t.Errorf("after the bookings, drawn events differ from the feed:\n drawn %v\n feed  %v", drawn, want)
	}

	// 4. No console errors.
	if p := problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// waitAppointment returns the id of the agent's appointment starting at
// start, once the server has it.
func waitAppointment(t *testing.T, s *site, start time.Time) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		ag, err := s.live.Agenda(context.Background(), s.agent, start, start.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ag.Events {
			if e.Kind == agenda.KindAppointment && e.Start.Equal(start) && strings.HasPrefix(e.ID, "web-") {
				return e.ID
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no appointment booked at %s", start)
	return ""
}

// TestAgendaPageAsOrganisation opens the page on behalf of one of the
// agent's organisations: the agent switcher lists that organisation's
// agents only, and the events drawn are those of the feed on its behalf,
// the other organisations' appointments as bare busy time.
func TestAgendaPageAsOrganisation(t *testing.T) {
	s := newSite(t)
	ds := s.live.Snapshot().Catalogue()
	var orgs []string
	for _, a := range ds.Agents {
		if a.ID == s.agent {
			orgs = a.OrganisationIDs
		}
	}
	// An organisation of the agent with openings that week, whose view
	// differs from the whole agenda.
	all := s.feedIDs(t)
	var org string
	for _, o := range orgs {
		ids := s.feedIDsFor(t, o)
		if !slices.Equal(ids, all) && slices.ContainsFunc(ids, func(id string) bool { return strings.HasPrefix(id, "opening:") }) {
			org = o
			break
		}
	}
	if org == "" {
		t.Fatalf("agent %s has no organisation with openings that week whose view differs from the whole agenda", s.agent)
	}
	members := 0
	for _, a := range ds.Agents {
		if slices.Contains(a.OrganisationIDs, org) {
			members++
		}
	}
	ctx, problems := browser(t)
	step(t, ctx, "open the page", chromedp.Navigate(fmt.Sprintf("%s/?agent=%s&organisation=%s&date=2026-12-07", s.srv.URL, s.agent, org)))
	poll(t, ctx, "the page loads and subscribes", `window.agendaPage && agendaPage.ready && agendaPage.subscribed`, 20*time.Second)
	// Nothing changes, nothing is asked: no polling.
	mark := s.quiet(t)
	time.Sleep(2 * time.Second)
	if asked, _ := s.requestsSince(mark); len(asked) > 0 {
		t.Errorf("the idle page made requests: %v", asked)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#agent option').length`); n != members {
		t.Errorf("the agent switcher lists %d agents, organisation %s has %d", n, org, members)
	}
	want := s.feedIDsFor(t, org)
	drawn := eval[[]string](t, ctx, drawnIDs)
	if !slices.Equal(drawn, want) {
		t.Fatalf("drawn events differ from the feed of organisation %s:\n drawn %v\n feed  %v", org, drawn, want)
	}
	busy := eval[int](t, ctx, `[...document.querySelectorAll('#calendar [data-event-id^="appointment::"]')].length`)
	t.Logf("as organisation %s: %d events drawn (%d for all organisations), %d elements of other organisations' busy time", org, len(drawn), len(all), busy)
	if p := problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// TestAgendaPageWithToken serves the page under access control: without a
// token it asks for one and reads no agenda; with the agent's token (kept
// in the tab's session storage) it shows the agent's agenda on behalf of
// their first organisation, and a booking made over the API still reaches
// it through the event stream, read with the token.
func TestAgendaPageWithToken(t *testing.T) {
	s := newSiteWith(t, &httpapi.Access{})
	ctx, problems := browser(t)
	page := fmt.Sprintf("%s/?agent=%s&date=2026-12-07", s.srv.URL, s.agent)
	step(t, ctx, "open the page", chromedp.Navigate(page))
	poll(t, ctx, "the page asks for a token", `/Sign in/.test(document.querySelector('#panel').innerText)`, 20*time.Second)
	s.quiet(t)
	asked, _ := s.requestsSince(0)
	for _, r := range asked {
		if strings.Contains(r, "/agents/") {
			t.Errorf("without a token the page asked for %s", r)
		}
	}

	eval[bool](t, ctx, `sessionStorage.setItem('crossagenda-token', '`+testToken+`'), true`)
	step(t, ctx, "reload with the token", chromedp.Navigate(page))
	poll(t, ctx, "the page loads and subscribes", `window.agendaPage && agendaPage.ready && agendaPage.subscribed`, 20*time.Second)
	org := eval[string](t, ctx, `document.querySelector('#org').value`)
	want := s.feedIDsFor(t, org)
	drawn := eval[[]string](t, ctx, drawnIDs)
	if !slices.Equal(drawn, want) {
		t.Fatalf("drawn events differ from the feed on behalf of %s:\n drawn %v\n feed  %v", org, drawn, want)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll('#org option')].filter(o => o.value === '').length`); n != 0 {
		t.Error("under access control the page offers to read every organisation's records")
	}

	// A booking over the API, by the agent: the stream carries it.
	slots, err := s.live.Slots(ctx, agenda.SlotQuery{ServiceID: s.service, AgentIDs: []string{s.agent}, From: s.week,
		To: s.week.AddDate(0, 0, 7), Now: s.now, View: agenda.ViewAgent})
	if err != nil || len(slots) == 0 {
		t.Fatalf("no slot: %v", err)
	}
	sl := slots[0]
	body := fmt.Sprintf(`{"id":"tok-1","agent_id":%q,"place_id":%q,"start":%q,"view":"agent"}`, s.agent, sl.PlaceID, sl.Start.Format(time.RFC3339))
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/services/"+s.service+"/bookings", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("booking with the token: %d", resp.StatusCode)
	}
	after := s.feedIDsFor(t, org)
	if slices.Equal(after, want) {
		t.Fatal("the booking changed nothing in the feed")
	}
	afterJSON, _ := json.Marshal(after)
	poll(t, ctx, "the booking appears as the feed on behalf of "+org+" has it", `JSON.stringify(`+drawnIDs+`) === '`+string(afterJSON)+`'`, 5*time.Second)
	if p := problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}
