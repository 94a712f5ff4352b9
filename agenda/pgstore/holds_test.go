package pgstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// testClock is a clock a test moves by hand, shared by replicas.
type testClock struct{ ns atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *testClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// twoClockedReplicas is twoReplicas with both Stores' holds expiring on
// one clock the test moves, starting at the dataset's anchor.
func twoClockedReplicas(t *testing.T) (a, b *Store, ds *agenda.Dataset, pool *pgxpool.Pool, clock *testClock, cfg *pgxpool.Config) {
	t.Helper()
	cfg = testSchema(t)
	pool = newPool(t, cfg, true)
	ds = genSmall()
	require.NoError(t, Import(context.Background(), pool, ds))
	clock = &testClock{}
	clock.ns.Store(gen.DefaultAnchor().UnixNano())
	opts := Config{Options: []agenda.Option{agenda.WithClock(clock.Now)}}
	a = openStore(t, pool, opts)
	b = openStore(t, newPool(t, cfg, false), opts)
	return a, b, ds, pool, clock, cfg
}

// offered reports whether the replica's snapshot offers the slot, as
// CheckBooking decides for a new booking of it.
func offered(t *testing.T, s *Store, sl agenda.Slot) bool {
	t.Helper()
	_, err := s.Snapshot().CheckBooking(context.Background(), bookingOf("probe", sl))
	if err != nil {
		require.ErrorIs(t, err, agenda.ErrConflict, "a slot that was offered is refused only as taken")
	}
	return err == nil
}

// holdIn finds a hold by id in an agent's agenda around t0.
func holdIn(t *testing.T, s *Store, agentID, id string, t0 time.Time) bool {
	t.Helper()
	ag, err := s.Snapshot().Agenda(context.Background(), agentID, t0.Add(-24*time.Hour), t0.Add(24*time.Hour))
	require.NoError(t, err)
	for _, e := range ag.Events {
		if e.Kind == agenda.KindHold && e.ID == id {
			return true
		}
	}
	return false
}

func countRows(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

func TestHoldBlocksBothReplicasUntilItExpires(t *testing.T) {
	a, b, ds, pool, clock, cfg := twoClockedReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	require.True(t, offered(t, a, sl))

	held, err := a.Hold(ctx, bookingOf("h1", sl), 10*time.Minute)
	require.NoError(t, err)
	assert.True(t, held.Start.Equal(sl.Start))
	assert.False(t, offered(t, a, sl), "the holding replica blocks the slot as soon as Hold returns")
	assert.True(t, holdIn(t, a, sl.AgentID, "h1", sl.Start))
	eventually(t, "the other replica sees the hold", func() bool { return holdIn(t, b, sl.AgentID, "h1", sl.Start) })
	assert.False(t, offered(t, b, sl))
	// The row carries the absolute expiry instant.
	var expires time.Time
	require.NoError(t, pool.QueryRow(ctx, `SELECT expires_at FROM holds WHERE id = 'h1'`).Scan(&expires))
	assert.True(t, expires.Equal(gen.DefaultAnchor().Add(10*time.Minute)), "expires_at %s", expires)

	// Neither a booking nor another hold takes it, from either replica.
	_, err = b.Book(ctx, bookingOf("bk1", sl))
	assert.ErrorIs(t, err, agenda.ErrConflict)
	_, err = b.Hold(ctx, bookingOf("h2", sl), time.Minute)
	assert.ErrorIs(t, err, agenda.ErrConflict)
	// A replica loading afresh has it too.
	c := openStore(t, newPool(t, cfg, false), Config{Options: []agenda.Option{agenda.WithClock(clock.Now)}})
	assert.False(t, offered(t, c, sl))

	// One second before expiry it blocks; at expiry, in every replica, it
	// blocks nothing though its row is still there.
	clock.Advance(10*time.Minute - time.Second)
	assert.False(t, offered(t, a, sl))
	assert.False(t, offered(t, b, sl))
	clock.Advance(time.Second)
	for _, s := range []*Store{a, b, c} {
		assert.True(t, offered(t, s, sl))
	}
	assert.Equal(t, 1, countRows(t, pool, `SELECT count(*) FROM holds WHERE id = 'h1'`))
	_, err = a.Confirm(ctx, "h1")
	assert.ErrorIs(t, err, agenda.ErrExpired)

	// A new hold of the slot succeeds and deletes the expired row.
	_, err = b.Hold(ctx, bookingOf("h2", sl), time.Minute)
	require.NoError(t, err)
	assert.Equal(t, 0, countRows(t, pool, `SELECT count(*) FROM holds WHERE id = 'h1'`))
	assert.Equal(t, 1, countRows(t, pool, `SELECT count(*) FROM holds WHERE id = 'h2'`))
	eventually(t, "the first replica sees the new hold", func() bool { return holdIn(t, a, sl.AgentID, "h2", sl.Start) })
	_, err = a.Confirm(ctx, "h1")
	assert.ErrorIs(t, err, agenda.ErrNotFound)

	// PruneHolds deletes what expired, bounded by its limit.
	clock.Advance(time.Minute)
	n, err := a.PruneHolds(ctx, 10)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	assert.Equal(t, 0, countRows(t, pool, `SELECT count(*) FROM holds`))
	for _, s := range []*Store{a, b, c} {
		require.NoError(t, s.CatchUp(ctx))
		assert.Zero(t, s.Stats().ApplyErrors)
	}
}

func TestConfirmTurnsTheHoldIntoTheAppointment(t *testing.T) {
	a, b, ds, pool, _, _ := twoClockedReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	_, err := a.Hold(ctx, bookingOf("h1", sl), time.Hour)
	require.NoError(t, err)

	// The hold id is an idempotency key.
	again, err := b.Hold(ctx, bookingOf("h1", sl), time.Hour)
	require.NoError(t, err)
	assert.True(t, again.Start.Equal(sl.Start))
	moved := bookingOf("h1", sl)
	moved.Start = moved.Start.Add(24 * time.Hour)
	_, err = b.Hold(ctx, moved, time.Hour)
	assert.ErrorIs(t, err, ErrIDConflict)
	// Booking the id of an active hold is refused: it is confirmed instead.
	_, err = b.Book(ctx, bookingOf("h1", sl))
	assert.ErrorIs(t, err, ErrIDConflict)

	got, err := b.Confirm(ctx, "h1")
	require.NoError(t, err)
	assert.True(t, got.Start.Equal(sl.Start))
	assert.Equal(t, []string{sl.AgentID}, got.AgentIDs)
	assert.Equal(t, agenda.StatusBooked, got.Status)

	var status, agent string
	var start time.Time
	require.NoError(t, pool.QueryRow(ctx, `SELECT status, agent_ids[1], start_at FROM appointments WHERE id = 'h1'`).Scan(&status, &agent, &start))
	assert.Equal(t, "booked", status)
	assert.Equal(t, sl.AgentID, agent)
	assert.True(t, start.Equal(sl.Start))
	assert.Equal(t, 0, countRows(t, pool, `SELECT count(*) FROM holds`))
	for _, s := range []*Store{b, a} {
		eventually(t, "the appointment in both snapshots", func() bool {
			_, ok := appointmentIn(t, s, sl.AgentID, "h1", sl.Start)
			return ok && !holdIn(t, s, sl.AgentID, "h1", sl.Start)
		})
		assert.False(t, offered(t, s, sl))
	}

	// Repeating Confirm returns the appointment; the slot stays taken.
	rep, err := a.Confirm(ctx, "h1")
	require.NoError(t, err)
	assert.True(t, rep.Start.Equal(sl.Start))
	assert.Equal(t, 1, countRows(t, pool, `SELECT count(*) FROM appointments WHERE id = 'h1'`))
	_, err = a.Hold(ctx, bookingOf("h2", sl), time.Hour)
	assert.ErrorIs(t, err, agenda.ErrConflict)
	_, err = a.Hold(ctx, bookingOf("h1", sl), time.Hour)
	assert.ErrorIs(t, err, ErrIDConflict, "a hold cannot reuse an appointment's id")
	_, err = a.Confirm(ctx, "nothing")
	assert.ErrorIs(t, err, agenda.ErrNotFound)
}

func TestReleaseHoldFreesTheSlotEverywhere(t *testing.T) {
	a, b, ds, pool, _, _ := twoClockedReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	_, err := a.Hold(ctx, bookingOf("h1", sl), time.Hour)
	require.NoError(t, err)
	eventually(t, "the other replica sees the hold", func() bool { return !offered(t, b, sl) })

	require.NoError(t, b.ReleaseHold(ctx, "h1"))
	assert.Equal(t, 0, countRows(t, pool, `SELECT count(*) FROM holds`))
	assert.True(t, offered(t, b, sl))
	eventually(t, "the holding replica sees the release", func() bool { return offered(t, a, sl) })
	assert.False(t, holdIn(t, a, sl.AgentID, "h1", sl.Start))
	assert.ErrorIs(t, a.ReleaseHold(ctx, "h1"), agenda.ErrNotFound)
	_, err = a.Confirm(ctx, "h1")
	assert.ErrorIs(t, err, agenda.ErrNotFound)
	_, err = a.Book(ctx, bookingOf("bk1", sl))
	require.NoError(t, err)
}

// TestHoldStorm: two replicas, holds and bookings at once over contested
// slots. Exactly one of them wins each slot, checked in SQL across both
// tables and in both snapshots; every other attempt is a conflict.
func TestHoldStorm(t *testing.T) {
	a, b, ds, pool, _, _ := twoClockedReplicas(t)
	ctx := context.Background()
	slots := freeSlots(t, a, ds, 24)
	require.GreaterOrEqual(t, len(slots), 20, "a few dozen contested slots")
	const perSlot = 10
	type attempt struct {
		slot int
		id   string
		hold bool
	}
	var attempts []attempt
	for i := range slots {
		for k := range perSlot {
			attempts = append(attempts, attempt{i, fmt.Sprintf("hs-%d-%d", i, k), k%2 == 0})
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(attempts), func(i, j int) { attempts[i], attempts[j] = attempts[j], attempts[i] })

	var (
		wins                     = make([]atomic.Int64, len(slots))
		holdsWon, conflicts, bad atomic.Int64
		next                     atomic.Int64
		wg                       sync.WaitGroup
	)
	for w := range 16 {
		replica := []*Store{a, b}[w%2]
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(attempts) {
					return
				}
				at := attempts[i]
				var err error
				if at.hold {
					_, err = replica.Hold(ctx, bookingOf(at.id, slots[at.slot]), time.Hour)
				} else {
					_, err = replica.Book(ctx, bookingOf(at.id, slots[at.slot]))
				}
				switch {
				case err == nil:
					wins[at.slot].Add(1)
					if at.hold {
						holdsWon.Add(1)
					}
				case errors.Is(err, agenda.ErrConflict):
					conflicts.Add(1)
				default:
					bad.Add(1)
					t.Errorf("%s: %v", at.id, err)
				}
			}
		})
	}
	wg.Wait()
	t.Logf("hold storm: %d holds and bookings over %d slots from 2 replicas: %d holds and %d bookings won, %d conflicts, %d other errors",
		len(attempts), len(slots), holdsWon.Load(), int64(len(slots))-holdsWon.Load(), conflicts.Load(), bad.Load())
	for i := range slots {
		assert.Equal(t, int64(1), wins[i].Load(), "slot %d", i)
	}
	assert.Equal(t, int64(len(attempts)-len(slots)), conflicts.Load())

	// In SQL: one hold or appointment per slot over both tables.
	var n, distinct int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT (agent, start_at)) FROM (
		SELECT agent_ids[1] AS agent, start_at FROM appointments WHERE id LIKE 'hs-%'
		UNION ALL SELECT agent_id, start_at FROM holds WHERE id LIKE 'hs-%') AS won`).Scan(&n, &distinct))
	assert.Equal(t, len(slots), n)
	assert.Equal(t, len(slots), distinct)
	assert.Equal(t, int(holdsWon.Load()), countRows(t, pool, `SELECT count(*) FROM holds WHERE id LIKE 'hs-%'`))
	for _, s := range []*Store{a, b} {
		require.NoError(t, s.CatchUp(ctx))
		for _, sl := range slots {
			assert.False(t, offered(t, s, sl))
		}
		assert.Zero(t, s.Stats().ApplyErrors)
	}
}

// TestHoldExpiryIsTold: an expiry changes no row, yet every replica's
// OnChange callbacks hear of it, with the hold's agent and time, so that
// pages following any replica stop showing the hold.
func TestHoldExpiryIsTold(t *testing.T) {
	a, b, ds, _, _, _ := twoClockedReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	type heard struct {
		at     time.Time
		change agenda.Change
	}
	var mu sync.Mutex
	var got [2][]heard
	for i, s := range []*Store{a, b} {
		stop := s.OnChange(func(c agenda.Change) {
			mu.Lock()
			defer mu.Unlock()
			got[i] = append(got[i], heard{time.Now(), c})
		})
		t.Cleanup(stop)
	}
	const ttl = 300 * time.Millisecond
	t0 := time.Now()
	_, err := a.Hold(ctx, bookingOf("h1", sl), ttl)
	require.NoError(t, err)
	want := agenda.Change{AgentIDs: []string{sl.AgentID}, From: sl.Start, To: sl.End}
	for i := range got {
		eventually(t, "both replicas are told of the expiry", func() bool {
			mu.Lock()
			defer mu.Unlock()
			for _, h := range got[i] {
				if h.at.Sub(t0) >= ttl && h.change.AgentIDs[0] == want.AgentIDs[0] && h.change.From.Equal(want.From) && h.change.To.Equal(want.To) {
					return true
				}
			}
			return false
		})
	}
}
