package pgstore

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// An UPDATE by hand that changes an appointment's id moves it: no replica
// keeps the old id, which would block the slot after the row is deleted.
func TestUpdateChangingAnIDMovesTheRecord(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	_, err := a.Book(ctx, bookingOf("old-id", sl))
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE appointments SET id = 'new-id' WHERE id = 'old-id'`)
	require.NoError(t, err)
	for name, s := range map[string]*Store{"a": a, "b": b} {
		eventually(t, name+" has new-id", func() bool { _, ok := appointmentIn(t, s, sl.AgentID, "new-id", sl.Start); return ok })
		_, old := appointmentIn(t, s, sl.AgentID, "old-id", sl.Start)
		assert.False(t, old, "replica %s keeps old-id", name)
	}
	_, err = pool.Exec(ctx, `DELETE FROM appointments WHERE id = 'new-id'`)
	require.NoError(t, err)
	eventually(t, "b drops new-id", func() bool { _, ok := appointmentIn(t, b, sl.AgentID, "new-id", sl.Start); return !ok })
	_, err = b.Book(ctx, bookingOf("again", sl))
	require.NoError(t, err, "the slot is free again")
	assert.Zero(t, a.Stats().ApplyErrors+b.Stats().ApplyErrors)
}

// A booking whose start has a fraction of a second is booked at the next
// second, as the engine books it; repeating it, or its hold, returns it
// instead of refusing the id.
func TestRepeatingABookingWithAFractionOfASecond(t *testing.T) {
	a, b, ds, _ := twoReplicas(t)
	ctx := context.Background()
	sls := freeSlots(t, a, ds, 2)
	bk := bookingOf("frac", sls[0])
	bk.Start = sls[0].Start.Add(-500 * time.Millisecond)
	got, err := a.Book(ctx, bk)
	require.NoError(t, err)
	require.True(t, got.Start.Equal(sls[0].Start))
	again, err := b.Book(ctx, bk)
	require.NoError(t, err, "the same booking, repeated on the other replica")
	assert.Equal(t, got, again, "in the same zone, with the same fields")

	hk := bookingOf("hfrac", sls[1])
	hk.Start = sls[1].Start.Add(-500 * time.Millisecond)
	held, err := a.Hold(ctx, hk, time.Hour)
	require.NoError(t, err)
	heldAgain, err := a.Hold(ctx, hk, time.Hour)
	require.NoError(t, err, "the same hold, repeated")
	assert.Equal(t, held, heldAgain)
	confirmed, err := b.Confirm(ctx, "hfrac")
	require.NoError(t, err)
	assert.Equal(t, held, confirmed, "the confirmed appointment, in its organisation's zone as the hold was")
	confirmedAgain, err := a.Confirm(ctx, "hfrac")
	require.NoError(t, err)
	assert.Equal(t, held, confirmedAgain, "confirming again returns the appointment, in the same zone")
}

// A booking cancelled since cannot be booked again under its id, and the
// error says so rather than naming another appointment.
func TestRebookingACancelledID(t *testing.T) {
	a, _, ds, _ := twoReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	_, err := a.Book(ctx, bookingOf("gone", sl))
	require.NoError(t, err)
	require.NoError(t, a.CancelAppointment(ctx, "gone", agenda.StatusExcused))
	require.NoError(t, a.CancelAppointment(ctx, "gone", agenda.StatusExcused), "a repeated cancellation")
	err = a.CancelAppointment(ctx, "gone", agenda.StatusRevoked)
	assert.ErrorIs(t, err, agenda.ErrConflict, "a cancellation is final")
	assert.ErrorContains(t, err, `appointment "gone": cancelled already (excused)`)
	_, err = a.Book(ctx, bookingOf("gone", sl))
	require.ErrorIs(t, err, ErrIDConflict)
	assert.ErrorContains(t, err, "its appointment was cancelled (excused); book with a new id")
	other := bookingOf("gone", sl)
	other.Start = other.Start.Add(24 * time.Hour)
	_, err = a.Book(ctx, other)
	require.ErrorIs(t, err, ErrIDConflict)
	assert.ErrorContains(t, err, "another appointment has this id")
}

// skewedReplicas imports a small dataset, runs sql on it if not empty, and
// opens two Stores whose clocks start at the anchor, b's two seconds
// behind a's; the test moves a's, and b's follows.
func skewedReplicas(t *testing.T, sql string) (a, b *Store, ds *agenda.Dataset, pool *pgxpool.Pool, clockA *testClock) {
	t.Helper()
	cfg := testSchema(t)
	pool = newPool(t, cfg, true)
	ds = genSmall()
	require.NoError(t, Import(context.Background(), pool, ds))
	if sql != "" {
		_, err := pool.Exec(context.Background(), sql)
		require.NoError(t, err)
	}
	clockA = &testClock{}
	clockA.ns.Store(anchor.UnixNano())
	clockB := func() time.Time { return clockA.Now().Add(-2 * time.Second) }
	a = openStore(t, pool, Config{Options: []agenda.Option{agenda.WithClock(clockA.Now)}})
	b = openStore(t, newPool(t, cfg, false), Config{Options: []agenda.Option{agenda.WithClock(clockB)}})
	return a, b, ds, pool, clockA
}

// Each Store judges a hold's expiry on its own clock. Replica a, whose
// clock runs two seconds ahead of b's, finds the hold expired and books
// its time; b, which still finds it active, must not confirm it over
// that booking.
func TestConfirmRefusesATimeBookedMeanwhile(t *testing.T) {
	a, b, ds, pool, clockA := skewedReplicas(t, "")
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	_, err := a.Hold(ctx, bookingOf("h", sl), time.Minute)
	require.NoError(t, err)
	clockA.Advance(time.Minute + time.Second) // expired on a's clock, a second left on b's
	_, err = a.Book(ctx, bookingOf("other", sl))
	require.NoError(t, err)
	_, err = b.Confirm(ctx, "h")
	require.ErrorIs(t, err, agenda.ErrConflict)
	assert.ErrorContains(t, err, `appointment "other" has taken its time`)
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE id IN ('h', 'other')`).Scan(&n))
	assert.Equal(t, 1, n, "one appointment over the time")
}

// A pool that chooses its schema in AfterConnect: the Store loads and
// follows that schema too, on its own connections.
func TestTheStoreConnectsAsThePoolDoes(t *testing.T) {
	cfgA, cfgB := testSchema(t), testSchema(t)
	poolA := newPool(t, cfgA, true)
	ds := importSmall(t, poolA)
	newPool(t, cfgB, true) // migrated, empty: the schema ConnConfig names
	cfg := cfgB.Copy()
	schemaA := cfgA.ConnConfig.RuntimeParams["search_path"]
	var followerHooked atomic.Int32 // the follower's connection, the only one with its parameters
	cfg.BeforeConnect = func(_ context.Context, c *pgx.ConnConfig) error {
		if c.RuntimeParams["plan_cache_mode"] == "force_generic_plan" {
			followerHooked.Add(1)
		}
		return nil
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, "SET search_path TO "+schemaA)
		return err
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	s := openStore(t, pool, Config{})
	assert.Len(t, s.Snapshot().Dataset().Agents, len(ds.Agents), "the Store loaded the pool's schema")
	_, err = poolA.Exec(context.Background(), `DELETE FROM closed_days`)
	require.NoError(t, err)
	eventually(t, "the follower follows the pool's schema", func() bool { return len(s.Snapshot().Dataset().ClosedDays) == 0 })
	assert.Positive(t, followerHooked.Load(), "BeforeConnect ran for the Store's own connection")
	assert.NotEmpty(t, ds.ClosedDays, "the dataset has closed days to delete")
}

// A catalogue row written by hand that the engine refuses does not stop
// the writes of every agent: the index goes on with the catalogue it had,
// counts the refused change, and loads the next catalogue that loads.
func TestARefusedCatalogueDoesNotStopWrites(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	sls := freeSlots(t, a, ds, 40)
	victim := ds.Agents[0].ID
	_, err := pool.Exec(ctx, `UPDATE agents SET time_zone = 'Mars/Olympus' WHERE id = $1`, victim)
	require.NoError(t, err)
	eventually(t, "b counts the refused catalogue", func() bool { return b.Stats().ApplyErrors > 0 })
	booked := 0
	for _, sl := range sls {
		if sl.AgentID != victim && booked < 2 {
			_, err := a.Book(ctx, bookingOf(fmt.Sprintf("w%d", booked), sl))
			require.NoError(t, err, "a booking of another agent")
			booked++
		}
	}
	require.Equal(t, 2, booked)
	assert.Positive(t, a.Stats().ApplyErrors)
	assert.True(t, a.Stats().StaleCatalogue)

	_, err = pool.Exec(ctx, `UPDATE agents SET time_zone = '', name = 'renamed' WHERE id = $1`, victim)
	require.NoError(t, err)
	for name, s := range map[string]*Store{"a": a, "b": b} {
		eventually(t, name+" loads the fixed catalogue", func() bool {
			for _, ag := range s.Snapshot().Dataset().Agents {
				if ag.ID == victim {
					return ag.Name == "renamed"
				}
			}
			return false
		})
		assert.False(t, s.Stats().StaleCatalogue, name)
	}
}

// A catalogue change skipped because the database did not load (here an
// appointment row of an unknown agent) is loaded once the row is fixed,
// even with no later catalogue change to call for it.
func TestASkippedCatalogueIsLoadedOnceTheDatabaseLoads(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	_, err := a.Book(ctx, bookingOf("bad", sl))
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE appointments SET agent_ids = '{nobody}' WHERE id = 'bad'`)
	require.NoError(t, err)
	eventually(t, "b counts the bad row", func() bool { return b.Stats().ApplyErrors > 0 })
	victim := ds.Agents[0].ID
	_, err = pool.Exec(ctx, `UPDATE agents SET name = 'renamed' WHERE id = $1`, victim)
	require.NoError(t, err)
	eventually(t, "b keeps a stale catalogue", func() bool { return b.Stats().StaleCatalogue })
	_, err = pool.Exec(ctx, `DELETE FROM appointments WHERE id = 'bad'`)
	require.NoError(t, err)
	eventually(t, "b loads the renamed agent", func() bool {
		for _, ag := range b.Snapshot().Dataset().Agents {
			if ag.ID == victim {
				return ag.Name == "renamed"
			}
		}
		return false
	})
	assert.False(t, b.Stats().StaleCatalogue)
}

// A TRUNCATE read with a catalogue change that does not load cannot be
// skipped: the replica stops following until the database loads, then
// loads it, truncation included.
func TestATruncateIsNeverSkipped(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	_, err := a.Book(ctx, bookingOf("gone", sl))
	require.NoError(t, err)
	eventually(t, "b has it", func() bool { _, ok := appointmentIn(t, b, sl.AgentID, "gone", sl.Start); return ok })
	victim := ds.Agents[len(ds.Agents)-1].ID
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)                                 // after a failure, so that the pool closes
	_, err = tx.Exec(ctx, `TRUNCATE appointments CASCADE`) // and the seat ids
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `UPDATE agents SET time_zone = 'Mars/Olympus' WHERE id = $1`, victim)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	eventually(t, "b fails to follow", func() bool { return b.Stats().FollowErrors > 0 })
	assert.False(t, b.Stats().StaleCatalogue, "nothing skipped")
	_, err = pool.Exec(ctx, `UPDATE agents SET time_zone = '' WHERE id = $1`, victim)
	require.NoError(t, err)
	eventually(t, "b loads the truncated table", func() bool { _, ok := appointmentIn(t, b, sl.AgentID, "gone", sl.Start); return !ok })
	assert.Empty(t, b.Snapshot().Dataset().Appointments)
}

// A nil reader of calendar text is refused, not a panic.
func TestSetCalendarWithoutText(t *testing.T) {
	a, _, ds, _ := twoReplicas(t)
	err := a.SetCalendar(context.Background(), "c9", ds.Agents[0].ID, nil)
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery)
	assert.ErrorContains(t, err, `calendar "c9": no text`)
}

// Text PostgreSQL cannot store is refused before anything is sent, with
// an error naming the record and the field.
func TestTextPostgreSQLCannotStore(t *testing.T) {
	a, _, ds, _ := twoReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	bk := bookingOf("nul\x00id", sl)
	_, err := a.Book(ctx, bk)
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery)
	assert.ErrorContains(t, err, `booking "nul\x00id": id holds a NUL byte`)
	bk = bookingOf("ok", sl)
	bk.AgentID = "a\xff"
	_, err = a.Hold(ctx, bk, time.Minute)
	assert.ErrorContains(t, err, `hold "ok": agent_id holds a NUL byte or invalid UTF-8`)
	err = a.UpsertAppointment(ctx, agenda.Appointment{ID: "u1", OrganisationID: ds.Organisations[0].ID,
		AgentIDs: []string{ds.Agents[0].ID, "x\x00"}, Start: anchor, End: anchor.Add(time.Hour)})
	assert.ErrorContains(t, err, `appointment "u1": agent_ids holds a NUL byte`)
	err = a.AddClosedDay(ctx, agenda.ClosedDay{Date: "2026-12-24", Name: "Christmas\x00 Eve"})
	assert.ErrorContains(t, err, `closed day "2026-12-24": name holds a NUL byte`)
	err = a.SetCalendar(ctx, "c1", ds.Agents[0].ID, strings.NewReader("BEGIN:VCALENDAR\x00"))
	assert.ErrorContains(t, err, `calendar "c1": ics holds a NUL byte`)
	_, err = a.Confirm(ctx, "h\x00")
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery)
	assert.Zero(t, a.Stats().FollowErrors)
}

// As above, with buffers: replica a books the slot right after the hold,
// which it finds expired; the two meet only through their buffers, and b
// must not confirm the hold either.
func TestConfirmRefusesATimeWhoseBuffersMeetTheHold(t *testing.T) {
	a, b, ds, _, clockA := skewedReplicas(t,
		`UPDATE services SET buffer_before_minutes = 10, buffer_after_minutes = 10 WHERE NOT collective`)
	ctx := context.Background()
	var first agenda.Slot
	for _, svc := range ds.Services {
		if svc.Collective || first.AgentID != "" {
			continue
		}
		slots, err := a.Slots(ctx, agenda.SlotQuery{ServiceID: svc.ID, From: anchor, To: anchor.AddDate(0, 0, 14), Now: anchor, View: agenda.ViewAgent})
		require.NoError(t, err)
		for i, s := range slots {
			if s.Start.Sub(anchor) < time.Hour { // the hold and the booking stay in the future as the clock moves
				continue
			}
			for _, n := range slots[i+1:] {
				if n.AgentID == s.AgentID && n.PlaceID == s.PlaceID && n.Start.Equal(s.End) && first.AgentID == "" {
					first = s // with a slot right after it
				}
			}
		}
	}
	require.NotEmpty(t, first.AgentID, "a service has a slot")
	_, err := a.Hold(ctx, bookingOf("h", first), time.Minute)
	require.NoError(t, err)
	clockA.Advance(time.Minute + time.Second) // expired on a's clock, a second left on b's
	slots, err := a.Slots(ctx, agenda.SlotQuery{ServiceID: first.ServiceID, AgentIDs: []string{first.AgentID}, PlaceIDs: []string{first.PlaceID},
		From: first.End, To: first.End.Add(24 * time.Hour), Now: clockA.Now(), View: agenda.ViewAgent})
	require.NoError(t, err)
	require.NotEmpty(t, slots)
	next := slots[0]
	require.Equal(t, first.End, next.Start, "a, which finds the hold expired, offers the slot right after it")
	_, err = a.Book(ctx, bookingOf("next", next))
	require.NoError(t, err)
	_, err = b.Confirm(ctx, "h")
	require.ErrorIs(t, err, agenda.ErrConflict, "the hold's and the booking's buffers meet")
	assert.ErrorContains(t, err, `appointment "next" has taken its time`)
}
