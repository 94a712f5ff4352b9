package agenda

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/crossagenda/crossagenda/interval"
)

// CommonQuery asks when a group of agents is free together.
type CommonQuery struct {
	AgentIDs []string
	From, To time.Time
	// Quorum is how many of the agents must be free at once; 0 means all.
	Quorum int
	// MinLength drops the intervals shorter than this.
	MinLength time.Duration
}

// Common returns the maximal intervals of [From, To) during which at least
// Quorum of the agents are free, each at least MinLength long, in the first
// agent's zone. An agent's free time here is the union of all their
// openings, in any organisation, place or service, minus their busy time
// and minus each organisation's closed days.
//
// "All" is a two-pointer intersection that stops as soon as it is empty;
// "k of N" is one sweep over the endpoints of the N free sets. Neither
// enumerates combinations: the cost is O(E log N) in the E endpoints.
func (ix *Index) Common(ctx context.Context, q CommonQuery) ([]Span, error) {
	ctx = orBackground(ctx)
	f, t, err := ix.window(q.From, q.To)
	if err != nil {
		return nil, err
	}
	n := len(q.AgentIDs)
	if n == 0 {
		return nil, fmt.Errorf("agenda: the query names no agent: %w", ErrInvalidQuery)
	}
	if n > ix.cfg.limits.MaxAgents {
		return nil, &LimitError{Limit: "MaxAgents", Value: fmt.Sprint(ix.cfg.limits.MaxAgents),
			Want: fmt.Sprintf("the query names %d agents", n)}
	}
	agents := make([]*agentData, n)
	for i, id := range q.AgentIDs {
		a, ok := ix.agentByID[id]
		if !ok {
			return nil, fmt.Errorf("agenda: agent %q: %w", id, ErrNotFound)
		}
		agents[i] = ix.agents.at(a)
	}
	seen := make(map[int32]bool, n)
	for _, a := range agents {
		if seen[a.idx] {
			return nil, fmt.Errorf("agenda: agent %q is named twice: %w", a.id, ErrInvalidQuery)
		}
		seen[a.idx] = true
	}
	k := q.Quorum
	if k == 0 {
		k = n
	}
	if k < 1 || k > n {
		return nil, fmt.Errorf("agenda: quorum %d is not between 1 and the %d agents: %w", q.Quorum, n, ErrInvalidQuery)
	}
	if q.MinLength < 0 {
		return nil, fmt.Errorf("agenda: min length %s is negative: %w", q.MinLength, ErrInvalidQuery)
	}

	free := make([][]interval.Interval, n)
	workers := min(ix.cfg.parallelism, n)
	scratches := make([]*scratch, workers)
	defer releaseAll(scratches)
	win := interval.Interval{Start: f, End: t}
	b := newBudget(ix.cfg.limits) // one budget for the whole query, whatever its fan-out
	_, err = ix.fanOut(ctx, n, func(ctx context.Context, w, i int) error {
		sc := worker(scratches, w)
		var err error
		sc.free, err = ix.freeTime(sc.free[:0], agents[i], &freeQuery{win: win}, nil, sc, b)
		free[i] = slices.Clone(sc.free) // the result outlives the scratch space
		return err
	})
	if err != nil {
		return nil, err
	}

	var res []interval.Interval
	if k == n {
		res = append(res, free[0]...)
		var tmp []interval.Interval
		for _, s := range free[1:] {
			if len(res) == 0 {
				break
			}
			tmp = interval.AppendIntersect(tmp[:0], res, s)
			res, tmp = tmp, res
		}
	} else {
		res = interval.AppendAtLeast(nil, k, free...)
	}
	minLen := int64(q.MinLength / time.Second)
	if q.MinLength%time.Second != 0 {
		minLen++
	}
	res = slices.DeleteFunc(res, func(iv interval.Interval) bool { return iv.Len() < minLen })
	if len(res) > ix.cfg.limits.MaxResults {
		return nil, &LimitError{Limit: "MaxResults", Value: fmt.Sprint(ix.cfg.limits.MaxResults),
			Want: fmt.Sprintf("the query has %d intervals", len(res))}
	}
	return spans(res, agents[0].zone.Location()), nil
}
