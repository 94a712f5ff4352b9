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
	updated := withRecord(l, old, rec, func(b *absence) int32 { return b.agent }, func(n *agentData, old, rec *absence) {
		// One-off absences are few: their index is rebuilt.
		var once []interval.Entry[*absence]
		for iv, b := range n.absences.All() {
			if b != old {
				once = append(once, interval.Entry[*absence]{Interval: iv, Value: b})
			}
		}
		recurring := rec
		if rec != nil && rec.rule == nil {
			once, recurring = append(once, rec.entry()), nil
		}
		n.absRecurring = replaced(n.absRecurring, old, recurring, func(b *absence) string { return b.id })
		n.absences = interval.NewStatic(once)
		n.derive()
	})
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
	var services []int32
	if old != nil {
		services = append(services, old.services...)
	}
	if rec != nil {
		services = append(services, rec.services...)
	}
	updated := withRecord(l, old, rec, func(o *opening) int32 { return o.agent }, func(n *agentData, old, rec *opening) {
		n.openings = replaced(n.openings, old, rec, func(o *opening) string { return o.id })
	})
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

// withRecord returns new versions of the agents of old and rec (either may
// be nil), records that belong to one agent each: change edits a copy of
// each agent, given old and rec where they are that agent's (nil where
// not). The caller holds l.mu and commits them.
func withRecord[R comparable](l *Live, old, rec R, agent func(R) int32, change func(n *agentData, old, rec R)) []*agentData {
	var none R
	var agents []int32
	for _, r := range []R{old, rec} {
		if r != none {
			agents = append(agents, agent(r))
		}
	}
	snap := l.Snapshot()
	var updated []*agentData
	for _, a := range slices.Compact(slices.Sorted(slices.Values(agents))) {
		n := *snap.agents.at(a)
		o, r := old, rec
		if o != none && agent(o) != a {
			o = none
		}
		if r != none && agent(r) != a {
			r = none
		}
		change(&n, o, r)
		updated = append(updated, &n)
	}
	return updated
}

// replaced returns a copy of list, sorted by id, without old and with rec
// (either may be the zero value, which is neither removed nor added).
func replaced[R comparable](list []R, old, rec R, id func(R) string) []R {
	var none R
	out := slices.DeleteFunc(slices.Clone(list), func(x R) bool { return x == old && old != none })
	if rec != none {
		i, _ := slices.BinarySearchFunc(out, rec, func(x, y R) int { return strings.Compare(id(x), id(y)) })
		out = slices.Insert(out, i, rec)
	}
	return out
}
