package agenda

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/internal/ical"
	"github.com/crossagenda/crossagenda/interval"
)

// Calendar is an agent's external calendar (Outlook, Google Calendar,
// Apple Calendar, Thunderbird…) as iCalendar text (RFC 5545). Its events
// make the agent busy in every organisation, like absences: timed events
// over [DTSTART, DTEND), all-day events over whole local days in the
// agent's zone, floating times in the agent's zone; transparent, free and
// cancelled events block nothing. Recurring events (RRULE, RDATE, EXDATE,
// RECURRENCE-ID overrides, RANGE=THISANDFUTURE) are expanded by the same
// seeking engine as opening periods. TZID may be an IANA zone or a Windows
// zone name as Outlook writes it.
type Calendar struct {
	ID      string `json:"id"`
	AgentID string `json:"agent_id"`
	ICS     string `json:"ics"`
	// UpdatedAt is when the calendar was last replaced: what the agent
	// agenda reports as its freshness. Zero means when [New] compiled it.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// CalendarStatus is what an agent agenda says of one external calendar:
// whether its synchronisation is healthy is a matter of UpdatedAt.
type CalendarStatus struct {
	ID        string    `json:"id"`
	UpdatedAt time.Time `json:"updated_at"`
	// Events is the number of VEVENT components the calendar holds.
	Events int `json:"events"`
}

// calendar is a compiled external calendar.
type calendar struct {
	id      string
	agent   int32
	cal     *ical.Calendar
	updated time.Time
	rec     Calendar // the record, for export
}

func (c *compiler) compileCalendars() {
	ds, ix := c.ds, c.ix
	now := c.cfg.clock()
	compile := func(r *Calendar, id string) (*calendar, bool) { return c.calendar(r, id, now) }
	compileEach(c, kindCalendar, ds.Calendars, func(r *Calendar) string { return r.ID }, compile, func(cal *calendar) {
		a := ix.agents.at(cal.agent)
		a.calendars = append(a.calendars, cal)
	})
	for _, a := range ix.agents.all() {
		slices.SortFunc(a.calendars, func(x, y *calendar) int { return strings.Compare(x.id, y.id) })
	}
}

// calendar compiles one calendar record.
func (c *compiler) calendar(r *Calendar, id string, now time.Time) (*calendar, bool) {
	agent, ok := c.lookup(c.ix.agentByID, kindCalendar, id, "agent_id", "agent", r.AgentID)
	if !ok {
		return nil, false
	}
	l := c.cfg.limits
	cal, err := ical.Parse(strings.NewReader(r.ICS), ical.Options{
		Name: id, Zone: c.ix.agents.at(agent).zone,
		MaxBytes: l.MaxICSBytes, MaxEvents: l.MaxCalendarEvents, MaxDates: l.MaxCalendarDates, MaxCount: l.MaxCount,
		MaxRuleDays: l.MaxCalendarRuleDays,
	})
	if err != nil {
		msg := err.Error()
		var ie *ical.Error
		if errors.As(err, &ie) {
			msg = strings.TrimPrefix(msg, fmt.Sprintf("ical: calendar %q: ", ie.Calendar))
			if ie.Limit != "" {
				field := map[string]string{"MaxBytes": "MaxICSBytes", "MaxEvents": "MaxCalendarEvents",
					"MaxDates": "MaxCalendarDates", "MaxCount": "MaxCount", "MaxRuleDays": "MaxCalendarRuleDays"}[ie.Limit]
				msg = strings.ReplaceAll(msg, "the limit is "+ie.Limit, "the limit is Limits."+field+"; raise it with WithLimits")
				err = errors.Join(err, &LimitError{Limit: field, Value: limitValue(l, field)})
			}
		}
		c.failCause(err, kindCalendar, id, "ics", "ics: %s", msg)
		return nil, false
	}
	updated := r.UpdatedAt.UTC()
	if r.UpdatedAt.IsZero() {
		updated = now.UTC()
	}
	rec := *r
	rec.UpdatedAt = updated
	return &calendar{id: r.ID, agent: agent, cal: cal, updated: updated, rec: rec}, true
}

func limitValue(l Limits, field string) string {
	switch field {
	case "MaxICSBytes":
		return fmt.Sprint(l.MaxICSBytes)
	case "MaxCalendarEvents":
		return fmt.Sprint(l.MaxCalendarEvents)
	case "MaxCalendarDates":
		return fmt.Sprint(l.MaxCalendarDates)
	case "MaxCalendarRuleDays":
		return fmt.Sprint(l.MaxCalendarRuleDays)
	}
	return fmt.Sprint(l.MaxCount)
}

// calendarOccurrences appends the instances of c overlapping [from, to),
// blocking or not and in no order, charging them to the query's budget.
func calendarOccurrences(dst []ical.Occurrence, c *calendar, from, to int64, b *budget) ([]ical.Occurrence, error) {
	left := b.left.Load()
	if left < 0 {
		return dst, b.exceeded()
	}
	n := len(dst)
	dst, err := c.cal.AppendUnsorted(dst, from, to, int(min(left, 1<<31-1)))
	if err != nil || b.left.Add(-int64(len(dst)-n)) < 0 {
		return dst[:n], b.exceeded()
	}
	return dst, nil
}

// appendCalendarBusy appends the blocking instances of the agent's
// calendars overlapping win, unclipped and unsorted.
func appendCalendarBusy(dst []interval.Interval, a *agentData, win interval.Interval, sc *scratch, b *budget) ([]interval.Interval, error) {
	for _, c := range a.calendars {
		var err error
		sc.cal, err = calendarOccurrences(sc.cal[:0], c, win.Start, win.End, b)
		if err != nil {
			return dst, err
		}
		for _, o := range sc.cal {
			if o.Blocking {
				dst = append(dst, interval.Interval{Start: o.Start, End: o.End})
			}
		}
	}
	return dst, nil
}

// SetCalendar replaces the external calendar id of agent agentID with the
// iCalendar text read from ics (at most [Limits.MaxICSBytes]), or adds it,
// atomically: queries see the old calendar or the new one, never a mix.
// The text is read and parsed before any lock is taken; bad text is
// refused with a [*ValidationError] naming the calendar, the event's UID
// and the property, and the calendar in place stays. The text is kept, for
// [Index.Dataset]. The calendar's UpdatedAt
// becomes now on the clock of [WithClock]. A calendar may move to another
// agent.
func (l *Live) SetCalendar(ctx context.Context, id, agentID string, ics io.Reader) error {
	ctx = orBackground(ctx)
	if err := ctx.Err(); err != nil {
		return err
	}
	if id == "" {
		return recordErr(kindCalendar, "", "id", "id is missing")
	}
	if ics == nil {
		return fmt.Errorf("agenda: calendar %q: no text (a nil reader): %w", id, ErrInvalidQuery)
	}
	snap := l.Snapshot()
	maxBytes := snap.cfg.limits.MaxICSBytes
	text, err := io.ReadAll(io.LimitReader(ics, maxBytes+1))
	if err != nil {
		return fmt.Errorf("agenda: calendar %q: reading: %w", id, err)
	}
	if int64(len(text)) > maxBytes {
		e := recordErr(kindCalendar, id, "ics", "ics: longer than %d bytes (the limit is Limits.MaxICSBytes; raise it with WithLimits)", maxBytes)
		e.Err = &LimitError{Limit: "MaxICSBytes", Value: fmt.Sprint(maxBytes)}
		return &ValidationError{Errs: []*RecordError{e}}
	}
	c := l.validator(snap)
	rec, ok := c.calendar(&Calendar{ID: id, AgentID: agentID, ICS: string(text)}, id, snap.cfg.clock())
	if !ok {
		return c.err()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.applyCalendar(l.calendars[id], rec)
	return nil
}

// UpsertCalendar adds the calendar record, or replaces the one with the
// same id, validated like in [New]: with its own UpdatedAt (a store that
// follows a database keeps the database's), or now on the [WithClock]
// clock when it is zero. [Live.SetCalendar] is the same for text read from
// a stream.
func (l *Live) UpsertCalendar(cal Calendar) error {
	if cal.ID == "" {
		return recordErr(kindCalendar, "", "id", "id is missing")
	}
	snap := l.Snapshot()
	c := l.validator(snap)
	rec, ok := c.calendar(&cal, cal.ID, snap.cfg.clock())
	if !ok {
		return c.err()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.applyCalendar(l.calendars[cal.ID], rec)
	return nil
}

// CheckCalendar validates one calendar record against this snapshot, as
// [New] would: its agent, and its text within [Limits].
func (ix *Index) CheckCalendar(cal Calendar) error {
	c := &compiler{cfg: ix.cfg, ix: ix}
	if cal.ID == "" {
		return recordErr(kindCalendar, "", "id", "id is missing")
	}
	c.calendar(&cal, cal.ID, ix.cfg.clock())
	return c.err()
}

// MaxICSBytes is the longest calendar text this index accepts
// ([Limits.MaxICSBytes]).
func (ix *Index) MaxICSBytes() int64 { return ix.cfg.limits.MaxICSBytes }

// DeleteCalendar removes an external calendar.
func (l *Live) DeleteCalendar(id string) error {
	return remove(l, kindCalendar, id, l.calendars, l.applyCalendar)
}

// applyCalendar publishes the change from old to rec (either may be nil).
// The caller holds l.mu.
func (l *Live) applyCalendar(old, rec *calendar) {
	updated := withRecord(l, old, rec, func(c *calendar) int32 { return c.agent }, func(n *agentData, old, rec *calendar) {
		n.calendars = replaced(n.calendars, old, rec, func(c *calendar) string { return c.id })
	})
	l.commit(updated, nil)
	putCurrent(l.calendars, old, rec, func(c *calendar) string { return c.id })
}

// calendarStatuses reports the agent's calendars, by id.
func calendarStatuses(a *agentData) []CalendarStatus {
	if len(a.calendars) == 0 {
		return nil
	}
	out := make([]CalendarStatus, len(a.calendars))
	for i, c := range a.calendars {
		out[i] = CalendarStatus{ID: c.id, UpdatedAt: c.updated, Events: c.cal.Events()}
	}
	return out
}

// Calendars returns every external calendar's status, by id, with the
// agent it belongs to: a service exports the age of the oldest as a
// health metric. O(calendars).
func (ix *Index) Calendars() []AgentCalendarStatus {
	var out []AgentCalendarStatus
	for _, a := range ix.agents.all() {
		for _, s := range calendarStatuses(a) {
			out = append(out, AgentCalendarStatus{AgentID: a.id, CalendarStatus: s})
		}
	}
	slices.SortFunc(out, func(x, y AgentCalendarStatus) int { return strings.Compare(x.ID, y.ID) })
	return out
}

// AgentCalendarStatus is a [CalendarStatus] with its agent.
type AgentCalendarStatus struct {
	AgentID string `json:"agent_id"`
	CalendarStatus
}

// Calendars returns every external calendar's status in the current
// snapshot: [Index.Calendars].
func (l *Live) Calendars() []AgentCalendarStatus { return l.Snapshot().Calendars() }
