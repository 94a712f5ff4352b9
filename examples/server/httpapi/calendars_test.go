package httpapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// meetingICS is a weekly Monday meeting 10:00-11:00 Paris from 2 March
// 2026 (09:00-10:00Z in March).
const meetingICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:weekly\r\n" +
	"DTSTART;TZID=Europe/Paris:20260302T100000\r\nDTEND;TZID=Europe/Paris:20260302T110000\r\nRRULE:FREQ=WEEKLY\r\n" +
	"END:VEVENT\r\nEND:VCALENDAR\r\n"

var calendarNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// calendarServer is a Live of one agent with a clock stopped at
// calendarNow, and the API over it with the same clock.
func calendarServer(t *testing.T, cfg Config) (*agenda.Live, http.Handler, *time.Time) {
	t.Helper()
	now := calendarNow
	clock := func() time.Time { return now }
	live, err := agenda.NewLive(&agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o1"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1"}}},
	}, agenda.WithClock(clock))
	require.NoError(t, err)
	cfg.Now = clock
	return live, New(live, cfg), &now
}

func put(t *testing.T, h http.Handler, target, ctype, body string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPut, target, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func TestPutCalendarAndICalendarOut(t *testing.T) {
	_, h, now := calendarServer(t, Config{MaxCalendarBytes: 4096})
	r := put(t, h, "/agents/a1/calendars/outlook", "application/json", meetingICS)
	assert.Equal(t, http.StatusUnsupportedMediaType, r.status, string(r.body))

	r = put(t, h, "/agents/a1/calendars/outlook", "text/calendar; charset=utf-8", strings.Replace(meetingICS, "DTSTART;TZID=Europe/Paris:20260302T100000\r\n", "", 1))
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, string(r.body), `calendar \"outlook\": ics: event \"weekly\": DTSTART: DTSTART is missing`)

	r = put(t, h, "/agents/a1/calendars/outlook", "text/calendar", meetingICS+strings.Repeat("X", 5000))
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status, string(r.body))

	r = put(t, h, "/agents/nobody/calendars/outlook", "text/calendar", meetingICS)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, string(r.body), `agent_id \"nobody\" is not a known agent`)

	r = put(t, h, "/agents/a1/calendars/outlook", "text/calendar", meetingICS)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	st := decode[agenda.AgentCalendarStatus](t, r)
	assert.Equal(t, agenda.AgentCalendarStatus{AgentID: "a1", CalendarStatus: agenda.CalendarStatus{ID: "outlook", UpdatedAt: calendarNow, Events: 1}}, st)

	r = do(t, h, http.MethodGet, "/agents/a1/calendars/outlook")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)

	// The agenda as iCalendar: the Monday meeting of 2 March, opaque.
	r = get(t, h, "/agents/a1/agenda.ics?start=2026-03-02T00:00:00Z&end=2026-03-03T00:00:00Z")
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	assert.Equal(t, "text/calendar; charset=utf-8", r.header.Get("Content-Type"))
	assert.Contains(t, string(r.body), "BEGIN:VEVENT\r\n")
	assert.Contains(t, string(r.body), "DTSTART:20260302T090000Z\r\nDTEND:20260302T100000Z\r\n")
	assert.Contains(t, string(r.body), "TRANSP:OPAQUE\r\n")
	assert.Equal(t, 1, strings.Count(string(r.body), "BEGIN:VEVENT"))

	// Free/busy over two weeks: two Mondays.
	r = get(t, h, "/agents/a1/freebusy.ics?start=2026-03-02T00:00:00Z&end=2026-03-16T00:00:00Z")
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	assert.Equal(t, "text/calendar; charset=utf-8", r.header.Get("Content-Type"))
	assert.Contains(t, strings.ReplaceAll(string(r.body), "\r\n ", ""), "FREEBUSY;FBTYPE=BUSY:20260302T090000Z/20260302T100000Z,20260309T090000Z/20260309T100000Z\r\n")

	r = get(t, h, "/agents/a1/freebusy.ics?start=2026-03-02T00:00:00Z")
	assert.Equal(t, http.StatusBadRequest, r.status)

	// /metrics: the calendar was replaced an hour and a half ago.
	*now = calendarNow.Add(90 * time.Minute)
	r = get(t, h, "/metrics")
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, string(r.body), "\ncrossagenda_calendars 1\n")
	assert.Contains(t, string(r.body), "\ncrossagenda_calendar_oldest_age_seconds 5400\n")
}

// icsSource serves a calendar on loopback with an ETag, counting requests
// and the validators they send.
type icsSource struct {
	mu        sync.Mutex
	body      string
	etag      string
	delay     time.Duration
	status    int
	requests  atomic.Int32
	notModRes atomic.Int32
	lastINM   string
}

func (s *icsSource) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	s.mu.Lock()
	body, etag, delay, status := s.body, s.etag, s.delay, s.status
	s.lastINM = r.Header.Get("If-None-Match")
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if status != 0 {
		w.WriteHeader(status)
		return
	}
	if etag != "" && r.Header.Get("If-None-Match") == etag {
		s.notModRes.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "text/calendar")
	io.WriteString(w, body)
}

func (s *icsSource) set(f func(*icsSource)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func TestCalendarPoller(t *testing.T) {
	live, h, now := calendarServer(t, Config{})
	src := &icsSource{body: meetingICS, etag: `"v1"`}
	ts := httptest.NewServer(src)
	defer ts.Close()
	big := &icsSource{body: meetingICS + strings.Repeat("X", 10_000)}
	tsBig := httptest.NewServer(big)
	defer tsBig.Close()

	sources, err := ReadCalendarSources(strings.NewReader(`[{"id": "google", "agent_id": "a1", "url": "` + ts.URL + `/a1.ics"}]`))
	require.NoError(t, err)
	clock := func() time.Time { return *now }
	p := NewCalendarPoller(live, sources, PollerConfig{Timeout: 10 * time.Second, MaxBytes: 4096, Now: clock})
	ctx := context.Background()
	busy := func() int {
		ag, err := live.Agenda(ctx, "a1", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		return len(ag.Busy)
	}

	require.NoError(t, p.PollOnce(ctx))
	assert.Equal(t, 2, busy(), "two Monday meetings")
	assert.Equal(t, "", src.lastINM)

	// Unchanged: a conditional request answered 304, the calendar stays.
	*now = calendarNow.Add(time.Minute)
	require.NoError(t, p.PollOnce(ctx))
	assert.Equal(t, `"v1"`, src.lastINM)
	assert.Equal(t, int32(1), src.notModRes.Load())
	assert.Equal(t, calendarNow, live.Calendars()[0].UpdatedAt, "a 304 replaces nothing")
	assert.Equal(t, calendarNow.Add(time.Minute), p.Status()[0].LastSuccess)

	// Changed: the meeting is cancelled.
	src.set(func(s *icsSource) {
		s.body, s.etag = strings.Replace(meetingICS, "RRULE:FREQ=WEEKLY\r\n", "RRULE:FREQ=WEEKLY\r\nSTATUS:CANCELLED\r\n", 1), `"v2"`
	})
	*now = calendarNow.Add(2 * time.Minute)
	require.NoError(t, p.PollOnce(ctx))
	assert.Equal(t, 0, busy())
	assert.Equal(t, calendarNow.Add(2*time.Minute), live.Calendars()[0].UpdatedAt)

	// Failures keep the calendar and show in the status and /metrics.
	// A source slower than the poller's timeout (here a second poller's,
	// 200 ms: the first one's is generous, for a loaded machine).
	src.set(func(s *icsSource) { s.delay = time.Minute })
	*now = calendarNow.Add(10 * time.Minute)
	slow := NewCalendarPoller(live, sources, PollerConfig{Timeout: 200 * time.Millisecond, MaxBytes: 4096, Now: clock})
	err = slow.PollOnce(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "context deadline exceeded")
	src.set(func(s *icsSource) { s.delay, s.status = 0, http.StatusInternalServerError })
	err = p.PollOnce(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "status 500")
	src.set(func(s *icsSource) {
		s.status, s.etag, s.body = 0, `"v3"`, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	})
	err = p.PollOnce(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `event "x": DTSTART: DTSTART is missing`)
	assert.Equal(t, calendarNow.Add(2*time.Minute), live.Calendars()[0].UpdatedAt)

	h = New(live, Config{Now: clock, Poller: p})
	r := get(t, h, "/metrics")
	assert.Contains(t, string(r.body), "\ncrossagenda_calendar_oldest_age_seconds 480\n")
	assert.Contains(t, string(r.body), "\ncrossagenda_calendar_poll_oldest_success_age_seconds 480\n")
	assert.Contains(t, string(r.body), "\ncrossagenda_calendar_poll_failing 1\n")

	// A body over the limit is refused before parsing.
	pb := NewCalendarPoller(live, []CalendarSource{{ID: "big", AgentID: "a1", URL: tsBig.URL}}, PollerConfig{MaxBytes: 4096})
	err = pb.PollOnce(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "larger than 4096 bytes")
}

func TestReadCalendarSources(t *testing.T) {
	for _, tt := range []struct{ give, want string }{
		{`[{"id": "", "agent_id": "a1", "url": "http://x/a.ics"}]`, "id is missing"},
		{`[{"id": "c", "agent_id": "", "url": "http://x/a.ics"}]`, "agent_id is missing"},
		{`[{"id": "c", "agent_id": "a1", "url": "file:///etc/passwd"}]`, "not an http or https URL"},
		{`[{"id": "c", "agent_id": "a1", "url": "http://x/a"}, {"id": "c", "agent_id": "a1", "url": "http://x/b"}]`, "duplicate id"},
		{`[{"id": "c", "agent": "a1"}]`, "unknown field"},
	} {
		_, err := ReadCalendarSources(strings.NewReader(tt.give))
		require.Error(t, err, tt.give)
		assert.Contains(t, err.Error(), tt.want)
	}
}
