package reference

import (
	"fmt"
	"slices"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// Common returns the maximal intervals of [from, to) during which at least
// quorum of the agents (all of them when quorum is 0) are free, keeping
// those at least minLen long.
func (r *Reference) Common(agentIDs []string, from, to time.Time, quorum int, minLen time.Duration) ([]Span, error) {
	if err := checkWindow(from, to); err != nil {
		return nil, err
	}
	k := quorum
	if k == 0 {
		k = len(agentIDs)
	}
	if k < 1 || k > len(agentIDs) {
		return nil, fmt.Errorf("reference: quorum %d with %d agents: %w", quorum, len(agentIDs), agenda.ErrInvalidQuery)
	}
	if minLen < 0 {
		return nil, fmt.Errorf("reference: negative minimum length %s: %w", minLen, agenda.ErrInvalidQuery)
	}
	var sets [][]Span
	for i, id := range agentIDs {
		if _, ok := r.agents[id]; !ok {
			return nil, fmt.Errorf("reference: agent %q: %w", id, agenda.ErrNotFound)
		}
		if slices.Contains(agentIDs[:i], id) {
			return nil, fmt.Errorf("reference: agent %q named twice: %w", id, agenda.ErrInvalidQuery)
		}
		sets = append(sets, r.free(id, from, to))
	}
	var out []Span
	for _, s := range covered(sets, k) {
		if s.End.Sub(s.Start) >= minLen {
			out = append(out, s)
		}
	}
	return out, nil
}
