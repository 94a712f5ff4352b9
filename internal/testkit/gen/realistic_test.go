package gen_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"github.com/crossagenda/crossagenda/internal/race"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/teambition/rrule-go"
	_ "time/tzdata"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

func jsonHash(t *testing.T, ds *agenda.Dataset) [32]byte {
	t.Helper()
	h := sha256.New()
	require.NoError(t, ds.WriteJSON(h))
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// testScales are the scales cheap enough for every test run.
func testScales(t *testing.T) []gen.Scale {
	if testing.Short() || race.Enabled {
		return []gen.Scale{gen.Small}
	}
	return []gen.Scale{gen.Small, gen.Departement}
}

func TestGenerateDeterministic(t *testing.T) {
	for _, s := range testScales(t) {
		t.Run(s.Name, func(t *testing.T) {
			a, b := jsonHash(t, gen.Generate(s, 7)), jsonHash(t, gen.Generate(s, 7))
			assert.Equal(t, a, b, "same seed, different bytes")
			assert.NotEqual(t, a, jsonHash(t, gen.Generate(s, 8)), "different seeds, same bytes")
		})
	}
}

func TestGenerateRoundTrip(t *testing.T) {
	ds := gen.Generate(gen.Small, 1)
	var first bytes.Buffer
	require.NoError(t, ds.WriteJSON(&first))
	back, err := agenda.ReadDataset(bytes.NewReader(first.Bytes()))
	require.NoError(t, err)
	var second bytes.Buffer
	require.NoError(t, back.WriteJSON(&second))
	assert.Equal(t, first.String(), second.String())
	assert.Contains(t, first.String(), `"start":"2026-12-`)
	assert.Contains(t, first.String(), `+01:00"`, "appointment times carry their zone offset")
}

func TestScaleByName(t *testing.T) {
	for _, s := range gen.Scales() {
		got, ok := gen.ScaleByName(s.Name)
		assert.True(t, ok)
		assert.Equal(t, s, got)
	}
	got, ok := gen.ScaleByName("Departement")
	assert.True(t, ok)
	assert.Equal(t, 1500, got.Agents)
	_, ok = gen.ScaleByName("country")
	assert.False(t, ok)
}

func TestGenerateValid(t *testing.T) {
	for _, s := range testScales(t) {
		t.Run(s.Name, func(t *testing.T) {
			ds := gen.Generate(s, 1)
			errs := checkDataset(ds)
			assert.Empty(t, errs[:min(len(errs), 20)])
		})
	}
}

func TestGenerateWithAnchor(t *testing.T) {
	anchor := time.Date(2025, time.March, 30, 0, 0, 0, 0, time.UTC) // a DST day in Paris
	ds := gen.GenerateWith(gen.Small, 2, gen.Config{Anchor: anchor})
	assert.Empty(t, checkDataset(ds))
	var after int
	for _, r := range ds.Appointments {
		assert.False(t, r.Start.Before(anchor.AddDate(-2, 0, -1)), "appointment %s too old", r.ID)
		assert.True(t, r.Start.Before(anchor.AddDate(0, 6, 2)), "appointment %s too far", r.ID)
		if !r.Start.Before(anchor) {
			after++
		}
	}
	assert.Greater(t, after, len(ds.Appointments)/20)
	for _, p := range ds.OpeningPeriods {
		assert.Less(t, p.FirstDay, "2025-09-30", "opening %s starts after the window", p.ID)
	}
}

func TestGenerateShape(t *testing.T) {
	for _, s := range testScales(t) {
		t.Run(s.Name, func(t *testing.T) {
			ds := gen.Generate(s, 3)
			assert.Len(t, ds.Organisations, s.Organisations)
			assert.Len(t, ds.Agents, s.Agents)
			n := len(ds.Appointments)
			assert.InDelta(t, s.TargetAppointments, n, 0.05*float64(s.TargetAppointments), "appointments")
			assert.Equal(t, []string{"FR"}, ds.HolidayCalendars)

			overseas := 0
			for _, o := range ds.Organisations {
				if o.TimeZone != "" && o.TimeZone != "Europe/Paris" {
					overseas++
				}
			}
			assert.Equal(t, s.Overseas, overseas)

			multiOrg := 0
			for _, a := range ds.Agents {
				if len(a.OrganisationIDs) > 1 {
					multiOrg++
				}
			}
			share := float64(multiOrg) / float64(len(ds.Agents))
			assert.Greater(t, share, 0.2, "multi-organisation agents")
			assert.Less(t, share, 0.7, "multi-organisation agents")

			kinds := map[string]int{}
			for _, p := range ds.OpeningPeriods {
				kinds[ruleShape(p.RRule)]++
				if p.Until != "" {
					kinds["until"]++
				}
				if p.PlaceID == "" {
					kinds["no place"]++
				}
			}
			for _, k := range []string{"weekly", "biweekly", "monthly byday", "monthly bymonthday", "once", "until", "no place"} {
				assert.Positive(t, kinds[k], "openings: %s", k)
			}
			assert.Greater(t, kinds["weekly"], len(ds.OpeningPeriods)/3)

			var recurring, multiDay int
			for _, b := range ds.Absences {
				if b.RRule != "" {
					recurring++
				}
				if b.EndDay != "" && b.EndDay != b.FirstDay {
					multiDay++
				}
			}
			assert.Positive(t, recurring)
			assert.Positive(t, multiDay)

			var global, perOrg int
			for _, c := range ds.ClosedDays {
				if c.OrganisationID == "" {
					global++
				} else {
					perOrg++
				}
			}
			assert.Positive(t, global)
			assert.Positive(t, perOrg)

			status := map[agenda.Status]int{}
			var multi, collective int
			anchor := gen.DefaultAnchor()
			var before, after int
			for _, r := range ds.Appointments {
				status[r.Status]++
				if len(r.AgentIDs) > 1 {
					multi++
				}
				if r.Capacity > 0 {
					collective++
				}
				if r.Start.Before(anchor) {
					before++
					assert.False(t, r.Start.Before(anchor.AddDate(-2, 0, -1)), "appointment %s too old", r.ID)
				} else {
					after++
					assert.True(t, r.Start.Before(anchor.AddDate(0, 6, 2)), "appointment %s too far", r.ID)
					assert.NotEqual(t, agenda.StatusSeen, r.Status, "future appointment %s seen", r.ID)
				}
			}
			cancelled := float64(status[agenda.StatusExcused]+status[agenda.StatusRevoked]) / float64(n)
			assert.InDelta(t, 0.10, cancelled, 0.04, "cancelled share")
			assert.Greater(t, status[agenda.StatusSeen]+status[agenda.StatusBooked], n*3/4)
			assert.Positive(t, status[agenda.StatusNoShow])
			assert.Positive(t, multi)
			assert.Positive(t, collective)
			assert.Greater(t, before, after)
			assert.Greater(t, after, n/20)
		})
	}
}

// ruleShape names the shape of a realistic rule.
func ruleShape(r string) string {
	switch {
	case r == "":
		return "once"
	case bytes.Contains([]byte(r), []byte("INTERVAL=2")):
		return "biweekly"
	case bytes.HasPrefix([]byte(r), []byte("FREQ=WEEKLY")):
		return "weekly"
	case bytes.Contains([]byte(r), []byte("BYMONTHDAY")):
		return "monthly bymonthday"
	case bytes.HasPrefix([]byte(r), []byte("FREQ=MONTHLY;BYDAY")):
		return "monthly byday"
	}
	return "other"
}

// occurrences expands the opening periods of ds with rrule-go (an
// implementation independent of the generator) over [from, to) days,
// skipping closed days, and returns them by agent.
type occurrence struct {
	org         string
	services    map[string]bool
	start, end  time.Time
	startMinute int // minutes since from
	endMinute   int
}

func expandOpenings(t *testing.T, ds *agenda.Dataset, from, to time.Time) map[string][]occurrence {
	t.Helper()
	zones := map[string]*time.Location{}
	for _, o := range ds.Organisations {
		name := o.TimeZone
		if name == "" {
			name = ds.TimeZone
		}
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		zones[o.ID] = loc
	}
	closed := map[string]bool{}
	for _, c := range ds.ClosedDays {
		closed[c.Date+"/"+c.OrganisationID] = true
	}
	for y := from.Year(); y <= to.Year(); y++ {
		for _, d := range frHolidaysOracle(y) {
			closed[d+"/"] = true
		}
	}
	out := map[string][]occurrence{}
	for _, p := range ds.OpeningPeriods {
		first, err := time.Parse(time.DateOnly, p.FirstDay)
		require.NoError(t, err)
		var dates []time.Time
		if p.RRule == "" {
			dates = []time.Time{first}
		} else {
			opt, err := rrule.StrToROption(p.RRule)
			require.NoError(t, err)
			opt.Dtstart = first
			r, err := rrule.NewRRule(*opt)
			require.NoError(t, err)
			dates = r.Between(from.AddDate(0, 0, -1), to, true)
		}
		loc := zones[p.OrganisationID]
		services := map[string]bool{}
		for _, s := range p.ServiceIDs {
			services[s] = true
		}
		for _, d := range dates {
			ds := d.Format(time.DateOnly)
			if (p.Until != "" && ds > p.Until) || closed[ds+"/"] || closed[ds+"/"+p.OrganisationID] {
				continue
			}
			var sh, sm, eh, em int
			fmt.Sscanf(p.StartTime+" "+p.EndTime, "%d:%d %d:%d", &sh, &sm, &eh, &em)
			o := occurrence{
				org: p.OrganisationID, services: services,
				start: time.Date(d.Year(), d.Month(), d.Day(), sh, sm, 0, 0, loc),
				end:   time.Date(d.Year(), d.Month(), d.Day(), eh, em, 0, 0, loc),
			}
			if o.start.Before(from) || !o.start.Before(to) {
				continue
			}
			o.startMinute, o.endMinute = int(o.start.Sub(from)/time.Minute), int(o.end.Sub(from)/time.Minute)
			out[p.AgentID] = append(out[p.AgentID], o)
		}
	}
	return out
}

// frHolidaysOracle lists the French public holidays of year y from a
// table of Easter Sundays (published dates).
func frHolidaysOracle(y int) []string {
	easter := map[int]string{
		2022: "2022-04-17", 2023: "2023-04-09", 2024: "2024-03-31", 2025: "2025-04-20",
		2026: "2026-04-05", 2027: "2027-03-28", 2028: "2028-04-16",
	}[y]
	e, _ := time.Parse(time.DateOnly, easter)
	days := []string{"01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11", "12-25"}
	out := []string{}
	for _, d := range days {
		out = append(out, fmt.Sprintf("%d-%s", y, d))
	}
	for _, n := range []int{1, 39, 50} {
		out = append(out, e.AddDate(0, 0, n).Format(time.DateOnly))
	}
	return out
}

func TestGenerateBooksInsideOpenings(t *testing.T) {
	for _, s := range testScales(t) {
		t.Run(s.Name, func(t *testing.T) {
			ds := gen.Generate(s, 5)
			anchor := gen.DefaultAnchor()
			from, to := anchor.AddDate(-2, 0, -1), anchor.AddDate(0, 6, 2)
			occ := expandOpenings(t, ds, from, to)
			inside := 0
			for _, r := range ds.Appointments {
				for _, o := range occ[r.AgentIDs[0]] {
					if o.org == r.OrganisationID && o.services[r.ServiceID] && !r.Start.Before(o.start) && !r.End.After(o.end) {
						inside++
						break
					}
				}
			}
			share := float64(inside) / float64(len(ds.Appointments))
			t.Logf("%.1f%% of %d appointments inside an opening occurrence offering their service", 100*share, len(ds.Appointments))
			assert.Greater(t, share, 0.9)
			assert.Less(t, share, 0.99, "some appointments are booked outside openings")
		})
	}
}

func TestGenerateNearFutureFill(t *testing.T) {
	for _, s := range testScales(t) {
		t.Run(s.Name, func(t *testing.T) {
			ds := gen.Generate(s, 5)
			from := gen.DefaultAnchor()
			const days = 42
			to := from.AddDate(0, 0, days)
			occ := expandOpenings(t, ds, from, to)
			byAgent := map[string][]agenda.Appointment{}
			for _, r := range ds.Appointments {
				if r.Status.Blocking() && !r.Start.Before(from) && r.Start.Before(to) {
					for _, a := range r.AgentIDs {
						byAgent[a] = append(byAgent[a], r)
					}
				}
			}
			away := map[string][][2]string{} // one-off absences, as date ranges
			for _, b := range ds.Absences {
				if b.RRule == "" {
					end := b.EndDay
					if end == "" {
						end = b.FirstDay
					}
					away[b.AgentID] = append(away[b.AgentID], [2]string{b.FirstDay, end})
				}
			}
			minutes := 24 * 60 * (days + 1)
			open, busy := make([]bool, minutes), make([]bool, minutes)
			var openTotal, bookedTotal, fullWeeks int
			for _, a := range ds.Agents {
				clear(open)
				clear(busy)
				for _, o := range occ[a.ID] {
					date := o.start.Format(time.DateOnly)
					absent := false
					for _, r := range away[a.ID] {
						absent = absent || (date >= r[0] && date <= r[1])
					}
					for m := o.startMinute; m < o.endMinute && !absent; m++ {
						open[m] = true
					}
				}
				for _, r := range byAgent[a.ID] {
					for m := int(r.Start.Sub(from) / time.Minute); m < int(r.End.Sub(from)/time.Minute) && m < minutes; m++ {
						busy[m] = true
					}
				}
				for w := range days / 7 {
					var o, b int
					for m := w * 7 * 1440; m < (w+1)*7*1440; m++ {
						if open[m] {
							o++
							if busy[m] {
								b++
							}
						}
					}
					openTotal += o
					bookedTotal += b
					if o >= 120 && b*10 >= o*9 {
						fullWeeks++
					}
				}
			}
			fill := float64(bookedTotal) / float64(openTotal)
			t.Logf("near-future fill %.1f%% of %d opening hours; %d agent-weeks over 90%% full", 100*fill, openTotal/60, fullWeeks)
			assert.InDelta(t, 0.6, fill, 0.12)
			assert.Positive(t, fullWeeks)
		})
	}
}

// TestGenerateRegion measures the largest scale: generation time and
// memory are logged, not asserted against the clock.
func TestGenerateRegion(t *testing.T) {
	if testing.Short() || race.Enabled {
		t.Skip("generates two million appointments")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	ds := gen.Generate(gen.Region, 1)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	runtime.GC()
	var live runtime.MemStats
	runtime.ReadMemStats(&live)
	t.Logf("region: %d appointments, %d opening periods, %d absences in %v; allocated %d MiB, peak heap %d MiB, live %d MiB",
		len(ds.Appointments), len(ds.OpeningPeriods), len(ds.Absences), elapsed.Round(time.Millisecond),
		(after.TotalAlloc-before.TotalAlloc)>>20, after.HeapSys>>20, (live.HeapAlloc-before.HeapAlloc)>>20)
	assert.InDelta(t, gen.Region.TargetAppointments, len(ds.Appointments), 0.05*float64(gen.Region.TargetAppointments))
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<30), "allocated bytes")
	assert.Less(t, after.HeapSys, uint64(3<<29), "heap obtained from the OS")
	runtime.KeepAlive(ds)
}
