package agenda

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"

	"github.com/crossagenda/crossagenda/interval"
)

// ICSOptions tune [WriteICS] and [WriteFreeBusy]. The zero value is ready
// to use.
type ICSOptions struct {
	// Stamp is the DTSTAMP of every component; zero means now. A fixed
	// stamp makes the output a function of the agenda alone.
	Stamp time.Time
}

// WriteICS writes the agenda as an iCalendar VCALENDAR (RFC 5545), with
// the options' defaults. See [ICSOptions.WriteICS].
func WriteICS(w io.Writer, ag *AgentAgenda) error { return ICSOptions{}.WriteICS(w, ag) }

// WriteFreeBusy writes the agenda's busy time as a VFREEBUSY, with the
// options' defaults. See [ICSOptions.WriteFreeBusy].
func WriteFreeBusy(w io.Writer, ag *AgentAgenda) error { return ICSOptions{}.WriteFreeBusy(w, ag) }

// WriteICS writes the agenda as an iCalendar VCALENDAR: one VEVENT per
// event, times in UTC, each with a UID that depends only on the event
// (its kind, record, organisation, external UID, start and end), so that a
// subscribed calendar application sees the same occurrence under the same
// UID at every refresh. What makes the agent busy is OPAQUE (a hold also
// TENTATIVE), the rest TRANSPARENT (openings, closed days, cancelled
// appointments, free events of external calendars): read back as an
// external calendar, the output gives exactly the agenda's Busy over its
// window. A blocking appointment's buffers are events of their own.
//
// It writes what the agenda holds and nothing more: an agenda from
// [Index.AgendaFor] keeps other organisations' records as bare busy
// events, and so does its export. Lines are folded at 75 octets.
func (o ICSOptions) WriteICS(w io.Writer, ag *AgentAgenda) error {
	e := newICSWriter(w, o)
	e.begin("VCALENDAR")
	e.header(ag.AgentID)
	seen := map[string]int{}
	var opaque []interval.Interval
	for i := range ag.Events {
		ev := &ag.Events[i]
		if e.event(ag.AgentID, ev, seen) {
			opaque = append(opaque, interval.Interval{Start: ev.Start.Unix(), End: ev.End.Unix()})
		}
		if ev.Kind == KindAppointment && ev.Blocking {
			if b := time.Duration(ev.BufferBeforeMinutes) * time.Minute; b > 0 {
				e.busy(ag.AgentID, "buffer-before "+ev.ID, "Rest time", ev.Start.Add(-b), ev.Start, seen)
				opaque = append(opaque, interval.Interval{Start: ev.Start.Add(-b).Unix(), End: ev.Start.Unix()})
			}
			if a := time.Duration(ev.BufferAfterMinutes) * time.Minute; a > 0 {
				e.busy(ag.AgentID, "buffer-after "+ev.ID, "Rest time", ev.End, ev.End.Add(a), seen)
				opaque = append(opaque, interval.Interval{Start: ev.End.Unix(), End: ev.End.Add(a).Unix()})
			}
		}
	}
	// Busy time no event accounts for (the buffers of another
	// organisation's appointments, which AgendaFor does not show): one
	// bare busy event each, so that the export keeps the whole Busy.
	rest := interval.AppendSubtract(nil, toIntervals(ag.Busy), interval.Normalize(opaque))
	for _, iv := range rest {
		e.busy(ag.AgentID, "busy", "Busy", time.Unix(iv.Start, 0), time.Unix(iv.End, 0), seen)
	}
	e.end("VCALENDAR")
	return e.flush()
}

// WriteFreeBusy writes the agenda's merged busy time over its window as a
// VFREEBUSY component (RFC 5545 §3.6.4): FBTYPE=BUSY periods, and
// BUSY-TENTATIVE for the time only holds ([Live.Hold]) make busy. It
// tells when, never why: this is what to publish to people who must not
// see the agenda itself.
func (o ICSOptions) WriteFreeBusy(w io.Writer, ag *AgentAgenda) error {
	e := newICSWriter(w, o)
	e.begin("VCALENDAR")
	e.header(ag.AgentID)
	e.begin("VFREEBUSY")
	e.prop("UID", "", uid("freebusy", ag.AgentID, strconv.FormatInt(ag.From.Unix(), 10), strconv.FormatInt(ag.To.Unix(), 10)))
	e.prop("DTSTAMP", "", utc(e.stamp))
	e.prop("DTSTART", "", utc(ag.From))
	e.prop("DTEND", "", utc(ag.To))
	busy, tentative := toIntervals(ag.Busy), toIntervals(ag.Tentative)
	firm := interval.AppendSubtract(nil, busy, tentative)
	e.periods("BUSY", firm)
	e.periods("BUSY-TENTATIVE", tentative)
	e.end("VFREEBUSY")
	e.end("VCALENDAR")
	return e.flush()
}

type icsWriter struct {
	w     *bufio.Writer
	stamp time.Time
	err   error
}

func newICSWriter(w io.Writer, o ICSOptions) *icsWriter {
	stamp := o.Stamp
	if stamp.IsZero() {
		stamp = time.Now()
	}
	return &icsWriter{w: bufio.NewWriter(w), stamp: stamp}
}

func (e *icsWriter) header(agentID string) {
	e.prop("VERSION", "", "2.0")
	e.prop("PRODID", "", "-//crossagenda//agenda//EN")
	e.prop("CALSCALE", "", "GREGORIAN")
	e.prop("METHOD", "", "PUBLISH")
	e.prop("X-WR-CALNAME", "", text(agentID))
}

func (e *icsWriter) begin(name string) { e.line("BEGIN:" + name) }
func (e *icsWriter) end(name string)   { e.line("END:" + name) }

// prop writes NAME;params:value; value is already escaped.
func (e *icsWriter) prop(name, params, value string) {
	if params != "" {
		name += ";" + params
	}
	e.line(name + ":" + value)
}

// line writes one content line, folded at 75 octets without splitting a
// UTF-8 sequence (RFC 5545 §3.1).
func (e *icsWriter) line(l string) {
	if e.err != nil {
		return
	}
	limit := 75
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		e.w.WriteString(l[:cut])
		e.w.WriteString("\r\n ")
		l = l[cut:]
		limit = 74 // the leading space counts
	}
	e.w.WriteString(l)
	_, e.err = e.w.WriteString("\r\n")
}

func (e *icsWriter) flush() error {
	if e.err != nil {
		return fmt.Errorf("agenda: writing iCalendar: %w", e.err)
	}
	if err := e.w.Flush(); err != nil {
		return fmt.Errorf("agenda: writing iCalendar: %w", err)
	}
	return nil
}

// summaries name each kind of event in a calendar application.
var summaries = map[EventKind]string{
	KindOpening: "Opening", KindAbsence: "Absence", KindAppointment: "Appointment",
	KindCalendar: "Busy (external calendar)", KindClosed: "Closed", KindHold: "Held slot",
}

// event writes ev and reports whether it is opaque.
func (e *icsWriter) event(agentID string, ev *Event, seen map[string]int) bool {
	e.begin("VEVENT")
	e.prop("UID", "", occurrenceUID(seen, agentID, string(ev.Kind), ev.ID, ev.OrganisationID, ev.UID,
		strconv.FormatInt(ev.Start.Unix(), 10), strconv.FormatInt(ev.End.Unix(), 10)))
	e.prop("DTSTAMP", "", utc(e.stamp))
	e.prop("DTSTART", "", utc(ev.Start))
	e.prop("DTEND", "", utc(ev.End))
	summary := summaries[ev.Kind]
	switch {
	case ev.ID == "" && ev.Kind != KindClosed:
		summary = "Busy" // another organisation's record (Index.AgendaFor)
	case ev.Kind == KindClosed && ev.Name != "":
		summary += ": " + ev.Name
	}
	e.prop("SUMMARY", "", text(summary))
	e.prop("CATEGORIES", "", text(string(ev.Kind)))
	switch {
	case ev.Kind == KindHold:
		e.prop("STATUS", "", "TENTATIVE")
	case ev.Kind == KindAppointment && !ev.Blocking:
		e.prop("STATUS", "", "CANCELLED")
	}
	// Openings and closed days are not the agent's busy time (a closed day
	// closes one organisation's openings): transparent.
	opaque := ev.Blocking && ev.Kind != KindClosed
	if opaque {
		e.prop("TRANSP", "", "OPAQUE")
	} else {
		e.prop("TRANSP", "", "TRANSPARENT")
	}
	if ev.ID != "" {
		e.prop("X-CROSSAGENDA-ID", "", text(ev.ID))
	}
	if ev.OrganisationID != "" {
		e.prop("X-CROSSAGENDA-ORGANISATION", "", text(ev.OrganisationID))
	}
	if ev.PlaceID != "" {
		e.prop("X-CROSSAGENDA-PLACE", "", text(ev.PlaceID))
	}
	if ev.Status != "" {
		e.prop("X-CROSSAGENDA-STATUS", "", text(string(ev.Status)))
	}
	e.end("VEVENT")
	return opaque
}

// busy writes an opaque event of its own: an appointment's rest time, or
// busy time no event accounts for.
func (e *icsWriter) busy(agentID, what, summary string, start, end time.Time, seen map[string]int) {
	e.begin("VEVENT")
	e.prop("UID", "", occurrenceUID(seen, agentID, what, strconv.FormatInt(start.Unix(), 10), strconv.FormatInt(end.Unix(), 10)))
	e.prop("DTSTAMP", "", utc(e.stamp))
	e.prop("DTSTART", "", utc(start))
	e.prop("DTEND", "", utc(end))
	e.prop("SUMMARY", "", text(summary))
	e.prop("TRANSP", "", "OPAQUE")
	e.end("VEVENT")
}

func (e *icsWriter) periods(fbtype string, ivs []interval.Interval) {
	if len(ivs) == 0 {
		return
	}
	var b []byte
	for i, iv := range ivs {
		if i > 0 {
			b = append(b, ',')
		}
		b = time.Unix(iv.Start, 0).UTC().AppendFormat(b, "20060102T150405Z")
		b = append(b, '/')
		b = time.Unix(iv.End, 0).UTC().AppendFormat(b, "20060102T150405Z")
	}
	e.prop("FREEBUSY", "FBTYPE="+fbtype, string(b))
}

// occurrenceUID is a UID that depends only on its parts; the n-th
// identical event of one export gets n appended, so UIDs stay unique.
func occurrenceUID(seen map[string]int, parts ...string) string {
	u := uid(parts...)
	seen[u]++
	if n := seen[u]; n > 1 {
		return fmt.Sprintf("%s-%d", u, n)
	}
	return u
}

func uid(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16]) + "@crossagenda"
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// text escapes an RFC 5545 TEXT value.
func text(s string) string {
	p := goical.NewProp("X")
	p.SetText(s)
	return p.Value
}

func toIntervals(ss []Span) []interval.Interval {
	out := make([]interval.Interval, 0, len(ss))
	for _, s := range ss {
		out = append(out, interval.Interval{Start: s.Start.Unix(), End: s.End.Unix()})
	}
	return out
}
