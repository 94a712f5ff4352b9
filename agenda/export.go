package agenda

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// agentsCopy returns the agents, with their organisation ids, as new
// slices the caller may keep.
func (r *records) agentsCopy() []Agent {
	agents := make([]Agent, len(r.agents))
	for i, a := range r.agents {
		a.OrganisationIDs = slices.Clone(a.OrganisationIDs)
		agents[i] = a
	}
	return agents
}

// Dataset returns the records the index holds, as a new [Dataset] that
// [New] compiles back into an equivalent index. Organisations, agents,
// places and services come in id order, opening periods and absences by
// agent then id, appointments by start then id, and closed days in the
// order they were given. Appointment times carry their organisation's
// zone. An empty appointment status reads back as "booked".
//
// It costs O(n log n) and allocates the whole dataset: it is meant for
// snapshots and checks, not for hot paths.
func (ix *Index) Dataset() *Dataset {
	r := &ix.records
	ds := &Dataset{
		TimeZone:         r.timeZone,
		Organisations:    slices.Clone(r.organisations),
		Agents:           r.agentsCopy(),
		Places:           slices.Clone(r.places),
		Services:         slices.Clone(r.services),
		ClosedDays:       slices.Clone(r.closedDays),
		HolidayCalendars: slices.Clone(r.holidayCalendars),
	}
	for _, a := range ix.agents.all() {
		for _, o := range a.openings {
			rec := o.rec
			rec.ServiceIDs = slices.Clone(rec.ServiceIDs)
			ds.OpeningPeriods = append(ds.OpeningPeriods, rec)
		}
		var abs []Absence
		for _, b := range a.absences.All() {
			abs = append(abs, b.rec)
		}
		for _, b := range a.absRecurring {
			abs = append(abs, b.rec)
		}
		slices.SortFunc(abs, func(x, y Absence) int { return strings.Compare(x.ID, y.ID) })
		ds.Absences = append(ds.Absences, abs...)
		for _, c := range a.calendars {
			ds.Calendars = append(ds.Calendars, c.rec)
		}
		for _, r := range a.appts.all() {
			if r.agents[0] == a.idx { // once, for multi-agent appointments
				ds.Appointments = append(ds.Appointments, ix.exportAppointment(r))
			}
		}
	}
	slices.SortFunc(ds.Appointments, func(x, y Appointment) int {
		return cmp.Or(x.Start.Compare(y.Start), strings.Compare(x.ID, y.ID))
	})
	return ds
}

func (ix *Index) exportAppointment(a *appt) Appointment {
	loc := ix.orgs[a.org].zone.Location()
	out := Appointment{
		ID: a.id, OrganisationID: ix.orgs[a.org].id, PlaceID: ix.placeID(a.place),
		Start: time.Unix(a.start, 0).In(loc), End: time.Unix(a.end, 0).In(loc), Status: a.status,
		Capacity: int(a.capacity), Participants: int(a.participants),
	}
	if a.ownBefore {
		before := int(a.bufBefore / 60)
		out.BufferBeforeMinutes = &before
	}
	if a.ownAfter {
		after := int(a.bufAfter / 60)
		out.BufferAfterMinutes = &after
	}
	if a.service >= 0 {
		out.ServiceID = ix.services[a.service].id
	}
	out.AgentIDs = make([]string, len(a.agents))
	for i, ag := range a.agents {
		out.AgentIDs[i] = ix.agents.at(ag).id
	}
	return out
}
