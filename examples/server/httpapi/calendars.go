package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"

	"github.com/crossagenda/crossagenda/agenda"
)

// CalendarEngine is an Engine that takes agents' external calendars:
// *agenda.Live is. With it, the handler serves PUT
// /agents/{id}/calendars/{cid} and /metrics.
type CalendarEngine interface {
	SetCalendar(ctx context.Context, id, agentID string, ics io.Reader) error
	Calendars() []agenda.AgentCalendarStatus
}

// DefaultMaxCalendarBytes bounds a PUT calendar's body when
// Config.MaxCalendarBytes is zero.
const DefaultMaxCalendarBytes = 10 << 20

// contentTypeICS is the media type of the iCalendar answers.
const contentTypeICS = "text/calendar; charset=utf-8"

// statusError is an error answered with its own status.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

// calendars registers the iCalendar routes: the agenda and free/busy as
// text/calendar for every engine, and, for a CalendarEngine, calendar
// uploads and /metrics.
func (s *server) calendars(mux *http.ServeMux, e Engine, cfg Config) {
	get := func(path string, h http.Handler) {
		mux.Handle("GET "+path, h)
		mux.HandleFunc(path, methodNotAllowed)
	}
	get("/agents/{id}/agenda.ics", s.query(s.agendaICS(false)))
	get("/agents/{id}/freebusy.ics", s.query(s.agendaICS(true)))
	ce, ok := e.(CalendarEngine)
	if !ok {
		return
	}
	maxBytes := cfg.MaxCalendarBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxCalendarBytes
	}
	mux.Handle("PUT /agents/{id}/calendars/{cid}", s.query(s.putCalendar(ce, maxBytes)))
	mux.HandleFunc("/agents/{id}/calendars/{cid}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "PUT")
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("httpapi: method %s not allowed", r.Method), "")
	})
	get("/metrics", s.metrics(ce, cfg.Poller))
}

// agendaICS serves GET /agents/{id}/agenda.ics and freebusy.ics
// ?start&end[&timeZone][&organisation]: the agent's agenda over [start,
// end) as a VCALENDAR of its events (agenda.WriteICS) or as a VFREEBUSY of
// its busy time (agenda.WriteFreeBusy), read on behalf of the same
// organisation as GET /agents/{id}/agenda (agendaReader).
func (s *server) agendaICS(freeBusy bool) func(r *http.Request) (prepared, error) {
	return func(r *http.Request) (prepared, error) {
		q := r.URL.Query()
		agentID := r.PathValue("id")
		_, from, to, err := agendaWindow(q)
		if err != nil {
			return nil, err
		}
		read, err := s.agendaReader(r, agentID, from, to)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (any, error) {
			ag, err := read(ctx)
			if err != nil {
				return nil, err
			}
			var buf bytes.Buffer
			o := agenda.ICSOptions{Stamp: s.now()}
			if freeBusy {
				err = o.WriteFreeBusy(&buf, ag)
			} else {
				err = o.WriteICS(&buf, ag)
			}
			if err != nil {
				return nil, err
			}
			return rawBody{contentType: contentTypeICS, data: buf.Bytes()}, nil
		}, nil
	}
}

// putCalendar serves PUT /agents/{id}/calendars/{cid}: the body, of type
// text/calendar and at most maxBytes, replaces calendar cid of agent id
// atomically. It answers the calendar's status; bad text is a 400 naming
// the event's UID and the property, a body too large a 413.
func (s *server) putCalendar(ce CalendarEngine, maxBytes int64) func(r *http.Request) (prepared, error) {
	return func(r *http.Request) (prepared, error) {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "text/calendar" {
			return nil, &statusError{http.StatusUnsupportedMediaType,
				fmt.Sprintf("httpapi: Content-Type %q: want text/calendar", r.Header.Get("Content-Type"))}
		}
		body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBytes))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, &statusError{http.StatusRequestEntityTooLarge,
					fmt.Sprintf("httpapi: the calendar is larger than %d bytes", maxBytes)}
			}
			return nil, &paramError{"body", err.Error()}
		}
		agentID, id := r.PathValue("id"), r.PathValue("cid")
		if s.access != nil { // the guard checked agentID; a calendar moved from another agent needs that agent too
			for _, c := range ce.Calendars() {
				if c.ID == id && c.AgentID != agentID && s.mayReadAgent(identity(r), c.AgentID) != nil {
					return nil, &errForbidden{fmt.Sprintf("calendar %q is another agent's, of none of your organisations: choose another id", id)}
				}
			}
		}
		return func(ctx context.Context) (any, error) {
			if err := ce.SetCalendar(ctx, id, agentID, bytes.NewReader(body)); err != nil {
				return nil, err
			}
			for _, c := range ce.Calendars() {
				if c.ID == id {
					return c, nil
				}
			}
			return nil, fmt.Errorf("httpapi: calendar %q vanished after it was set", id)
		}, nil
	}
}

// metrics serves GET /metrics in the Prometheus text format: how many
// external calendars the index holds and how long ago the least recently
// replaced one was replaced (a stalled synchronisation shows as a growing
// age), and, with a poller, the age of its oldest successful poll and how
// many sources failed their last one.
func (s *server) metrics(ce CalendarEngine, p *CalendarPoller) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := s.now()
		var b bytes.Buffer
		gauge := func(name, help string, v float64) {
			fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", name, help, name, name, strconv.FormatFloat(v, 'f', -1, 64))
		}
		cals := ce.Calendars()
		gauge("crossagenda_calendars", "External calendars in the index.", float64(len(cals)))
		if len(cals) > 0 {
			oldest := cals[0].UpdatedAt
			for _, c := range cals[1:] {
				if c.UpdatedAt.Before(oldest) {
					oldest = c.UpdatedAt
				}
			}
			gauge("crossagenda_calendar_oldest_age_seconds", "Seconds since the least recently replaced external calendar was replaced.",
				math.Max(0, now.Sub(oldest).Seconds()))
		}
		if p != nil {
			st := p.Status()
			gauge("crossagenda_calendar_poll_sources", "Calendar URLs polled.", float64(len(st)))
			if len(st) > 0 {
				oldest, failing := now, 0
				for _, x := range st {
					if x.LastSuccess.Before(oldest) {
						oldest = x.LastSuccess
					}
					if x.LastError != "" {
						failing++
					}
				}
				gauge("crossagenda_calendar_poll_oldest_success_age_seconds",
					"Seconds since the polled calendar with the oldest successful poll was last fetched (or since the poller started).",
					math.Max(0, now.Sub(oldest).Seconds()))
				gauge("crossagenda_calendar_poll_failing", "Polled calendars whose last poll failed.", float64(failing))
			}
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b.Bytes())
	})
}
