package pgstore

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// planConn is one connection in a transaction with the settings of the
// package's reads (sqlReadSettings) and generic plans forced: the plans a
// connection caches once the custom ones stop paying, made with whatever
// statistics the tables have (none here: no ANALYZE ran).
func planConn(t *testing.T, pool *pgxpool.Pool) *pgconn.PgConn {
	t.Helper()
	ctx := context.Background()
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = conn.Exec(context.Background(), "ROLLBACK")
		conn.Release()
	})
	pc := conn.Conn().PgConn()
	for _, sql := range []string{"BEGIN", sqlReadSettings, "SET LOCAL plan_cache_mode = force_generic_plan"} {
		_, err := pc.Exec(ctx, sql).ReadAll()
		require.NoError(t, err, sql)
	}
	return pc
}

// explain runs a statement (simple protocol, so that PREPARE's $n reach
// the server as written) and returns its output, one line per row.
func explain(t *testing.T, pc *pgconn.PgConn, sql string) string {
	t.Helper()
	res, err := pc.Exec(context.Background(), sql).ReadAll()
	require.NoError(t, err, sql)
	var lines []string
	for _, r := range res {
		for _, row := range r.Rows {
			lines = append(lines, string(row[0]))
		}
	}
	return strings.Join(lines, "\n")
}

// TestPlanChangesUsesXidIndex: the generic plan of sqlChanges, under the
// read settings, finds the changes through change_log_xid, never reading
// the log whole: prepared while the log holds 5 changes (the plan a
// connection caches early, which PostgreSQL keeps as the log grows), and
// prepared again once it holds 50,000 changes of distinct transactions,
// never analyzed. A read past every change touches a few pages, not the
// log's (counted in buffers, which do not depend on the machine's load).
func TestPlanChangesUsesXidIndex(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	const firstXid, few, n = 1000, 5, 50000
	fill := func(from, count int) {
		t.Helper()
		_, err := pool.Exec(ctx, `INSERT INTO change_log (xid, table_name, op, new_row)
			SELECT g, 'appointments', 'update', jsonb_build_object('id', 'a' || g) FROM generate_series($1::bigint, $2::bigint) g`,
			from, from+count-1)
		require.NoError(t, err)
	}
	usesXidIndex := func(what, plan string) {
		t.Helper()
		t.Logf("%s:\n%s", what, plan)
		if !strings.Contains(plan, "change_log_xid") {
			t.Errorf("%s does not use change_log_xid:\n%s", what, plan)
		}
		if strings.Contains(plan, "Seq Scan on change_log") {
			t.Errorf("%s reads the whole change log:\n%s", what, plan)
		}
	}
	const pastAll = "(60000, '{}', 10001)"

	// A nearly empty log: the plan cached first.
	fill(firstXid, few)
	early := planConn(t, pool)
	explain(t, early, "PREPARE changes AS "+sqlChanges)
	usesXidIndex("the generic plan of sqlChanges on a log of 5 changes", explain(t, early, "EXPLAIN EXECUTE changes"+pastAll))
	// Control, not asserted (it is PostgreSQL's choice): without the read
	// settings, the same plan reads the small log whole.
	{
		conn, err := pool.Acquire(ctx)
		require.NoError(t, err)
		pc := conn.Conn().PgConn()
		explain(t, pc, "BEGIN")
		explain(t, pc, "SET LOCAL plan_cache_mode = force_generic_plan")
		explain(t, pc, "PREPARE changes AS "+sqlChanges)
		t.Logf("control: the same on 5 changes without sqlReadSettings:\n%s", explain(t, pc, "EXPLAIN EXECUTE changes"+pastAll))
		explain(t, pc, "ROLLBACK")
		explain(t, pc, "DEALLOCATE changes")
		conn.Release()
	}

	fill(firstXid+few, n)
	var rows, distinct int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT xid) FROM change_log`).Scan(&rows, &distinct))
	require.Equal(t, few+n, rows)
	require.Equal(t, few+n, distinct)
	var analyzed bool
	require.NoError(t, pool.QueryRow(ctx, `SELECT last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL
		FROM pg_stat_user_tables WHERE relid = 'change_log'::regclass`).Scan(&analyzed))
	if analyzed {
		t.Log("change_log was analyzed meanwhile (autovacuum): the plans are checked all the same")
	}
	// The early plan, still cached, on the grown log.
	usesXidIndex("the early generic plan on a log of 50,005 changes", explain(t, early, "EXPLAIN EXECUTE changes"+pastAll))

	// A plan made now.
	pc := planConn(t, pool)
	explain(t, pc, "PREPARE changes AS "+sqlChanges)
	for _, args := range []string{
		"(51005, '{}', 10001)",               // nothing running: the changes from xmax on
		"(30000, '{1000,2000,3000}', 10001)", // running xids, and much of the log past xmax
	} {
		usesXidIndex("the generic plan of sqlChanges"+args+" on a log of 50,005 changes", explain(t, pc, "EXPLAIN EXECUTE changes"+args))
	}

	// A read past every change: the follower's common case. Its cost is
	// counted in the buffers it touches, the top node's count, which
	// includes its children's: an index descent or two, against the
	// log's pages.
	var logPages int
	require.NoError(t, pool.QueryRow(ctx, `SELECT pg_relation_size('change_log') / current_setting('block_size')::int`).Scan(&logPages))
	buffersRe := regexp.MustCompile(`Buffers: shared(?: hit=([0-9]+))?(?: read=([0-9]+))?`)
	for name, c := range map[string]*pgconn.PgConn{"early": early, "late": pc} {
		plan := explain(t, c, "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) EXECUTE changes"+pastAll)
		m := buffersRe.FindStringSubmatch(plan)
		require.NotNil(t, m, "no buffer counts in:\n%s", plan)
		var buffers int
		for _, n := range m[1:] {
			if n != "" {
				b, err := strconv.Atoi(n)
				require.NoError(t, err)
				buffers += b
			}
		}
		usesXidIndex(fmt.Sprintf("the %s plan, executed past every change: %d buffers, the log has %d pages", name, buffers, logPages), plan)
		if buffers > 50 || buffers*10 > logPages {
			t.Errorf("the %s plan: a read past every change of a %d-change log touched %d buffers (the log has %d pages), want at most 50 and a tenth of the log:\n%s", name, few+n, buffers, logPages, plan)
		}
	}

	// The query's answers, with and without running xids.
	var got int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(seq) FROM (`+sqlChanges+`) c`, int64(60000), []int64{}, catchUpMax+1).Scan(&got))
	require.Zero(t, got, "changes past every xid of the log")
	last := int64(firstXid + few + n - 1)
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(seq) FROM (`+sqlChanges+`) c`, last-9, []int64{firstXid, firstXid + 1}, catchUpMax+1).Scan(&got))
	require.Equal(t, 12, got, "the last 10 xids and 2 running ones")
}

// TestPlanLockAgentsUsesPrimaryKey: after an import, never analyzed, the
// generic plan of sqlLockAgentsAndHold under the read settings finds the
// agents through their primary key.
func TestPlanLockAgentsUsesPrimaryKey(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	ds := genSmall()
	require.NoError(t, Import(ctx, pool, ds))
	pc := planConn(t, pool)
	for name, q := range map[string]struct{ sql, args string }{
		"sqlLockAgentsAndHold": {sqlLockAgentsAndHold, "('{" + ds.Agents[0].ID + "}', '" + ds.Appointments[0].ID + "')"},
		"sqlLockBookings":      {sqlLockBookings, "('{" + ds.Agents[0].ID + "," + ds.Agents[1].ID + "}', '{" + ds.Appointments[0].ID + "," + ds.Appointments[1].ID + "}')"},
	} {
		explain(t, pc, "PREPARE "+name+" AS "+q.sql)
		plan := explain(t, pc, "EXPLAIN EXECUTE "+name+q.args)
		t.Logf("EXPLAIN EXECUTE %s%s (%d agents, %d appointments):\n%s", name, q.args, len(ds.Agents), len(ds.Appointments), plan)
		if !strings.Contains(plan, "agents_pkey") {
			t.Errorf("the generic plan of %s does not use agents_pkey:\n%s", name, plan)
		}
		for _, table := range []string{"agents", "appointments", "holds"} {
			if strings.Contains(plan, "Seq Scan on "+table) {
				t.Errorf("the generic plan of %s reads %s whole:\n%s", name, table, plan)
			}
		}
	}
}

// TestLogQueriesKeepGenericPlans: the statements a booking sends that read
// the change log keep their generic plans. With a large, analyzed log,
// PostgreSQL's estimate for an xid bound it does not know makes every
// generic plan look dearer than one made for the actual bound, and left to
// choose it would plan each execution afresh, which costs more than the
// execution itself.
func TestLogQueriesKeepGenericPlans(t *testing.T) {
	cfg := testSchema(t)
	cfg.MaxConns = 2
	pool := newPool(t, cfg, true)
	ds := importSmall(t, pool)
	ctx := context.Background()
	logHistory(t, pool, 60000)
	s := openStore(t, pool, Config{})
	slots := freeSlots(t, s, ds, 20)
	require.Len(t, slots, 20)
	for i, sl := range slots {
		_, err := s.Book(ctx, bookingOf(fmt.Sprintf("plan-%d", i), sl))
		require.NoError(t, err)
	}
	// Every connection the pool holds, once idle (the notifier borrows one
	// now and then): a statement is prepared on each that ran it.
	seen := map[string]bool{}
	deadline := time.Now().Add(5 * time.Second)
	for checked := 0; checked < int(pool.Stat().TotalConns()) && time.Now().Before(deadline); {
		conns := pool.AcquireAllIdle(ctx)
		for _, c := range conns {
			rows, err := c.Query(ctx, `SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%change_log%'`)
			require.NoError(t, err)
			for rows.Next() {
				var stmt string
				var generic, custom int64
				require.NoError(t, rows.Scan(&stmt, &generic, &custom))
				seen[stmt] = true
				if custom > 5 {
					t.Errorf("%d custom plans, %d generic, for %.80s", custom, generic, strings.Join(strings.Fields(stmt), " "))
				}
			}
			require.NoError(t, rows.Err())
			c.Release()
		}
		checked += len(conns)
		time.Sleep(10 * time.Millisecond)
	}
	require.True(t, seen[sqlBookIfCurrent], "the booking's guarded insert ran")
	require.True(t, seen[sqlChanges], "the read of the log ran")
}

// logHistory adds n changes of long-ended transactions to the change log,
// as a running system's log holds until pruned (xids below every snapshot's
// xmin, so that no replica reads them), and analyzes it.
func logHistory(t testing.TB, pool *pgxpool.Pool, n int) {
	t.Helper()
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO change_log (table_name, op, new_row, xid)
		SELECT 'absences', 'insert', '{}', 3 + g % greatest(x - 3, 1)
		FROM generate_series(1, $1::integer) g, (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS x) s`, n)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `ANALYZE change_log`)
	require.NoError(t, err)
}

// TestPlanHoldLookupsUsePrimaryKey: a booking looks up one hold by id
// (is the id held?). The generic plans of those lookups find it through
// the holds' primary key, not by walking every active hold in expiry
// order: planned when the holds table was vacuumed and analyzed empty (a
// system just deployed), then executed once 5,000 holds came in a burst,
// before any analyze.
func TestPlanHoldLookupsUsePrimaryKey(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	ds := genSmall()
	require.NoError(t, Import(ctx, pool, ds))
	_, err := pool.Exec(ctx, `VACUUM (ANALYZE) holds`)
	require.NoError(t, err)
	a := ds.Appointments[0]
	lookups := map[string]struct{ sql, args string }{
		"sqlBookIfCurrent": {sqlBookIfCurrent, fmt.Sprintf("('b1', '%s', NULL, '%s', '{%s}', now(), now() + interval '30 minutes', 'booked', 0, 0, NULL, NULL, now(), '%s', 1000, 1000, '{}')",
			a.OrganisationID, a.ServiceID, a.AgentIDs[0], a.AgentIDs[0])},
		"sqlActiveHoldID": {sqlActiveHoldID, "('b1', now())"},
		"sqlInsertAppointmentUnlessHeld": {sqlInsertAppointmentUnlessHeld, fmt.Sprintf("('b1', '%s', NULL, '%s', '{%s}', now(), now() + interval '30 minutes', 'booked', 0, 0, NULL, NULL, now())",
			a.OrganisationID, a.ServiceID, a.AgentIDs[0])},
	}
	check := func(pc *pgconn.PgConn, when string) {
		t.Helper()
		for name, q := range lookups {
			plan := explain(t, pc, "EXPLAIN EXECUTE "+name+q.args)
			t.Logf("%s: EXPLAIN EXECUTE %s:\n%s", when, name, plan)
			if !strings.Contains(plan, "holds_pkey") || strings.Contains(plan, "holds_expires_at") || strings.Contains(plan, "Seq Scan on holds") {
				t.Errorf("%s, the generic plan of %s does not look the hold up by its primary key:\n%s", when, name, plan)
			}
		}
	}
	early := planConn(t, pool)
	for name, q := range lookups {
		explain(t, early, "PREPARE "+name+" AS "+q.sql)
	}
	check(early, "no holds")
	_, err = pool.Exec(ctx, `INSERT INTO holds (id, organisation_id, place_id, service_id, agent_id, start_at, end_at, expires_at)
		SELECT 'burst-' || g, $1, NULLIF($2, ''), $3, $4, $5, $6, now() + interval '1 hour' FROM generate_series(1, 5000) g`,
		a.OrganisationID, a.PlaceID, a.ServiceID, a.AgentIDs[0], a.Start, a.End)
	require.NoError(t, err)
	check(early, "planned with no holds, run with 5,000")
}
