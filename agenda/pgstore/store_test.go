package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// twoReplicas imports a small generated dataset and opens two Stores on
// two pools of one fresh schema.
func twoReplicas(t *testing.T) (a, b *Store, ds *agenda.Dataset, pool *pgxpool.Pool) {
	t.Helper()
	cfg := testSchema(t)
	pool = newPool(t, cfg, true)
	ds = genSmall()
	require.NoError(t, Import(context.Background(), pool, ds))
	a = openStore(t, pool, Config{})
	b = openStore(t, newPool(t, cfg, false), Config{})
	return a, b, ds, pool
}

// holdAgent locks the agent's row in a transaction of its own, as another
// writer would, until the returned transaction ends (at cleanup at the
// latest).
func holdAgent(t *testing.T, pool *pgxpool.Pool, agent string) pgx.Tx {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tx.Rollback(ctx) })
	_, err = tx.Exec(ctx, `SELECT id FROM agents WHERE id = $1 FOR UPDATE`, agent)
	require.NoError(t, err)
	return tx
}

// listenTo opens a connection of cfg that listens to the Stores'
// notifications, and returns it with its schema (a notification's payload
// starts with it); it is closed at cleanup.
func listenTo(t *testing.T, cfg *pgxpool.Config) (*pgx.Conn, string) {
	t.Helper()
	ctx := context.Background()
	listener, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	require.NoError(t, err)
	t.Cleanup(func() { listener.Close(context.Background()) })
	_, err = listener.Exec(ctx, sqlListen)
	require.NoError(t, err)
	var schema string
	require.NoError(t, listener.QueryRow(ctx, sqlCurrentSchema).Scan(&schema))
	return listener, schema
}

// eventually polls cond until it holds or 5 seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 5s: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// appointmentIn finds an appointment by id in an agent's agenda around t0.
func appointmentIn(t *testing.T, s *Store, agentID, id string, t0 time.Time) (agenda.Event, bool) {
	t.Helper()
	ag, err := s.Snapshot().Agenda(context.Background(), agentID, t0.Add(-24*time.Hour), t0.Add(24*time.Hour))
	require.NoError(t, err)
	for _, e := range ag.Events {
		if e.Kind == agenda.KindAppointment && e.ID == id {
			return e, true
		}
	}
	return agenda.Event{}, false
}

// freeSlots returns up to n free slots in the two weeks after the anchor,
// as agents see them, at least an hour apart for any one agent, so that
// booking one leaves the others free.
func freeSlots(t *testing.T, s *Store, ds *agenda.Dataset, n int) []agenda.Slot {
	t.Helper()
	now := gen.DefaultAnchor()
	var out []agenda.Slot
	for _, svc := range ds.Services {
		if svc.Collective {
			continue
		}
		slots, err := s.Slots(context.Background(), agenda.SlotQuery{ServiceID: svc.ID, From: now, To: now.AddDate(0, 0, 14), Now: now, View: agenda.ViewAgent})
		require.NoError(t, err)
		for _, sl := range slots {
			near := slices.ContainsFunc(out, func(o agenda.Slot) bool {
				return o.AgentID == sl.AgentID && o.Start.Add(-time.Hour).Before(sl.End) && sl.Start.Before(o.End.Add(time.Hour))
			})
			if !near && len(out) < n {
				out = append(out, sl)
			}
		}
	}
	return out
}

func bookingOf(id string, sl agenda.Slot) agenda.Booking {
	return agenda.Booking{ID: id, ServiceID: sl.ServiceID, AgentID: sl.AgentID, PlaceID: sl.PlaceID, Start: sl.Start,
		Now: anchor, View: agenda.ViewAgent}
}

// anchor is the generated datasets' "now", its zone loaded once.
var anchor = gen.DefaultAnchor()

func TestBookFollowCancel(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]

	got, err := a.Book(ctx, bookingOf("bk1", sl))
	require.NoError(t, err)
	assert.True(t, got.Start.Equal(sl.Start))
	_, ok := appointmentIn(t, a, sl.AgentID, "bk1", sl.Start)
	assert.True(t, ok, "the booking replica has it as soon as Book returns")
	eventually(t, "the other replica sees the booking", func() bool { _, ok := appointmentIn(t, b, sl.AgentID, "bk1", sl.Start); return ok })

	// Idempotency: same id and content returns it; other content is a conflict.
	again, err := b.Book(ctx, bookingOf("bk1", sl))
	require.NoError(t, err)
	assert.True(t, again.Start.Equal(got.Start))
	assert.Equal(t, got.AgentIDs, again.AgentIDs)
	other := bookingOf("bk1", sl)
	other.Start = other.Start.Add(24 * time.Hour)
	_, err = b.Book(ctx, other)
	require.ErrorIs(t, err, ErrIDConflict)
	require.ErrorIs(t, err, agenda.ErrConflict)
	// The slot is taken, from either replica.
	_, err = b.Book(ctx, bookingOf("bk2", sl))
	require.ErrorIs(t, err, agenda.ErrConflict)

	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE id LIKE 'bk%'`).Scan(&n))
	assert.Equal(t, 1, n)

	require.NoError(t, b.CancelAppointment(ctx, "bk1", agenda.StatusExcused))
	eventually(t, "the first replica sees the cancellation", func() bool {
		e, ok := appointmentIn(t, a, sl.AgentID, "bk1", sl.Start)
		return ok && !e.Blocking
	})
	_, err = a.Book(ctx, bookingOf("bk3", sl))
	require.NoError(t, err, "a cancelled slot is free again")
	require.ErrorIs(t, a.CancelAppointment(ctx, "nothing", agenda.StatusRevoked), agenda.ErrNotFound)
	require.ErrorIs(t, a.CancelAppointment(ctx, "bk3", agenda.StatusBooked), agenda.ErrInvalidQuery)
	assert.Zero(t, a.Stats().ApplyErrors)
	assert.Zero(t, b.Stats().ApplyErrors)
}

// TestFollowOtherWriters: changes written with SQL by anyone, and through
// each write method, reach both replicas.
func TestFollowOtherWriters(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	sl := freeSlots(t, a, ds, 1)[0]
	both := func(what string, cond func(s *Store) bool) {
		t.Helper()
		eventually(t, what+" (replica a)", func() bool { return cond(a) })
		eventually(t, what+" (replica b)", func() bool { return cond(b) })
	}
	has := func(id string) func(s *Store) bool {
		return func(s *Store) bool { _, ok := appointmentIn(t, s, sl.AgentID, id, sl.Start); return ok }
	}

	// A person with psql.
	var org string
	require.NoError(t, pool.QueryRow(ctx, `SELECT organisation_id FROM agent_organisations WHERE agent_id = $1 AND position = 0`, sl.AgentID).Scan(&org))
	_, err := pool.Exec(ctx, `INSERT INTO appointments (id, organisation_id, agent_ids, start_at, end_at) VALUES ('sql1', $1, ARRAY[$2], $3, $4)`,
		org, sl.AgentID, sl.Start, sl.End)
	require.NoError(t, err)
	both("an appointment inserted with SQL", has("sql1"))
	_, err = pool.Exec(ctx, `DELETE FROM appointments WHERE id = 'sql1'`)
	require.NoError(t, err)
	both("an appointment deleted with SQL", func(s *Store) bool { return !has("sql1")(s) })

	// A person with psql whose search path is another schema, naming
	// the tables' schema: the trigger writes to the tables' log, and its
	// notification names the tables' schema, not the writer's.
	schemaCfg := pool.Config().ConnConfig.Copy()
	schema := schemaCfg.RuntimeParams["search_path"]
	schemaCfg.RuntimeParams["search_path"] = "public"
	other, err := pgx.ConnectConfig(ctx, schemaCfg)
	require.NoError(t, err)
	defer other.Close(ctx)
	listener, _ := listenTo(t, pool.Config())
	_, err = other.Exec(ctx, fmt.Sprintf(`INSERT INTO %s.appointments (id, organisation_id, agent_ids, start_at, end_at) VALUES ('sql2', $1, ARRAY[$2], $3, $4)`,
		pgx.Identifier{schema}.Sanitize()), org, sl.AgentID, sl.Start, sl.End)
	require.NoError(t, err)
	// The channel is the database's: other tests' notifications pass.
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	var payload string
	for payload != schema && payload != "public" {
		note, err := listener.WaitForNotification(wctx)
		require.NoError(t, err, "no notification naming %s or public", schema)
		payload = note.Payload
	}
	cancel()
	assert.Equal(t, schema, payload)
	both("an appointment inserted with SQL from another search path", has("sql2"))
	_, err = other.Exec(ctx, fmt.Sprintf(`DELETE FROM %s.appointments WHERE id = 'sql2'`, pgx.Identifier{schema}.Sanitize()))
	require.NoError(t, err)
	both("that appointment deleted", func(s *Store) bool { return !has("sql2")(s) })
	reloadsA, reloadsB := a.Stats().Reloads, b.Stats().Reloads
	_, err = other.Exec(ctx, fmt.Sprintf(`TRUNCATE %s.external_calendars`, pgx.Identifier{schema}.Sanitize()))
	require.NoError(t, err)
	both("a TRUNCATE from another search path reloads", func(s *Store) bool {
		return s == a && a.Stats().Reloads > reloadsA || s == b && b.Stats().Reloads > reloadsB
	})
	// The function sets no parameter on each call (migration 006).
	var settings []string
	require.NoError(t, pool.QueryRow(ctx, `SELECT proconfig FROM pg_proc WHERE oid = 'crossagenda_log_change'::regproc`).Scan(&settings))
	assert.Empty(t, settings)

	// The write methods.
	require.NoError(t, a.UpsertAppointment(ctx, agenda.Appointment{ID: "up1", OrganisationID: org, AgentIDs: []string{sl.AgentID}, Start: sl.Start, End: sl.End}))
	both("an upserted appointment", has("up1"))
	var re *agenda.RecordError
	require.ErrorAs(t, a.UpsertAppointment(ctx, agenda.Appointment{ID: "up2", OrganisationID: org, AgentIDs: []string{"nobody"}, Start: sl.Start, End: sl.End}), &re)
	require.NoError(t, b.DeleteAppointment(ctx, "up1"))
	both("a deleted appointment", func(s *Store) bool { return !has("up1")(s) })

	day := sl.Start.Format(time.DateOnly)
	abs := agenda.Absence{ID: "abs1", AgentID: sl.AgentID, FirstDay: day, StartTime: "00:00", EndTime: "24:00"}
	require.NoError(t, a.UpsertAbsence(ctx, abs))
	blocked := func(s *Store) bool {
		_, err := s.Snapshot().CheckBooking(ctx, bookingOf("x", sl))
		return errors.Is(err, agenda.ErrConflict) || errors.Is(err, agenda.ErrUnbookable)
	}
	both("an absence blocks the slot", blocked)
	require.NoError(t, b.DeleteAbsence(ctx, "abs1"))
	both("the absence is gone", func(s *Store) bool { return !blocked(s) })

	require.NoError(t, a.AddClosedDay(ctx, agenda.ClosedDay{Date: day, OrganisationID: "", Name: "strike"}))
	both("a closed day blocks the slot", blocked)
	require.ErrorIs(t, a.AddClosedDay(ctx, agenda.ClosedDay{Date: day}), agenda.ErrConflict)
	require.NoError(t, b.RemoveClosedDay(ctx, day, ""))
	both("the closed day is gone", func(s *Store) bool { return !blocked(s) })

	var opening agenda.OpeningPeriod
	for _, p := range ds.OpeningPeriods {
		if p.AgentID == sl.AgentID {
			opening = p
		}
	}
	opening.ID = "op-new"
	require.NoError(t, a.UpsertOpeningPeriod(ctx, opening))
	require.NoError(t, b.DeleteOpeningPeriod(ctx, "op-new"))
	require.ErrorIs(t, b.DeleteOpeningPeriod(ctx, "op-new"), agenda.ErrNotFound)

	// A catalogue change reloads.
	reloads := a.Stats().Reloads
	_, err = pool.Exec(ctx, `UPDATE organisations SET name = 'renamed' WHERE id = $1`, org)
	require.NoError(t, err)
	eventually(t, "a catalogue change reloads", func() bool { return a.Stats().Reloads > reloads })
	both("the reloaded index still answers", func(s *Store) bool { return !blocked(s) })

	for _, s := range []*Store{a, b} {
		require.NoError(t, s.CatchUp(ctx))
		db := dbPosition(t, pool)
		require.NoError(t, s.CatchUp(ctx))
		assert.True(t, s.Position().Covers(db), "after catching up, %s covers %s", s.Position(), db)
		assert.Zero(t, s.Stats().ApplyErrors)
		assert.Zero(t, s.Stats().FollowErrors, "waiting for a notification past the poll interval keeps the connection")
	}
}

// TestFollowRefusedChange: a change committed with SQL that the engine
// refuses (an appointment of an agent that does not exist: SQL has no
// foreign key into an array) is logged with its number and table,
// counted in Stats.ApplyErrors and left out of the index; the follower
// goes on with the next change. A Store opened afterwards refuses to load,
// naming the row, as Open documents.
func TestFollowRefusedChange(t *testing.T) {
	cfg := testSchema(t)
	pool := newPool(t, cfg, true)
	ds := genSmall()
	ctx := context.Background()
	require.NoError(t, Import(ctx, pool, ds))
	var logs lockedBuffer
	s := openStore(t, pool, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	sl := freeSlots(t, s, ds, 1)[0]
	var org string
	require.NoError(t, pool.QueryRow(ctx, `SELECT organisation_id FROM agent_organisations WHERE agent_id = $1 AND position = 0`, sl.AgentID).Scan(&org))

	_, err := pool.Exec(ctx, `INSERT INTO appointments (id, organisation_id, agent_ids, start_at, end_at) VALUES ('nobodys', $1, '{nobody}', $2, $3)`,
		org, sl.Start, sl.End)
	require.NoError(t, err, "SQL accepts it")
	_, err = pool.Exec(ctx, `INSERT INTO appointments (id, organisation_id, agent_ids, start_at, end_at) VALUES ('after', $1, ARRAY[$2], $3, $4)`,
		org, sl.AgentID, sl.Start, sl.End)
	require.NoError(t, err)
	eventually(t, "the change after the refused one is applied", func() bool { _, ok := appointmentIn(t, s, sl.AgentID, "after", sl.Start); return ok })

	assert.Equal(t, int64(1), s.Stats().ApplyErrors)
	_, _, ok := s.RecordOrganisation("nobodys")
	assert.False(t, ok, "the refused appointment is not in the index")
	assert.True(t, s.Position().Covers(dbPosition(t, pool)), "the follower went past it")
	assert.Contains(t, logs.String(), "a committed change does not fit the index")
	assert.Contains(t, logs.String(), "table=appointments")
	assert.Contains(t, logs.String(), "nobody")

	_, err = Open(ctx, pool, Config{})
	var re *RowError
	require.ErrorAs(t, err, &re, "a fresh load is strict")
	assert.Equal(t, "appointments", re.Table)
	assert.Equal(t, "nobodys", re.ID)
	assert.Equal(t, "agent_ids", re.Column)
}

// lockedBuffer is a log destination that tests read while a Store writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// workshop adds a collective service "workshops" to org with SQL, waits
// until both replicas have reloaded it, and returns an appointment of it
// (not stored) for agent, three days after the anchor: 30 seats, one
// taken.
func workshop(t *testing.T, a, b *Store, pool *pgxpool.Pool, id, org, agent string) agenda.Appointment {
	t.Helper()
	reloads := []int64{a.Stats().Reloads, b.Stats().Reloads}
	_, err := pool.Exec(context.Background(), `INSERT INTO services (id, organisation_id, name, duration_minutes, collective)
		VALUES ('workshops', $1, 'Atelier', 120, true)`, org)
	require.NoError(t, err)
	eventually(t, "both replicas reload", func() bool { return a.Stats().Reloads > reloads[0] && b.Stats().Reloads > reloads[1] })
	start := gen.DefaultAnchor().Add(72 * time.Hour)
	return agenda.Appointment{ID: id, OrganisationID: org, ServiceID: "workshops", AgentIDs: []string{agent},
		Start: start, End: start.Add(2 * time.Hour), Capacity: 30, Participants: 1}
}

// TestTakeSeat: a seat of a collective appointment, booked through one
// replica, counts once in SQL and in both replicas; a full appointment is
// a conflict.
func TestTakeSeat(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	now := gen.DefaultAnchor()
	// A workshop of a collective service: three seats, one taken.
	ag := ds.Agents[0]
	appt := workshop(t, a, b, pool, "workshop", ag.OrganisationIDs[0], ag.ID)
	appt.Capacity = 3
	require.NoError(t, a.UpsertAppointment(ctx, appt))
	seat := agenda.Booking{ID: appt.ID, ServiceID: appt.ServiceID, Now: now, View: agenda.ViewAgent}
	for want := appt.Participants + 1; want <= appt.Capacity; want++ {
		got, err := []*Store{a, b}[want%2].Book(ctx, seat)
		require.NoError(t, err, "seat %d of %d", want, appt.Capacity)
		assert.Equal(t, want, got.Participants)
	}
	_, err := a.Book(ctx, seat)
	require.ErrorIs(t, err, agenda.ErrConflict, "full")
	var participants int
	require.NoError(t, pool.QueryRow(ctx, `SELECT participants FROM appointments WHERE id = $1`, appt.ID).Scan(&participants))
	assert.Equal(t, appt.Capacity, participants)
	for _, s := range []*Store{a, b} {
		require.NoError(t, s.CatchUp(ctx))
		_, err := s.Snapshot().CheckBooking(ctx, seat)
		assert.ErrorIs(t, err, agenda.ErrConflict, "full in every replica")
	}
}

// TestSeatID: a seat booking repeated with its seat id, from both
// replicas at once, takes one seat, in SQL and in both indexes; the seat
// id cannot take a seat in another appointment, even racing with it, nor
// answer for its appointment once cancelled; a seat id where no seat is
// booked is an error.
func TestSeatID(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	now := gen.DefaultAnchor()
	ag := ds.Agents[0]
	org := ag.OrganisationIDs[0]
	other := secondAgentOf(t, ds, org) // whose lock is another
	w1 := workshop(t, a, b, pool, "workshop-1", org, ag.ID)
	w2 := w1
	w2.ID, w2.AgentIDs, w2.Participants = "workshop-2", []string{other}, 0
	require.NoError(t, a.UpsertAppointment(ctx, w1))
	require.NoError(t, a.UpsertAppointment(ctx, w2))
	participants := func(id string) (n int) {
		require.NoError(t, pool.QueryRow(ctx, `SELECT participants FROM appointments WHERE id = $1`, id).Scan(&n))
		return n
	}

	// Sixteen repeats of one seat booking, eight on each replica at once.
	seat := agenda.Booking{ID: w1.ID, ServiceID: w1.ServiceID, Now: now, View: agenda.ViewAgent, SeatID: "seat-1"}
	var wg sync.WaitGroup
	got := make([]int, 16)
	for i := range got {
		wg.Go(func() {
			appt, err := []*Store{a, b}[i%2].Book(ctx, seat)
			if assert.NoError(t, err) {
				got[i] = appt.Participants
			}
		})
	}
	wg.Wait()
	for _, n := range got {
		assert.Equal(t, 2, n, "each repeat answers the one seat taken")
	}
	assert.Equal(t, 2, participants(w1.ID))
	for _, s := range []*Store{a, b} {
		require.NoError(t, s.CatchUp(ctx))
		seat.SeatID = ""
		appt, err := s.Snapshot().CheckBooking(ctx, seat)
		require.NoError(t, err)
		assert.Equal(t, 3, appt.Participants, "the next seat, in every replica")
		seat.SeatID = "seat-1"
	}

	// seat-1 cannot take a seat in workshop-2.
	_, err := b.Book(ctx, agenda.Booking{ID: w2.ID, ServiceID: w2.ServiceID, Now: now, View: agenda.ViewAgent, SeatID: "seat-1"})
	require.ErrorIs(t, err, ErrIDConflict)
	// Nor may one seat id take seats in both workshops at once, whose
	// agents' locks differ: one wins each round, the other is refused.
	for round := range 10 {
		id := fmt.Sprint("race-", round)
		var wins atomic.Int32
		for i, w := range []agenda.Appointment{w1, w2} {
			wg.Go(func() {
				_, err := []*Store{a, b}[i].Book(ctx, agenda.Booking{ID: w.ID, ServiceID: w.ServiceID, Now: now, View: agenda.ViewAgent, SeatID: id})
				if err == nil {
					wins.Add(1)
				} else {
					assert.ErrorIs(t, err, ErrIDConflict, "round %d", round)
				}
			})
		}
		wg.Wait()
		assert.Equal(t, int32(1), wins.Load(), "round %d", round)
	}
	assert.Equal(t, 2+10, participants(w1.ID)+participants(w2.ID))
	var seats int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM seats`).Scan(&seats))
	assert.Equal(t, 11, seats)

	// Cancelled, its seat ids answer no more; deleted, they are gone.
	require.NoError(t, a.CancelAppointment(ctx, w1.ID, agenda.StatusRevoked))
	_, err = b.Book(ctx, seat)
	require.ErrorIs(t, err, ErrIDConflict)
	assert.ErrorContains(t, err, "cancelled")
	require.NoError(t, a.DeleteAppointment(ctx, w1.ID))
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM seats WHERE appointment_id = $1`, w1.ID).Scan(&seats))
	assert.Zero(t, seats)

	// A seat id where no seat is booked is refused before any write.
	single := bookingOf("single", freeSlots(t, a, ds, 1)[0])
	single.SeatID = "s"
	_, err = a.Book(ctx, single)
	require.ErrorIs(t, err, agenda.ErrInvalidQuery)
	_, err = a.Hold(ctx, single, time.Minute)
	require.ErrorIs(t, err, agenda.ErrInvalidQuery)
}

// TestSeatGuardRecordsNoSeatID: a seat booking whose check the guard
// finds stale is refused and records no seat id. The stale count comes
// from a seat taken with the change log turned off, which no index ever
// learns of.
func TestSeatGuardRecordsNoSeatID(t *testing.T) {
	a, b, pool, w, _, _ := workshopOfTwoAgents(t, "workshop-g")
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) // after a failure, so that the pool closes
	_, err = tx.Exec(ctx, sqlImporting)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `UPDATE appointments SET participants = participants + 1 WHERE id = $1`, w.ID)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	seat := agenda.Booking{ID: w.ID, ServiceID: w.ServiceID, Now: gen.DefaultAnchor(), View: agenda.ViewAgent, SeatID: "seat-g"}
	_, err = a.Book(ctx, seat)
	require.ErrorIs(t, err, agenda.ErrConflict, "checked on a count the guard finds stale")
	var seats int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM seats`).Scan(&seats))
	assert.Zero(t, seats, "a refused seat records no seat id")
	_, err = b.Book(ctx, seat)
	require.ErrorIs(t, err, agenda.ErrConflict, "the repeat is refused too, not answered as seated")
}

// TestSeatIDWhileAgentsChange: the agents of a workshop change while a seat
// booking waits for the old agent's lock, and its repeat, through the other
// replica, locks the new agent: the two hold no lock in common, yet each
// round takes one seat, answers both, and records one seat id.
func TestSeatIDWhileAgentsChange(t *testing.T) {
	a, b, pool, w, x, y := workshopOfTwoAgents(t, "workshop-r")
	ctx := context.Background()
	agents := []string{x, y}
	rounds := 20
	for round := range rounds {
		from, to := agents[round%2], agents[(round+1)%2]
		tx := moveHeld(t, pool, w.ID, from, to)
		seat := agenda.Booking{ID: w.ID, ServiceID: w.ServiceID, Now: gen.DefaultAnchor(), View: agenda.ViewAgent, SeatID: fmt.Sprint("seat-", round)}
		errs := make(chan error, 2)
		go func() { _, err := a.Book(ctx, seat); errs <- err }()
		waitingForALock(t, pool)
		require.NoError(t, tx.Commit(ctx))
		go func() { _, err := b.Book(ctx, seat); errs <- err }()
		for range 2 {
			assert.NoError(t, <-errs, "round %d: the seat, or its repeat", round)
		}
	}
	var participants, seats int
	require.NoError(t, pool.QueryRow(ctx, `SELECT participants, (SELECT count(*) FROM seats) FROM appointments WHERE id = $1`, w.ID).Scan(&participants, &seats))
	assert.Equal(t, rounds, participants)
	assert.Equal(t, rounds, seats)
}

// TestSeatIDErrorKinds: a seat id already used does not change how a
// malformed booking, a seat id where no seat is booked, or an unknown
// session are refused: as Live refuses them.
func TestSeatIDErrorKinds(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	ag := ds.Agents[0]
	w := workshop(t, a, b, pool, "workshop-n", ag.OrganisationIDs[0], ag.ID)
	require.NoError(t, a.UpsertAppointment(ctx, w))
	seat := agenda.Booking{ID: w.ID, ServiceID: w.ServiceID, Now: gen.DefaultAnchor(), View: agenda.ViewAgent, SeatID: "s"}
	_, err := a.Book(ctx, seat)
	require.NoError(t, err)

	single := bookingOf("single", freeSlots(t, a, ds, 1)[0])
	single.SeatID = "s"
	_, err = a.Book(ctx, single)
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery, "a seat id where no seat is booked")
	noID := seat
	noID.ID = ""
	_, err = a.Book(ctx, noID)
	assert.ErrorIs(t, err, agenda.ErrInvalidQuery, "no booking id")
	unknown := seat
	unknown.ID = "no-such-session"
	_, err = a.Book(ctx, unknown)
	assert.ErrorIs(t, err, agenda.ErrNotFound, "no such session")
}

// TestSeatWhileAgentsChange: a seat booking that locked the workshop's
// old agent and one that locked its new agent hold no agent's lock in
// common; the second waits for the workshop's row, while the first, which
// holds it, waits to record its seat id. The second is checked on an index
// that holds the first seat, and both seats are taken.
func TestSeatWhileAgentsChange(t *testing.T) {
	a, b, pool, w, x, y := workshopOfTwoAgents(t, "workshop-c")
	ctx := context.Background()
	other := w
	other.ID, other.AgentIDs = "workshop-other", []string{y}
	require.NoError(t, a.UpsertAppointment(ctx, other))
	move := moveHeld(t, pool, w.ID, x, y)
	// A seat id "seat-1" being recorded in the other workshop, not yet
	// committed: the first booking's insert of it will wait.
	blocker, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer blocker.Rollback(ctx)
	_, err = blocker.Exec(ctx, `INSERT INTO seats (id, appointment_id) VALUES ('seat-1', $1)`, other.ID)
	require.NoError(t, err)

	book := func(s *Store, seatID string, errs chan<- error) {
		_, err := s.Book(ctx, agenda.Booking{ID: w.ID, ServiceID: w.ServiceID, Now: gen.DefaultAnchor(), View: agenda.ViewAgent, SeatID: seatID})
		errs <- err
	}
	errs := make(chan error, 2)
	go book(a, "seat-1", errs) // locks x, as the workshop's agents stood
	waitingForALock(t, pool)
	require.NoError(t, move.Commit(ctx))
	eventually(t, "the first booking records seat-1, holding the workshop's row", func() bool {
		var n int
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND datname = current_database() AND query LIKE 'WITH taken AS%'`).Scan(&n))
		return n == 1
	})
	go book(b, "seat-2", errs) // locks y, then waits for the row
	waitingForLocks(t, pool, 2)
	require.NoError(t, blocker.Rollback(ctx)) // seat-1 is free: the first commits
	for range 2 {
		assert.NoError(t, <-errs, "two seats of a workshop of 100")
	}
	var participants int
	require.NoError(t, pool.QueryRow(ctx, `SELECT participants FROM appointments WHERE id = $1`, w.ID).Scan(&participants))
	assert.Equal(t, 2, participants)
}

// TestBookAServiceNoLongerCollective: a replica that does not follow
// still takes a service for collective after it became an ordinary one
// with openings; a booking of it through that replica is booked as any
// other once the replica has caught up, not refused as a seat.
func TestBookAServiceNoLongerCollective(t *testing.T) {
	a, b, pool, w, _, _ := workshopOfTwoAgents(t, "workshop-s")
	ctx := context.Background()
	b.cancel() // b stops following: it catches up only when it writes
	<-b.done
	require.NoError(t, a.DeleteAppointment(ctx, w.ID))
	var x string // an agent with opening periods in the service's organisation
	require.NoError(t, pool.QueryRow(ctx, `SELECT min(agent_id) FROM opening_periods WHERE organisation_id = $1`, w.OrganisationID).Scan(&x))
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) // after a failure, so that the pool closes
	_, err = tx.Exec(ctx, `UPDATE services SET collective = false WHERE id = $1`, w.ServiceID)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `UPDATE opening_periods SET service_ids = service_ids || $2::text WHERE agent_id = $1 AND organisation_id = $3`,
		x, w.ServiceID, w.OrganisationID)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	var slots []agenda.Slot
	eventually(t, "slots of the service on replica a", func() bool {
		slots, err = a.Slots(ctx, agenda.SlotQuery{ServiceID: w.ServiceID, From: gen.DefaultAnchor(),
			To: gen.DefaultAnchor().AddDate(0, 0, 28), Now: gen.DefaultAnchor(), View: agenda.ViewAgent})
		require.NoError(t, err)
		return len(slots) > 0
	})
	require.True(t, (*b.collective.Load())[w.ServiceID], "b still takes the service for collective")
	got, err := b.Book(ctx, bookingOf("after-change", slots[0]))
	require.NoError(t, err)
	assert.Equal(t, 0, got.Capacity)
	assert.True(t, got.Start.Equal(slots[0].Start))
}

// TestSeatRepeatAnsweredAsLive: a repeated seat booking is answered as
// agenda.Live answers it, before the booking's other fields are looked at,
// whatever they are now.
func TestSeatRepeatAnsweredAsLive(t *testing.T) {
	a, _, _, w, _, _ := workshopOfTwoAgents(t, "workshop-k")
	ctx := context.Background()
	live, err := agenda.NewLive(a.Snapshot().Dataset())
	require.NoError(t, err)
	seat := agenda.Booking{ID: w.ID, ServiceID: w.ServiceID, Now: gen.DefaultAnchor(), View: agenda.ViewAgent, SeatID: "s"}
	_, err = a.Book(ctx, seat)
	require.NoError(t, err)
	_, err = live.Book(ctx, seat)
	require.NoError(t, err)
	for name, change := range map[string]func(b *agenda.Booking){
		"unknown view":  func(b *agenda.Booking) { b.View = 7 },
		"no now":        func(b *agenda.Booking) { b.Now = time.Time{} },
		"unknown agent": func(b *agenda.Booking) { b.AgentID = "no-such-agent" },
		"unknown place": func(b *agenda.Booking) { b.PlaceID = "no-such-place" },
	} {
		r := seat
		change(&r)
		want, err := live.Book(ctx, r)
		require.NoError(t, err, "Live answers the repeat (%s)", name)
		got, err := a.Book(ctx, r)
		if assert.NoError(t, err, "the Store answers the repeat (%s)", name) {
			assert.Equal(t, want.Participants, got.Participants, name)
		}
	}
}

// TestSeatStormWhileSessionChanges: seats booked through both replicas
// while both move the workshop between two agents, reset it and delete
// it: each booking
// takes a seat, repeats one, or finds no session; none is refused as
// "changed meanwhile", which a session deleted between its locks and its
// check gave, and none deadlocks.
func TestSeatStormWhileSessionChanges(t *testing.T) {
	a, b, _, w, x, y := workshopOfTwoAgents(t, "workshop-storm")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var mu sync.Mutex
	refusals := map[string]int{}
	var seats atomic.Int64
	note := func(err error, what string) {
		if ctx.Err() != nil || err == nil || errors.Is(err, agenda.ErrNotFound) {
			return
		}
		mu.Lock()
		refusals[what+": "+err.Error()]++
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for i, s := range []*Store{a, b} {
		wg.Go(func() {
			for k := 0; ctx.Err() == nil; k++ {
				_, err := s.Book(ctx, agenda.Booking{ID: w.ID, ServiceID: w.ServiceID, Now: gen.DefaultAnchor(), View: agenda.ViewAgent,
					SeatID: fmt.Sprint("seat-", i, "-", k%25)})
				if err == nil {
					seats.Add(1)
				}
				note(err, "seat")
			}
		})
	}
	for i, s := range []*Store{a, b} {
		wg.Go(func() {
			for k := 0; ctx.Err() == nil; k++ {
				m := w
				m.AgentIDs = []string{[]string{x, y}[(k+i)%2]}
				note(s.UpsertAppointment(ctx, m), "upsert")
				if k%5 == 0 {
					note(s.DeleteAppointment(ctx, w.ID), "delete")
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d seats taken or repeated", seats.Load())
	assert.Positive(t, seats.Load())
	assert.Empty(t, refusals)
}

// workshopOfTwoAgents opens two replicas with a stored workshop of 100
// free seats for the dataset's first agent x, and names y, another agent
// of its organisation.
func workshopOfTwoAgents(t *testing.T, id string) (a, b *Store, pool *pgxpool.Pool, w agenda.Appointment, x, y string) {
	t.Helper()
	a, b, ds, pool := twoReplicas(t)
	x = ds.Agents[0].ID
	org := ds.Agents[0].OrganisationIDs[0]
	y = secondAgentOf(t, ds, org)
	w = workshop(t, a, b, pool, id, org, x)
	w.Capacity, w.Participants = 100, 0
	require.NoError(t, a.UpsertAppointment(context.Background(), w))
	return a, b, pool, w, x, y
}

// moveHeld begins what UpsertAppointment writes when the appointment id
// moves from agent from to agent to, both agents locked, and leaves it
// uncommitted; the test's end rolls back what it did not commit.
func moveHeld(t *testing.T, pool *pgxpool.Pool, id, from, to string) pgx.Tx {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { tx.Rollback(ctx) })
	_, err = tx.Exec(ctx, `SELECT id FROM agents WHERE id = ANY($1) ORDER BY id FOR UPDATE`, []string{from, to})
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `UPDATE appointments SET agent_ids = $2 WHERE id = $1`, id, []string{to})
	require.NoError(t, err)
	return tx
}

// secondAgentOf returns an agent of org other than ds's first agent.
func secondAgentOf(t *testing.T, ds *agenda.Dataset, org string) string {
	t.Helper()
	for _, x := range ds.Agents[1:] {
		if slices.Contains(x.OrganisationIDs, org) {
			return x.ID
		}
	}
	t.Fatalf("organisation %s has one agent", org)
	return ""
}

// waitingForALock waits until a session of the database waits for a lock.
func waitingForALock(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	waitingForLocks(t, pool, 1)
}

// waitingForLocks waits until n sessions of the database wait for locks.
func waitingForLocks(t *testing.T, pool *pgxpool.Pool, n int) {
	t.Helper()
	eventually(t, fmt.Sprint(n, " sessions wait for locks"), func() bool {
		var waiting int
		require.NoError(t, pool.QueryRow(context.Background(),
			`SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`).Scan(&waiting))
		return waiting >= n
	})
}

// TestCalendarsFollowTheDatabase: a calendar set through one replica makes
// the agent busy on both, stamped by the database; deleting it frees them.
func TestCalendarsFollowTheDatabase(t *testing.T) {
	a, b, _, _ := twoReplicas(t)
	ctx := context.Background()
	agent := a.Snapshot().Dataset().Agents[0].ID
	ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTART:20261202T090000Z\r\nDTEND:20261202T100000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	before := time.Now().Add(-time.Minute)
	require.NoError(t, a.SetCalendar(ctx, "outlook", agent, strings.NewReader(ics)))
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	busyAt := func(s *Store) bool {
		ag, err := s.Agenda(ctx, agent, from, from.AddDate(0, 0, 7))
		require.NoError(t, err)
		n := 0
		for _, e := range ag.Events {
			if e.Kind == agenda.KindCalendar && e.ID == "outlook" {
				n++
			}
		}
		return n == 3
	}
	eventually(t, "the calendar on replica a", func() bool { return busyAt(a) })
	eventually(t, "the calendar on replica b", func() bool { return busyAt(b) })
	st := b.Calendars()
	require.Len(t, st, 1)
	assert.True(t, st[0].UpdatedAt.After(before), "stamped by the database: %v", st[0].UpdatedAt)
	assert.Equal(t, a.Calendars()[0].UpdatedAt, st[0].UpdatedAt, "the same stamp on every replica")

	err := a.SetCalendar(ctx, "outlook", agent, strings.NewReader("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	require.ErrorContains(t, err, `DTSTART is missing`)

	require.NoError(t, b.DeleteCalendar(ctx, "outlook"))
	eventually(t, "the calendar gone from replica a", func() bool { return len(a.Calendars()) == 0 })
	require.ErrorIs(t, b.DeleteCalendar(ctx, "outlook"), agenda.ErrNotFound)
}

// TestBookOnAStaleIndex: a replica whose index lags the database books in
// one transaction when nothing it lacks concerns the agent, and checks
// again after catching up when something does; either way the database,
// not the stale index, decides.
func TestBookOnAStaleIndex(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	b.cancel() // b stops following: its index moves only with its own writes
	<-b.done

	byAgent := map[string][]agenda.Slot{}
	var agents []string
	for _, sl := range freeSlots(t, a, ds, 400) {
		if byAgent[sl.AgentID] == nil {
			agents = append(agents, sl.AgentID)
		}
		byAgent[sl.AgentID] = append(byAgent[sl.AgentID], sl)
	}
	var x, y string
	for _, id := range agents {
		if x == "" && len(byAgent[id]) >= 3 {
			x = id
		} else if y == "" {
			y = id
		}
	}
	require.NotEmpty(t, x, "an agent with three free slots")
	require.NotEmpty(t, y, "another agent with a free slot")
	xs := byAgent[x]

	// Another agent's booking, which b lacks, does not hold b's back.
	_, err := a.Book(ctx, bookingOf("x1", xs[0]))
	require.NoError(t, err)
	_, err = b.Book(ctx, bookingOf("y1", byAgent[y][0]))
	require.NoError(t, err)
	assert.Zero(t, b.Stats().Rechecked, "nothing b lacked concerned agent y")
	_, ok := appointmentIn(t, b, x, "x1", xs[0].Start)
	assert.True(t, ok, "b's booking brought its index up to date, x1 included")

	// The same agent's booking, which b lacks, is found under the lock:
	// b's index offers the slot, the database refuses it.
	_, err = a.Book(ctx, bookingOf("x2", xs[1]))
	require.NoError(t, err)
	_, err = b.Book(ctx, bookingOf("x2-again", xs[1]))
	require.ErrorIs(t, err, agenda.ErrConflict)
	assert.Equal(t, int64(1), b.Stats().Rechecked)

	// A change of the agent that b lacks but that leaves the slot free:
	// checked again, booked.
	require.NoError(t, a.CancelAppointment(ctx, "x1", agenda.StatusExcused))
	_, err = b.Book(ctx, bookingOf("x3", xs[2]))
	require.NoError(t, err)
	assert.Equal(t, int64(2), b.Stats().Rechecked)

	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE agent_ids = $1 AND start_at = $2 AND status = 'booked'`,
		[]string{x}, xs[1].Start).Scan(&n))
	assert.Equal(t, 1, n, "one booking of the contested slot")
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE id IN ('x1', 'y1', 'x2', 'x3')`).Scan(&n))
	assert.Equal(t, 4, n)
	assert.Zero(t, b.Stats().ApplyErrors)
}

// TestNotifierWakesTheOthersOncePerInterval: a burst of writes wakes the
// other replicas with at most one notification per NotifyInterval, the
// last one after the last commit: a replica that never polls still sees
// every write at once.
func TestNotifierWakesTheOthersOncePerInterval(t *testing.T) {
	cfg := testSchema(t)
	pool := newPool(t, cfg, true)
	ds := importSmall(t, pool)
	ctx := context.Background()
	const interval = 100 * time.Millisecond
	a := openStore(t, pool, Config{NotifyInterval: interval, Poll: time.Hour})
	b := openStore(t, newPool(t, cfg, false), Config{Poll: time.Hour})

	listener, schema := listenTo(t, cfg)

	slots := freeSlots(t, a, ds, 30)
	require.Len(t, slots, 30)
	start := time.Now()
	for i, sl := range slots {
		_, err := a.Book(ctx, bookingOf(fmt.Sprintf("burst-%d", i), sl))
		require.NoError(t, err)
	}
	last := slots[len(slots)-1]
	deadline := time.Now().Add(2 * time.Second)
	for {
		if _, ok := appointmentIn(t, b, last.AgentID, "burst-29", last.Start); ok {
			break
		}
		require.True(t, time.Now().Before(deadline), "the other replica, which never polls, sees the last booking")
		time.Sleep(time.Millisecond)
	}
	time.Sleep(2 * interval) // any notification still due
	elapsed := time.Since(start)
	n := 0
	for {
		wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		note, err := listener.WaitForNotification(wctx)
		cancel()
		if err != nil {
			break
		}
		if note.Payload == schema+" "+a.notifyTag {
			n++
		}
	}
	t.Logf("30 bookings in %v: %d notifications", elapsed, n)
	assert.GreaterOrEqual(t, n, 1)
	assert.LessOrEqual(t, n, int(elapsed/interval)+1, "at most one per interval")
	assert.Zero(t, b.Stats().Reloads)
}

// TestNotificationsTellTheirInterval: a Store's notifications tell the
// other replicas its NotifyInterval, through PostgreSQL: a replica that
// hears a Store notifying at most every 5 s counts it as writing for
// 10 s, not for the default second, and keeps to one booking transaction
// meanwhile.
func TestNotificationsTellTheirInterval(t *testing.T) {
	ctx := context.Background()
	cfg := testSchema(t)
	pool := newPool(t, cfg, true)
	ds := genSmall()
	require.NoError(t, Import(ctx, pool, ds))
	slow := openStore(t, pool, Config{NotifyInterval: 5 * time.Second})
	b := openStore(t, newPool(t, cfg, false), Config{})
	// b listens once it hears a probe (its follower connects in the
	// background); a probe counts as a Store writing for a second.
	var schema string
	require.NoError(t, pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema))
	eventually(t, "the other replica listens", func() bool {
		_, err := pool.Exec(ctx, `SELECT pg_notify('crossagenda_changes', $1)`, schema+" probe 0")
		require.NoError(t, err)
		return b.othersUntil.Load() != 0
	})
	slots := freeSlots(t, slow, ds, 1)
	require.Len(t, slots, 1)
	_, err := slow.Book(ctx, bookingOf("slow-1", slots[0]))
	require.NoError(t, err)
	left := func() time.Duration { return time.Duration(b.othersUntil.Load() - int64(time.Since(b.opened))) }
	// A probe still on its way counts for a second; the write, for 10 s.
	eventually(t, "the other replica counts the writer as writing for longer than 5 s", func() bool { return left() > 5*time.Second })
	assert.LessOrEqual(t, left(), 10*time.Second)
	assert.Equal(t, 1, b.bookingTransactions())
}

// TestCombinedBookings: bookings that reach one Store together share
// transactions, and each is decided as if alone: distinct slots are all
// booked, a slot asked for twice under two ids once, and one booking sent
// twice returns the same appointment twice.
func TestCombinedBookings(t *testing.T) {
	a, b, ds, pool := twoReplicas(t)
	ctx := context.Background()
	slots := freeSlots(t, a, ds, 24)
	require.Len(t, slots, 24)
	type ask struct {
		id string
		sl agenda.Slot
	}
	var asks []ask
	for i, sl := range slots[:20] {
		asks = append(asks, ask{fmt.Sprintf("comb-%d", i), sl})
	}
	for i, sl := range slots[20:] {
		asks = append(asks, ask{fmt.Sprintf("twice-%d-a", i), sl}, ask{fmt.Sprintf("twice-%d-b", i), sl}) // one slot, two ids
	}
	asks = append(asks, ask{"comb-0", slots[0]}) // comb-0 again, same content
	results := make([]error, len(asks))
	got := make([]agenda.Appointment, len(asks))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, q := range asks {
		wg.Go(func() {
			<-start
			got[i], results[i] = a.Book(ctx, bookingOf(q.id, q.sl))
		})
	}
	close(start)
	wg.Wait()
	for i := range 20 {
		require.NoError(t, results[i], asks[i].id)
	}
	require.NoError(t, results[len(asks)-1], "the same booking again")
	assert.Equal(t, got[0].ID, got[len(asks)-1].ID)
	assert.True(t, got[0].Start.Equal(got[len(asks)-1].Start))
	for i := 20; i < len(asks)-1; i += 2 {
		won := 0
		for _, err := range results[i : i+2] {
			if err == nil {
				won++
			} else {
				require.ErrorIs(t, err, agenda.ErrConflict)
			}
		}
		assert.Equal(t, 1, won, "one of %s and %s", asks[i].id, asks[i+1].id)
	}
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE id LIKE 'comb-%' OR id LIKE 'twice-%'`).Scan(&n))
	assert.Equal(t, 24, n)
	st := a.Stats()
	carried := a.combinedBookings.Load()
	t.Logf("%d bookings: %d carried by %d transactions, %d of them checked again", len(asks), carried, st.BookingTransactions, st.Rechecked)
	assert.Less(t, st.BookingTransactions, carried, "some bookings shared a transaction")
	eventually(t, "the other replica hears the writes", func() bool { return b.othersUntil.Load() != 0 })
	assert.Zero(t, a.othersUntil.Load(), "the writing replica heard no other")
	db := dbPosition(t, pool)
	eventually(t, "the other replica catches up", func() bool { return b.Position().Covers(db) })
	for i := range 20 {
		_, ok := appointmentIn(t, b, asks[i].sl.AgentID, asks[i].id, asks[i].sl.Start)
		assert.True(t, ok, asks[i].id)
	}
	assert.Zero(t, a.Stats().ApplyErrors)
	assert.Zero(t, b.Stats().ApplyErrors)
}

// TestQueuedBookingOfAGoneCallerIsNotSent: a booking waiting for a
// transaction to carry it, whose caller's context ends meanwhile, returns
// the context's error and is never written.
func TestQueuedBookingOfAGoneCallerIsNotSent(t *testing.T) {
	cfg := testSchema(t)
	pool := newPool(t, cfg, true)
	ds := importSmall(t, pool)
	ctx := context.Background()
	s := openStore(t, pool, Config{BookingTransactions: 1})
	var x, y agenda.Slot
	for _, sl := range freeSlots(t, s, ds, 100) {
		if x.AgentID == "" {
			x = sl
		} else if sl.AgentID != x.AgentID {
			y = sl
			break
		}
	}
	require.NotEmpty(t, y.AgentID, "two agents with free slots")

	// Someone else holds agent x's row: the booking of x waits in its
	// transaction, the only one allowed in flight.
	holder := holdAgent(t, pool, x.AgentID)
	first := make(chan error, 1)
	go func() {
		_, err := s.Book(ctx, bookingOf("held-x", x))
		first <- err
	}()
	eventually(t, "the booking of x is in flight", func() bool {
		s.combined.mu.Lock()
		defer s.combined.mu.Unlock()
		return s.combined.running == 1
	})

	yctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err := s.Book(yctx, bookingOf("gone-y", y))
	require.ErrorIs(t, err, context.DeadlineExceeded)

	require.NoError(t, holder.Rollback(ctx))
	require.NoError(t, <-first, "x is booked once its row is free")
	eventually(t, "the queue is empty", func() bool {
		s.combined.mu.Lock()
		defer s.combined.mu.Unlock()
		return len(s.combined.queue) == 0 && s.combined.running == 0
	})
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE id = 'gone-y'`).Scan(&n))
	assert.Zero(t, n, "the booking whose caller had gone was not written")
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE id = 'held-x'`).Scan(&n))
	assert.Equal(t, 1, n)
}

// TestMalformedBookingTakesNoLock: a booking refused for its own shape (no
// id, an unknown view, a start outside the configured years) is refused
// whatever the database holds: at once, even while another session holds
// the agent's row, and nothing is written.
func TestMalformedBookingTakesNoLock(t *testing.T) {
	pool := testPool(t)
	ds := importSmall(t, pool)
	ctx := context.Background()
	s := openStore(t, pool, Config{})
	sl := freeSlots(t, s, ds, 1)[0]
	holdAgent(t, pool, sl.AgentID)

	noID := bookingOf("", sl)
	badView := bookingOf("bad-view", sl)
	badView.View = agenda.View(99)
	farAway := bookingOf("far-away", sl)
	farAway.Start = time.Date(9999, 1, 4, 9, 0, 0, 0, time.UTC)
	for name, b := range map[string]agenda.Booking{"no id": noID, "unknown view": badView, "year 9999": farAway} {
		bctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		start := time.Now()
		_, err := s.Book(bctx, b)
		cancel()
		took := time.Since(start)
		assert.Truef(t, errors.Is(err, agenda.ErrInvalidQuery) || errors.Is(err, agenda.ErrLimit), "%s: %v", name, err)
		assert.Lessf(t, took, time.Second, "%s: refused after %s, behind the agent's lock", name, took)
	}
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE id IN ('', 'bad-view', 'far-away')`).Scan(&n))
	assert.Zero(t, n)
}

// endsAfterItsFirstLook is a context that ends once it has been asked
// whether it has: a caller whose deadline passes while its booking is
// being checked.
type endsAfterItsFirstLook struct {
	context.Context
	looks atomic.Int32
}

func (c *endsAfterItsFirstLook) Err() error {
	if c.looks.Add(1) > 1 {
		return context.Canceled
	}
	return nil
}

// TestBookingWhoseCallerEndsDuringTheCheck: a booking whose caller's
// context ends while it is checked returns the context's error, not an
// empty appointment, and writes nothing.
func TestBookingWhoseCallerEndsDuringTheCheck(t *testing.T) {
	pool := testPool(t)
	ds := importSmall(t, pool)
	ctx := context.Background()
	s := openStore(t, pool, Config{})
	sl := freeSlots(t, s, ds, 1)[0]
	got, err := s.Book(&endsAfterItsFirstLook{Context: ctx}, bookingOf("ends-during-check", sl))
	require.ErrorIs(t, err, context.Canceled, "booked %+v", got)
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE id = 'ends-during-check'`).Scan(&n))
	assert.Zero(t, n)
}

// TestSharedTransactionWaitsAtMostASecondOnALock: a transaction that
// carries several callers' bookings gives up on a lock held elsewhere
// after a second, and its bookings are then tried one by one, so that one
// agent held by a long transaction does not hold up the booking of
// another.
func TestSharedTransactionWaitsAtMostASecondOnALock(t *testing.T) {
	pool := testPool(t)
	ds := importSmall(t, pool)
	ctx := context.Background()
	s := openStore(t, pool, Config{BookingTransactions: 1})
	byAgent := map[string]agenda.Slot{}
	var agents []string
	for _, sl := range freeSlots(t, s, ds, 200) {
		if _, ok := byAgent[sl.AgentID]; !ok && len(agents) < 3 {
			byAgent[sl.AgentID] = sl
			agents = append(agents, sl.AgentID)
		}
	}
	require.Len(t, agents, 3, "three agents with free slots")
	z, x, y := agents[0], agents[1], agents[2]
	holdZ, holdX := holdAgent(t, pool, z), holdAgent(t, pool, x)
	book := func(agent string) chan error {
		done := make(chan error, 1)
		go func() {
			_, err := s.Book(ctx, bookingOf("shared-"+agent, byAgent[agent]))
			done <- err
		}()
		return done
	}
	// z's booking is the one transaction in flight, waiting on z's row;
	// x's and y's queue behind it, to share the next one.
	doneZ := book(z)
	eventually(t, "z's booking is in flight", func() bool {
		s.combined.mu.Lock()
		defer s.combined.mu.Unlock()
		return s.combined.running == 1
	})
	doneX, doneY := book(x), book(y)
	eventually(t, "x's and y's bookings are queued", func() bool {
		s.combined.mu.Lock()
		defer s.combined.mu.Unlock()
		return len(s.combined.queue) == 2
	})
	// Once z's row is free, z's booking commits, and the shared
	// transaction of x and y waits on x's row, held on.
	start := time.Now()
	require.NoError(t, holdZ.Rollback(ctx))
	require.NoError(t, <-doneZ)
	select {
	case err := <-doneY:
		require.NoError(t, err)
		took := time.Since(start)
		t.Logf("y booked %s after z's row was freed, x's row still held", took.Round(time.Millisecond))
		// The transaction gave up after its lock_timeout (1s), not at once
		// nor much later.
		assert.Greater(t, took, time.Second, "y's booking did not wait on x's lock: the test shows nothing")
		assert.Less(t, took, 4*time.Second)
	case <-time.After(6 * time.Second):
		t.Fatal("y's booking waited more than 6s behind x's lock")
	}
	select {
	case err := <-doneX:
		t.Fatalf("x's booking returned while its row was held: %v", err)
	default:
	}
	require.NoError(t, holdX.Rollback(ctx))
	require.NoError(t, <-doneX, "x is booked once its row is free")
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE id LIKE 'shared-%'`).Scan(&n))
	assert.Equal(t, 3, n)
}

// TestLimitOfAStaleCheckIsDecidedAfterCatchingUp: a refusal for a limit
// that depends on the agent's records (the occurrences the check and its
// explanation expand) is not final on a stale index: the booking is
// checked again after catching up. Here the replica still sees the slot
// taken by an appointment the database no longer holds; explaining that
// refusal exceeds MaxOccurrences, booking the free slot does not.
func TestLimitOfAStaleCheckIsDecidedAfterCatchingUp(t *testing.T) {
	pool := testPool(t)
	ds := importSmall(t, pool)
	ctx := context.Background()
	sl := freeSlots(t, openStore(t, pool, Config{}), ds, 1)[0]
	const maxOccurrences = 10
	s := openStore(t, pool, Config{Options: []agenda.Option{agenda.WithLimits(agenda.Limits{MaxOccurrences: maxOccurrences})}})
	s.cancel() // s stops following: its index moves only with its own writes
	<-s.done
	_, err := s.Book(ctx, bookingOf("gone", sl))
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `DELETE FROM appointments WHERE id = 'gone'`)
	require.NoError(t, err)

	// What the stale index says of the slot.
	_, err = s.Snapshot().CheckBooking(ctx, bookingOf("again", sl))
	var le *agenda.LimitError
	require.Truef(t, errors.As(err, &le) && le.Limit == "MaxOccurrences", "the stale index's check exceeds MaxOccurrences %d: %v", maxOccurrences, err)

	got, err := s.Book(ctx, bookingOf("again", sl))
	require.NoError(t, err, "the database has the slot free")
	assert.Equal(t, "again", got.ID)
}
