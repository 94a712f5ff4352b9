package reference

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRejectsUnparsableRecords(t *testing.T) {
	tests := []struct {
		name string
		edit func(*agenda.Dataset)
	}{
		{"dataset zone", func(ds *agenda.Dataset) { ds.TimeZone = "Europe/Nowhere" }},
		{"organisation zone", func(ds *agenda.Dataset) { ds.Organisations[0].TimeZone = "Mars/Olympus" }},
		{"agent zone", func(ds *agenda.Dataset) { ds.Agents[0].TimeZone = "Nowhere" }},
		{"agent without zone or organisation", func(ds *agenda.Dataset) { ds.Agents[0].OrganisationIDs = nil }},
		{"holiday calendar", func(ds *agenda.Dataset) { ds.HolidayCalendars = []string{"XX"} }},
		{"service duration", func(ds *agenda.Dataset) { ds.Services[0].DurationMinutes = 0 }},
		{"opening first day", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].FirstDay = "2026-02-30" }},
		{"opening until", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].Until = "tomorrow" }},
		{"opening start 24:00", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].StartTime = "24:00" }},
		{"opening end", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].EndTime = "9h" }},
		{"opening rrule", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].RRule = "FREQ=SOMETIMES" }},
		{"opening hourly rrule", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].RRule = "FREQ=HOURLY" }},
		{"opening rrule out of bounds", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].RRule = "FREQ=MONTHLY;BYMONTHDAY=40" }},
		{"opening organisation", func(ds *agenda.Dataset) { ds.OpeningPeriods[0].OrganisationID = "nope" }},
		{"absence end day", func(ds *agenda.Dataset) { ds.Absences[0].EndDay = "2026-13-01" }},
		{"absence agent", func(ds *agenda.Dataset) { ds.Absences[0].AgentID = "nobody" }},
		{"closed day", func(ds *agenda.Dataset) { ds.ClosedDays[0].Date = "2026-04-31" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := parisDataset()
			ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-15", "09:00", "12:00", "s30")}
			ds.Absences = []agenda.Absence{{ID: "abs", AgentID: "ag", FirstDay: "2026-06-15", StartTime: "09:00", EndTime: "10:00"}}
			ds.ClosedDays = []agenda.ClosedDay{{Date: "2026-06-16"}}
			_, err := New(ds)
			require.NoError(t, err, "the unedited dataset is valid")
			tt.edit(ds)
			_, err = New(ds)
			if assert.Error(t, err) {
				assert.Contains(t, err.Error(), "reference: ")
			}
		})
	}
}

func TestNewCopiesTheDataset(t *testing.T) {
	ds := parisDataset()
	ds.OpeningPeriods = []agenda.OpeningPeriod{openingOn("op", "2026-06-15", "09:00", "10:00", "s30")}
	r := mustNew(t, ds)
	ds.OpeningPeriods[0].ServiceIDs[0] = "changed"
	ds.Agents[0].OrganisationIDs[0] = "changed"
	slots, err := r.Slots(Query{
		ServiceID: "s30", From: at(t, "2026-06-15T00:00:00Z"), To: at(t, "2026-06-16T00:00:00Z"),
		Now: at(t, "2026-06-01T00:00:00Z"),
	})
	require.NoError(t, err)
	assert.Len(t, slots, 2)
}

// Run under -race: concurrent queries on one Reference must not race and
// must agree with sequential ones.
func TestConcurrentQueries(t *testing.T) {
	r := mustNew(t, randomDataset(7))
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	q := Query{ServiceID: "s", From: from, To: from.AddDate(0, 1, 0), Now: from}
	wantSlots, err := r.Slots(q)
	require.NoError(t, err)
	wantAgenda, err := r.Agenda("a2", q.From, q.To)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				got, err := r.Slots(q)
				assert.NoError(t, err)
				assert.Equal(t, wantSlots, got)
				return
			}
			got, err := r.Agenda("a2", q.From, q.To)
			assert.NoError(t, err)
			assert.Equal(t, wantAgenda, got)
		}()
	}
	wg.Wait()
}

// BenchmarkSlots measures the baseline on a few agents: expansion from
// DTSTART, linear scans and sorting on every query.
func BenchmarkSlots(b *testing.B) {
	r, err := New(randomDataset(3))
	if err != nil {
		b.Fatal(err)
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, months := range []int{1, 3} {
		b.Run(fmt.Sprintf("months=%d", months), func(b *testing.B) {
			q := Query{ServiceID: "s", From: from, To: from.AddDate(0, months, 0), Now: from}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Slots(q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNext(b *testing.B) {
	r, err := New(firstMondays())
	if err != nil {
		b.Fatal(err)
	}
	q := Query{ServiceID: "s30", Now: time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)}
	for _, impl := range []struct {
		name string
		next func(Query, time.Duration) (Slot, bool, error)
	}{{"one-call", r.Next}, {"week-by-week", r.NextWeekByWeek}} {
		b.Run("impl="+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := impl.next(q, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
