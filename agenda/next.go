package agenda

import (
	"context"
	"fmt"
	"math"
	"time"
)

// nextFirstChunk is the first window next availability searches; each
// following window doubles, so a first slot d days ahead costs about
// O(d) work, not d/7 full searches.
const nextFirstChunk = 7 * 86400

// nextEnd returns the end of the starts next availability searches from
// now: now plus the service's maximum notice in the user view when it has
// one, else plus [Limits.NextHorizon], inclusive, and never past the years
// the index covers. NextAvailable and Explain's nearest starts stop here.
func (ix *Index) nextEnd(svc *serviceData, view View, now int64) int64 {
	horizon := int64(ix.cfg.limits.NextHorizon / time.Second)
	if view == ViewUser && svc.maxNotice > 0 {
		horizon = svc.maxNotice
	}
	return min(now+horizon+1, time.Date(ix.cfg.limits.MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
}

// NextAvailable returns the earliest slot [Index.Slots] would return for
// q (ordered by start, then agent id, then place id) starting in
// [max(From, Now), H], where H is Now plus the service's maximum notice in
// the user view when it has one, and Now plus [Limits.NextHorizon]
// otherwise. q.To is not used. It reports false when there is none.
//
// The search expands lazily, in windows that double from one week, and
// stops at the first window holding a slot. Busy and closed time is
// subtracted as merged intervals, so a fully booked week or a closed month
// costs one interval each, not a scan.
func (ix *Index) NextAvailable(ctx context.Context, q SlotQuery) (Slot, bool, error) {
	ctx = orBackground(ctx)
	if q.Now.IsZero() {
		return Slot{}, false, fmt.Errorf("agenda: the query needs now: %w", ErrInvalidQuery)
	}
	s, ok := ix.serviceByID[q.ServiceID]
	if !ok {
		return Slot{}, false, fmt.Errorf("agenda: service %q: %w", q.ServiceID, ErrNotFound)
	}
	now := ceilUnix(q.Now)
	start := now
	if !q.From.IsZero() {
		start = max(start, ceilUnix(q.From))
	}
	p, err := ix.planSlots(q, start, ix.nextEnd(&ix.services[s], q.View, now))
	if err != nil {
		return Slot{}, false, err
	}
	if p.svc.collective {
		recs, err := ix.collectiveSlots(ctx, p, true)
		if err != nil || len(recs) == 0 {
			return Slot{}, false, err
		}
		return ix.dressSlots(recs[:1], p)[0], true, nil
	}
	if len(p.agents) == 0 {
		return Slot{}, false, nil
	}
	firsts := make([]slotRec, len(p.agents))
	found := make([]bool, len(p.agents))
	workers := min(ix.cfg.parallelism, len(p.agents))
	scratches := make([]*scratch, workers)
	defer releaseAll(scratches)
	b := newBudget(ix.cfg.limits) // one budget for the whole search
	for lo, chunk := p.from, int64(nextFirstChunk); lo < p.to; lo, chunk = lo+chunk, chunk*2 {
		hi := min(lo+chunk, p.to)
		_, err := ix.fanOut(ctx, len(p.agents), func(ctx context.Context, w, i int) error {
			sc := worker(scratches, w)
			recs, err := ix.agentSlots(sc.slots[:0], ix.agents.at(p.agents[i]), p, lo, hi, math.MaxInt32, sc, b)
			sc.slots = recs
			if err != nil {
				return err
			}
			found[i] = len(recs) > 0
			if found[i] {
				firsts[i] = recs[0]
			}
			return nil
		})
		if err != nil {
			return Slot{}, false, err
		}
		best := -1
		for i := range firsts {
			if found[i] && (best < 0 || compareSlotRecs(firsts[i], firsts[best]) < 0) {
				best = i
			}
		}
		if best >= 0 {
			return ix.dressSlots(firsts[best:best+1], p)[0], true, nil
		}
	}
	return Slot{}, false, nil
}
