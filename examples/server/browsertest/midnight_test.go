package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/examples/server/httpapi"
)

// nightDataset is one agent whose free time and absence cross midnight:
// openings 18:00–24:00 on Tuesdays and Thursdays and 00:00–06:00 on
// Wednesdays and Fridays (free time from Tuesday 18:00 to Wednesday 06:00
// in one span), 09:00–12:00 on Mondays and Saturdays, and an absence from
// Thursday 10 December 23:00 to Friday 00:30.
func nightDataset() *agenda.Dataset {
	const org, agent, place, svc = "night", "n1", "p1", "s1"
	opening := func(id, first, start, end, rule string) agenda.OpeningPeriod {
		return agenda.OpeningPeriod{ID: id, AgentID: agent, OrganisationID: org, PlaceID: place, ServiceIDs: []string{svc},
			FirstDay: first, StartTime: start, EndTime: end, RRule: rule}
	}
	return &agenda.Dataset{
		Organisations: []agenda.Organisation{{ID: org, Name: "Night desk", TimeZone: "Europe/Paris"}},
		Agents:        []agenda.Agent{{ID: agent, Name: "Nadia", OrganisationIDs: []string{org}, TimeZone: "Europe/Paris"}},
		Places:        []agenda.Place{{ID: place, OrganisationID: org}},
		Services:      []agenda.Service{{ID: svc, OrganisationID: org, Name: "Night consultation", DurationMinutes: 30}},
		OpeningPeriods: []agenda.OpeningPeriod{
			opening("eve", "2026-12-01", "18:00", "24:00", "FREQ=WEEKLY;BYDAY=TU,TH"),
			opening("dawn", "2026-12-02", "00:00", "06:00", "FREQ=WEEKLY;BYDAY=WE,FR"),
			opening("day", "2026-11-30", "09:00", "12:00", "FREQ=WEEKLY;BYDAY=MO,SA"),
		},
		Absences: []agenda.Absence{{ID: "late", AgentID: agent, FirstDay: "2026-12-10", StartTime: "23:00",
			EndDay: "2026-12-11", EndTime: "00:30"}},
	}
}

// drawnExtents are the agenda events the calendar holds, as
// "id start end" in wall-clock times, sorted, named as feedExtents names
// them.
const drawnExtents = `agendaPage.calendar.getEvents().filter(e => e.source && e.source.id === 'agenda')
	.map(e => e.id.replace(/::\d+@/, '::@') + ' ' + e.start.toISOString().slice(0, 19) + ' ' + e.end.toISOString().slice(0, 19)).sort()`

// TestAgendaPageAcrossMidnight pushes changes on days that free time and
// an absence cross into or out of: after each, the events drawn are those
// of a full fetch of the visible week, one for one and with the same
// extents, and the slots drawn are the server's. A cut stream reconnects
// and reloads the whole week, which shows a booking made meanwhile.
func TestAgendaPageAcrossMidnight(t *testing.T) {
	ctx, problems := browser(t)
	live, err := agenda.NewLive(nightDataset())
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, paris)
	week := time.Date(2026, 12, 7, 0, 0, 0, 0, paris)
	events := httpapi.NewEvents(live, httpapi.EventsConfig{})
	api := httpapi.New(cancelling{live}, httpapi.Config{Events: events, Now: func() time.Time { return now }})
	var (
		mu       sync.Mutex
		requests []string
		streams  []context.CancelFunc
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.Method+" "+r.URL.RequestURI())
		if strings.HasSuffix(r.URL.Path, "/events") {
			ctx, cancel := context.WithCancel(r.Context())
			r = r.WithContext(ctx)
			streams = append(streams, cancel)
		}
		mu.Unlock()
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { events.Close(); srv.Close() })
	requestCount := func() int { mu.Lock(); defer mu.Unlock(); return len(requests) }
	requestsSince := func(n int) []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(requests[n:]) }
	cutStreams := func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range streams {
			c()
		}
		streams = nil
	}

	// The feed of the whole visible week, as the page would draw it.
	feedExtents := func() []string {
		q := url.Values{"start": {"2026-12-07T00:00:00"}, "end": {"2026-12-14T00:00:00"}, "timeZone": {"Europe/Paris"}}
		var evs []struct{ ID, Start, End string }
		getJSON(t, srv.URL+"/agents/n1/agenda?"+q.Encode(), "", &evs)
		out := make([]string, len(evs))
		for i, e := range evs {
			id := e.ID
			if k, _, ok := strings.Cut(id, "::"); ok {
				id = k + "::@" + e.Start
			}
			out[i] = id + " " + e.Start[:19] + " " + e.End[:19]
		}
		slices.Sort(out)
		return out
	}
	wantSlots := func() []string {
		slots, err := live.Slots(ctx, agenda.SlotQuery{ServiceID: "s1", AgentIDs: []string{"n1"}, From: week,
			To: week.AddDate(0, 0, 7), Now: now, View: agenda.ViewAgent})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(slots))
		for i, s := range slots {
			ids[i] = fmt.Sprintf("slot:%s:%d", s.PlaceID, s.Start.Unix())
		}
		slices.Sort(ids)
		return ids
	}
	// same waits until what is drawn is the full feed of the week, then
	// until the page is quiet, and checks again.
	same := func(what string) {
		t.Helper()
		var drawn, want []string
		for deadline := time.Now().Add(3 * time.Second); ; {
			want = feedExtents()
			drawn = eval[[]string](t, ctx, drawnExtents)
			if slices.Equal(drawn, want) || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		for n := requestCount(); ; {
			time.Sleep(300 * time.Millisecond)
			if m := requestCount(); m == n {
				break
			} else {
				n = m
			}
		}
		want = feedExtents()
		drawn = eval[[]string](t, ctx, drawnExtents)
		if !slices.Equal(drawn, want) {
			t.Fatalf("%s: the events drawn differ from the feed of the week:\n only drawn %v\n only feed  %v", what,
				minus(drawn, want), minus(want, drawn))
		}
		if dom, ids := eval[[]string](t, ctx, drawnIDs), idsOf(want); !slices.Equal(dom, ids) {
			t.Fatalf("%s: the elements drawn differ from the feed of the week:\n only drawn %v\n only feed  %v", what,
				minus(dom, ids), minus(ids, dom))
		}
		slots := eval[[]string](t, ctx, `[...new Set([...document.querySelectorAll('[data-event-id^="slot:"]')].map(e => e.dataset.eventId))].sort()`)
		if ws := wantSlots(); !slices.Equal(slots, ws) {
			t.Fatalf("%s: the slots drawn differ from the server's:\n only drawn %v\n only server %v", what, minus(slots, ws), minus(ws, slots))
		}
		last := eval[string](t, ctx, `JSON.stringify(agendaPage.lastRefresh)`)
		t.Logf("%s: %d events drawn as in the feed of the week, %d slots; last reload %s", what, len(drawn), len(slots), last)
	}
	post := func(path, body string, method string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d", method, path, resp.StatusCode)
		}
	}
	book := func(id string, start time.Time) {
		t.Helper()
		post("/services/s1/bookings", fmt.Sprintf(`{"id":%q,"agent_id":"n1","place_id":"p1","start":%q,"view":"agent"}`,
			id, start.Format(time.RFC3339)), http.MethodPost)
	}

	step(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/?agent=n1&service=s1&date=2026-12-07&view=timeGridWeek"))
	poll(t, ctx, "the page loads and subscribes", `window.agendaPage && agendaPage.ready && agendaPage.subscribed`, 20*time.Second)
	// The dataset does what it says: free time from Tuesday 18:00 to
	// Wednesday 06:00 in one span, an absence across Thursday's midnight.
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, paris) }
	for _, w := range []string{fmt.Sprintf("free:%d 2026-12-08T18:00:00 2026-12-09T06:00:00", at(8, 18, 0).Unix()),
		fmt.Sprintf("absence:late:%d 2026-12-10T23:00:00 2026-12-11T00:30:00", at(10, 23, 0).Unix())} {
		if !slices.Contains(feedExtents(), w) {
			t.Fatalf("the feed of the week has no %q: %v", w, feedExtents())
		}
	}
	same("opened")
	eval[bool](t, ctx, `window.notReloaded = true`)

	book("mid-1", at(9, 2, 0)) // Wednesday, inside the span begun on Tuesday
	same("booked Wednesday 02:00")
	book("mid-2", at(8, 23, 0)) // Tuesday, inside the span that ends on Wednesday
	same("booked Tuesday 23:00")
	post("/appointments/mid-1", "", http.MethodDelete) // free again: the span grows back
	same("cancelled Wednesday 02:00")
	book("mid-3", at(11, 3, 0)) // Friday, after the absence from Thursday
	same("booked Friday 03:00")

	// A cut stream: a booking made while it is down is shown once it is
	// back, by a reload of the whole visible week.
	mark := requestCount()
	cutStreams()
	poll(t, ctx, "the page sees its stream cut", `!agendaPage.subscribed`, 5*time.Second)
	book("mid-4", at(12, 10, 0)) // Saturday
	poll(t, ctx, "the page reconnects", `agendaPage.subscribed && agendaPage.reconnects === 1`, 10*time.Second)
	same("reconnected after a booking made while the stream was cut")
	var reads []string
	for _, r := range requestsSince(mark) {
		if strings.HasPrefix(r, "GET /agents/n1/agenda?") {
			reads = append(reads, r)
		}
	}
	whole := "GET /agents/n1/agenda?" + url.Values{"start": {"2026-12-07T00:00:00"}, "end": {"2026-12-14T00:00:00"},
		"timeZone": {"Europe/Paris"}}.Encode()
	if !slices.Contains(reads, whole) {
		t.Errorf("after reconnecting the page did not reload the whole week; it read %v", reads)
	}
	if !eval[bool](t, ctx, `window.notReloaded === true`) {
		t.Error("the page was reloaded")
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// cancelling serves a Live with cancellations, as the server does.
type cancelling struct{ *agenda.Live }

func (l cancelling) CancelAppointment(_ context.Context, id string, status agenda.Status) error {
	return l.Live.CancelAppointment(id, status)
}

// minus returns the elements of a that are not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// idsOf returns the ids of "id start end" extents, sorted.
func idsOf(extents []string) []string {
	ids := make([]string, len(extents))
	for i, e := range extents {
		ids[i], _, _ = strings.Cut(e, " ")
	}
	slices.Sort(ids)
	return ids
}
