package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// benchScales lists the scales of BenchmarkLoad: departement by default,
// more with CROSSAGENDA_BENCH_SCALES=departement,region (region generates
// and imports about 2 million appointments: minutes, and about 8 GB).
func benchScales() []string {
	if v := os.Getenv("CROSSAGENDA_BENCH_SCALES"); v != "" {
		return strings.Split(v, ",")
	}
	return []string{"departement"}
}

// loadFixture is one scale's dataset as JSON and as an imported schema,
// shared by the benchmark's runs (-count) in one process.
type loadFixture struct {
	json         []byte
	pool         *pgxpool.Pool
	appointments int
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[string]*loadFixture{}
)

func fixture(b *testing.B, scale string) *loadFixture {
	b.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f, ok := fixtures[scale]; ok {
		return f
	}
	s, ok := gen.ScaleByName(scale)
	if !ok {
		b.Fatalf("unknown scale %q", scale)
	}
	t0 := time.Now()
	ds := gen.Generate(s, 1)
	var buf bytes.Buffer
	require.NoError(b, ds.WriteJSON(&buf))
	t1 := time.Now()
	pool := benchPool(b, "bench_load_"+scale)
	require.NoError(b, Import(context.Background(), pool, ds))
	b.Logf("scale %s: %d appointments, generated and encoded in %v (%d MB of JSON), imported in %v",
		scale, len(ds.Appointments), t1.Sub(t0).Round(time.Millisecond), buf.Len()>>20, time.Since(t1).Round(time.Millisecond))
	f := &loadFixture{json: buf.Bytes(), pool: pool, appointments: len(ds.Appointments)}
	fixtures[scale] = f
	return f
}

// benchSchemas are dropped by TestMain when the benchmarks are done.
var benchSchemas []string

// benchPool makes a fresh migrated schema that lives until the process
// ends (benchmarks share it across -count runs).
func benchPool(b *testing.B, name string) *pgxpool.Pool {
	b.Helper()
	url := testURL(b)
	ctx := context.Background()
	schema := fmt.Sprintf("%s_%d", name, time.Now().UnixNano())
	admin, err := pgxpool.New(ctx, url)
	require.NoError(b, err)
	defer admin.Close()
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(b, err)
	benchSchemas = append(benchSchemas, schema)
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(b, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = 16
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(b, err)
	require.NoError(b, Migrate(ctx, pool))
	return pool
}

func TestMain(m *testing.M) {
	code := m.Run()
	if len(benchSchemas) > 0 {
		ctx := context.Background()
		if admin, err := pgxpool.New(ctx, os.Getenv(envURL)); err == nil {
			for _, s := range benchSchemas {
				if _, err := admin.Exec(ctx, "DROP SCHEMA "+s+" CASCADE"); err != nil {
					fmt.Fprintln(os.Stderr, "dropping", s, err)
				}
			}
			admin.Close()
		}
	}
	os.Exit(code)
}

// BenchmarkLoad compares building a Live index from PostgreSQL (read
// every table in one snapshot, compile) with building it from the same
// data's JSON (ReadDataset, compile), in one run:
//
//	go test ./agenda/pgstore -run '^$' -bench Load -benchtime 3x -count 3
func BenchmarkLoad(b *testing.B) {
	for _, scale := range benchScales() {
		b.Run("scale="+scale, func(b *testing.B) {
			f := fixture(b, scale)
			ctx := context.Background()
			b.Run("impl=json", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ds, err := agenda.ReadDataset(bytes.NewReader(f.json))
					require.NoError(b, err)
					_, err = agenda.NewLive(ds)
					require.NoError(b, err)
				}
			})
			b.Run("impl=postgres", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ds, _, err := LoadDataset(ctx, f.pool)
					require.NoError(b, err)
					_, err = agenda.NewLive(ds)
					require.NoError(b, err)
				}
			})
		})
	}
}

// bookable lists free slots of a generated dataset over a year, each
// agent's at least an hour apart. A booking may still move the slot grid
// of the agent's free time after it (slots start where free time does),
// so a few of the list are refused: the benchmark skips those.
func bookable(b *testing.B, s *Store, ds *agenda.Dataset) []agenda.Slot {
	now := gen.DefaultAnchor()
	var out []agenda.Slot
	last := map[string][]agenda.Slot{}
	for _, svc := range ds.Services {
		if svc.Collective {
			continue
		}
		slots, err := s.Slots(context.Background(), agenda.SlotQuery{ServiceID: svc.ID, From: now, To: now.AddDate(1, 0, 0), Now: now, View: agenda.ViewAgent})
		require.NoError(b, err)
		for _, sl := range slots {
			if slices.ContainsFunc(last[sl.AgentID], func(o agenda.Slot) bool {
				return o.Start.Add(-time.Hour).Before(sl.End) && sl.Start.Before(o.End.Add(time.Hour))
			}) {
				continue
			}
			last[sl.AgentID] = append(last[sl.AgentID], sl)
			out = append(out, sl)
		}
	}
	// In the order of independent users, not agent by agent: concurrent
	// clients then book different agents most of the time, as on a
	// platform, instead of queueing on one agent's lock.
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// BenchmarkBook measures durable bookings against the floor: a bare
// single-row INSERT transaction on the same server. clients=1 is the cost
// of one booking; clients=8 the throughput of one replica, or of two
// replicas sharing the database (the clients split between them), with
// the default booking transactions in flight or two each;
// impl=alternated reports the ratio from spells of each, alternated:
//
//	go test ./agenda/pgstore -run '^$' -bench Book -benchtime 400x -count 3
func BenchmarkBook(b *testing.B) {
	ctx := context.Background()
	pool := benchPool(b, "bench_book")
	ds := gen.Generate(gen.Departement, 21)
	require.NoError(b, Import(ctx, pool, ds))
	_, err := pool.Exec(ctx, `CREATE TABLE bench_floor (id bigint PRIMARY KEY, at timestamptz NOT NULL)`)
	require.NoError(b, err)
	settle(b, pool)
	cfg := pool.Config()
	other, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(b, err)
	b.Cleanup(other.Close)
	s1, err := Open(ctx, pool, Config{})
	require.NoError(b, err)
	b.Cleanup(s1.Close)
	slots := bookable(b, s1, ds)
	var next, floorID, skipped atomic.Int64

	// spell runs n ops on clients goroutines and returns how long it took.
	spell := func(b *testing.B, n, clients int, op func(client int) error) time.Duration {
		var done atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for c := range clients {
			wg.Go(func() {
				for done.Add(1) <= int64(n) {
					if err := op(c); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	run := func(b *testing.B, clients int, op func(client int) error) {
		b.ReportAllocs()
		busy0, self0 := cpuNow()
		d := spell(b, b.N, clients, op)
		b.ReportMetric(float64(b.N)/d.Seconds(), "ops/s")
		busy1, self1 := cpuNow()
		b.ReportMetric(float64(busy1-busy0)/float64(b.N)/1e3, "machine-cpu-µs/op")
		b.ReportMetric(float64(self1-self0)/float64(b.N)/1e3, "go-cpu-µs/op")
	}
	book := func(replicas []*Store) func(int) error {
		return func(c int) error {
			for {
				i := next.Add(1) - 1
				if int(i) >= len(slots) {
					return fmt.Errorf("out of free slots after %d bookings: lower -benchtime", i)
				}
				_, err := replicas[c%len(replicas)].Book(ctx, bookingOf(fmt.Sprintf("bench-%d", i), slots[i]))
				if !errors.Is(err, agenda.ErrConflict) {
					return err
				}
				skipped.Add(1) // refused: its grid moved (see bookable)
			}
		}
	}
	floor := func(int) error {
		_, err := pool.Exec(ctx, `INSERT INTO bench_floor VALUES ($1, now())`, floorID.Add(1))
		return err
	}
	b.Cleanup(func() {
		b.Logf("%d free slots listed, %d refused after a booking moved their grid", len(slots), skipped.Load())
	})
	// alternate measures the ratio itself, robust to a machine whose speed
	// drifts: spells of 100 inserts and 100 bookings alternate, b.N of
	// each in all.
	alternate := func(b *testing.B, clients int) {
		var floorTime, bookTime time.Duration
		for left := b.N; left > 0; left -= 100 {
			n := min(left, 100)
			floorTime += spell(b, n, clients, floor)
			bookTime += spell(b, n, clients, book([]*Store{s1}))
		}
		b.ReportMetric(float64(b.N)/floorTime.Seconds(), "insert-ops/s")
		b.ReportMetric(float64(b.N)/bookTime.Seconds(), "book-ops/s")
		b.ReportMetric(bookTime.Seconds()/floorTime.Seconds(), "book/insert")
	}
	for _, clients := range []int{1, 8} {
		b.Run(fmt.Sprintf("clients=%d/impl=alternated", clients), func(b *testing.B) {
			alternate(b, clients)
		})
		b.Run(fmt.Sprintf("clients=%d/impl=insert", clients), func(b *testing.B) { run(b, clients, floor) })
		b.Run(fmt.Sprintf("clients=%d/impl=book/replicas=1", clients), func(b *testing.B) { run(b, clients, book([]*Store{s1})) })
		if clients > 1 {
			b.Run(fmt.Sprintf("clients=%d/impl=book/replicas=2", clients), func(b *testing.B) {
				// The second replica exists only here: with one, nobody
				// else follows the database.
				s2, err := Open(ctx, other, Config{})
				require.NoError(b, err)
				defer s2.Close()
				b.ResetTimer()
				run(b, clients, book([]*Store{s1, s2}))
				b.Logf("replica 1: %+v; replica 2: %+v", s1.Stats(), s2.Stats())
			})
			// Two replicas of two booking transactions each, whatever the
			// other does (by default each keeps to one while it hears the
			// other: Config.BookingTransactions). s1's setting changes
			// while none of its bookings is in flight, and is restored the
			// same way.
			b.Run(fmt.Sprintf("clients=%d/impl=book/replicas=2,transactions=2", clients), func(b *testing.B) {
				waitCombinerIdle(b, s1)
				defer func(n int) { waitCombinerIdle(b, s1); s1.cfg.BookingTransactions = n }(s1.cfg.BookingTransactions)
				s1.cfg.BookingTransactions = 2
				s2, err := Open(ctx, other, Config{BookingTransactions: 2})
				require.NoError(b, err)
				defer s2.Close()
				b.ResetTimer()
				run(b, clients, book([]*Store{s1, s2}))
			})
		}
	}
	// The same, with a log that has a history, as a running system's does
	// until pruned; the pool's connections start afresh, so that every
	// statement is planned on the log as it now is.
	logHistory(b, pool, 200000)
	pool.Reset()
	for _, clients := range []int{1, 8} {
		b.Run(fmt.Sprintf("clients=%d/impl=alternated/log=history", clients), func(b *testing.B) {
			alternate(b, clients)
		})
	}
}

// settle leaves the imported schema as a running system would find it, so
// that bookings are measured, not the import's aftermath: vacuumed (or
// autovacuum would, meanwhile, on a few hundred thousand new rows) and
// checkpointed (or the import's WAL would bring a checkpoint during the
// measurement).
func settle(b *testing.B, pool *pgxpool.Pool) {
	b.Helper()
	ctx := context.Background()
	var tables string
	require.NoError(b, pool.QueryRow(ctx, `SELECT string_agg(format('%I', tablename), ', ') FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables))
	_, err := pool.Exec(ctx, `VACUUM (ANALYZE) `+tables)
	require.NoError(b, err)
	if _, err := pool.Exec(ctx, `CHECKPOINT`); err != nil {
		b.Logf("no checkpoint (needs a superuser or pg_checkpoint): %v", err)
	}
}

// BenchmarkFollowLatency measures how long a booking committed through
// one replica takes to reach the other's snapshot, on loopback: from the
// change's write in PostgreSQL (clock_timestamp() in the trigger, just
// before the commit and its WAL flush, so the figure includes them) to
// the other replica having applied it. Same machine, same clock.
//
//	go test ./agenda/pgstore -run '^$' -bench FollowLatency -benchtime 300x
func BenchmarkFollowLatency(b *testing.B) {
	ctx := context.Background()
	pool := benchPool(b, "bench_follow")
	ds := gen.Generate(gen.Small, 22)
	require.NoError(b, Import(ctx, pool, ds))
	settle(b, pool)
	other, err := pgxpool.NewWithConfig(ctx, pool.Config())
	require.NoError(b, err)
	b.Cleanup(other.Close)
	writer, err := Open(ctx, pool, Config{})
	require.NoError(b, err)
	b.Cleanup(writer.Close)
	var applied sync.Map // seq -> lag
	var lastSeq atomic.Int64
	follower, err := Open(ctx, other, Config{OnApply: func(seq int64, committedAt time.Time) {
		applied.Store(seq, time.Since(committedAt))
		lastSeq.Store(seq)
	}})
	require.NoError(b, err)
	b.Cleanup(follower.Close)
	slots := bookable(b, writer, ds)
	var lat []time.Duration
	i := 0
	for b.Loop() {
		if i >= len(slots) {
			b.Fatalf("out of free slots after %d bookings", i)
		}
		_, err := writer.Book(ctx, bookingOf(fmt.Sprintf("follow-%d", i), slots[i]))
		if errors.Is(err, agenda.ErrConflict) { // its grid moved (see bookable)
			i++
			continue
		}
		require.NoError(b, err)
		booked := writer.Position()
		deadline := time.Now().Add(5 * time.Second)
		for !follower.Position().Covers(booked) {
			if time.Now().After(deadline) {
				b.Fatalf("booking %d not followed within 5s", i)
			}
			time.Sleep(50 * time.Microsecond)
		}
		d, ok := applied.Load(lastSeq.Load())
		if !ok {
			b.Fatalf("booking %d: the follower applied no change", i)
		}
		lat = append(lat, max(d.(time.Duration), 0))
		i++
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
}

// cpuNow returns the machine's busy CPU time (all processes, from
// /proc/stat; 0 where there is none) and this process's, in nanoseconds.
func cpuNow() (machine, self int64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		self = ru.Utime.Nano() + ru.Stime.Nano()
	}
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, self
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	for i, f := range fields[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		v, _ := strconv.ParseInt(f, 10, 64)
		machine += v
	}
	return machine * int64(time.Second) / 100, self // USER_HZ is 100
}
