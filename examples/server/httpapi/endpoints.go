package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// feedEvent is one FullCalendar event object.
type feedEvent struct {
	// ID is unique within a response: kind, record id and, for the
	// occurrences of recurring records, the start's Unix time.
	ID    string    `json:"id"`
	Title string    `json:"title"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Display is "background" for free time.
	Display       string    `json:"display,omitempty"`
	ExtendedProps feedProps `json:"extendedProps"`
}

type feedProps struct {
	Kind           string   `json:"kind"` // an agenda.EventKind, or "free"
	RecordID       string   `json:"record_id"`
	OrganisationID string   `json:"organisation_id"`
	PlaceID        string   `json:"place_id"`
	Status         string   `json:"status"` // appointments only
	Blocking       bool     `json:"blocking"`
	ServiceIDs     []string `json:"service_ids"`
}

const kindFree = "free"

// agenda serves GET /agents/{id}/agenda?start&end[&timeZone][&free=false].
func (s *server) agenda(r *http.Request) (prepared, error) {
	q := r.URL.Query()
	agentID := r.PathValue("id")
	loc, from, to, err := agendaWindow(q)
	if err != nil {
		return nil, err
	}
	free := true
	if v := q.Get("free"); v != "" {
		if free, err = strconv.ParseBool(v); err != nil {
			return nil, &paramError{"free", "not a boolean"}
		}
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
		return feed(ag, loc, free), nil
	}, nil
}

// agendaWindow reads the zone and the required start and end of an
// agenda request, the JSON and iCalendar ones alike.
func agendaWindow(q url.Values) (loc *time.Location, from, to time.Time, err error) {
	if loc, err = zone(q); err != nil {
		return nil, from, to, err
	}
	if from, err = parseTime(q, "start", loc, true); err != nil {
		return nil, from, to, err
	}
	to, err = parseTime(q, "end", loc, true)
	return loc, from, to, err
}

// agendaReader returns the function that reads agentID's agenda over
// [from, to) on behalf of the organisation agendaViewer names for r (as
// every organisation may see it when it names none). The JSON agenda and
// the iCalendar routes both read here.
func (s *server) agendaReader(r *http.Request, agentID string, from, to time.Time) (func(context.Context) (*agenda.AgentAgenda, error), error) {
	org, err := s.agendaViewer(r, agentID)
	if err != nil {
		return nil, err
	}
	if org == "" {
		return func(ctx context.Context) (*agenda.AgentAgenda, error) { return s.eng.Agenda(ctx, agentID, from, to) }, nil
	}
	byOrg, ok := s.eng.(OrganisationEngine)
	if !ok {
		return nil, &paramError{"organisation", "this engine cannot answer on behalf of an organisation"}
	}
	return func(ctx context.Context) (*agenda.AgentAgenda, error) {
		return byOrg.AgendaFor(ctx, org, agentID, from, to)
	}, nil
}

// OrganisationEngine is an Engine that answers on behalf of one
// organisation, showing the others' records only as blocking time:
// *agenda.Index and *agenda.Live are. With it, the agenda endpoint takes
// an organisation parameter.
type OrganisationEngine interface {
	AgendaFor(ctx context.Context, organisationID, agentID string, from, to time.Time) (*agenda.AgentAgenda, error)
}

// feed converts an agenda to FullCalendar events, in loc when not nil.
func feed(ag *agenda.AgentAgenda, loc *time.Location, free bool) []feedEvent {
	n := len(ag.Events)
	if free {
		n += len(ag.Free)
	}
	in := func(t time.Time) time.Time {
		if loc != nil {
			return t.In(loc)
		}
		return t
	}
	out := make([]feedEvent, 0, n)
	seen := make(map[string]struct{}, len(ag.Events))
	for i := range ag.Events {
		e := &ag.Events[i]
		fe := feedEvent{Start: in(e.Start), End: in(e.End), ExtendedProps: feedProps{
			Kind: string(e.Kind), RecordID: e.ID, OrganisationID: e.OrganisationID, PlaceID: e.PlaceID,
			Blocking: e.Blocking, ServiceIDs: e.ServiceIDs}}
		if fe.ExtendedProps.ServiceIDs == nil {
			fe.ExtendedProps.ServiceIDs = []string{}
		}
		switch e.Kind {
		case agenda.KindOpening:
			fe.ID = occurrenceID(e.Kind, e.ID, e.Start)
			fe.Title = "Opening " + e.OrganisationID
			if e.PlaceID != "" {
				fe.Title += " / " + e.PlaceID
			}
		case agenda.KindAbsence:
			fe.ID = occurrenceID(e.Kind, e.ID, e.Start)
			if e.ID == "" { // shown without its id: two may start together
				fe.ID = bareID(e.Kind, i)
			}
			fe.Title = "Absence"
		case agenda.KindAppointment:
			if e.ID == "" { // another organisation's: blocking time and nothing else
				fe.ID = bareID(e.Kind, i)
				fe.Title = "Busy"
				break
			}
			st := e.Status
			if st == "" {
				st = agenda.StatusBooked
			}
			fe.ID = string(e.Kind) + ":" + e.ID
			fe.Title = "Appointment (" + string(st) + ")"
			fe.ExtendedProps.Status = string(st)
		case agenda.KindClosed:
			fe.ID = string(e.Kind) + ":" + e.OrganisationID + ":" + e.ID
			fe.Title = "Closed " + e.OrganisationID
			if e.Name != "" {
				fe.Title += ": " + e.Name
			}
		case agenda.KindCalendar:
			// Two events of one calendar may start together: the UID
			// tells them apart, when the calendar is shown.
			fe.ID = occurrenceID(e.Kind, e.ID+":"+e.UID, e.Start)
			if e.ID == "" {
				fe.ID = bareID(e.Kind, i)
			}
			fe.Title = string(e.Kind)
		default:
			fe.ID = occurrenceID(e.Kind, e.ID, e.Start)
			if e.ID == "" {
				fe.ID = bareID(e.Kind, i)
			}
			fe.Title = string(e.Kind)
		}
		// Unique whatever the records hold (one calendar's events with
		// the same UID and start, say): a repeat takes its position.
		if _, dup := seen[fe.ID]; dup {
			fe.ID += "#" + strconv.Itoa(i)
		}
		seen[fe.ID] = struct{}{}
		out = append(out, fe)
	}
	if free {
		for _, sp := range ag.Free {
			out = append(out, feedEvent{ID: kindFree + ":" + strconv.FormatInt(sp.Start.Unix(), 10),
				Title: "Free", Start: in(sp.Start), End: in(sp.End), Display: "background",
				ExtendedProps: feedProps{Kind: kindFree, ServiceIDs: []string{}}})
		}
	}
	return out
}

// bareID identifies an event shown without its record's id by its
// position in the agenda.
func bareID(kind agenda.EventKind, i int) string {
	return string(kind) + "::" + strconv.Itoa(i)
}

func occurrenceID(kind agenda.EventKind, id string, start time.Time) string {
	return string(kind) + ":" + id + ":" + strconv.FormatInt(start.Unix(), 10)
}

// slots serves GET /services/{id}/slots.
func (s *server) slots(r *http.Request) (prepared, error) {
	sq, err := s.slotQuery(r.URL.Query(), r.PathValue("id"), true)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		slots, err := s.eng.Slots(ctx, sq)
		if slots == nil && err == nil {
			slots = []agenda.Slot{} // [] rather than null
		}
		return slots, err
	}, nil
}

// next serves GET /services/{id}/next: a slot, or null.
func (s *server) next(r *http.Request) (prepared, error) {
	sq, err := s.slotQuery(r.URL.Query(), r.PathValue("id"), false)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		slot, ok, err := s.eng.NextAvailable(ctx, sq)
		if err != nil || !ok {
			return nil, err
		}
		return slot, nil
	}, nil
}

// Booker is an Engine that also books: *agenda.Live is one. With it, the
// handler serves POST /services/{id}/bookings.
type Booker interface {
	Book(ctx context.Context, b agenda.Booking) (agenda.Appointment, error)
}

// bookingRequest is the body of POST /services/{id}/bookings.
type bookingRequest struct {
	ID      string `json:"id"`
	AgentID string `json:"agent_id"`
	PlaceID string `json:"place_id"`
	Start   string `json:"start"`
	View    string `json:"view"`
	// SeatID: a collective service's seat's idempotency key.
	SeatID string `json:"seat_id"`
}

// book serves POST /services/{id}/bookings: it books the slot if it is
// still free (the appointment comes back), or answers 409.
func (s *server) book(b Booker) func(r *http.Request) (prepared, error) {
	return func(r *http.Request) (prepared, error) {
		var req bookingRequest
		booking, err := s.bookingFrom(r, &req, &req)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (any, error) {
			a, err := b.Book(ctx, booking)
			return a, s.forCaller(r, err)
		}, nil
	}
}

// bookingFrom decodes r's JSON body (bounded by the write wrapper, no
// unknown field) into body, which is req or embeds it, and returns the
// booking req asks for at the server's clock, once the sender may ask it
// in that view (checkView). Bookings and holds both read their request
// here.
func (s *server) bookingFrom(r *http.Request, body any, req *bookingRequest) (agenda.Booking, error) {
	if err := decodeBody(r, body, false); err != nil {
		return agenda.Booking{}, err
	}
	start, err := time.Parse(time.RFC3339, req.Start)
	if err != nil {
		return agenda.Booking{}, &paramError{name: "start", msg: fmt.Sprintf("%q is not an RFC 3339 time", req.Start)}
	}
	view, err := agenda.ParseView(req.View)
	if err != nil {
		return agenda.Booking{}, err
	}
	if err := s.checkView(r, r.PathValue("id"), view, false); err != nil {
		return agenda.Booking{}, err
	}
	return agenda.Booking{ID: req.ID, ServiceID: r.PathValue("id"), AgentID: req.AgentID, PlaceID: req.PlaceID,
		Start: start, Now: s.now(), View: view, SeatID: req.SeatID}, nil
}

// Explainer is an Engine that explains why a start is or is not bookable:
// *agenda.Index and *agenda.Live are. With it, the handler serves
// GET /services/{id}/explain.
type Explainer interface {
	Explain(ctx context.Context, q agenda.ExplainQuery) (*agenda.Explanation, error)
}

// explain serves GET /services/{id}/explain?agent=ID&start=T[&place=ID]
// [&now=T][&view=user|agent][&organisation=ID][&timeZone=ZONE]: the
// explanation of that start, as organisation may see it; without it, as
// the service's own organisation may (when the engine can say which it
// is), never with every organisation's records.
func (s *server) explain(x Explainer) func(r *http.Request) (prepared, error) {
	return func(r *http.Request) (prepared, error) {
		q := r.URL.Query()
		loc, err := zone(q)
		if err != nil {
			return nil, err
		}
		eq := agenda.ExplainQuery{ServiceID: r.PathValue("id"), AgentID: q.Get("agent"), PlaceID: q.Get("place")}
		if eq.AgentID == "" {
			return nil, &paramError{"agent", "required"}
		}
		org, public, err := s.explainViewer(r, eq.ServiceID)
		if err != nil {
			return nil, err
		}
		eq.OrganisationID = org
		if eq.Start, err = parseTime(q, "start", loc, true); err != nil {
			return nil, err
		}
		if eq.Now, eq.View, err = s.nowAndView(q, loc); err != nil {
			return nil, err
		}
		return func(ctx context.Context) (any, error) {
			ex, err := x.Explain(ctx, eq)
			if err == nil && public {
				withoutRecords(ex)
			}
			return ex, err
		}, nil
	}
}
