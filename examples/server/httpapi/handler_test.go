package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// fixture is the small generated dataset, its index and records picked from
// it for the tests.
type fixture struct {
	ds *agenda.Dataset
	ix *agenda.Index
	// multiOrg is an agent of several organisations; service one offered
	// by an opening of agent serviceAgent at place servicePlace.
	multiOrg, service, serviceAgent, servicePlace string
	anchor                                        time.Time
	paris                                         *time.Location
}

var loadFixture = sync.OnceValues(func() (*fixture, error) {
	ds := gen.Generate(gen.Small, 1)
	ix, err := agenda.New(ds)
	if err != nil {
		return nil, err
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, err
	}
	f := &fixture{ds: ds, ix: ix, anchor: gen.DefaultAnchor(), paris: paris}
	for _, a := range ds.Agents {
		if len(a.OrganisationIDs) > 1 {
			f.multiOrg = a.ID
			break
		}
	}
	collective := map[string]bool{}
	for _, s := range ds.Services {
		collective[s.ID] = s.Collective
	}
	for _, op := range ds.OpeningPeriods {
		if op.PlaceID != "" && !collective[op.ServiceIDs[0]] {
			f.service, f.serviceAgent, f.servicePlace = op.ServiceIDs[0], op.AgentID, op.PlaceID
			break
		}
	}
	if f.multiOrg == "" || f.service == "" {
		return nil, fmt.Errorf("the small dataset lacks a multi-organisation agent or a service")
	}
	return f, nil
})

func setup(t *testing.T) *fixture {
	t.Helper()
	f, err := loadFixture()
	require.NoError(t, err)
	return f
}

// handler returns the API over the fixture with a fixed clock at the anchor.
func (f *fixture) handler(cfg Config) http.Handler {
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return f.anchor }
	}
	return New(f.ix, cfg)
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func get(t *testing.T, h http.Handler, target string) response {
	t.Helper()
	return do(t, h, http.MethodGet, target)
}

func do(t *testing.T, h http.Handler, method, target string) response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	require.Equal(t, "application/json", r.header.Get("Content-Type"))
	var v T
	require.NoError(t, json.Unmarshal(r.body, &v), "body: %s", r.body)
	return v
}

func TestHealthz(t *testing.T) {
	f := setup(t)
	r := get(t, f.handler(Config{}), "/healthz")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, map[string]string{"status": "ok"}, decode[map[string]string](t, r))
}

// wireEvent is the feed's JSON shape as a client reads it.
type wireEvent struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	Start         string `json:"start"`
	End           string `json:"end"`
	Display       string `json:"display"`
	ExtendedProps struct {
		Kind           string   `json:"kind"`
		RecordID       string   `json:"record_id"`
		OrganisationID string   `json:"organisation_id"`
		PlaceID        string   `json:"place_id"`
		Status         string   `json:"status"`
		Blocking       *bool    `json:"blocking"`
		ServiceIDs     []string `json:"service_ids"`
	} `json:"extendedProps"`
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

func TestAgendaFeed(t *testing.T) {
	f := setup(t)
	h := f.handler(Config{})
	dec1 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	jan1 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	parisDec1 := time.Date(2026, 12, 1, 0, 0, 0, 0, f.paris)
	parisDec8 := time.Date(2026, 12, 8, 0, 0, 0, 0, f.paris)
	tests := []struct {
		name     string
		query    string
		from, to time.Time
		zone     *time.Location // the zone events are written in, nil: the agent's
		free     bool
	}{
		{name: "rfc3339", query: "start=2026-12-01T00:00:00%2B01:00&end=2026-12-08T00:00:00%2B01:00",
			from: parisDec1, to: parisDec8, free: true},
		{name: "date-only is UTC", query: "start=2026-12-01&end=2027-01-01", from: dec1, to: jan1, free: true},
		{name: "plus decoded as space", query: "start=2026-12-01T00:00:00+01:00&end=2026-12-08T00:00:00+01:00",
			from: parisDec1, to: parisDec8, free: true},
		{name: "local times in timeZone", query: "start=2026-12-01T00:00:00&end=2026-12-08T00:00:00&timeZone=Europe/Paris",
			from: parisDec1, to: parisDec8, zone: f.paris, free: true},
		{name: "dates in timeZone UTC", query: "start=2026-12-01&end=2027-01-01&timeZone=UTC",
			from: dec1, to: jan1, zone: time.UTC, free: true},
		{name: "without free time", query: "start=2026-12-01&end=2027-01-01&free=false", from: dec1, to: jan1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := f.ix.Agenda(context.Background(), f.multiOrg, tt.from, tt.to)
			require.NoError(t, err)
			require.NotEmpty(t, want.Events, "the window must hold events for the test to mean something")
			r := get(t, h, "/agents/"+f.multiOrg+"/agenda?"+tt.query)
			require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
			got := decode[[]wireEvent](t, r)

			var events, background []wireEvent
			ids := map[string]bool{}
			for _, e := range got {
				assert.False(t, ids[e.ID], "duplicate id %q", e.ID)
				ids[e.ID] = true
				assert.NotEmpty(t, e.Title)
				require.NotNil(t, e.ExtendedProps.Blocking, "blocking is always present")
				require.NotNil(t, e.ExtendedProps.ServiceIDs, "service_ids is always an array")
				if e.Display == "background" {
					background = append(background, e)
				} else {
					events = append(events, e)
				}
			}
			require.Len(t, events, len(want.Events))
			for i, w := range want.Events {
				g := events[i]
				assert.True(t, w.Start.Equal(mustTime(t, g.Start)), "event %d start %s, want %s", i, g.Start, w.Start)
				assert.True(t, w.End.Equal(mustTime(t, g.End)), "event %d end %s, want %s", i, g.End, w.End)
				if tt.zone != nil {
					assert.Equal(t, w.Start.In(tt.zone).Format(time.RFC3339), g.Start)
				}
				p := g.ExtendedProps
				assert.Equal(t, string(w.Kind), p.Kind)
				assert.Equal(t, w.ID, p.RecordID)
				assert.Equal(t, w.OrganisationID, p.OrganisationID)
				assert.Equal(t, w.PlaceID, p.PlaceID)
				assert.Equal(t, w.Blocking, *p.Blocking)
				assert.Equal(t, len(w.ServiceIDs), len(p.ServiceIDs))
				if len(w.ServiceIDs) > 0 {
					assert.Equal(t, w.ServiceIDs, p.ServiceIDs)
				}
				wantStatus := ""
				if w.Kind == agenda.KindAppointment {
					wantStatus = string(w.Status)
					if wantStatus == "" {
						wantStatus = string(agenda.StatusBooked)
					}
				}
				assert.Equal(t, wantStatus, p.Status)
			}
			if !tt.free {
				assert.Empty(t, background)
				return
			}
			require.NotEmpty(t, want.Free)
			require.Len(t, background, len(want.Free))
			for i, w := range want.Free {
				assert.True(t, w.Start.Equal(mustTime(t, background[i].Start)))
				assert.True(t, w.End.Equal(mustTime(t, background[i].End)))
				assert.Equal(t, "free", background[i].ExtendedProps.Kind)
				assert.False(t, *background[i].ExtendedProps.Blocking)
			}
		})
	}
}

func assertSlotsEqual(t *testing.T, want, got []agenda.Slot) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		w, g := want[i], got[i]
		assert.True(t, w.Start.Equal(g.Start) && w.End.Equal(g.End), "slot %d: %v-%v, want %v-%v", i, g.Start, g.End, w.Start, w.End)
		w.Start, w.End, g.Start, g.End = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		assert.Equal(t, w, g, "slot %d", i)
	}
}

func TestSlots(t *testing.T) {
	f := setup(t)
	h := f.handler(Config{})
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, f.paris)
	to := from.AddDate(0, 0, 14)
	window := url.Values{"from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}}
	tests := []struct {
		name  string
		extra url.Values
		q     agenda.SlotQuery // From, To and ServiceID are filled in
		empty bool
	}{
		{name: "now defaults to the clock", q: agenda.SlotQuery{Now: f.anchor}},
		{name: "now given", extra: url.Values{"now": {"2026-12-03T10:07:00Z"}},
			q: agenda.SlotQuery{Now: time.Date(2026, 12, 3, 10, 7, 0, 0, time.UTC)}},
		{name: "agent view", extra: url.Values{"view": {"agent"}, "now": {"2026-12-03T10:07:00Z"}},
			q: agenda.SlotQuery{Now: time.Date(2026, 12, 3, 10, 7, 0, 0, time.UTC), View: agenda.ViewAgent}},
		{name: "agent and place filters", extra: url.Values{"agent": {f.serviceAgent}, "place": {f.servicePlace}},
			q: agenda.SlotQuery{Now: f.anchor, AgentIDs: []string{f.serviceAgent}, PlaceIDs: []string{f.servicePlace}}},
		{name: "only openings without a place", extra: url.Values{"place": {","}},
			q: agenda.SlotQuery{Now: f.anchor, PlaceIDs: []string{"", ""}}, empty: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.ServiceID, q.From, q.To = f.service, from, to
			want, err := f.ix.Slots(context.Background(), q)
			require.NoError(t, err)
			if !tt.empty {
				require.NotEmpty(t, want, "the query must find slots for the test to mean something")
			}
			v := url.Values{}
			for k, vs := range window {
				v[k] = vs
			}
			for k, vs := range tt.extra {
				v[k] = vs
			}
			r := get(t, h, "/services/"+f.service+"/slots?"+v.Encode())
			require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
			if len(want) == 0 {
				assert.Equal(t, "[]\n", string(r.body))
			}
			assertSlotsEqual(t, want, decode[[]agenda.Slot](t, r))
		})
	}
}

func TestNext(t *testing.T) {
	f := setup(t)
	h := f.handler(Config{})
	// An agent whose openings do not offer the service: no slot at all.
	offers := map[string]bool{}
	for _, op := range f.ds.OpeningPeriods {
		if slices.Contains(op.ServiceIDs, f.service) {
			offers[op.AgentID] = true
		}
	}
	var other string
	for _, a := range f.ds.Agents {
		if !offers[a.ID] {
			other = a.ID
			break
		}
	}
	require.NotEmpty(t, other)

	tests := []struct {
		name  string
		query string
		q     agenda.SlotQuery // ServiceID is filled in
	}{
		{name: "now defaults to the clock", q: agenda.SlotQuery{Now: f.anchor}},
		{name: "from later than now", query: "from=2027-01-15&now=2026-12-02T09:00:00Z&view=agent",
			q: agenda.SlotQuery{From: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC),
				Now: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC), View: agenda.ViewAgent}},
		{name: "agent filter", query: "agent=" + f.serviceAgent, q: agenda.SlotQuery{Now: f.anchor, AgentIDs: []string{f.serviceAgent}}},
		{name: "none", query: "agent=" + other, q: agenda.SlotQuery{Now: f.anchor, AgentIDs: []string{other}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.ServiceID = f.service
			want, ok, err := f.ix.NextAvailable(context.Background(), q)
			require.NoError(t, err)
			require.Equal(t, tt.name != "none", ok)
			r := get(t, h, "/services/"+f.service+"/next?"+tt.query)
			require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
			if !ok {
				assert.Equal(t, "null\n", string(r.body))
				return
			}
			assertSlotsEqual(t, []agenda.Slot{want}, []agenda.Slot{decode[agenda.Slot](t, r)})
		})
	}
}

func TestErrors(t *testing.T) {
	f := setup(t)
	h := f.handler(Config{})
	agendaPath := "/agents/" + f.multiOrg + "/agenda"
	slotsPath := "/services/" + f.service + "/slots"
	tests := []struct {
		name, method, target string
		want                 int
		limit                string
	}{
		{name: "missing start", target: agendaPath + "?end=2026-12-02", want: 400},
		{name: "malformed end", target: agendaPath + "?start=2026-12-01&end=tomorrow", want: 400},
		{name: "end before start", target: agendaPath + "?start=2026-12-02&end=2026-12-01", want: 400},
		{name: "bad free", target: agendaPath + "?start=2026-12-01&end=2026-12-02&free=maybe", want: 400},
		{name: "unknown zone", target: agendaPath + "?start=2026-12-01&end=2026-12-02&timeZone=Mars/Olympus", want: 400},
		{name: "unknown agent", target: "/agents/nobody/agenda?start=2026-12-01&end=2026-12-02", want: 404},
		{name: "window too long", target: agendaPath + "?start=2026-01-01&end=2027-06-01", want: 422, limit: "MaxWindow"},
		{name: "year out of range", target: agendaPath + "?start=1900-01-01&end=1900-01-02", want: 422, limit: "MinYear/MaxYear"},
		{name: "slots without to", target: slotsPath + "?from=2026-12-01", want: 400},
		{name: "bad view", target: slotsPath + "?from=2026-12-01&to=2026-12-02&view=admin", want: 400},
		{name: "bad now", target: slotsPath + "?from=2026-12-01&to=2026-12-02&now=noon", want: 400},
		{name: "unknown service", target: "/services/nothing/slots?from=2026-12-01&to=2026-12-02", want: 404},
		{name: "unknown place", target: slotsPath + "?from=2026-12-01&to=2026-12-02&place=nowhere", want: 404},
		{name: "unknown agent filter", target: "/services/" + f.service + "/next?agent=nobody", want: 404},
		{name: "unknown route", target: "/agents", want: 404},
		{name: "post", method: http.MethodPost, target: "/healthz", want: 405},
		{name: "delete agenda", method: http.MethodDelete, target: agendaPath, want: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			r := do(t, h, method, tt.target)
			require.Equal(t, tt.want, r.status, "body: %s", r.body)
			body := decode[errorBody](t, r)
			assert.NotEmpty(t, body.Error)
			assert.Equal(t, tt.limit, body.Limit)
			if tt.want == 405 {
				assert.Equal(t, "GET, HEAD", r.header.Get("Allow"))
			}
		})
	}
}

// holder is an admitted hook that holds the first query admitted until
// released, and lets the others through.
type holder struct {
	calls   atomic.Int32
	entered chan struct{}
	release chan struct{}
}

func newHolder() *holder {
	return &holder{entered: make(chan struct{}), release: make(chan struct{})}
}

func (h *holder) hook(context.Context) {
	if h.calls.Add(1) == 1 {
		close(h.entered)
		<-h.release
	}
}

func TestSaturated(t *testing.T) {
	f := setup(t)
	agendaURL := "/agents/" + f.multiOrg + "/agenda?start=2026-12-01&end=2026-12-08"
	for _, wait := range []time.Duration{-1, time.Millisecond} {
		t.Run(fmt.Sprintf("admit-wait=%s", wait), func(t *testing.T) {
			hold := newHolder()
			h := f.handler(Config{MaxInflight: 1, AdmitWait: wait, admitted: hold.hook})
			first := make(chan response, 1)
			go func() { first <- get(t, h, agendaURL) }()
			<-hold.entered

			for _, target := range []string{agendaURL, "/services/" + f.service + "/slots?from=2026-12-01&to=2026-12-02",
				"/services/" + f.service + "/next"} {
				r := get(t, h, target)
				require.Equal(t, http.StatusServiceUnavailable, r.status, "%s: %s", target, r.body)
				assert.Equal(t, "1", r.header.Get("Retry-After"))
				assert.NotEmpty(t, decode[errorBody](t, r).Error)
			}
			// Malformed requests are refused before admission.
			assert.Equal(t, http.StatusBadRequest, get(t, h, "/agents/x/agenda?start=never&end=2026-12-01").status)
			assert.Equal(t, http.StatusOK, get(t, h, "/healthz").status, "healthz is not behind the limiter")

			close(hold.release)
			assert.Equal(t, http.StatusOK, (<-first).status)
			assert.Equal(t, http.StatusOK, get(t, h, agendaURL).status, "the slot is free again")
		})
	}
}

func TestAdmitWaitsForASlot(t *testing.T) {
	f := setup(t)
	agendaURL := "/agents/" + f.multiOrg + "/agenda?start=2026-12-01&end=2026-12-08"
	hold := newHolder()
	h := f.handler(Config{MaxInflight: 1, AdmitWait: time.Minute, Timeout: time.Minute, admitted: hold.hook})
	first := make(chan response, 1)
	go func() { first <- get(t, h, agendaURL) }()
	<-hold.entered
	second := make(chan response, 1)
	go func() { second <- get(t, h, agendaURL) }()
	// Whether the second request is already waiting or not, it gets the
	// slot once the first one leaves.
	close(hold.release)
	assert.Equal(t, http.StatusOK, (<-first).status)
	assert.Equal(t, http.StatusOK, (<-second).status)
}

func TestDeadline(t *testing.T) {
	f := setup(t)
	targets := []string{
		"/agents/" + f.multiOrg + "/agenda?start=2026-12-01&end=2026-12-08",
		"/services/" + f.service + "/slots?from=2026-12-01&to=2026-12-08",
		"/services/" + f.service + "/next",
	}
	t.Run("while computing", func(t *testing.T) {
		// The query starts only once its deadline has passed.
		h := f.handler(Config{Timeout: 10 * time.Millisecond, admitted: func(ctx context.Context) { <-ctx.Done() }})
		for _, target := range targets {
			r := get(t, h, target)
			require.Equal(t, http.StatusGatewayTimeout, r.status, "%s: %s", target, r.body)
			assert.Contains(t, decode[errorBody](t, r).Error, "10ms")
		}
	})
	t.Run("while waiting for a slot", func(t *testing.T) {
		hold := newHolder()
		h := f.handler(Config{MaxInflight: 1, AdmitWait: time.Hour, Timeout: 10 * time.Millisecond, admitted: hold.hook})
		first := make(chan response, 1)
		go func() { first <- get(t, h, targets[0]) }()
		<-hold.entered
		r := get(t, h, targets[1])
		assert.Equal(t, http.StatusGatewayTimeout, r.status, "body: %s", r.body)
		close(hold.release)
		<-first
	})
}

func TestConcurrentRequestsGiveSequentialAnswers(t *testing.T) {
	f := setup(t)
	const workers = 8
	h := f.handler(Config{MaxInflight: workers, Timeout: time.Minute})
	targets := []string{
		"/agents/" + f.multiOrg + "/agenda?start=2026-12-01&end=2027-01-01",
		"/services/" + f.service + "/slots?from=2026-12-01&to=2026-12-15",
		"/services/" + f.service + "/next",
		"/healthz",
	}
	want := make([][]byte, len(targets))
	for i, target := range targets {
		r := get(t, h, target)
		require.Equal(t, http.StatusOK, r.status)
		want[i] = r.body
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 4 * len(targets) {
				k := (w + i) % len(targets)
				r := get(t, h, targets[k])
				assert.Equal(t, http.StatusOK, r.status)
				assert.True(t, bytes.Equal(want[k], r.body), "%s differs", targets[k])
			}
		}()
	}
	wg.Wait()
}

func TestRequestLog(t *testing.T) {
	f := setup(t)
	var buf bytes.Buffer
	h := f.handler(Config{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	get(t, h, "/healthz")
	get(t, h, "/services/nothing/next")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	var recs []map[string]any
	for _, l := range lines {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m))
		recs = append(recs, m)
	}
	assert.Equal(t, "GET", recs[0]["method"])
	assert.Equal(t, "/healthz", recs[0]["path"])
	assert.Equal(t, "GET /healthz", recs[0]["route"])
	assert.EqualValues(t, 200, recs[0]["status"])
	assert.Contains(t, recs[0], "duration_ms")
	assert.EqualValues(t, 404, recs[1]["status"])
	assert.Equal(t, "GET /services/{id}/next", recs[1]["route"])
}

func TestParseTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	tests := []struct {
		give string
		loc  *time.Location
		want time.Time
	}{
		{give: "2026-12-01T09:30:00+01:00", want: time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC)},
		{give: "2026-12-01T09:30:00 01:00", want: time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC)},
		{give: "2026-12-01T09:30:00Z", loc: paris, want: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)},
		{give: "2026-12-01T09:30:00.5-03:00", want: time.Date(2026, 12, 1, 12, 30, 0, 5e8, time.UTC)},
		{give: "2026-12-01", want: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
		{give: "2026-12-01", loc: paris, want: time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)},
		{give: "2026-07-01T09:30:00", loc: paris, want: time.Date(2026, 7, 1, 7, 30, 0, 0, time.UTC)},
		{give: "2026-07-01T09:30:00", want: time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got, err := parseTime(url.Values{"t": {tt.give}}, "t", tt.loc, true)
			require.NoError(t, err)
			assert.True(t, tt.want.Equal(got), "got %s, want %s", got, tt.want)
		})
	}
	for _, bad := range []string{"2026-12-1", "2026-12-01T25:00:00Z", "12/01/2026", "1796112000", "2026-12-01 09:30"} {
		_, err := parseTime(url.Values{"t": {bad}}, "t", nil, true)
		assert.ErrorContains(t, err, "httpapi: parameter t:", bad)
	}
	_, err = parseTime(url.Values{}, "t", nil, true)
	assert.ErrorContains(t, err, "required")
	got, err := parseTime(url.Values{}, "t", nil, false)
	assert.NoError(t, err)
	assert.True(t, got.IsZero())
}

func TestIDs(t *testing.T) {
	tests := []struct {
		give string
		want []string
	}{
		{give: "", want: nil},
		{give: "place=a", want: []string{"a"}},
		{give: "place=a,b&place=c", want: []string{"a", "b", "c"}},
		{give: "place=a,", want: []string{"a", ""}},
		{give: "place=", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			q, err := url.ParseQuery(tt.give)
			require.NoError(t, err)
			assert.Equal(t, tt.want, ids(q, "place"))
		})
	}
}

// TestBooking books a slot the slots endpoint offers, then again: the
// second attempt conflicts, and the slot is no longer offered.
func TestBooking(t *testing.T) {
	ds := gen.Generate(gen.Small, 1)
	live, err := agenda.NewLive(ds)
	if err != nil {
		t.Fatal(err)
	}
	now := gen.DefaultAnchor()
	h := New(live, Config{Now: func() time.Time { return now }})
	var service string
	for _, s := range ds.Services {
		if !s.Collective {
			service = s.ID
			break
		}
	}
	q := agenda.SlotQuery{ServiceID: service, From: now, To: now.AddDate(0, 0, 14), Now: now}
	slots, err := live.Slots(context.Background(), q)
	if err != nil || len(slots) == 0 {
		t.Fatalf("no slot to book: %v", err)
	}
	s := slots[0]
	body := fmt.Sprintf(`{"id":"web1","agent_id":%q,"place_id":%q,"start":%q}`, s.AgentID, s.PlaceID, s.Start.Format(time.RFC3339))
	post := func(body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/services/"+service+"/bookings", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post(body); rec.Code != http.StatusOK {
		t.Fatalf("first booking: %d %s", rec.Code, rec.Body)
	}
	if rec := post(strings.Replace(body, "web1", "web2", 1)); rec.Code != http.StatusConflict {
		t.Fatalf("second booking: %d %s, want 409", rec.Code, rec.Body)
	}
	if rec := post(`{"id":"web3","start":"soon"}`); rec.Code != http.StatusBadRequest {
		t.Fatalf("bad start: %d %s, want 400", rec.Code, rec.Body)
	}
	after, err := live.Slots(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) > 0 && after[0].Start.Equal(s.Start) && after[0].AgentID == s.AgentID {
		t.Fatalf("the booked slot %v is still offered", s)
	}
}

// TestSeatBookingRepeated: a seat booking repeated with its seat_id takes
// one seat; another seat_id takes another; a seat_id on a service without
// seats is a 400.
func TestSeatBookingRepeated(t *testing.T) {
	ds := gen.Generate(gen.Small, 1)
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	now := gen.DefaultAnchor()
	h := New(live, Config{Now: func() time.Time { return now }})
	var seat agenda.Slot
	var single string
	for _, s := range ds.Services {
		if !s.Collective {
			single = s.ID
			continue
		}
		slots, err := live.Slots(context.Background(), agenda.SlotQuery{ServiceID: s.ID, From: now, To: now.AddDate(0, 0, 60), Now: now})
		require.NoError(t, err)
		for _, sl := range slots {
			if sl.SeatsLeft >= 2 && seat.AppointmentID == "" {
				seat = sl
			}
		}
	}
	require.NotEmpty(t, seat.AppointmentID, "a session with two seats left")
	require.NotEmpty(t, single)
	post := func(service, seatID string) (int, agenda.Appointment) {
		body := fmt.Sprintf(`{"id":%q,"start":%q,"seat_id":%q}`, seat.AppointmentID, seat.Start.Format(time.RFC3339), seatID)
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/services/"+service+"/bookings", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		var a agenda.Appointment
		if rec.Code == http.StatusOK {
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a))
		}
		return rec.Code, a
	}
	code, first := post(seat.ServiceID, "seat-0123456789abcdef")
	require.Equal(t, http.StatusOK, code)
	code, again := post(seat.ServiceID, "seat-0123456789abcdef")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, first.Participants, again.Participants, "the repeat takes no seat")
	code, other := post(seat.ServiceID, "seat-fedcba9876543210")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, first.Participants+1, other.Participants)
	code, _ = post(single, "seat-0123456789abcdef")
	assert.Equal(t, http.StatusBadRequest, code)
}

// On behalf of an organisation, the feed shows nothing of the agent's
// other organisations but bare blocking time.
func TestAgendaFeedOnBehalfOfOrganisation(t *testing.T) {
	f := setup(t)
	h := f.handler(Config{})
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	var agent agenda.Agent
	for _, a := range f.ds.Agents {
		if a.ID == f.multiOrg {
			agent = a
		}
	}
	full, err := f.ix.Agenda(context.Background(), agent.ID, from, to)
	require.NoError(t, err)
	for _, org := range agent.OrganisationIDs {
		// The ids of the other organisations' records the full agenda shows.
		var secrets []string
		for _, e := range full.Events {
			if e.OrganisationID != "" && e.OrganisationID != org && e.Kind != agenda.KindClosed { // closed days are dates
				secrets = append(secrets, `"`+e.ID+`"`, `"`+e.OrganisationID+`"`)
				if e.PlaceID != "" {
					secrets = append(secrets, `"`+e.PlaceID+`"`)
				}
			}
		}
		require.NotEmpty(t, secrets, "the window must hold records of another organisation")
		r := get(t, h, "/agents/"+agent.ID+"/agenda?start=2026-11-01&end=2027-01-01&organisation="+org)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		for _, s := range secrets {
			assert.NotContains(t, string(r.body), s, "organisation %s", org)
		}
		want, err := f.ix.AgendaFor(context.Background(), org, agent.ID, from, to)
		require.NoError(t, err)
		got := decode[[]wireEvent](t, r)
		ids := map[string]bool{}
		bare := 0
		for _, e := range got {
			assert.False(t, ids[e.ID], "duplicate id %q", e.ID)
			ids[e.ID] = true
			if e.ExtendedProps.Kind == "free" {
				continue
			}
			if e.ExtendedProps.OrganisationID != org {
				assert.Empty(t, e.ExtendedProps.RecordID)
				assert.Empty(t, e.ExtendedProps.OrganisationID)
				assert.Empty(t, e.ExtendedProps.PlaceID)
				assert.Empty(t, e.ExtendedProps.Status)
				assert.Empty(t, e.ExtendedProps.ServiceIDs)
				assert.Contains(t, []string{"Busy", "Absence"}, e.Title)
				bare++
			}
		}
		assert.Len(t, got, len(want.Events)+len(want.Free))
		assert.Positive(t, bare)
	}
	r := get(t, h, "/agents/"+agent.ID+"/agenda?start=2026-11-01&end=2027-01-01&organisation=nobody")
	assert.Equal(t, http.StatusNotFound, r.status)
}

// TestBookingRefusals: a taken slot answers 409 and a start that can never
// be booked as asked 422, each with the explanation's reasons in the body.
func TestBookingRefusals(t *testing.T) {
	ds := gen.Generate(gen.Small, 1)
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	now := gen.DefaultAnchor()
	h := New(live, Config{Now: func() time.Time { return now }})
	var service string
	for _, s := range ds.Services {
		if !s.Collective {
			service = s.ID
			break
		}
	}
	slots, err := live.Slots(context.Background(), agenda.SlotQuery{ServiceID: service, From: now, To: now.AddDate(0, 0, 14), Now: now})
	require.NoError(t, err)
	require.NotEmpty(t, slots)
	s := slots[0]
	post := func(id string, start time.Time) response {
		body := fmt.Sprintf(`{"id":%q,"agent_id":%q,"place_id":%q,"start":%q}`, id, s.AgentID, s.PlaceID, start.Format(time.RFC3339))
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/services/"+service+"/bookings", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	}
	type refusal struct {
		Error       string              `json:"error"`
		Explanation *agenda.Explanation `json:"explanation"`
	}
	require.Equal(t, http.StatusOK, post("w1", s.Start).status)

	r := post("w2", s.Start)
	require.Equal(t, http.StatusConflict, r.status, "%s", r.body)
	got := decode[refusal](t, r)
	require.NotNil(t, got.Explanation)
	assert.False(t, got.Explanation.Bookable)
	require.NotEmpty(t, got.Explanation.Reasons)
	assert.Equal(t, agenda.ReasonAppointment, got.Explanation.Reasons[0].Kind)
	assert.Equal(t, "w1", got.Explanation.Reasons[0].RecordID, "the service's own appointment is shown")

	// Inside the minimum notice, or a minute off the grid: never bookable as asked.
	r = post("w3", now.Add(-time.Hour))
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
	got = decode[refusal](t, r)
	require.NotNil(t, got.Explanation)
	assert.NotEmpty(t, got.Explanation.Reasons)
	assert.Contains(t, got.Error, "not bookable as asked")
}

// The explain endpoint answers what Index.Explain answers.
func TestExplainEndpoint(t *testing.T) {
	f := setup(t)
	h := f.handler(Config{})
	slots, err := f.ix.Slots(context.Background(), agenda.SlotQuery{ServiceID: f.service, AgentIDs: []string{f.serviceAgent},
		PlaceIDs: []string{f.servicePlace}, From: f.anchor, To: f.anchor.AddDate(0, 0, 14), Now: f.anchor, View: agenda.ViewAgent})
	require.NoError(t, err)
	require.NotEmpty(t, slots)
	var org string
	for _, a := range f.ds.Agents {
		if a.ID == f.serviceAgent {
			org = a.OrganisationIDs[len(a.OrganisationIDs)-1]
		}
	}
	for _, tt := range []struct {
		start time.Time
		org   string
	}{{slots[0].Start, ""}, {slots[0].Start.Add(7 * time.Minute), ""}, {slots[0].Start.Add(-24 * time.Hour), org}} {
		viewer := tt.org
		if viewer == "" { // by default, the service's organisation
			viewer = slots[0].OrganisationID
		}
		want, err := f.ix.Explain(context.Background(), agenda.ExplainQuery{ServiceID: f.service, AgentID: f.serviceAgent,
			PlaceID: f.servicePlace, Start: tt.start, Now: f.anchor, View: agenda.ViewAgent, OrganisationID: viewer})
		require.NoError(t, err)
		q := url.Values{"agent": {f.serviceAgent}, "place": {f.servicePlace}, "start": {tt.start.Format(time.RFC3339)},
			"view": {"agent"}, "organisation": {tt.org}}
		r := get(t, h, "/services/"+f.service+"/explain?"+q.Encode())
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		wantJSON, err := json.Marshal(want)
		require.NoError(t, err)
		assert.JSONEq(t, string(wantJSON), string(r.body))
	}
	r := get(t, h, "/services/"+f.service+"/explain?agent="+f.serviceAgent)
	assert.Equal(t, http.StatusBadRequest, r.status, "start is required")
	r = get(t, h, "/services/"+f.service+"/explain?start=2026-12-01T09:00:00Z")
	assert.Equal(t, http.StatusBadRequest, r.status, "agent is required")
}

// TestFeedIDsAreUnique: two events of one calendar at the same start, a
// calendar shown without its id, and even a repeated UID each get an id
// of their own.
func TestFeedIDsAreUnique(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ev := func(id, uid string) agenda.Event {
		return agenda.Event{Kind: agenda.KindCalendar, ID: id, UID: uid, Start: at, End: at.Add(time.Hour), Blocking: true}
	}
	ag := &agenda.AgentAgenda{Events: []agenda.Event{ev("c9", "u1"), ev("c9", "u2"), ev("c9", "u2"), ev("", ""), ev("", ""),
		{Kind: agenda.KindHold, Start: at, End: at.Add(time.Hour), Blocking: true},
		{Kind: agenda.KindHold, Start: at, End: at.Add(time.Hour), Blocking: true}}}
	seen := map[string]bool{}
	for _, fe := range feed(ag, nil, false) {
		assert.False(t, seen[fe.ID], "id %s twice", fe.ID)
		seen[fe.ID] = true
	}
	assert.True(t, seen["calendar:c9:u1:"+strconv.FormatInt(at.Unix(), 10)])
	assert.Len(t, seen, 7)
}
