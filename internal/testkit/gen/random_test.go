package gen_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

func randomSeeds() int {
	if testing.Short() {
		return 200
	}
	return 2000
}

func TestRandomValid(t *testing.T) {
	for seed := range uint64(randomSeeds()) {
		c := gen.Random(seed, gen.RandomConfig{})
		if errs := checkDataset(c.Dataset); len(errs) > 0 {
			t.Fatalf("seed=%d: %d problems, first: %v", seed, len(errs), errs[:min(5, len(errs))])
		}
		require.True(t, c.To.After(c.From), "seed=%d: empty window", seed)
		for _, tm := range []time.Time{c.From, c.To, c.Now} {
			require.Zero(t, tm.Nanosecond(), "seed=%d: %v is not whole seconds", seed, tm)
		}
		require.Less(t, c.To.Sub(c.From), 60*24*time.Hour, "seed=%d: window too long", seed)
	}
}

func TestRandomDeterministic(t *testing.T) {
	for seed := range uint64(20) {
		a, b := gen.Random(seed, gen.RandomConfig{}), gen.Random(seed, gen.RandomConfig{})
		assert.Equal(t, jsonHash(t, a.Dataset), jsonHash(t, b.Dataset), "seed=%d", seed)
		assert.True(t, a.From.Equal(b.From) && a.To.Equal(b.To) && a.Now.Equal(b.Now), "seed=%d", seed)
	}
	assert.NotEqual(t, jsonHash(t, gen.Random(1, gen.RandomConfig{}).Dataset), jsonHash(t, gen.Random(2, gen.RandomConfig{}).Dataset))
}

func TestRandomRoundTrip(t *testing.T) {
	for seed := range uint64(20) {
		ds := gen.Random(seed, gen.RandomConfig{}).Dataset
		var first, second bytes.Buffer
		require.NoError(t, ds.WriteJSON(&first))
		back, err := agenda.ReadDataset(bytes.NewReader(first.Bytes()))
		require.NoError(t, err, "seed=%d", seed)
		require.NoError(t, back.WriteJSON(&second))
		assert.Equal(t, first.String(), second.String(), "seed=%d", seed)
	}
}

func TestRandomConfigSizes(t *testing.T) {
	c := gen.Random(9, gen.RandomConfig{Organisations: 3, Agents: 5, OpeningsPerAgent: 4, AbsencesPerAgent: 2, AppointmentsPerAgent: 7})
	ds := c.Dataset
	assert.Len(t, ds.Organisations, 3)
	assert.Len(t, ds.Agents, 5)
	assert.Len(t, ds.OpeningPeriods, 20)
	assert.Len(t, ds.Absences, 10)
	assert.Len(t, ds.Appointments, 35)
	assert.Empty(t, checkDataset(ds))
}

// dstInside reports whether a UTC offset change of one of the dataset's
// zones happens in [from, to).
func dstInside(ds *agenda.Dataset, from, to time.Time) bool {
	names := []string{ds.TimeZone}
	for _, o := range ds.Organisations {
		names = append(names, o.TimeZone)
	}
	for _, a := range ds.Agents {
		names = append(names, a.TimeZone)
	}
	for _, n := range names {
		loc, err := time.LoadLocation(n)
		if err != nil {
			continue
		}
		_, off := from.In(loc).Zone()
		for t := from; t.Before(to); t = t.Add(15 * time.Minute) {
			if _, o := t.In(loc).Zone(); o != off {
				return true
			}
		}
	}
	return false
}

// TestRandomCoverage checks that the adversarial cases reach the corners
// they are for, counting each over many seeds.
func TestRandomCoverage(t *testing.T) {
	const n = 300
	seen := map[string]int{}
	see := func(k string, ok bool) {
		if ok {
			seen[k]++
		}
	}
	for seed := range uint64(n) {
		c := gen.Random(seed, gen.RandomConfig{})
		ds := c.Dataset
		see("dst in window", dstInside(ds, c.From, c.To))
		see("now before", c.Now.Before(c.From))
		see("now inside", !c.Now.Before(c.From) && c.Now.Before(c.To))
		see("now after", !c.Now.Before(c.To))
		see("FR holidays", len(ds.HolidayCalendars) > 0)
		see("default zone UTC", ds.TimeZone == "")
		for _, z := range []string{"Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"} {
			for _, o := range ds.Organisations {
				see("zone "+z, o.TimeZone == z)
			}
		}
		for _, o := range ds.Organisations {
			see("organisation inherits zone", o.TimeZone == "")
		}
		for _, a := range ds.Agents {
			see("agent in 3 organisations", len(a.OrganisationIDs) == 3)
			see("agent zone", a.TimeZone != "")
		}
		for _, s := range ds.Services {
			see("collective service", s.Collective)
			see("min notice", s.MinNoticeMinutes > 0)
			see("max notice", s.MaxNoticeMinutes > 0)
			see("5-minute service", s.DurationMinutes == 5)
			see("120-minute service", s.DurationMinutes == 120)
		}
		rules := func(r, until string) {
			for _, part := range []string{"FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "INTERVAL=",
				"WKST=", "BYMONTHDAY=-1", "BYMONTHDAY=31", "BYDAY=2TU", "BYDAY=-1FR", "BYSETPOS=", "BYMONTH=", "COUNT="} {
				see("rule "+part, strings.Contains(r, part))
			}
			if i := strings.Index(r, "UNTIL="); i >= 0 {
				v, _, _ := strings.Cut(r[i+len("UNTIL="):], ";")
				see("rule UNTIL date", len(v) == len("20060102"))
				see("rule UNTIL date-time", len(v) == len("20060102T150405Z"))
			}
			see("until field", until != "")
		}
		for _, p := range ds.OpeningPeriods {
			rules(p.RRule, p.Until)
			see("single opening", p.RRule == "")
			see("opening HH:MM:SS", len(p.StartTime) == 8)
			see("opening 24:00 end", strings.HasPrefix(p.EndTime, "24:00"))
			see("opening 00:00 start", strings.HasPrefix(p.StartTime, "00:00"))
			see("opening 02:30 start", strings.HasPrefix(p.StartTime, "02:30"))
			see("opening without place", p.PlaceID == "")
		}
		for i, p := range ds.OpeningPeriods {
			for _, q := range ds.OpeningPeriods[:i] {
				if p.AgentID == q.AgentID {
					see("adjacent openings", p.StartTime == q.EndTime)
				}
			}
		}
		for _, b := range ds.Absences {
			rules(b.RRule, b.Until)
			see("recurring absence", b.RRule != "")
			see("multi-day absence", b.EndDay != "")
		}
		for _, o := range ds.Organisations {
			see("organisation calendar none", o.HolidayCalendar == "none")
			see("worked holidays", len(o.WorkedHolidays) > 0)
			for _, z := range gen.HolidayZones {
				see("organisation calendar "+z, o.HolidayCalendar == z || slices.Contains(ds.HolidayCalendars, z))
			}
		}
		for _, s := range ds.Services {
			d, iv := s.DurationMinutes, s.SlotIntervalMinutes
			see("buffer before", s.BufferBeforeMinutes > 0)
			see("buffer after", s.BufferAfterMinutes > 0)
			see("interval shorter than duration", iv > 0 && iv < d)
			see("interval longer than duration", iv > d)
			see("service cap", s.MaxPerAgentPerDay > 0)
		}
		for _, a := range ds.Agents {
			see("agent cap", a.MaxAppointmentsPerDay > 0)
		}
		for _, r := range ds.Appointments {
			see("appointment own buffers", r.BufferBeforeMinutes != nil)
			see("appointment own zero buffer", r.BufferBeforeMinutes != nil && *r.BufferBeforeMinutes == 0)
			see("appointment own buffer after only", r.BufferBeforeMinutes == nil && r.BufferAfterMinutes != nil)
			see("appointment own buffer before only", r.BufferBeforeMinutes != nil && r.BufferAfterMinutes == nil)
		}
		for _, p := range ds.OpeningPeriods {
			see("opening exdates", len(p.Exdates) > 0)
			see("exdate on first day", slices.Contains(p.Exdates, p.FirstDay))
		}
		for _, b := range ds.Absences {
			see("absence exdates", len(b.Exdates) > 0)
		}
		for _, cd := range ds.ClosedDays {
			see("global closed day", cd.OrganisationID == "")
			see("organisation closed day", cd.OrganisationID != "")
		}
		agentLoc := map[string]*time.Location{}
		for _, a := range ds.Agents {
			zone := a.TimeZone
			for _, o := range ds.Organisations {
				if zone == "" && o.ID == a.OrganisationIDs[0] {
					zone = o.TimeZone
				}
			}
			if zone == "" {
				zone = ds.TimeZone
			}
			agentLoc[a.ID], _ = time.LoadLocation(zone)
		}
		for _, b := range ds.Absences {
			if b.RRule != "" {
				continue
			}
			first, _ := time.Parse(time.DateOnly, b.FirstDay)
			end := first
			if b.EndDay != "" {
				end, _ = time.Parse(time.DateOnly, b.EndDay)
			}
			fail := func(string, ...any) {}
			s := wallInstant(first, clock("", b.StartTime, false, fail), agentLoc[b.AgentID])
			e := wallInstant(end, clock("", b.EndTime, true, fail), agentLoc[b.AgentID])
			for _, r := range ds.Appointments {
				see("appointment inside absence", r.AgentIDs[0] == b.AgentID && !r.Start.Before(s) && !r.End.After(e))
			}
		}
		for i, r := range ds.Appointments {
			see("status "+string(r.Status), true)
			see("multi-agent appointment", len(r.AgentIDs) > 1)
			see("collective appointment", r.Capacity > 0)
			see("full collective appointment", r.Capacity > 0 && r.Participants == r.Capacity)
			see("appointment across from", r.Start.Before(c.From) && r.End.After(c.From))
			see("appointment at odd seconds", r.Start.Second() != 0)
			for _, q := range ds.Appointments[:i] {
				see("nested appointment", !q.Start.After(r.Start) && !r.End.After(q.End) && q.AgentIDs[0] == r.AgentIDs[0])
				see("adjacent appointments", r.Start.Equal(q.End))
			}
		}
	}
	for _, k := range []string{
		"now before", "now inside", "now after", "FR holidays", "default zone UTC",
		"zone Europe/Paris", "zone America/New_York", "zone Australia/Lord_Howe", "zone Asia/Kolkata", "zone UTC",
		"organisation inherits zone", "agent in 3 organisations", "agent zone",
		"collective service", "min notice", "max notice", "5-minute service", "120-minute service",
		"rule FREQ=DAILY", "rule FREQ=WEEKLY", "rule FREQ=MONTHLY", "rule FREQ=YEARLY", "rule INTERVAL=",
		"rule WKST=", "rule BYMONTHDAY=-1", "rule BYMONTHDAY=31", "rule BYDAY=2TU", "rule BYDAY=-1FR",
		"rule BYSETPOS=", "rule BYMONTH=", "rule COUNT=", "rule UNTIL date", "rule UNTIL date-time", "until field",
		"single opening", "opening HH:MM:SS", "opening 24:00 end", "opening 00:00 start", "opening 02:30 start",
		"opening without place", "adjacent openings", "recurring absence", "multi-day absence",
		"global closed day", "organisation closed day",
		"status ", "status booked", "status seen", "status noshow", "status excused", "status revoked",
		"multi-agent appointment", "collective appointment", "full collective appointment",
		"appointment across from", "appointment at odd seconds", "nested appointment", "adjacent appointments",
		"appointment inside absence",
		"organisation calendar none", "worked holidays", "buffer before", "buffer after",
		"interval shorter than duration", "interval longer than duration", "service cap", "agent cap",
		"appointment own buffers", "appointment own zero buffer", "opening exdates", "exdate on first day", "absence exdates",
	} {
		assert.Positive(t, seen[k], "never generated: %s", k)
	}
	for _, z := range gen.HolidayZones {
		assert.Positive(t, seen["organisation calendar "+z], "never generated: holiday zone %s", z)
	}
	assert.Greater(t, seen["dst in window"], n/2, "windows with a DST change")
	for _, k := range []string{"now before", "now inside", "now after"} {
		assert.Greater(t, seen[k], n/5, k)
	}
	if testing.Verbose() {
		t.Log(fmt.Sprint(seen))
	}
}
