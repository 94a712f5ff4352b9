package agenda

import (
	"cmp"
	"slices"
	"sort"
	"sync"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/ical"
	"github.com/crossagenda/crossagenda/interval"
)

// freeQuery says which of an agent's free time [Index.freeTime] computes.
type freeQuery struct {
	// win bounds the result: free time is clipped to it.
	win interval.Interval
	// With forService, only the openings offering service at place count
	// as open time (the slots); without, all of them do.
	forService     bool
	service, place int32
	// busy is the agent's busy time over win as [Index.busyTime] returns
	// it, when hasBusy is set: a caller that computes free time several
	// times over one window (the slots, one place at a time) computes it
	// once. Otherwise freeTime computes it.
	busy    []interval.Interval
	hasBusy bool
	// With onlyOrg, only the openings of organisation org count (an
	// agenda asked on behalf of org).
	onlyOrg bool
	org     int32
}

// keeps reports whether the opening's occurrences count as open time.
func (q *freeQuery) keeps(o *opening) bool {
	return (!q.onlyOrg || o.org == q.org) && (!q.forService || o.place == q.place && o.offers(q.service))
}

// freeTime appends to dst the agent's free time for q: the union of the
// occurrences of the kept openings, each minus the closed days of its
// organisation, minus the agent's busy time in every organisation, clipped
// to q.win and normalised. It is the one definition of free time: the
// agenda, the slots, next availability and group availability all call
// it. visit, when not nil, sees every occurrence of a kept opening that
// overlaps q.win, unclipped, before closed days and busy time are taken
// out of it: the agenda lists them as events. dst may be sc.free, no other of sc's buffers (busy neither, unless
// q.hasBusy).
//
// Cost: O(m log m) for the m occurrences expanded, plus the busy and
// closed spans in the window; no allocation once sc has grown.
func (ix *Index) freeTime(dst []interval.Interval, a *agentData, q *freeQuery, visit func(*opening, interval.Interval),
	sc *scratch, b *budget) ([]interval.Interval, error) {
	occ := sc.orgOcc[:0]
	for _, o := range a.openings {
		if !q.keeps(o) {
			continue
		}
		var err error
		sc.ivs, sc.dates, err = appendOccurrences(sc.ivs[:0], sc.dates, o.rule, o.zone, o.start, o.end, q.win.Start, q.win.End, b)
		if err != nil {
			sc.orgOcc = occ
			return dst, err
		}
		for _, iv := range sc.ivs {
			if visit != nil {
				visit(o, iv)
			}
			occ = append(occ, orgInterval{org: o.org, iv: iv})
		}
	}
	sc.orgOcc = occ
	sc.open = ix.openMinusClosed(sc.open[:0], occ, q.win, sc)
	busy := q.busy
	if !q.hasBusy {
		var err error
		if q.forService {
			sc.busy, err = ix.serviceBusy(sc.busy[:0], a, &ix.services[q.service], q.win, sc, b)
		} else {
			sc.busy, err = ix.busyTime(sc.busy[:0], a, q.win, sc, b)
		}
		if err != nil {
			return dst, err
		}
		busy = sc.busy
	}
	return interval.AppendSubtract(dst, sc.open, busy), nil
}

// busyTime appends to dst the agent's busy time overlapping win, clipped
// to it and normalised: blocking appointments of every organisation,
// holds that have not expired, one-off absences, the occurrences of
// recurring absences and the blocking events of external calendars. Every query
// takes busy time from here. dst may be sc.busy or sc.free, no other of
// sc's buffers.
func (ix *Index) busyTime(dst []interval.Interval, a *agentData, win interval.Interval, sc *scratch, b *budget) ([]interval.Interval, error) {
	n := len(dst)
	dst = interval.AppendClip(dst, a.busyFixed, win)
	if len(a.holds) > 0 {
		dst = ix.unionHolds(dst, n, a, win)
	}
	if len(a.absRecurring) == 0 && len(a.calendars) == 0 {
		return dst, nil
	}
	occ := sc.ivs[:0]
	var err error
	for _, ab := range a.absRecurring {
		occ, sc.dates, err = appendOccurrences(occ, sc.dates, ab.rule, ab.zone, ab.start, ab.end, win.Start, win.End, b)
		if err != nil {
			sc.ivs = occ
			return dst[:n], err
		}
	}
	if occ, err = appendCalendarBusy(occ, a, win, sc, b); err != nil {
		sc.ivs = occ
		return dst[:n], err
	}
	sc.ivs = occ
	if len(occ) == 0 {
		return dst, nil
	}
	occ = interval.Normalize(occ)
	for i := range occ { // clipping keeps them sorted, disjoint and non-empty
		occ[i].Start, occ[i].End = max(occ[i].Start, win.Start), min(occ[i].End, win.End)
	}
	sc.tmp = append(sc.tmp[:0], dst[n:]...)
	return interval.AppendUnion(dst[:n], sc.tmp, occ), nil
}

// serviceBusy appends to dst the agent's busy time as a slot of service
// svc sees it: each busy span [a, b) widened to [a-after, b+before) by the
// service's buffers, so that a slot [s, s+duration) lies in the free time
// left exactly when [s-before, s+duration+after) meets no busy time. The
// spans that widen into win are found over win grown by the buffers;
// the result is normalised, not clipped to win. It is busyTime when the
// service has no buffers, and costs one more pass over the spans when it
// has. dst may be sc.busy or sc.free, no other of sc's buffers.
func (ix *Index) serviceBusy(dst []interval.Interval, a *agentData, svc *serviceData, win interval.Interval, sc *scratch, b *budget) ([]interval.Interval, error) {
	before, after := svc.bufBefore, svc.bufAfter
	n := len(dst)
	dst, err := ix.busyTime(dst, a, interval.Interval{Start: win.Start - before, End: win.End + after}, sc, b)
	if err != nil || before == 0 && after == 0 {
		return dst, err
	}
	return dst[:n+widen(dst[n:], after, before)], nil
}

// widen widens each span of a normalised set to [a-left, b+right) in
// place, merging those that come to touch, and returns how many remain.
func widen(set []interval.Interval, left, right int64) int {
	k := 0
	for _, iv := range set {
		s, e := iv.Start-left, iv.End+right
		if k > 0 && set[k-1].End >= s {
			set[k-1].End = max(set[k-1].End, e)
			continue
		}
		set[k] = interval.Interval{Start: s, End: e}
		k++
	}
	return k
}

// orgInterval is an opening occurrence with its organisation.
type orgInterval struct {
	org int32
	iv  interval.Interval
}

// openMinusClosed appends to dst the union of the occurrences, each clipped
// to win and minus the closed days of its organisation, normalised. It
// reorders occ and uses sc.tmp and sc.tmp2.
func (ix *Index) openMinusClosed(dst []interval.Interval, occ []orgInterval, win interval.Interval, sc *scratch) []interval.Interval {
	slices.SortFunc(occ, func(x, y orgInterval) int { return cmp.Compare(x.org, y.org) })
	n := len(dst)
	for lo := 0; lo < len(occ); {
		hi := lo + 1
		for hi < len(occ) && occ[hi].org == occ[lo].org {
			hi++
		}
		part := sc.tmp[:0]
		for _, o := range occ[lo:hi] {
			if iv, ok := o.iv.Intersect(win); ok {
				part = append(part, iv)
			}
		}
		part = interval.Normalize(part)
		closed := ix.closedIn(occ[lo].org, win)
		if lo == 0 { // one organisation, the common case, needs no union
			dst = interval.AppendSubtract(dst, part, closed)
			sc.tmp = part
		} else {
			sc.tmp2 = interval.AppendSubtract(sc.tmp2[:0], part, closed)
			sc.tmp = append(part[:0], dst[n:]...)
			dst = interval.AppendUnion(dst[:n], sc.tmp, sc.tmp2)
		}
		lo = hi
	}
	return dst
}

// closedIn returns the organisation's closed days that overlap win, as a
// sub-slice of its normalised set.
func (ix *Index) closedIn(org int32, win interval.Interval) []interval.Interval {
	set := ix.closed[org].set
	lo := interval.Search(set, win.Start)
	hi := lo + sort.Search(len(set)-lo, func(i int) bool { return set[lo+i].Start >= win.End })
	return set[lo:hi]
}

// scratch holds buffers reused within one query, and across queries
// through scratchPool.
type scratch struct {
	dates  []civil.Date
	ivs    []interval.Interval
	busy   []interval.Interval
	free   []interval.Interval
	tmp    []interval.Interval
	tmp2   []interval.Interval
	places []int32
	slots  []slotRec
	orgOcc []orgInterval
	open   []interval.Interval
	events []eventRef
	keys   []eventKey
	cal    []ical.Occurrence

	appts    []interval.Entry[*appt]
	absences []interval.Entry[*absence]
	closed   []interval.Entry[*closedDay]
}

// scratchPool keeps the buffers of finished queries for the next ones, so
// that a query allocates little more than its result.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooledScratch bounds the bytes of buffers a pooled scratch keeps: a
// query over a huge window does not pin its memory for the small ones.
const maxPooledScratch = 1 << 20

// takeScratch returns a scratch space from the pool; release gives it back.
func takeScratch() *scratch { return scratchPool.Get().(*scratch) }

// release returns sc to the pool, unless its buffers grew too large. sc
// must not be used afterwards.
func (sc *scratch) release() {
	ivs := cap(sc.ivs) + cap(sc.busy) + cap(sc.free) + cap(sc.tmp) + cap(sc.tmp2) + cap(sc.open)
	size := 16*ivs + 4*cap(sc.dates) + 4*cap(sc.places) + 24*cap(sc.slots) + 24*cap(sc.orgOcc) +
		64*cap(sc.events) + 24*cap(sc.keys) + 56*cap(sc.cal) + 24*(cap(sc.appts)+cap(sc.absences)+cap(sc.closed))
	if size <= maxPooledScratch {
		scratchPool.Put(sc)
	}
}

// releaseAll releases the scratch spaces a fan-out took.
func releaseAll(scs []*scratch) {
	for _, sc := range scs {
		if sc != nil {
			sc.release()
		}
	}
}

// worker returns the scratch space of fan-out worker w, taking one from
// the pool the first time.
func worker(scs []*scratch, w int) *scratch {
	if scs[w] == nil {
		scs[w] = takeScratch()
	}
	return scs[w]
}
