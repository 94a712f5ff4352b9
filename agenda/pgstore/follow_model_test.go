package pgstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// TestFollowConvergesUnderOutOfOrderCommits: both Stores write a small
// pool of appointments while a person with psql updates, inserts and
// deletes the same rows with no agent lock, some in transactions that sleep
// between their update and their commit or rollback, so that transactions
// commit in another order than they started and than their changes are
// numbered. Once the writers stop and both replicas cover the database's
// position, each replica's appointments are exactly the table's, each
// replica applied every logged change once and those of each row in
// order, with no refused change and no reload.
func TestFollowConvergesUnderOutOfOrderCommits(t *testing.T) {
	cfg := testSchema(t)
	pool := newPool(t, cfg, true)
	ds := importSmall(t, pool)
	ctx := context.Background()
	var orderA, orderB orderCheck
	a := openStore(t, pool, Config{OnApply: orderA.add, Poll: 50 * time.Millisecond})
	b := openStore(t, newPool(t, cfg, false), Config{OnApply: orderB.add, Poll: 50 * time.Millisecond})
	raw := newPool(t, cfg, false) // psql

	// Agents of one organisation, so that any of them may share an
	// appointment of that organisation.
	byOrg := map[string][]string{}
	for _, ag := range ds.Agents {
		byOrg[ag.OrganisationIDs[0]] = append(byOrg[ag.OrganisationIDs[0]], ag.ID)
	}
	var org string
	for o, ags := range byOrg {
		if len(ags) >= 3 && (org == "" || o < org) {
			org = o
		}
	}
	require.NotEmpty(t, org, "an organisation with 3 agents")
	agents := byOrg[org][:3]
	const nIDs = 20
	ids := make([]string, nIDs)
	for i := range ids {
		ids[i] = fmt.Sprintf("fm%02d", i)
	}
	base := anchor.Add(10 * 24 * time.Hour).Truncate(time.Hour)
	randomAppointment := func(rng *rand.Rand) agenda.Appointment {
		start := base.Add(time.Duration(rng.IntN(14*24*4)) * 15 * time.Minute)
		ags := []string{agents[rng.IntN(len(agents))]}
		if rng.IntN(4) == 0 {
			ags = []string{agents[0], agents[1+rng.IntN(2)]}
		}
		return agenda.Appointment{ID: ids[rng.IntN(nIDs)], OrganisationID: org, AgentIDs: ags, Start: start,
			End:    start.Add(time.Duration(1+rng.IntN(4)) * 15 * time.Minute),
			Status: []agenda.Status{agenda.StatusBooked, agenda.StatusSeen, agenda.StatusNoShow}[rng.IntN(3)]}
	}
	statuses := []string{"booked", "seen", "noshow", "excused", "revoked"}

	var (
		storeWrites, notFound, refused, rawStmts, slowCommits, rollbacks, deadlocks atomic.Int64
		wg                                                                          sync.WaitGroup
	)
	stop := time.Now().Add(3 * time.Second)
	unexpected := func(what string, err error) {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "40P01" { // psql sessions deadlocking each other
			deadlocks.Add(1)
			return
		}
		t.Errorf("%s: %v", what, err)
	}

	// The Stores' writes, two writers on each.
	for w := range 4 {
		s := []*Store{a, b}[w%2]
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for time.Now().Before(stop) {
				var err error
				switch r := rng.IntN(10); {
				case r < 6:
					err = s.UpsertAppointment(ctx, randomAppointment(rng))
				case r < 8:
					err = s.CancelAppointment(ctx, ids[rng.IntN(nIDs)], []agenda.Status{agenda.StatusExcused, agenda.StatusRevoked}[rng.IntN(2)])
				default:
					err = s.DeleteAppointment(ctx, ids[rng.IntN(nIDs)])
				}
				switch {
				case err == nil:
					storeWrites.Add(1)
				case errors.Is(err, agenda.ErrNotFound):
					notFound.Add(1)
				case errors.Is(err, agenda.ErrConflict) && strings.Contains(err.Error(), "cancelled already"):
					refused.Add(1) // a cancellation is final
				default:
					t.Errorf("store write: %v", err)
					return
				}
			}
		})
	}
	// psql: single statements, committed at once.
	for w := range 2 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 2))
			for time.Now().Before(stop) {
				id := ids[rng.IntN(nIDs)]
				var err error
				switch r := rng.IntN(10); {
				case r < 4:
					_, err = raw.Exec(ctx, `UPDATE appointments SET status = $2 WHERE id = $1`, id, statuses[rng.IntN(len(statuses))])
				case r < 6:
					_, err = raw.Exec(ctx, `UPDATE appointments SET start_at = start_at + interval '15 minutes', end_at = end_at + interval '15 minutes' WHERE id = $1`, id)
				case r < 8:
					ap := randomAppointment(rng)
					_, err = raw.Exec(ctx, `INSERT INTO appointments (id, organisation_id, agent_ids, start_at, end_at, status)
						VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`, ap.ID, org, ap.AgentIDs, ap.Start, ap.End, string(ap.Status))
				default:
					_, err = raw.Exec(ctx, `DELETE FROM appointments WHERE id = $1`, id)
				}
				if err != nil {
					unexpected("psql statement", err)
					continue
				}
				rawStmts.Add(1)
				time.Sleep(time.Duration(rng.IntN(2000)) * time.Microsecond)
			}
		})
	}
	// psql: transactions that update one to three rows (in id order), sleep
	// a few milliseconds, then commit or roll back, overlapping all others.
	for w := range 3 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 3))
			for time.Now().Before(stop) {
				tx, err := raw.Begin(ctx)
				if err != nil {
					t.Errorf("psql begin: %v", err)
					return
				}
				rows := map[string]bool{}
				for range 1 + rng.IntN(3) {
					rows[ids[rng.IntN(nIDs)]] = true
				}
				for _, id := range slices.Sorted(func(yield func(string) bool) {
					for id := range rows {
						if !yield(id) {
							return
						}
					}
				}) {
					if rng.IntN(2) == 0 {
						_, err = tx.Exec(ctx, `UPDATE appointments SET status = $2 WHERE id = $1`, id, statuses[rng.IntN(len(statuses))])
					} else {
						_, err = tx.Exec(ctx, `UPDATE appointments SET end_at = end_at + interval '15 minutes' WHERE id = $1`, id)
					}
					if err != nil {
						break
					}
				}
				time.Sleep(time.Duration(1000+rng.IntN(5000)) * time.Microsecond)
				switch {
				case err != nil:
					_ = tx.Rollback(ctx)
					unexpected("psql transaction", err)
				case rng.IntN(3) == 0:
					if err := tx.Rollback(ctx); err != nil {
						t.Errorf("psql rollback: %v", err)
					}
					rollbacks.Add(1)
				default:
					if err := tx.Commit(ctx); err != nil {
						unexpected("psql commit", err)
						continue
					}
					slowCommits.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	db := dbPosition(t, raw)
	eventually(t, "replica a covers the database", func() bool { return a.Position().Covers(db) })
	eventually(t, "replica b covers the database", func() bool { return b.Position().Covers(db) })

	// The table, as SQL has it.
	type row struct {
		ID         string
		Status     string
		Start, End time.Time
		Agents     []string
	}
	rs, err := raw.Query(ctx, `SELECT id, status, start_at, end_at, agent_ids FROM appointments ORDER BY id`)
	require.NoError(t, err)
	want, err := pgx.CollectRows(rs, pgx.RowToStructByPos[row])
	require.NoError(t, err)
	var present int
	for _, r := range want {
		if strings.HasPrefix(r.ID, "fm") {
			present++
		}
	}
	show := func(r row) string {
		return fmt.Sprintf("%s %s %s..%s %v", r.ID, r.Status, r.Start.UTC().Format(time.RFC3339), r.End.UTC().Format(time.RFC3339), r.Agents)
	}
	for name, s := range map[string]*Store{"a": a, "b": b} {
		var got []row
		for _, ap := range s.Snapshot().Dataset().Appointments {
			got = append(got, row{ID: ap.ID, Status: string(ap.Status), Start: ap.Start, End: ap.End, Agents: ap.AgentIDs})
		}
		slices.SortFunc(got, func(x, y row) int { return strings.Compare(x.ID, y.ID) })
		if len(got) != len(want) {
			t.Errorf("replica %s: %d appointments, the table has %d", name, len(got), len(want))
		}
		diffs := 0
		for i, j := 0, 0; i < len(want) || j < len(got); {
			var d string
			switch {
			case j >= len(got) || (i < len(want) && want[i].ID < got[j].ID):
				d = "missing: " + show(want[i])
				i++
			case i >= len(want) || got[j].ID < want[i].ID:
				d = "extra: " + show(got[j])
				j++
			default:
				w, g := want[i], got[j]
				if w.Status != g.Status || !w.Start.Equal(g.Start) || !w.End.Equal(g.End) || !slices.Equal(w.Agents, g.Agents) {
					d = fmt.Sprintf("differs:\n   got  %s\n   want %s", show(g), show(w))
				}
				i++
				j++
			}
			if d != "" {
				if diffs < 10 {
					t.Errorf("replica %s: appointment %s", name, d)
				}
				diffs++
			}
		}
		if diffs > 0 {
			t.Errorf("replica %s: %d appointments differ from the table", name, diffs)
		}
	}

	// Transactions whose changes are numbered in another order than they
	// started: what the test is about.
	var changes, inversions int
	require.NoError(t, raw.QueryRow(ctx, `SELECT (SELECT count(*) FROM change_log WHERE op <> 'reload'),
		(SELECT count(*) FROM change_log c1 JOIN change_log c2 ON c1.seq < c2.seq AND c1.xid > c2.xid)`).Scan(&changes, &inversions))
	nA, nB := orderA.check(t, raw), orderB.check(t, raw)
	stA, stB := a.Stats(), b.Stats()
	t.Logf("%d store writes (%d not found, %d cancellations of cancelled appointments), %d psql statements, %d slow psql commits, %d rollbacks, %d deadlocks between psql sessions",
		storeWrites.Load(), notFound.Load(), refused.Load(), rawStmts.Load(), slowCommits.Load(), rollbacks.Load(), deadlocks.Load())
	t.Logf("%d changes logged, %d pairs numbered against their transactions' order; applied %d by a, %d by b; %d of %d test appointments left; positions a %s, b %s",
		changes, inversions, nA, nB, present, nIDs, a.Position(), b.Position())
	for name, st := range map[string]Stats{"a": stA, "b": stB} {
		assert.Zero(t, st.ApplyErrors, "replica %s: changes the index refused", name)
		assert.Zero(t, st.Reloads, "replica %s: reloads", name)
	}
	assert.Positive(t, inversions, "no transaction's changes were numbered before an older transaction's: commits never crossed")
	assert.Positive(t, rollbacks.Load(), "no rollback")
	assert.Positive(t, slowCommits.Load(), "no slow psql transaction committed")
}
