package reference

import (
	"fmt"
	"strings"
	"time"

	goical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"

	"github.com/crossagenda/crossagenda/agenda"
)

// calEvent is a VEVENT of an external calendar, read the obvious way:
// go-ical's decoder and date parsing, rrule-go for the rule.
type calEvent struct {
	uid        string
	start, end time.Time // DTSTART and DTEND (DTSTART plus one day for a date without DTEND)
	allDay     bool
	blocking   bool
	rule       *rrule.ROption
	rdates     []time.Time
	exdates    []time.Time
	rid        time.Time // RECURRENCE-ID of an override; zero otherwise
	hasRID     bool
	days       int // all-day length in days
}

// parseCalendar reads the events of c, floating times and dates in loc. It
// supports what the random generator writes: DTSTART with DTEND, RRULE,
// RDATE and EXDATE (one value each), RECURRENCE-ID overrides, STATUS and
// TRANSP.
func parseCalendar(c agenda.Calendar, loc *time.Location) ([]calEvent, error) {
	cal, err := goical.NewDecoder(strings.NewReader(c.ICS)).Decode()
	if err != nil {
		return nil, fmt.Errorf("reference: calendar %q: %w", c.ID, err)
	}
	var out []calEvent
	for _, ev := range cal.Events() {
		e := calEvent{blocking: true}
		e.uid, _ = ev.Props.Text(goical.PropUID)
		if e.start, err = ev.DateTimeStart(loc); err != nil {
			return nil, err
		}
		e.allDay = ev.Props.Get(goical.PropDateTimeStart).ValueType() == goical.ValueDate ||
			len(ev.Props.Get(goical.PropDateTimeStart).Value) == 8
		if e.end, err = ev.DateTimeEnd(loc); err != nil {
			return nil, err
		}
		if e.allDay {
			e.days = int(dateOf(e.end).Sub(dateOf(e.start)).Hours()/24 + 0.5)
		}
		if s, _ := ev.Props.Text(goical.PropStatus); strings.EqualFold(s, "CANCELLED") {
			e.blocking = false
		}
		if s, _ := ev.Props.Text(goical.PropTransparency); strings.EqualFold(s, "TRANSPARENT") {
			e.blocking = false
		}
		if p := ev.Props.Get(goical.PropRecurrenceRule); p != nil {
			if e.rule, err = rrule.StrToROption(p.Value); err != nil {
				return nil, err
			}
		}
		for _, name := range []string{goical.PropRecurrenceDates, goical.PropExceptionDates} {
			for _, p := range ev.Props.Values(name) {
				t, err := p.DateTime(loc)
				if err != nil {
					return nil, err
				}
				if e.allDay || len(p.Value) == 8 {
					t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
				}
				if name == goical.PropRecurrenceDates {
					e.rdates = append(e.rdates, t)
				} else {
					e.exdates = append(e.exdates, t)
				}
			}
		}
		if p := ev.Props.Get(goical.PropRecurrenceID); p != nil {
			if e.rid, err = p.DateTime(loc); err != nil {
				return nil, err
			}
			e.hasRID = true
		}
		out = append(out, e)
	}
	return out, nil
}

// dateOf is the civil date of t, as a UTC midnight, for day differences.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// endOf is the end of an instance of e starting at s.
func (e *calEvent) endOf(s time.Time) time.Time {
	if e.allDay {
		return s.AddDate(0, 0, e.days)
	}
	return s.Add(e.end.Sub(e.start))
}

// calendarBusy returns the blocking instances of the agent's calendars
// that overlap [from, to): each master's instances (rrule-go's set of
// RRULE, RDATE, DTSTART, minus EXDATE and the overridden instances), and
// every override.
func (r *Reference) calendarBusy(agentID string, from, to time.Time) []Span {
	var out []Span
	for _, evs := range r.calendars[agentID] {
		overridden := map[string]map[int64]bool{}
		for _, e := range evs {
			if e.hasRID {
				if overridden[e.uid] == nil {
					overridden[e.uid] = map[int64]bool{}
				}
				overridden[e.uid][e.rid.Unix()] = true
			}
		}
		add := func(e *calEvent, s time.Time) {
			if sp := (Span{s, e.endOf(s)}); e.blocking && sp.End.After(sp.Start) && sp.overlaps(from, to) {
				out = append(out, sp)
			}
		}
		for i := range evs {
			e := &evs[i]
			if e.hasRID {
				add(e, e.start)
				continue
			}
			starts := []time.Time{e.start}
			if e.rule != nil || len(e.rdates) > 0 {
				var set rrule.Set
				if e.rule != nil {
					opt := *e.rule
					opt.Dtstart = e.start
					rr, err := rrule.NewRRule(opt)
					if err != nil {
						continue // New refused the calendar already
					}
					set.RRule(rr)
				}
				set.RDate(e.start)
				for _, t := range e.rdates {
					set.RDate(t)
				}
				for _, t := range e.exdates {
					set.ExDate(t)
				}
				starts = set.Between(from.Add(-e.endOf(e.start).Sub(e.start)-48*time.Hour), to, true)
			} else if slicesContainsTime(e.exdates, e.start) {
				starts = nil
			}
			for _, s := range starts {
				if !overridden[e.uid][s.Unix()] {
					add(e, s)
				}
			}
		}
	}
	return out
}

func slicesContainsTime(ts []time.Time, t time.Time) bool {
	for _, x := range ts {
		if x.Equal(t) {
			return true
		}
	}
	return false
}
