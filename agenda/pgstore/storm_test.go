package pgstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// TestStorm: two replicas on two pools, hundreds of concurrent bookings
// over a few dozen contested slots. Exactly one booking per slot wins,
// checked in SQL and in both replicas' snapshots; every other attempt is
// a conflict.
func TestStorm(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	slots := freeSlots(t, a, ds, 30)
	require.GreaterOrEqual(t, len(slots), 24, "a few dozen contested slots")
	const perSlot = 12
	type attempt struct {
		slot int
		id   string
	}
	var attempts []attempt
	for i := range slots {
		for k := range perSlot {
			attempts = append(attempts, attempt{i, fmt.Sprintf("storm-%d-%d", i, k)})
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(attempts), func(i, j int) { attempts[i], attempts[j] = attempts[j], attempts[i] })

	var (
		wins              = make([]atomic.Int64, len(slots))
		won               sync.Map // slot -> booking id
		conflicts, others atomic.Int64
		next              atomic.Int64
		wg                sync.WaitGroup
	)
	start := time.Now()
	for w := range 32 {
		replica := []*Store{a, b}[w%2]
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(attempts) {
					return
				}
				at := attempts[i]
				_, err := replica.Book(ctx, bookingOf(at.id, slots[at.slot]))
				switch {
				case err == nil:
					wins[at.slot].Add(1)
					won.Store(at.slot, at.id)
				case errors.Is(err, agenda.ErrConflict):
					conflicts.Add(1)
				default:
					others.Add(1)
					t.Errorf("booking %s: %v", at.id, err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	t.Logf("storm: %d bookings over %d slots from 2 replicas in %v: %d won, %d conflicts, %d other errors",
		len(attempts), len(slots), elapsed.Round(time.Millisecond), len(slots), conflicts.Load(), others.Load())
	for i := range slots {
		assert.Equal(t, int64(1), wins[i].Load(), "slot %d", i)
	}
	assert.Equal(t, int64(len(attempts)-len(slots)), conflicts.Load())
	assert.Zero(t, others.Load())

	// In SQL: one blocking appointment per slot, no other storm booking.
	var n, distinct int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT (agent_ids[1], start_at)) FROM appointments WHERE id LIKE 'storm-%'`).Scan(&n, &distinct))
	assert.Equal(t, len(slots), n)
	assert.Equal(t, len(slots), distinct)
	// In both snapshots: the winner, and the slot no longer offered.
	for _, s := range []*Store{a, b} {
		require.NoError(t, s.CatchUp(ctx))
		for i, sl := range slots {
			id, _ := won.Load(i)
			_, ok := appointmentIn(t, s, sl.AgentID, id.(string), sl.Start)
			assert.True(t, ok, "slot %d: winner %s in the snapshot", i, id)
			_, err := s.Snapshot().CheckBooking(ctx, bookingOf("late", sl))
			assert.ErrorIs(t, err, agenda.ErrConflict)
		}
		assert.Zero(t, s.Stats().ApplyErrors)
	}
}

// TestFollowSurvivesTerminatedConnection kills the follower's connection
// again and again (pg_terminate_backend) while the other replica books:
// the follower reconnects and catches up, applying every change exactly
// once and in order.
func TestFollowSurvivesTerminatedConnection(t *testing.T) {
	cfg := testSchema(t)
	pool := newPool(t, cfg, true)
	ds := importSmall(t, pool)
	ctx := context.Background()
	writer := openStore(t, pool, Config{})
	var order orderCheck
	follower := openStore(t, newPool(t, cfg, false), Config{Poll: 100 * time.Millisecond, OnApply: order.add})

	slots := freeSlots(t, writer, ds, 40)
	var kills int
	for i, sl := range slots {
		_, err := writer.Book(ctx, bookingOf(fmt.Sprintf("k%d", i), sl))
		require.NoError(t, err)
		if i%4 == 0 {
			// The follow connection may still be connecting on a loaded
			// machine: terminate it once it is there, not a pid of 0.
			eventually(t, "the follower listens", func() bool { return follower.followPID.Load() != 0 })
			pid := follower.followPID.Load()
			var done bool
			require.NoError(t, pool.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, int32(pid)).Scan(&done))
			if done {
				kills++
				eventually(t, "the follower reconnects", func() bool { p := follower.followPID.Load(); return p != 0 && p != pid })
			}
		}
	}
	db := dbPosition(t, pool)
	eventually(t, "the follower catches up", func() bool { return follower.Position().Covers(db) })
	for i, sl := range slots {
		_, ok := appointmentIn(t, follower, sl.AgentID, fmt.Sprintf("k%d", i), sl.Start)
		assert.True(t, ok, "booking k%d", i)
	}
	n := order.check(t, pool)
	st := follower.Stats()
	t.Logf("terminated the follow connection %d times: %d reconnects, %d changes applied once each", kills, st.FollowErrors, n)
	assert.Positive(t, kills)
	assert.Positive(t, st.FollowErrors)
	assert.Zero(t, st.ApplyErrors)
}

// orderCheck records the changes a replica applies.
type orderCheck struct {
	mu   sync.Mutex
	seqs []int64
}

func (o *orderCheck) add(seq int64, _ time.Time) {
	o.mu.Lock()
	o.seqs = append(o.seqs, seq)
	o.mu.Unlock()
}

// check asserts that the replica applied every change of the log but the
// import's (loaded with the data), each once, and those of any one row in
// number order, which is their commit order; it returns how many.
func (o *orderCheck) check(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	rows, err := pool.Query(context.Background(), `SELECT seq, table_name || ' ' || coalesce(new_row->>'id', old_row->>'id', '')
		FROM change_log WHERE op <> 'reload' ORDER BY seq`)
	require.NoError(t, err)
	type logged struct {
		Seq int64
		Row string
	}
	log, err := pgx.CollectRows(rows, pgx.RowToStructByPos[logged])
	require.NoError(t, err)
	rowOf := map[int64]string{}
	var want []int64
	for _, l := range log {
		rowOf[l.Seq] = l.Row
		want = append(want, l.Seq)
	}
	got := slices.Clone(o.seqs)
	slices.Sort(got)
	assert.Equal(t, want, got, "every change applied once")
	last := map[string]int64{}
	for _, seq := range o.seqs {
		row := rowOf[seq]
		assert.Less(t, last[row], seq, "changes of %s applied out of order", row)
		last[row] = seq
	}
	return len(o.seqs)
}

// TestFollowSurvivesPostgresRestart restarts a throwaway PostgreSQL server
// between bookings: both replicas reconnect and catch up, every change
// applied exactly once, in order.
func TestFollowSurvivesPostgresRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("restarts a PostgreSQL server: not under -short")
	}
	c := startCluster(t)
	cfg, err := pgxpool.ParseConfig(c.url())
	require.NoError(t, err)
	pool := newPool(t, cfg, true)
	ds := importSmall(t, pool)
	ctx := context.Background()
	writer := openStore(t, pool, Config{})
	var order orderCheck
	follower := openStore(t, newPool(t, cfg, false), Config{Poll: 100 * time.Millisecond, OnApply: order.add})

	slots := freeSlots(t, writer, ds, 30)
	restarts := 0
	for i, sl := range slots {
		if i%10 == 5 {
			c.restart(t)
			restarts++
		}
		// Connections cut by the restart fail once each; the pool then
		// opens new ones. A failed booking was not acknowledged: retry.
		var err error
		for try := 0; try < 20; try++ {
			if _, err = writer.Book(ctx, bookingOf(fmt.Sprintf("restart-%d", i), sl)); err == nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		require.NoError(t, err)
	}
	db := dbPosition(t, pool)
	eventually(t, "the follower catches up", func() bool { return follower.Position().Covers(db) })
	for i, sl := range slots {
		for _, s := range []*Store{writer, follower} {
			_, ok := appointmentIn(t, s, sl.AgentID, fmt.Sprintf("restart-%d", i), sl.Start)
			assert.True(t, ok, "booking restart-%d", i)
		}
	}
	n := order.check(t, pool)
	t.Logf("%d restarts: follower reconnected %d times, applied %d changes once each", restarts, follower.Stats().FollowErrors, n)
	assert.Zero(t, follower.Stats().ApplyErrors)
}
