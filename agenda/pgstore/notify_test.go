package pgstore

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// TestOnChangeFollowsTheDatabase books on one replica and watches the
// other: the change it follows from the database is told with the agent
// and a range covering the slot; a reload tells every agent.
func TestOnChangeFollowsTheDatabase(t *testing.T) {
	a, b, ds, _ := twoReplicas(t)
	var mu sync.Mutex
	var got []agenda.Change
	stop := b.OnChange(func(c agenda.Change) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, c)
	})
	sl := freeSlots(t, a, ds, 1)[0]
	_, err := a.Book(context.Background(), bookingOf("watched", sl))
	require.NoError(t, err)
	eventually(t, "the replica tells of the followed booking", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) > 0
	})
	mu.Lock()
	c := got[0]
	mu.Unlock()
	assert.Equal(t, []string{sl.AgentID}, c.AgentIDs)
	assert.True(t, c.Bounded() && !c.From.After(sl.Start) && !c.To.Before(sl.End), "range %s..%s, slot %s..%s", c.From, c.To, sl.Start, sl.End)

	// A reload replaces the index: the callbacks move to the new one and
	// hear that everything changed.
	b.applyMu.Lock()
	require.NoError(t, b.reload(context.Background()))
	b.applyMu.Unlock()
	mu.Lock()
	last := got[len(got)-1]
	n := len(got)
	mu.Unlock()
	assert.Len(t, last.AgentIDs, len(ds.Agents))
	assert.False(t, last.Bounded())
	require.NoError(t, b.CancelAppointment(context.Background(), "watched", agenda.StatusExcused))
	eventually(t, "the new index tells of the cancellation", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) > n
	})
	stop()
}
