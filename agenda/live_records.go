package agenda

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/interval"
)

// UpsertAbsence adds the absence, or replaces the one with the same id.
func (l *Live) UpsertAbsence(b Absence) error {
	return upsert(l, kindAbsence, b.ID, l.absences, func(c *compiler) (*absence, bool) { return c.absence(&b, b.ID) }, l.applyAbsence)
}

// DeleteAbsence removes an absence.
func (l *Live) DeleteAbsence(id string) error {
	return remove(l, kindAbsence, id, l.absences, l.applyAbsence)
}

// applyAbsence publishes the change from old to rec (either may be nil).
// The caller holds l.mu.
func (l *Live) applyAbsence(old, rec *absence) {
	var agents []int32
	if old != nil {
		agents = append(agents, old.agent)
	}
	if rec != nil {
		agents = append(agents, rec.agent)
	}
	snap := l.Snapshot()
	var updated []*agentData
	for _, a := range slices.Compact(slices.Sorted(slices.Values(agents))) {
		// One-off absences are few: their index is rebuilt.
		n := *snap.agents[a]
		var once []interval.Entry[*absence]
		for iv, b := range n.absences.All() {
			if b != old {
				once = append(once, interval.Entry[*absence]{Interval: iv, Value: b})
			}
		}
		n.absRecurring = slices.DeleteFunc(slices.Clone(n.absRecurring), func(b *absence) bool { return b == old })
		if rec != nil && rec.agent == a {
			if rec.rule == nil {
				once = append(once, rec.entry())
			} else {
				i, _ := slices.BinarySearchFunc(n.absRecurring, rec, func(x, y *absence) int { return strings.Compare(x.id, y.id) })
				n.absRecurring = slices.Insert(n.absRecurring, i, rec)
			}
		}
		n.absences = interval.NewStatic(once)
		n.derive()
		updated = append(updated, &n)
	}
	l.commit(updated, nil)
	putCurrent(l.absences, old, rec, func(b *absence) string { return b.id })
}

// UpsertOpeningPeriod adds the opening period, or replaces the one with the
// same id.
func (l *Live) UpsertOpeningPeriod(p OpeningPeriod) error {
	return upsert(l, kindOpening, p.ID, l.openings, func(c *compiler) (*opening, bool) { return c.opening(&p, p.ID) }, l.applyOpening)
}

// DeleteOpeningPeriod removes an opening period.
func (l *Live) DeleteOpeningPeriod(id string) error {
	return remove(l, kindOpening, id, l.openings, l.applyOpening)
}

// applyOpening publishes the change from old to rec (either may be nil).
// The caller holds l.mu.
func (l *Live) applyOpening(old, rec *opening) {
	var agents []int32
	var services []int32
	if old != nil {
		agents = append(agents, old.agent)
		services = append(services, old.services...)
	}
	if rec != nil {
		agents = append(agents, rec.agent)
		services = append(services, rec.services...)
	}
	snap := l.Snapshot()
	var updated []*agentData
	for _, a := range slices.Compact(slices.Sorted(slices.Values(agents))) {
		n := *snap.agents[a]
		n.openings = slices.DeleteFunc(slices.Clone(n.openings), func(o *opening) bool { return o == old })
		if rec != nil && rec.agent == a {
			i, _ := slices.BinarySearchFunc(n.openings, rec, func(x, y *opening) int { return strings.Compare(x.id, y.id) })
			n.openings = slices.Insert(n.openings, i, rec)
		}
		updated = append(updated, &n)
	}
	services = slices.Compact(slices.Sorted(slices.Values(services)))
	l.commit(updated, func(next, cur *Index) {
		// Which agents offer a service changes only for the agents and
		// services of this opening.
		next.serviceAgents = slices.Clone(cur.serviceAgents)
		for _, s := range services {
			list := slices.Clone(cur.serviceAgents[s])
			for _, a := range updated {
				offers := slices.ContainsFunc(a.openings, func(o *opening) bool { return o.offers(s) })
				i, found := slices.BinarySearch(list, a.idx)
				switch {
				case offers && !found:
					list = slices.Insert(list, i, a.idx)
				case !offers && found:
					list = slices.Delete(list, i, i+1)
				}
			}
			next.serviceAgents[s] = list
		}
	})
	putCurrent(l.openings, old, rec, func(o *opening) string { return o.id })
}

// AddClosedDay closes a day in one organisation, or in all of them when
// cd.OrganisationID is empty.
func (l *Live) AddClosedDay(cd ClosedDay) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	snap := l.Snapshot()
	c := l.validator(snap)
	if !c.closedDay(&cd, cd.Date) {
		return c.err()
	}
	d, _ := civil.ParseDate(cd.Date)
	if slices.ContainsFunc(snap.records.closedDays, func(x ClosedDay) bool { return sameClosedDay(x, d, cd.OrganisationID) }) {
		return recordErr(kindClosedDay, cd.Date, "date", "duplicate closed day")
	}
	l.setClosedDays(snap, append(slices.Clone(snap.records.closedDays), cd), cd.OrganisationID)
	return nil
}

// RemoveClosedDay reopens a day closed by [Live.AddClosedDay] or by the
// dataset (holidays cannot be removed).
func (l *Live) RemoveClosedDay(date, organisationID string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	snap := l.Snapshot()
	d, err := civil.ParseDate(date)
	if err != nil {
		return recordErr(kindClosedDay, date, "date", "date %q is not a date (YYYY-MM-DD)", date)
	}
	days := slices.DeleteFunc(slices.Clone(snap.records.closedDays), func(x ClosedDay) bool { return sameClosedDay(x, d, organisationID) })
	if len(days) == len(snap.records.closedDays) {
		return fmt.Errorf("agenda: closed day %s of organisation %q: %w", date, organisationID, ErrNotFound)
	}
	l.setClosedDays(snap, days, organisationID)
	return nil
}

func sameClosedDay(x ClosedDay, d civil.Date, org string) bool {
	xd, err := civil.ParseDate(x.Date)
	return err == nil && xd == d && x.OrganisationID == org
}

// setClosedDays rebuilds the closures of the organisations concerned
// (all for a global day). The caller holds l.mu.
func (l *Live) setClosedDays(snap *Index, days []ClosedDay, org string) {
	var only []int32
	if org == "" {
		for o := range snap.orgs {
			only = append(only, int32(o))
		}
	} else {
		only = []int32{snap.orgByID[org]}
	}
	closed := buildClosed(snap, days, snap.records.holidayCalendars, snap.closed, only...)
	l.commit(nil, func(next, _ *Index) {
		next.closed = closed
		next.records.closedDays = days
	})
}
