package reference

import (
	"slices"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// closedDays returns the dates closed in organisation orgID, without
// duplicates, that may overlap [from, to): its own and global closed days,
// and the holidays of every year in range.
func (r *Reference) closedDays(orgID string, from, to time.Time) []day {
	lo, hi := dayRange(from, to)
	var out []day
	add := func(d day) {
		if d.Before(lo) || d.After(hi) || slices.ContainsFunc(out, d.Equal) {
			return
		}
		out = append(out, d)
	}
	for _, c := range r.ds.ClosedDays {
		if c.OrganisationID == "" || c.OrganisationID == orgID {
			d, _ := parseDay(c.Date) // checked by New
			add(d)
		}
	}
	calendars := r.ds.HolidayCalendars
	var worked []string
	for _, o := range r.ds.Organisations {
		if o.ID != orgID {
			continue
		}
		switch o.HolidayCalendar {
		case "":
		case "none":
			calendars = nil
		default:
			calendars = []string{o.HolidayCalendar}
		}
		worked = o.WorkedHolidays
	}
	for _, cal := range calendars {
		for y := lo.Year(); y <= hi.Year(); y++ {
			for key, d := range holidays(cal, y) {
				if !slices.Contains(worked, key) {
					add(d)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b day) int { return a.Compare(b) })
	return out
}

// closedSpan is the whole local day d in loc.
func closedSpan(loc *time.Location, d day) Span {
	return Span{instant(loc, d, 0), instant(loc, d.AddDate(0, 0, 1), 0)}
}

// closedSpans returns the closed days of organisation orgID as intervals.
func (r *Reference) closedSpans(orgID string, from, to time.Time) []Span {
	loc := r.orgZone[orgID]
	var out []Span
	for _, d := range r.closedDays(orgID, from, to) {
		out = append(out, closedSpan(loc, d))
	}
	return out
}

// openingOccurrences returns the occurrences of o that overlap [from, to).
func (o *opening) occurrences(from, to time.Time) []Span {
	var out []Span
	for _, s := range o.rec.occurrences(o.loc, o.start, o.end, from, to) {
		if s.overlaps(from, to) {
			out = append(out, s)
		}
	}
	return out
}

// occurrences returns the occurrences of a that overlap [from, to).
func (a *absence) occurrences(from, to time.Time) []Span {
	var spans []Span
	if a.rec.rule == nil {
		spans = []Span{{instant(a.loc, a.rec.first, a.start), instant(a.loc, a.endDay, a.end)}}
	} else {
		spans = a.rec.occurrences(a.loc, a.start, a.end, from, to)
	}
	var out []Span
	for _, s := range spans {
		if s.overlaps(from, to) {
			out = append(out, s)
		}
	}
	return out
}

// buffers returns the buffers an appointment blocks around itself: its
// own when its record has them, else its service's.
func (r *Reference) buffers(ap agenda.Appointment) (before, after time.Duration) {
	svc := r.services[ap.ServiceID] // the zero Service when there is none
	b, a := svc.BufferBeforeMinutes, svc.BufferAfterMinutes
	if ap.BufferBeforeMinutes != nil {
		b = *ap.BufferBeforeMinutes
	}
	if ap.BufferAfterMinutes != nil {
		a = *ap.BufferAfterMinutes
	}
	return time.Duration(b) * time.Minute, time.Duration(a) * time.Minute
}

// busy returns the intervals (not normalised) during which the agent is
// busy within [from, to): blocking appointments with their buffers and
// absence occurrences. Every appointment of the dataset is scanned.
func (r *Reference) busy(agentID string, from, to time.Time) []Span {
	var out []Span
	for _, ap := range r.ds.Appointments {
		if !ap.Status.Blocking() || !slices.Contains(ap.AgentIDs, agentID) {
			continue
		}
		before, after := r.buffers(ap)
		if s := (Span{ap.Start.Add(-before), ap.End.Add(after)}); s.overlaps(from, to) {
			out = append(out, s)
		}
	}
	for i := range r.absences {
		if a := &r.absences[i]; a.src.AgentID == agentID {
			out = append(out, a.occurrences(from, to)...)
		}
	}
	return append(out, r.calendarBusy(agentID, from, to)...)
}

// openTime returns the union over the agent's openings selected by keep of
// each occurrence minus the closed days of its organisation, within the
// occurrences overlapping [from, to) (not clipped).
func (r *Reference) openTime(agentID string, from, to time.Time, keep func(*opening) bool) []Span {
	var open []Span
	closed := map[string][]Span{}
	for i := range r.openings {
		o := &r.openings[i]
		if o.src.AgentID != agentID || !keep(o) {
			continue
		}
		org := o.src.OrganisationID
		if _, ok := closed[org]; !ok {
			closed[org] = r.closedSpans(org, from, to)
		}
		for _, occ := range o.occurrences(from, to) {
			open = append(open, subtract([]Span{occ}, closed[org])...)
		}
	}
	return union(open)
}

// free is the agent's free time within [from, to): every opening minus
// its closed days, minus busy time.
func (r *Reference) free(agentID string, from, to time.Time) []Span {
	all := func(*opening) bool { return true }
	return clip(subtract(r.openTime(agentID, from, to, all), r.busy(agentID, from, to)), from, to)
}
