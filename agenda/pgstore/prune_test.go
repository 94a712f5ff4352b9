package pgstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// TestPruneChangeLog: a replica that was following loses nothing when the
// log is pruned; one that lags past the pruned changes reloads instead of
// missing them.
func TestPruneChangeLog(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	slots := freeSlots(t, a, ds, 6)
	b.Close() // b stops following: it will lag
	for i, sl := range slots[:3] {
		_, err := a.Book(ctx, bookingOf(fmt.Sprintf("p%d", i), sl))
		require.NoError(t, err)
	}
	// Pruning with no age deletes the changes of the transactions that had
	// all ended when it ran: any transaction still running on the server
	// (other tests, other databases) holds that bound back, so prune until
	// the import's and the three bookings' changes are gone.
	var deleted int64
	var left int
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, err := PruneChangeLog(ctx, pool, 0)
		require.NoError(t, err)
		deleted += n
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM change_log`).Scan(&left))
		if left == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	assert.Equal(t, int64(4), deleted, "every change: the import's and three bookings")
	assert.Zero(t, left)
	var below int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT below_xid FROM change_log_pruned`).Scan(&below))
	assert.Greater(t, below, b.Position().snap.xmin, "the pruned bound passes the lagging replica's position")
	_, err := PruneChangeLog(ctx, pool, -time.Second)
	require.ErrorIs(t, err, agenda.ErrInvalidQuery)

	// The follower of a catches on; b, behind the pruned changes, reloads.
	for i, sl := range slots[3:] {
		_, err := a.Book(ctx, bookingOf(fmt.Sprintf("q%d", i), sl))
		require.NoError(t, err)
	}
	reloads := b.Stats().Reloads
	require.NoError(t, b.CatchUp(ctx))
	assert.Equal(t, reloads+1, b.Stats().Reloads, "a gap reloads")
	for i, sl := range slots {
		id := fmt.Sprintf("p%d", i)
		if i >= 3 {
			id = fmt.Sprintf("q%d", i-3)
		}
		for _, s := range []*Store{a, b} {
			_, ok := appointmentIn(t, s, sl.AgentID, id, sl.Start)
			assert.True(t, ok, "booking %s", id)
		}
	}
	db := dbPosition(t, pool)
	require.NoError(t, a.CatchUp(ctx))
	require.NoError(t, b.CatchUp(ctx))
	assert.True(t, a.Position().Covers(db) && b.Position().Covers(db), "both caught up")
}

// TestPruneChangeLogInBatches: more changes than one statement deletes
// are all deleted, batch after batch.
func TestPruneChangeLogInBatches(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	const rows = 2*pruneBatch + 5
	_, err := pool.Exec(ctx, `INSERT INTO change_log (table_name, op) SELECT 'appointments', 'reload' FROM generate_series(1, $1)`, rows)
	require.NoError(t, err)
	var deleted int64
	for range 2 { // the first call records the horizon past those changes
		n, err := PruneChangeLog(ctx, pool, 0)
		require.NoError(t, err)
		deleted += n
	}
	assert.Equal(t, int64(rows), deleted)
	var left int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM change_log`).Scan(&left))
	assert.Zero(t, left)
}
