package agenda

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Change tells what one write to a [Live] touched: the agents whose
// agenda, free time or slots may differ, and the instants where they may
// differ. A change followed from a database arrives here too, as long as
// it is applied through the Live's methods.
type Change struct {
	// AgentIDs lists the agents concerned, in ascending index order, each
	// once. A closed day names every agent of the organisations it closes.
	AgentIDs []string
	// From and To bound the change, [From, To). The zero From stands for
	// "since always" and the zero To for "for ever": a change to a
	// recurring record (an opening period, a recurring absence) is not
	// bounded.
	From, To time.Time
}

// Bounded reports whether the change has both ends.
func (c Change) Bounded() bool { return !c.From.IsZero() && !c.To.IsZero() }

// Overlaps reports whether the change may concern [from, to).
func (c Change) Overlaps(from, to time.Time) bool {
	return (c.From.IsZero() || c.From.Before(to)) && (c.To.IsZero() || from.Before(c.To))
}

// watchers is the list of OnChange callbacks, copied on write so that a
// writer reads it with one atomic load and no lock.
type watchers struct {
	mu   sync.Mutex
	list atomic.Pointer[[]*watcher]
}

type watcher struct{ fn func(Change) }

// OnChange registers fn, called after each write that publishes a new
// snapshot, with the agents and the time range the write touched; stop
// unregisters it (and returns once no call to fn is starting; a call in
// progress may still finish).
//
// fn runs on the writer's goroutine, after [Live.Snapshot] returns the new
// state and while the writer still holds the Live's write lock: calls come
// in the order of the changes, and fn must be quick and must not write to
// the Live (it would deadlock). Reading snapshots is fine. The cost for a
// writer is one atomic load when nothing is registered; otherwise,
// O(the records of the agents changed) to find the range, plus the
// callbacks. A hold that expires changes nothing by itself and is not
// told; the next change of its agent is.
func (l *Live) OnChange(fn func(Change)) (stop func()) {
	w := &watcher{fn: fn}
	l.watch.mu.Lock()
	defer l.watch.mu.Unlock()
	var list []*watcher
	if p := l.watch.list.Load(); p != nil {
		list = slices.Clone(*p)
	}
	list = append(list, w)
	l.watch.list.Store(&list)
	return func() {
		l.watch.mu.Lock()
		defer l.watch.mu.Unlock()
		if p := l.watch.list.Load(); p != nil {
			list := slices.DeleteFunc(slices.Clone(*p), func(x *watcher) bool { return x == w })
			l.watch.list.Store(&list)
		}
	}
}

// notify tells the watchers what changed from cur to next, the snapshots
// before and after one commit. updated are the agents the commit replaced.
func (l *Live) notify(cur, next *Index, updated []*agentData) {
	p := l.watch.list.Load()
	if p == nil || len(*p) == 0 {
		return
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	widen := func(s, e int64) { lo, hi = min(lo, s), max(hi, e) }
	var agents []int32
	for _, a := range updated {
		agents = append(agents, a.idx)
		if s, e, ok := changedSpan(cur.agents.at(a.idx), a); ok {
			widen(s, e)
		} else {
			widen(math.MinInt64, math.MaxInt64)
		}
	}
	// Closed days: the organisations whose closures were replaced.
	var orgs []int32
	for o := range next.closed {
		if o < len(cur.closed) && next.closed[o] == cur.closed[o] {
			continue
		}
		if s, e, ok := closedSpan(cur.closed, next.closed, o); ok {
			orgs = append(orgs, int32(o))
			widen(s, e)
		}
	}
	if len(orgs) > 0 {
		for _, a := range next.agents.all() {
			if slices.ContainsFunc(a.orgs, func(o int32) bool { return slices.Contains(orgs, o) }) {
				agents = append(agents, a.idx)
			}
		}
	}
	if len(agents) == 0 {
		return
	}
	slices.Sort(agents)
	agents = slices.Compact(agents)
	c := Change{AgentIDs: make([]string, len(agents))}
	for i, a := range agents {
		c.AgentIDs[i] = next.agents.at(a).id
	}
	if lo != math.MinInt64 && lo <= hi {
		c.From = time.Unix(lo, 0).UTC()
	}
	if hi != math.MaxInt64 && lo <= hi {
		c.To = time.Unix(hi, 0).UTC()
	}
	for _, w := range *p {
		w.fn(c)
	}
}

// changedSpan bounds the difference between two versions of an agent: the
// appointments (with their buffers), holds and one-off absences that are in one
// and not the other. ok is false when the difference is not bounded (an
// opening period or a recurring absence changed) or not found among them.
func changedSpan(old, cur *agentData) (lo, hi int64, ok bool) {
	if !slices.Equal(old.openings, cur.openings) || !slices.Equal(old.absRecurring, cur.absRecurring) ||
		!slices.Equal(old.calendars, cur.calendars) {
		return 0, 0, false
	}
	lo, hi = math.MaxInt64, math.MinInt64
	found := false
	add := func(s, e int64) { lo, hi, found = min(lo, s), max(hi, e), true }
	// Appointments and one-off absences: the records in one version and
	// not in the other (a changed record is a new one).
	appts := map[*appt]bool{}
	for _, r := range old.appts.all() {
		appts[r] = true
	}
	for _, r := range cur.appts.all() {
		if appts[r] {
			delete(appts, r)
		} else {
			add(r.blockStart(), r.blockEnd())
		}
	}
	for r := range appts {
		add(r.blockStart(), r.blockEnd())
	}
	absences := map[*absence]bool{}
	for _, b := range old.absences.All() {
		absences[b] = true
	}
	for iv, b := range cur.absences.All() {
		if absences[b] {
			delete(absences, b)
		} else {
			add(iv.Start, iv.End)
		}
	}
	for b := range absences {
		add(b.onceStart, b.onceEnd)
	}
	// Holds too.
	for _, h := range old.holds {
		if !slices.Contains(cur.holds, h) {
			add(h.a.blockStart(), h.a.blockEnd())
		}
	}
	for _, h := range cur.holds {
		if !slices.Contains(old.holds, h) {
			add(h.a.blockStart(), h.a.blockEnd())
		}
	}
	return lo, hi, found
}

// closedSpan bounds the days that differ between two closure lists of
// organisation o; ok is false when they have the same days.
func closedSpan(old, cur []*orgClosed, o int) (lo, hi int64, ok bool) {
	lo, hi = math.MaxInt64, math.MinInt64
	var x, y []closedDay
	if o < len(old) && old[o] != nil {
		x = old[o].days
	}
	if cur[o] != nil {
		y = cur[o].days
	}
	for _, d := range x {
		if !slices.Contains(y, d) {
			lo, hi = min(lo, d.start), max(hi, d.end)
		}
	}
	for _, d := range y {
		if !slices.Contains(x, d) {
			lo, hi = min(lo, d.start), max(hi, d.end)
		}
	}
	return lo, hi, lo <= hi
}
