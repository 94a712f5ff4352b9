package agenda

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/crossagenda/crossagenda/internal/tz"
	"github.com/crossagenda/crossagenda/interval"
)

// View says who books: the public, subject to the service's notice rules,
// or an agent booking for someone, who is not.
type View uint8

// Views. The zero value is the public view, the stricter one.
const (
	ViewUser View = iota
	ViewAgent
)

func (v View) String() string {
	if v == ViewAgent {
		return "agent"
	}
	return "user"
}

// ParseView reads "user" or "agent".
func ParseView(s string) (View, error) {
	switch s {
	case "user", "":
		return ViewUser, nil
	case "agent":
		return ViewAgent, nil
	}
	return 0, fmt.Errorf("agenda: view %q is not user or agent: %w", s, ErrInvalidQuery)
}

// SlotQuery asks for the free slots of a service.
type SlotQuery struct {
	ServiceID string
	// PlaceIDs restricts the search to these places, where "" stands for
	// openings without a place; empty means no restriction.
	PlaceIDs []string
	// AgentIDs restricts the search to these agents; empty means every
	// agent with an opening period offering the service.
	AgentIDs []string
	// From and To bound the slots' starts: From <= start < To. Next
	// availability searches from max(From, Now) to its horizon and does
	// not use To.
	From, To time.Time
	// Now is the current time: slots never start before it, and the
	// notice rules count from it. Required.
	Now  time.Time
	View View
}

// Slot is a bookable time range.
type Slot struct {
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	AgentID        string    `json:"agent_id"`
	PlaceID        string    `json:"place_id"`
	OrganisationID string    `json:"organisation_id"`
	ServiceID      string    `json:"service_id"`
	// AppointmentID and SeatsLeft are set for collective services, whose
	// slots are seats in existing appointments.
	AppointmentID string `json:"appointment_id,omitempty"`
	SeatsLeft     int    `json:"seats_left,omitempty"`
}

// slotRec is a slot as computed, before it is dressed for the caller.
type slotRec struct {
	start int64
	agent int32
	place int32
	appt  *appt // collective services only
}

func compareSlotRecs(x, y slotRec) int {
	if c := cmp.Compare(x.start, y.start); c != 0 {
		return c
	}
	if c := cmp.Compare(x.agent, y.agent); c != 0 {
		return c
	}
	if c := cmp.Compare(x.place, y.place); c != 0 {
		return c
	}
	if x.appt != nil && y.appt != nil {
		return strings.Compare(x.appt.id, y.appt.id)
	}
	return 0
}

// slotPlan is a validated slot query, in instants and indices.
type slotPlan struct {
	service int32
	svc     *serviceData
	places  []int32 // nil: any place
	agents  []int32 // candidates, ascending
	// agentFilter says the query names agents (collective services check
	// each appointment's agents against agents).
	agentFilter bool
	now         int64
	from, to    int64 // the starts kept, notice rules applied
}

func (ix *Index) planSlots(q SlotQuery, from, to int64) (*slotPlan, error) {
	s, ok := ix.serviceByID[q.ServiceID]
	if !ok {
		return nil, fmt.Errorf("agenda: service %q: %w", q.ServiceID, ErrNotFound)
	}
	if q.Now.IsZero() {
		return nil, fmt.Errorf("agenda: the query needs now: %w", ErrInvalidQuery)
	}
	if q.View != ViewUser && q.View != ViewAgent {
		return nil, fmt.Errorf("agenda: unknown view %d: %w", q.View, ErrInvalidQuery)
	}
	if err := ix.checkYears(q.Now); err != nil {
		return nil, err
	}
	// Now rounds up: a slot never starts before it.
	p := &slotPlan{service: s, svc: &ix.services[s], now: ceilUnix(q.Now), from: from, to: to}
	if q.View == ViewUser {
		p.from = max(p.from, p.now+p.svc.minNotice)
		if p.svc.maxNotice > 0 {
			p.to = min(p.to, p.now+p.svc.maxNotice+1)
		}
	}
	if len(q.PlaceIDs) > 0 {
		p.places = make([]int32, 0, len(q.PlaceIDs))
		for _, id := range q.PlaceIDs {
			pl, ok := ix.placeByID[id]
			if id == "" {
				pl, ok = -1, true // openings and appointments without a place
			}
			if !ok {
				return nil, fmt.Errorf("agenda: place %q: %w", id, ErrNotFound)
			}
			p.places = append(p.places, pl)
		}
	}
	if len(q.AgentIDs) > 0 {
		p.agentFilter = true
		want := make([]int32, 0, len(q.AgentIDs))
		for _, id := range q.AgentIDs {
			a, ok := ix.agentByID[id]
			if !ok {
				return nil, fmt.Errorf("agenda: agent %q: %w", id, ErrNotFound)
			}
			want = append(want, a)
		}
		slices.Sort(want)
		want = slices.Compact(want)
		if len(want) > ix.cfg.limits.MaxAgents {
			return nil, &LimitError{Limit: "MaxAgents", Value: fmt.Sprint(ix.cfg.limits.MaxAgents),
				Want: fmt.Sprintf("the query names %d agents", len(want))}
		}
		if p.svc.collective {
			p.agents = want
		} else {
			for _, a := range want {
				if _, found := slices.BinarySearch(ix.serviceAgents[s], a); found {
					p.agents = append(p.agents, a)
				}
			}
		}
	} else if !p.svc.collective {
		p.agents = ix.serviceAgents[s]
	}
	return p, nil
}

func (p *slotPlan) placeAllowed(pl int32) bool {
	return p.places == nil || slices.Contains(p.places, pl)
}

// Slots returns the free slots of a service, sorted by start, then agent
// id, then place id. The result does not depend on the parallelism.
//
// For each agent and place whose opening periods offer the service, the
// free time is the union of those openings' occurrences minus the agent's
// busy time in every organisation, each busy span [x, y) widened to
// [x-after, y+before) by the service's buffers, and minus the closed days
// of the service's organisation. Each maximal free interval [a, b) offers
// the slots of the service's duration starting at a' + k*interval while
// they end by b, where a' is a or, when a is before now, the first instant
// a + k*5min at or after now, and the interval is the service's slot
// interval (by default its duration: back-to-back slots). Slots start in
// [From, To), on days the daily caps of the service and the agent leave
// open; the user view also applies the minimum and maximum notice.
//
// Collective services have no computed slots: their slots are their
// non-cancelled appointments with free seats.
func (ix *Index) Slots(ctx context.Context, q SlotQuery) ([]Slot, error) {
	ctx = orBackground(ctx)
	_, to, err := ix.window(q.From, q.To)
	if err != nil {
		return nil, err
	}
	// Slots start at whole seconds: the first allowed start is From
	// rounded up (window rounds it down, for the agenda's sake).
	p, err := ix.planSlots(q, ceilUnix(q.From), to)
	if err != nil {
		return nil, err
	}
	var recs []slotRec
	if p.svc.collective {
		recs, err = ix.collectiveSlots(ctx, p, false)
	} else {
		recs, err = ix.computeSlots(ctx, p)
	}
	if err != nil {
		return nil, err
	}
	return ix.dressSlots(recs, p), nil
}

// computeSlots fans the agents out, then merges their sorted slots.
func (ix *Index) computeSlots(ctx context.Context, p *slotPlan) ([]slotRec, error) {
	if p.from >= p.to || len(p.agents) == 0 {
		return nil, nil
	}
	perAgent := make([][]slotRec, len(p.agents))
	workers := min(ix.cfg.parallelism, len(p.agents))
	scratches := make([]*scratch, workers)
	defer releaseAll(scratches)
	limit := ix.cfg.limits.MaxResults
	b := newBudget(ix.cfg.limits)
	// left counts the slots the query may still return, across agents: an
	// agent may compute at most left+1 slots, so memory stays within
	// MaxResults per worker, not per agent.
	var left atomic.Int64
	left.Store(int64(limit))
	tooMany := &LimitError{Limit: "MaxResults", Value: fmt.Sprint(limit), Want: "the query has more slots"}
	_, err := ix.fanOut(ctx, len(p.agents), func(ctx context.Context, w, i int) error {
		room := left.Load()
		if room < 0 {
			return tooMany
		}
		recs, err := ix.agentSlots(nil, ix.agents.at(p.agents[i]), p, p.from, p.to, int(room)+1, worker(scratches, w), b)
		perAgent[i] = recs
		if err == nil && left.Add(-int64(len(recs))) < 0 {
			err = tooMany
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	total := 0
	for _, r := range perAgent {
		total += len(r)
	}
	return mergeSlotRecs(perAgent, total), nil
}

// mergeSlotRecs merges per-agent lists, each sorted by start then place,
// into one list sorted by start, agent, place: a k-way merge over a binary
// heap of list heads, O(S log k) for S slots from k agents. Agents come in
// ascending order, so a list's index breaks ties between equal starts.
func mergeSlotRecs(lists [][]slotRec, total int) []slotRec {
	out := make([]slotRec, 0, total)
	heads := make([]int, 0, len(lists)) // indices of non-empty lists, a min-heap
	pos := make([]int, len(lists))
	less := func(a, b int) bool {
		x, y := lists[a][pos[a]], lists[b][pos[b]]
		return x.start < y.start || x.start == y.start && a < b
	}
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(heads) {
				return
			}
			if r := l + 1; r < len(heads) && less(heads[r], heads[l]) {
				l = r
			}
			if !less(heads[l], heads[i]) {
				return
			}
			heads[i], heads[l] = heads[l], heads[i]
			i = l
		}
	}
	for i, l := range lists {
		if len(l) > 0 {
			heads = append(heads, i)
		}
	}
	for i := len(heads)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for len(heads) > 0 {
		top := heads[0]
		l := lists[top]
		// Take the run of this list that stays ahead of the next best head.
		for {
			out = append(out, l[pos[top]])
			pos[top]++
			if pos[top] == len(l) || len(heads) > 1 && !lessThanRest(l[pos[top]], top, heads, lists, pos) {
				break
			}
		}
		if pos[top] == len(l) {
			heads[0] = heads[len(heads)-1]
			heads = heads[:len(heads)-1]
		}
		down(0)
	}
	return out
}

// lessThanRest reports whether x, the next slot of list top, still comes
// before the heads of the heap's other lists: its children are the only
// candidates for the next minimum.
func lessThanRest(x slotRec, top int, heads []int, lists [][]slotRec, pos []int) bool {
	for _, c := range []int{1, 2} {
		if c < len(heads) {
			o := heads[c]
			y := lists[o][pos[o]]
			if y.start < x.start || y.start == x.start && o < top {
				return false
			}
		}
	}
	return true
}

// agentSlots appends the agent's slots starting in [from, to), sorted by
// start then place, stopping after limit slots.
func (ix *Index) agentSlots(dst []slotRec, a *agentData, p *slotPlan, from, to int64, limit int, sc *scratch, b *budget) ([]slotRec, error) {
	d := p.svc.duration
	// Free intervals are computed whole: one that began before from keeps
	// its start, which sets the slot grid. Occurrences never cross
	// midnight, so a day of margin finds that start, unless openings chain
	// across midnight, handled by widening the margin.
	// No free interval starts before the group's earliest first day, so
	// the widening stops there at the latest; the occurrence budget bounds
	// its cost.
	earliest := int64(math.MaxInt64)
	for _, o := range a.openings {
		if o.offers(p.service) && p.placeAllowed(o.place) {
			earliest = min(earliest, o.zone.DayStart(o.first))
		}
	}
	margin := int64(86400 + 3600)
	var err error
	for {
		rng := interval.Interval{Start: from - margin, End: to + d}
		n := len(dst)
		var truncated bool
		dst, truncated, err = ix.agentSlotsIn(dst, a, p, rng, from, to, limit, sc, b)
		if err != nil || !truncated || rng.Start <= earliest {
			return dst, err
		}
		dst = dst[:n]
		margin *= 4
	}
}

// agentSlotsIn computes the agent's slots with free time computed over rng.
// It reports truncated when a free interval starts at rng.Start, whose true
// start may be earlier.
func (ix *Index) agentSlotsIn(dst []slotRec, a *agentData, p *slotPlan, rng interval.Interval, from, to int64, limit int, sc *scratch, b *budget) ([]slotRec, bool, error) {
	busy, err := ix.serviceBusy(sc.busy[:0], a, p.svc, rng, sc, b)
	sc.busy = busy
	if err != nil {
		return dst, false, err
	}
	caps := dayCaps{ix: ix, a: a, p: p}
	first := len(dst)
	truncated := false
	places := sc.places[:0]
	for _, o := range a.openings {
		if o.offers(p.service) && p.placeAllowed(o.place) && !slices.Contains(places, o.place) {
			places = append(places, o.place)
		}
	}
	slices.Sort(places)
	sc.places = places
	for _, pl := range places {
		q := freeQuery{win: rng, forService: true, service: p.service, place: pl, busy: busy, hasBusy: true}
		sc.free, err = ix.freeTime(sc.free[:0], a, &q, nil, sc, b)
		if err != nil {
			return dst, false, err
		}
		if len(sc.free) > 0 && sc.free[0].Start == rng.Start {
			truncated = true
		}
		var full bool
		dst, full = cutSlots(dst, sc.free, a.idx, pl, p.now, p.svc.duration, p.svc.step, from, to, limit, &caps)
		if full {
			break
		}
	}
	if len(places) > 1 {
		slices.SortFunc(dst[first:], func(x, y slotRec) int {
			return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.place, y.place))
		})
	}
	return dst, truncated, nil
}

// cutSlots cuts free intervals into slots of duration d, one every step
// from the interval's start, and appends those starting in [from, to) on
// days the caps allow. A free interval's grid starts at gridStart. It
// stops after limit slots and reports whether it did.
func cutSlots(dst []slotRec, free []interval.Interval, agent, place int32, now, d, step, from, to int64, limit int, caps *dayCaps) ([]slotRec, bool) {
	for _, iv := range free {
		if iv.Start >= to {
			break
		}
		t := gridStart(iv.Start, now)
		if t < from {
			t += (from - t + step - 1) / step * step
		}
		for ; t < to && t+d <= iv.End; t += step {
			if !caps.allows(t) {
				continue
			}
			if len(dst) >= limit {
				return dst, true
			}
			dst = append(dst, slotRec{start: t, agent: agent, place: place})
		}
	}
	return dst, false
}

// gridStart returns where the slot grid of a free interval beginning at
// start begins: start, or, when it began before now, the first 5-minute
// step from start reaching now. Slots and explanations both use it.
func gridStart(start, now int64) int64 {
	const nowStep = 300
	if start < now {
		start += (now - start + nowStep - 1) / nowStep * nowStep
	}
	return start
}

// dayCaps applies the daily caps to one agent's slots of one service: the
// service's cap per local day of its organisation's zone, and the agent's
// cap over all of their organisations per local day of their zone. It
// remembers the last day it counted, since slots come in date order.
type dayCaps struct {
	ix *Index
	a  *agentData
	p  *slotPlan
	// The last day each cap was decided for, as [start, end) instants.
	svcDay, agentDay   interval.Interval
	svcOK, agentOK     bool
	svcSeen, agentSeen bool
}

// allows reports whether a slot of the plan's service may start at t.
func (c *dayCaps) allows(t int64) bool {
	if n := c.p.svc.maxPerDay; n > 0 {
		if !c.svcSeen || t < c.svcDay.Start || t >= c.svcDay.End {
			c.svcDay = localDay(c.ix.orgs[c.p.svc.org].zone, t)
			c.svcOK = c.ix.countAppts(c.a, c.svcDay, c.p.service) < n
			c.svcSeen = true
		}
		if !c.svcOK {
			return false
		}
	}
	if n := c.a.maxPerDay; n > 0 {
		if !c.agentSeen || t < c.agentDay.Start || t >= c.agentDay.End {
			c.agentDay = localDay(c.a.zone, t)
			c.agentOK = c.ix.countAppts(c.a, c.agentDay, -1) < n
			c.agentSeen = true
		}
		if !c.agentOK {
			return false
		}
	}
	return true
}

// localDay returns the local day of zone z holding t, as instants.
func localDay(z *tz.Zone, t int64) interval.Interval {
	d, _ := z.Local(t)
	return interval.Interval{Start: z.DayStart(d), End: z.DayStart(d.AddDays(1))}
}

// countAppts counts the agent's blocking appointments starting within
// day, of service s only when s >= 0, and the holds active on the clock
// that would become such appointments: O(log n + the day's appointments
// + the agent's holds).
func (ix *Index) countAppts(a *agentData, day interval.Interval, s int32) int {
	var buf [16]interval.Entry[*appt]
	n := 0
	for _, e := range a.appts.appendOverlapping(buf[:0], day) {
		if r := e.Value; r.start >= day.Start && r.blocking() && (s < 0 || r.service == s) {
			n++
		}
	}
	if len(a.holds) > 0 {
		now := ix.cfg.clock()
		for _, h := range a.holds {
			if h.a.start >= day.Start && h.a.start < day.End && (s < 0 || h.a.service == s) && h.active(now) {
				n++
			}
		}
	}
	return n
}

// collectiveSlots lists the seats left in the service's appointments;
// with firstOnly, only those of the earliest start that has any.
func (ix *Index) collectiveSlots(ctx context.Context, p *slotPlan, firstOnly bool) ([]slotRec, error) {
	limit := ix.cfg.limits.MaxResults
	list := ix.collective[p.service]
	i, _ := slices.BinarySearchFunc(list, p.from, func(a *appt, t int64) int { return cmp.Compare(a.start, t) })
	var out []slotRec
	for ; i < len(list) && list[i].start < p.to; i++ {
		if firstOnly && len(out) > 0 && list[i].start > out[0].start {
			break
		}
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		a := list[i]
		if !a.blocking() || a.participants >= a.capacity {
			continue
		}
		if !p.placeAllowed(a.place) {
			continue
		}
		if p.agentFilter && !slices.ContainsFunc(a.agents, func(x int32) bool { _, ok := slices.BinarySearch(p.agents, x); return ok }) {
			continue
		}
		if len(out) >= limit {
			return nil, &LimitError{Limit: "MaxResults", Value: fmt.Sprint(limit), Want: "the query has more seats"}
		}
		out = append(out, slotRec{start: a.start, agent: a.agents[0], place: a.place, appt: a})
	}
	slices.SortFunc(out, compareSlotRecs)
	return out, nil
}

// dressSlots converts computed slots to the caller's form, in the
// service's organisation's zone.
func (ix *Index) dressSlots(recs []slotRec, p *slotPlan) []Slot {
	if len(recs) == 0 {
		return []Slot{}
	}
	loc := ix.orgs[p.svc.org].zone.Location()
	org := ix.orgs[p.svc.org].id
	out := make([]Slot, len(recs))
	for i, r := range recs {
		s := Slot{
			Start: time.Unix(r.start, 0).In(loc), End: time.Unix(r.start+p.svc.duration, 0).In(loc),
			AgentID: ix.agents.at(r.agent).id, PlaceID: ix.placeID(r.place), OrganisationID: org, ServiceID: p.svc.id,
		}
		if r.appt != nil {
			s.End = time.Unix(r.appt.end, 0).In(loc)
			s.AppointmentID = r.appt.id
			s.SeatsLeft = int(r.appt.capacity - r.appt.participants)
		}
		out[i] = s
	}
	return out
}
