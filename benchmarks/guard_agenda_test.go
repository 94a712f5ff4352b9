package benchmarks

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/race"
	"github.com/crossagenda/crossagenda/internal/recur"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// The guards of the engine's queries: allocation counts, counts of the
// work done and growth ratios, all measured in this process and
// independent of the machine's speed.

// guardWindow is the one-month window of the guards: December 2026 in Paris.
func guardWindow(t testing.TB) (time.Time, time.Time) {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, time.December, 1, 0, 0, 0, 0, paris)
	return from, from.AddDate(0, 1, 0)
}

// guardSpec shapes a synthetic dataset whose work is known: one
// organisation in Paris, one 30-minute service and agents g0, g1, ...,
// each with openings from 09:00 to 12:00 offering it.
type guardSpec struct {
	agents   int
	openings int    // per agent, all alike; 0 means 1
	rule     string // RRULE of every opening
	first    string // first day of every opening
	// past is the number of 30-minute appointments of each agent before
	// the window, back to back going back from it (48 a day).
	past int
}

// guardDataset builds the dataset of spec; each agent also has a booked
// appointment at 09:00 on every day of the window, so that busy time and
// events are not empty.
func guardDataset(t testing.TB, spec guardSpec) *agenda.Dataset {
	t.Helper()
	from, to := guardWindow(t)
	ds := &agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o"}},
		Places:        []agenda.Place{{ID: "l", OrganisationID: "o"}},
		Services:      []agenda.Service{{ID: "m", OrganisationID: "o", DurationMinutes: 30}},
		Appointments:  make([]agenda.Appointment, 0, spec.agents*(spec.past+31)),
	}
	for i := range spec.agents {
		id := fmt.Sprintf("g%d", i)
		ds.Agents = append(ds.Agents, agenda.Agent{ID: id, OrganisationIDs: []string{"o"}})
		for j := range max(spec.openings, 1) {
			ds.OpeningPeriods = append(ds.OpeningPeriods, agenda.OpeningPeriod{
				ID: fmt.Sprintf("p%s-%d", id, j), AgentID: id, OrganisationID: "o", PlaceID: "l", ServiceIDs: []string{"m"},
				FirstDay: spec.first, StartTime: "09:00", EndTime: "12:00", RRule: spec.rule,
			})
		}
		ids := []string{id}
		add := func(start time.Time, status agenda.Status) {
			ds.Appointments = append(ds.Appointments, agenda.Appointment{
				ID: "r" + strconv.Itoa(len(ds.Appointments)), OrganisationID: "o", PlaceID: "l", ServiceID: "m",
				AgentIDs: ids, Start: start, End: start.Add(30 * time.Minute), Status: status,
			})
		}
		for k := range spec.past {
			status := agenda.StatusSeen
			if k%10 == 0 {
				status = agenda.StatusExcused
			}
			add(from.Add(-time.Duration(k+1)*30*time.Minute), status)
		}
		for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
			add(d.Add(9*time.Hour), agenda.StatusBooked)
		}
	}
	return ds
}

func mustIndex(t testing.TB, ds *agenda.Dataset, opts ...agenda.Option) *agenda.Index {
	t.Helper()
	ix, err := agenda.New(ds, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// guardAgentIDs returns the ids g0 .. g(n-1).
func guardAgentIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("g%d", i)
	}
	return ids
}

// smallQueries are fixed queries on the Small generated dataset: the
// agent of the most organisations (ties: most appointments), the service
// offered by the most agents, and ten agents with openings.
type smallQueries struct {
	ix     *agenda.Index
	agent  string
	from   time.Time
	to     time.Time
	slots  agenda.SlotQuery
	common agenda.CommonQuery
	// buffered and capped ask for two services the guard adds to the
	// openings of slots' service: 45 minutes with buffers (10 before, 15
	// after) every 15 minutes, and 30 minutes capped at 2 a day per agent.
	buffered, capped agenda.SlotQuery
}

func newSmallQueries(t testing.TB) smallQueries {
	t.Helper()
	ds := gen.Generate(gen.Small, benchSeed)
	m := newDatasetMaps(ds)
	var q smallQueries
	slotSvc := m.individualServicesByAgents(ds)[0]
	ds.Services = append(ds.Services,
		agenda.Service{ID: "guard-buffered", OrganisationID: m.serviceOrg[slotSvc], DurationMinutes: 45,
			BufferBeforeMinutes: 10, BufferAfterMinutes: 15, SlotIntervalMinutes: 15},
		agenda.Service{ID: "guard-capped", OrganisationID: m.serviceOrg[slotSvc], DurationMinutes: 30, MaxPerAgentPerDay: 2})
	for i := range ds.OpeningPeriods {
		if op := &ds.OpeningPeriods[i]; slices.Contains(op.ServiceIDs, slotSvc) {
			op.ServiceIDs = append(slices.Clone(op.ServiceIDs), "guard-buffered", "guard-capped")
		}
	}
	q.ix = mustIndex(t, ds, agenda.WithParallelism(1))
	q.from, q.to = guardWindow(t)
	best := -1
	for i, a := range ds.Agents {
		if len(m.openingsOf[a.ID]) == 0 {
			continue
		}
		if best < 0 || len(a.OrganisationIDs) > len(ds.Agents[best].OrganisationIDs) ||
			len(a.OrganisationIDs) == len(ds.Agents[best].OrganisationIDs) && m.apptCount[a.ID] > m.apptCount[ds.Agents[best].ID] {
			best = i
		}
	}
	q.agent = ds.Agents[best].ID
	q.slots = agenda.SlotQuery{ServiceID: slotSvc, From: q.from, To: q.to, Now: q.from, View: agenda.ViewAgent}
	q.buffered, q.capped = q.slots, q.slots
	q.buffered.ServiceID, q.capped.ServiceID = "guard-buffered", "guard-capped"
	for _, a := range ds.Agents {
		if len(m.openingsOf[a.ID]) > 0 && len(q.common.AgentIDs) < 10 {
			q.common.AgentIDs = append(q.common.AgentIDs, a.ID)
		}
	}
	q.common.From, q.common.To, q.common.Quorum = q.from, q.to, 3
	return q
}

// TestGuardAgendaAllocs pins the allocations of each query on fixed small
// inputs. Each budget is the count measured when the guard was written
// plus about 15% (at least 3), so that a small change passes and a
// per-record or per-occurrence allocation does not.
func TestGuardAgendaAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector allocates")
	}
	q := newSmallQueries(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		budget float64 // measured + margin; see the comment above
		run    func() error
	}{
		{"Agenda", 7, func() error {
			_, err := q.ix.Agenda(ctx, q.agent, q.from, q.to)
			return err
		}},
		{"Slots", 44, func() error {
			_, err := q.ix.Slots(ctx, q.slots)
			return err
		}},
		{"NextAvailable", 10, func() error {
			_, _, err := q.ix.NextAvailable(ctx, q.slots)
			return err
		}},
		{"Common", 25, func() error {
			_, err := q.ix.Common(ctx, q.common)
			return err
		}},
		{"SlotsBuffered", 38, func() error {
			_, err := q.ix.Slots(ctx, q.buffered)
			return err
		}},
		{"SlotsCapped", 52, func() error {
			_, err := q.ix.Slots(ctx, q.capped)
			return err
		}},
		{"NextAvailableBuffered", 10, func() error {
			_, _, err := q.ix.NextAvailable(ctx, q.buffered)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			got := testing.AllocsPerRun(20, func() {
				if e := tt.run(); e != nil {
					err = e
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if got > tt.budget {
				t.Errorf("%s: %v allocations per call, budget %v", tt.name, got, tt.budget)
			}
		})
	}
	// The agenda allocates its result, not per event: at most one
	// allocation per four events.
	ag, err := q.ix.Agenda(ctx, q.agent, q.from, q.to)
	if err != nil {
		t.Fatal(err)
	}
	if got := testing.AllocsPerRun(20, func() { _, _ = q.ix.Agenda(ctx, q.agent, q.from, q.to) }); got > float64(len(ag.Events))/4 {
		t.Errorf("Agenda: %v allocations per call for %d events, want at most one per four events", got, len(ag.Events))
	}
}

// TestGuardAgendaExpansionWork holds the work of expanding an old rule
// over one month to a month's worth, whatever the rule's age.
func TestGuardAgendaExpansionWork(t *testing.T) {
	from, to := civil.DateOf(2026, time.December, 1), civil.DateOf(2027, time.January, 1)

	// The recurrence itself: a weekly rule of 5 and of 20 years visits
	// the same handful of weeks, and a daily one the same days.
	t.Run("recur", func(t *testing.T) {
		for _, tt := range []struct {
			rule          string
			periods, cand int // at most: a month and two periods of margin
		}{
			{"FREQ=WEEKLY;BYDAY=MO,TH", 7, 7 * 7},
			{"FREQ=DAILY", 33, 33},
			{"FREQ=MONTHLY;BYDAY=2TU", 3, 3 * 31},
		} {
			for _, years := range []int{5, 20} {
				r, err := recur.Compile(recur.Spec{RRule: tt.rule, First: from.AddDays(-365 * years)})
				if err != nil {
					t.Fatal(err)
				}
				dates, st, err := r.AppendBetweenStats(nil, from, to, 0)
				if err != nil {
					t.Fatal(err)
				}
				if len(dates) == 0 {
					t.Fatalf("%s from %d years ago: no occurrence in December 2026", tt.rule, years)
				}
				if st.Periods > tt.periods || st.Candidates > tt.cand {
					t.Errorf("%s from %d years ago, one month: %d periods and %d candidates visited, want at most %d and %d",
						tt.rule, years, st.Periods, st.Candidates, tt.periods, tt.cand)
				}
			}
		}
	})

	// The engine counts every occurrence a query expands against
	// Limits.MaxOccurrences: with a limit of 45, a month of a 20-year-old
	// daily opening (31 days, plus a few days of margin at each end) must
	// pass, and expanding from the first day (7,300 dates) is refused.
	t.Run("engine", func(t *testing.T) {
		ds := guardDataset(t, guardSpec{agents: 1, rule: "FREQ=DAILY", first: "2006-12-01", past: 10})
		ix := mustIndex(t, ds, agenda.WithParallelism(1), agenda.WithLimits(agenda.Limits{MaxOccurrences: 45}))
		wfrom, wto := guardWindow(t)
		ctx := context.Background()
		q := agenda.SlotQuery{ServiceID: "m", From: wfrom, To: wto, Now: wfrom, View: agenda.ViewAgent}
		for name, run := range map[string]func() error{
			"Agenda": func() error { _, err := ix.Agenda(ctx, "g0", wfrom, wto); return err },
			"Slots":  func() error { _, err := ix.Slots(ctx, q); return err },
			"NextAvailable": func() error {
				_, ok, err := ix.NextAvailable(ctx, q)
				if err == nil && !ok {
					err = errors.New("no slot")
				}
				return err
			},
			"Common": func() error {
				_, err := ix.Common(ctx, agenda.CommonQuery{AgentIDs: []string{"g0"}, From: wfrom, To: wto})
				return err
			},
		} {
			if err := run(); err != nil {
				t.Errorf("%s over one month of a 20-year-old daily opening, at most 45 occurrences: %v", name, err)
			}
		}
		// The limit is live: two months do not fit in it.
		if _, err := ix.Agenda(ctx, "g0", wfrom, wto.AddDate(0, 1, 0)); !errors.Is(err, agenda.ErrLimit) {
			t.Errorf("Agenda over two months with at most 45 occurrences: %v, want ErrLimit", err)
		}
	})
}

// TestGuardAgendaGrowth measures, in one process, how query time and
// allocations grow with the input, and fails on growth an accidental scan
// or quadratic step would cause. The time bounds are generous, about
// twice the growth the algorithm allows; the allocation bounds are exact:
// none more for a longer history or an older rule, and at most linear
// growth in the agents.
func TestGuardAgendaGrowth(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector's cost would be measured, not the engine's")
	}
	if testing.Short() {
		t.Skip("times the queries on datasets of up to 100,000 appointments")
	}
	from, to := guardWindow(t)
	ctx := context.Background()
	weekdays := "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"

	// Past appointments: the agenda of a month reads the month's
	// appointments, not the agent's whole history.
	t.Run("Agenda/past-appointments", func(t *testing.T) {
		small := mustIndex(t, guardDataset(t, guardSpec{agents: 1, rule: weekdays, first: "2020-01-06", past: 40_000}))
		big := mustIndex(t, guardDataset(t, guardSpec{agents: 1, rule: weekdays, first: "2020-01-06", past: 160_000}))
		checkAllocGrowth(t, "Agenda with 4x more past appointments", 1,
			func() { mustAgenda(t, small, from, to) }, func() { mustAgenda(t, big, from, to) })
		checkGrowth(t, "Agenda with 4x more past appointments", 2,
			func() { mustAgenda(t, small, from, to) }, func() { mustAgenda(t, big, from, to) })
	})

	// Rule age: the agenda of a month expands the month, not the years
	// since the openings' first day (6.5 and 26 years).
	t.Run("Agenda/rule-age", func(t *testing.T) {
		young := mustIndex(t, guardDataset(t, guardSpec{agents: 1, openings: 8, rule: "FREQ=DAILY", first: "2020-06-01", past: 10}))
		old := mustIndex(t, guardDataset(t, guardSpec{agents: 1, openings: 8, rule: "FREQ=DAILY", first: "2000-12-01", past: 10}))
		checkAllocGrowth(t, "Agenda of daily openings 4x older", 1,
			func() { mustAgenda(t, young, from, to) }, func() { mustAgenda(t, old, from, to) })
		checkGrowth(t, "Agenda of daily openings 4x older", 2,
			func() { mustAgenda(t, young, from, to) }, func() { mustAgenda(t, old, from, to) })
	})

	// Agents: slots and group availability are linear in the agents.
	spec := guardSpec{rule: weekdays, first: "2022-01-03", past: 200}
	spec.agents = 25
	few := mustIndex(t, guardDataset(t, spec), agenda.WithParallelism(1))
	spec.agents = 200
	many := mustIndex(t, guardDataset(t, spec), agenda.WithParallelism(1))
	t.Run("Slots/agents", func(t *testing.T) {
		q := agenda.SlotQuery{ServiceID: "m", From: from, To: to, Now: from, View: agenda.ViewAgent}
		run := func(ix *agenda.Index) func() {
			return func() {
				if s, err := ix.Slots(ctx, q); err != nil || len(s) == 0 {
					t.Fatal(len(s), err)
				}
			}
		}
		checkAllocGrowth(t, "Slots over 8x more agents", 8, run(few), run(many))
		checkGrowth(t, "Slots over 8x more agents", 20, run(few), run(many))
	})
	t.Run("Common/agents", func(t *testing.T) {
		run := func(ix *agenda.Index, n int) func() {
			q := agenda.CommonQuery{AgentIDs: guardAgentIDs(n), From: from, To: to, Quorum: n / 2}
			return func() {
				if s, err := ix.Common(ctx, q); err != nil || len(s) == 0 {
					t.Fatal(len(s), err)
				}
			}
		}
		checkAllocGrowth(t, "Common over 8x more agents", 8, run(few, 25), run(many, 200))
		checkGrowth(t, "Common over 8x more agents", 20, run(few, 25), run(many, 200))
	})
}

func mustAgenda(t testing.TB, ix *agenda.Index, from, to time.Time) {
	ag, err := ix.Agenda(context.Background(), "g0", from, to)
	if err != nil || len(ag.Events) == 0 || len(ag.Free) == 0 {
		t.Fatalf("agenda: %v (%d events, %d free spans)", err, len(ag.Events), len(ag.Free))
	}
}

// checkGrowth fails t when the best time of big exceeds bound times the
// best time of small. Each is timed in the process's CPU time, which the
// turns of other processes on a loaded machine do not inflate, over
// batches of about 3 ms, the two alternating so that a slow spell of the
// machine hits both, and the fastest of eleven batches is kept: noise
// only ever adds time. The collector is off within a batch and run
// between batches, so that its pauses, which depend on the rest of the
// process, are not timed.
//
// A shared machine can still slow one side for a whole measurement
// (another process's working set evicting big's from the cache, say),
// so a growth over the bound is measured again, up to three times in
// all, and fails only when every measurement exceeds it: a regression in
// the algorithm exceeds it every time.
func checkGrowth(t *testing.T, what string, bound float64, small, big func()) {
	t.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	small()
	big()
	n := batchSize(small, 3*time.Millisecond)
	m := batchSize(big, 3*time.Millisecond)
	var measured []string
	for range 3 {
		bestSmall, bestBig := time.Duration(1<<62), time.Duration(1<<62)
		for range 11 {
			bestSmall = min(bestSmall, timeBatch(small, n))
			bestBig = min(bestBig, timeBatch(big, m))
		}
		ratio := float64(bestBig) / float64(bestSmall)
		t.Logf("%s: %v -> %v per call, %.2fx (bound %gx)", what, bestSmall, bestBig, ratio, bound)
		if ratio <= bound {
			return
		}
		measured = append(measured, fmt.Sprintf("%.2fx (%v -> %v per call)", ratio, bestSmall, bestBig))
	}
	t.Errorf("%s: slower by %s, want at most %gx", what, strings.Join(measured, ", then "), bound)
}

// checkAllocGrowth fails t when big allocates more per call than factor
// times what small allocates: an exact, noise-free companion of
// checkGrowth, since reading the input record by record, or allocating
// per agent more than the algorithm needs, shows up as allocations.
func checkAllocGrowth(t *testing.T, what string, factor float64, small, big func()) {
	t.Helper()
	a, b := testing.AllocsPerRun(5, small), testing.AllocsPerRun(5, big)
	t.Logf("%s: %v -> %v allocations per call (bound %gx)", what, a, b, factor)
	if b > factor*a {
		t.Errorf("%s: %v -> %v allocations per call, want at most %gx", what, a, b, factor)
	}
}

// batchSize returns how many calls of fn take about d.
func batchSize(fn func(), d time.Duration) int {
	for n := 1; ; n *= 2 {
		if timeBatch(fn, n)*time.Duration(n) >= d || n >= 1<<16 {
			return n
		}
	}
}

// timeBatch returns the mean CPU time of n calls of fn, after a
// collection.
func timeBatch(fn func(), n int) time.Duration {
	runtime.GC()
	start := processCPU()
	for range n {
		fn()
	}
	return (processCPU() - start) / time.Duration(n)
}
