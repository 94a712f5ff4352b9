package pgstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// envURL names the variable holding the test database's URL.
const envURL = "CROSSAGENDA_TEST_DATABASE_URL"

// testURL returns the test database's URL, or skips the test (fails it
// under CI=true, where every database test must run).
func testURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(envURL)
	if url == "" {
		missing(t, "pgstore: no PostgreSQL: set "+envURL+" (e.g. postgres://postgres@127.0.0.1:5432/test) to run this test")
	}
	return url
}

// missing skips the test for want of what msg names, or fails it under
// CI=true, where every database test must run.
func missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: database tests must run)")
	}
	t.Skip(msg)
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// testSchema creates a fresh schema for the test, dropped when it ends,
// and returns the URL's pool config with that schema as search path.
func testSchema(t testing.TB) *pgxpool.Config {
	t.Helper()
	url := testURL(t)
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	name := nonWord.ReplaceAllString(strings.ToLower(t.Name()), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	schema := fmt.Sprintf("t_%s_%08x", name, rand.Uint32())
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
		if err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
		admin.Close()
	})
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	return cfg
}

// testPool opens a pool on a fresh, migrated schema.
func testPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return newPool(t, testSchema(t), true)
}

func newPool(t testing.TB, cfg *pgxpool.Config, migrate bool) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg.Copy())
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	if migrate {
		require.NoError(t, Migrate(context.Background(), pool))
	}
	return pool
}

// openStore opens a Store and closes it when the test ends.
func openStore(t testing.TB, pool *pgxpool.Pool, cfg Config) *Store {
	t.Helper()
	if cfg.Poll == 0 {
		cfg.Poll = 200 * time.Millisecond
	}
	s, err := Open(context.Background(), pool, cfg)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// sameDataset reports the first difference between two datasets, field by
// field (testify's diff of a whole dataset takes minutes).
func sameDataset(t testing.TB, want, got *agenda.Dataset) {
	t.Helper()
	check := func(name string, n, m int, eq func(i int) bool, show func(i int) (any, any)) {
		if n != m {
			t.Errorf("%s: %d records, want %d", name, m, n)
			return
		}
		for i := range n {
			if !eq(i) {
				w, g := show(i)
				t.Errorf("%s #%d:\n got  %+v\n want %+v", name, i, g, w)
				return
			}
		}
	}
	cmp := func(name string, w, g any) {
		wv, gv := reflect.ValueOf(w), reflect.ValueOf(g)
		check(name, wv.Len(), gv.Len(), func(i int) bool { return reflect.DeepEqual(wv.Index(i).Interface(), gv.Index(i).Interface()) },
			func(i int) (any, any) { return wv.Index(i).Interface(), gv.Index(i).Interface() })
	}
	if want.TimeZone != got.TimeZone {
		t.Errorf("time zone %q, want %q", got.TimeZone, want.TimeZone)
	}
	cmp("organisations", want.Organisations, got.Organisations)
	cmp("agents", want.Agents, got.Agents)
	cmp("places", want.Places, got.Places)
	cmp("services", want.Services, got.Services)
	cmp("opening periods", want.OpeningPeriods, got.OpeningPeriods)
	cmp("absences", want.Absences, got.Absences)
	check("appointments", len(want.Appointments), len(got.Appointments), func(i int) bool {
		w, g := want.Appointments[i], got.Appointments[i]
		return w.Start.Equal(g.Start) && w.End.Equal(g.End) && w.ID == g.ID && w.OrganisationID == g.OrganisationID &&
			w.PlaceID == g.PlaceID && w.ServiceID == g.ServiceID && slices.Equal(w.AgentIDs, g.AgentIDs) && w.Status == g.Status &&
			w.Capacity == g.Capacity && w.Participants == g.Participants
	}, func(i int) (any, any) { return want.Appointments[i], got.Appointments[i] })
	// The order of closed days means nothing.
	byDay := func(x, y agenda.ClosedDay) int {
		return strings.Compare(x.Date+"|"+x.OrganisationID, y.Date+"|"+y.OrganisationID)
	}
	cmp("closed days", slices.SortedFunc(slices.Values(want.ClosedDays), byDay), slices.SortedFunc(slices.Values(got.ClosedDays), byDay))
	cmp("holiday calendars", want.HolidayCalendars, got.HolidayCalendars)
	cmp("external calendars", want.Calendars, got.Calendars)
}

// genSmall is the dataset of the replica tests.
// dbPosition is the database's position now: a replica whose position
// covers it has applied every change committed before the call.
func dbPosition(t testing.TB, pool *pgxpool.Pool) Position {
	t.Helper()
	var text string
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT pg_current_snapshot()::text`).Scan(&text))
	snap, err := parseSnapshot(text)
	require.NoError(t, err)
	return Position{snap: snap}
}

func genSmall() *agenda.Dataset { return gen.Generate(gen.Small, 11) }

// importSmall imports genSmall's dataset into pool's schema and returns it.
func importSmall(t testing.TB, pool *pgxpool.Pool) *agenda.Dataset {
	t.Helper()
	ds := genSmall()
	require.NoError(t, Import(context.Background(), pool, ds))
	return ds
}

// waitCombinerIdle waits until s has no booking transaction carrier
// running and none queued: after the last booking is answered, its
// carriers still have to find the queue empty.
func waitCombinerIdle(tb testing.TB, s *Store) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.combined.mu.Lock()
		idle := s.combined.running == 0 && len(s.combined.queue) == 0
		s.combined.mu.Unlock()
		if idle {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("after 5s: booking transactions still running")
		}
		time.Sleep(time.Millisecond)
	}
}
