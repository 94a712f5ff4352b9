package agenda

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// UpsertAbsence adds the absence, or replaces the one with the same id.
func (l *Live) UpsertAbsence(b Absence) error {
	if b.ID == "" {
		return recordErr(kindAbsence, "", "id", "id is missing")
	}
	unlockID := l.lockID(b.ID)
	defer unlockID()
	c := l.validator(l.Snapshot())
	rec, ok := c.absence(&b, b.ID)
	if !ok {
		return c.err()
	}
	l.replaceAbsence(b.ID, rec)
	return nil
}

// DeleteAbsence removes an absence.
func (l *Live) DeleteAbsence(id string) error {
	unlockID := l.lockID(id)
	defer unlockID()
	if _, ok := l.currentAbsence(id); !ok {
		return fmt.Errorf("agenda: absence %q: %w", id, ErrNotFound)
	}
	l.replaceAbsence(id, nil)
	return nil
}

func absencesDir(sh *dirShard) map[string]*absence { return sh.absences }

func openingsDir(sh *dirShard) map[string]*opening { return sh.openings }

func (l *Live) currentAbsence(id string) (*absence, bool) { return dirGet(l, id, absencesDir) }

func (l *Live) replaceAbsence(id string, rec *absence) {
	old, _ := l.currentAbsence(id)
	var agents []int32
	if old != nil {
		agents = append(agents, old.agent)
	}
	if rec != nil {
		agents = append(agents, rec.agent)
	}
	unlock := l.lockAgents(agents)
	defer unlock()
	snap := l.Snapshot()
	var updated []*agentData
	for _, a := range slices.Compact(slices.Sorted(slices.Values(agents))) {
		n := *snap.agents[a]
		n.absOnce = slices.DeleteFunc(slices.Clone(n.absOnce), func(s span) bool { return s.abs == old })
		n.absRecurring = slices.DeleteFunc(slices.Clone(n.absRecurring), func(b *absence) bool { return b == old })
		if rec != nil && rec.agent == a {
			if rec.rule == nil {
				n.absOnce = append(n.absOnce, span{start: rec.onceStart, end: rec.onceEnd, abs: rec})
			} else {
				n.absRecurring = append(n.absRecurring, rec)
			}
		}
		n.appts = slices.Clone(n.appts) // finishAgent sorts in place
		n.openings = slices.Clone(n.openings)
		finishAgent(&n)
		updated = append(updated, &n)
	}
	l.commit(updated, nil)
	dirSet(l, id, absencesDir, rec, rec == nil)
}

// UpsertOpeningPeriod adds the opening period, or replaces the one with the
// same id.
func (l *Live) UpsertOpeningPeriod(p OpeningPeriod) error {
	if p.ID == "" {
		return recordErr(kindOpening, "", "id", "id is missing")
	}
	unlockID := l.lockID(p.ID)
	defer unlockID()
	c := l.validator(l.Snapshot())
	rec, ok := c.opening(&p, p.ID)
	if !ok {
		return c.err()
	}
	l.replaceOpening(p.ID, rec)
	return nil
}

// DeleteOpeningPeriod removes an opening period.
func (l *Live) DeleteOpeningPeriod(id string) error {
	unlockID := l.lockID(id)
	defer unlockID()
	if _, ok := l.currentOpening(id); !ok {
		return fmt.Errorf("agenda: opening period %q: %w", id, ErrNotFound)
	}
	l.replaceOpening(id, nil)
	return nil
}

func (l *Live) currentOpening(id string) (*opening, bool) { return dirGet(l, id, openingsDir) }

func (l *Live) replaceOpening(id string, rec *opening) {
	old, _ := l.currentOpening(id)
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
	unlock := l.lockAgents(agents)
	defer unlock()
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
	dirSet(l, id, openingsDir, rec, rec == nil)
}

// AddClosedDay closes a day in one organisation, or in all of them when
// cd.OrganisationID is empty.
func (l *Live) AddClosedDay(cd ClosedDay) error {
	l.closeMu.Lock()
	defer l.closeMu.Unlock()
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
	l.closeMu.Lock()
	defer l.closeMu.Unlock()
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
// (all for a global day) outside the publication lock; closeMu keeps
// closed-day writers from racing on them.
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
