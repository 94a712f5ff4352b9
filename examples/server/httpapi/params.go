package httpapi

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// paramError is a malformed or missing query parameter (400).
type paramError struct {
	name, msg string
}

func (e *paramError) Error() string {
	return fmt.Sprintf("httpapi: parameter %s: %s", e.name, e.msg)
}

// Layouts read by parseTime, besides RFC 3339.
const (
	layoutLocal = "2006-01-02T15:04:05" // FullCalendar with a named timeZone
	layoutDate  = time.DateOnly
)

// zone reads the timeZone parameter: nil when absent.
func zone(q url.Values) (*time.Location, error) {
	name := q.Get("timeZone")
	if name == "" {
		return nil, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, &paramError{"timeZone", fmt.Sprintf("unknown time zone %q", name)}
	}
	return loc, nil
}

// parseTime reads parameter name: RFC 3339, a date-time without offset, or
// a date (its midnight); values without an offset are read in loc, UTC when
// loc is nil. Missing gives the zero time, or an error when required.
func parseTime(q url.Values, name string, loc *time.Location, required bool) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		if required {
			return time.Time{}, &paramError{name, "required"}
		}
		return time.Time{}, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	// An unescaped '+' arrives as a space; no valid value holds a space.
	v = strings.Replace(v, " ", "+", 1)
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{layoutLocal, layoutDate} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &paramError{name, fmt.Sprintf("%q is not an RFC 3339 time, a YYYY-MM-DDTHH:MM:SS local time or a YYYY-MM-DD date", v)}
}

// ids reads a list parameter: comma-separated, repeatable. An empty element
// ("p1," or ",") stands for the empty id, which the place filter reads as
// "openings without a place". Absent gives nil (no filter).
func ids(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		if v == "" {
			continue
		}
		out = append(out, strings.Split(v, ",")...)
	}
	return out
}

// slotQuery reads the parameters shared by the slot endpoints.
func (s *server) slotQuery(q url.Values, serviceID string, needWindow bool) (agenda.SlotQuery, error) {
	sq := agenda.SlotQuery{ServiceID: serviceID, PlaceIDs: ids(q, "place"), AgentIDs: ids(q, "agent")}
	loc, err := zone(q)
	if err != nil {
		return sq, err
	}
	if sq.From, err = parseTime(q, "from", loc, needWindow); err != nil {
		return sq, err
	}
	if needWindow {
		if sq.To, err = parseTime(q, "to", loc, true); err != nil {
			return sq, err
		}
	}
	if sq.Now, sq.View, err = s.nowAndView(q, loc); err != nil {
		return sq, err
	}
	return sq, nil
}

// nowAndView reads the now parameter (the server's clock when absent) and
// the view (user when absent), which the slot and explain endpoints share.
func (s *server) nowAndView(q url.Values, loc *time.Location) (time.Time, agenda.View, error) {
	now, err := parseTime(q, "now", loc, false)
	if err != nil {
		return now, 0, err
	}
	if now.IsZero() {
		now = s.now()
	}
	var view agenda.View
	if v := q.Get("view"); v != "" {
		if view, err = agenda.ParseView(v); err != nil {
			return now, 0, &paramError{"view", fmt.Sprintf("%q is not user or agent", v)}
		}
	}
	return now, view, nil
}
