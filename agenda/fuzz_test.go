package agenda_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
	"github.com/crossagenda/crossagenda/internal/testkit/reference"
)

// FuzzLoad feeds arbitrary bytes to the JSON loader and the compiler: they
// must never panic, and a dataset they accept must answer queries.
func FuzzLoad(f *testing.F) {
	var buf bytes.Buffer
	for seed := range uint64(4) {
		buf.Reset()
		if err := gen.Random(seed, gen.RandomConfig{Agents: 1, OpeningsPerAgent: 2}).Dataset.WriteJSON(&buf); err != nil {
			f.Fatal(err)
		}
		f.Add(bytes.Clone(buf.Bytes()))
	}
	f.Add([]byte(`{"time_zone":"Europe/Paris","organisations":[{"id":"o1"}],"agents":[{"id":"a1","organisation_ids":["o1"]}],` +
		`"services":[{"id":"m1","organisation_id":"o1","duration_minutes":30}],"opening_periods":[{"id":"p1","agent_id":"a1",` +
		`"organisation_id":"o1","service_ids":["m1"],"first_day":"2026-03-29","start_time":"02:30","end_time":"24:00","rrule":"FREQ=DAILY"}]}`))
	f.Add([]byte(`{"appointments":[{"id":"r","start":"2026-13-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"absences":[{"id":"b","agent_id":"a","first_day":"2026-01-01","start_time":"25:00"}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"agents":[{"id":"a","organisation_ids":[1]}],"Places":[],"services":[{"id":"m","duration_minutes":"x"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := agenda.ReadDataset(bytes.NewReader(data))
		if err != nil {
			// Errors speak of records and fields, never of Go types.
			for _, goWord := range []string{"Go ", "struct", "agenda.", "[]string", "json: "} {
				if strings.Contains(err.Error(), goWord) {
					t.Fatalf("ReadDataset error names a Go type (%q): %v", goWord, err)
				}
			}
			return
		}
		ix, err := agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxOccurrences: 100_000}))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		ctx := context.Background()
		from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(0, 1, 0)
		for _, a := range ds.Agents {
			if _, err := ix.Agenda(ctx, a.ID, from, to); err != nil && !isLimit(err) {
				t.Fatalf("agenda of %q: %v", a.ID, err)
			}
		}
		for _, s := range ds.Services {
			if _, err := ix.Slots(ctx, agenda.SlotQuery{ServiceID: s.ID, From: from, To: to, Now: from}); err != nil && !isLimit(err) {
				t.Fatalf("slots of %q: %v", s.ID, err)
			}
		}
	})
}

func isLimit(err error) bool {
	_, ok := err.(*agenda.LimitError)
	return ok
}

// FuzzQueries draws query parameters (window, now, view, filters, quorum)
// over seeded adversarial datasets and holds the engine against the
// reference implementation.
func FuzzQueries(f *testing.F) {
	f.Add(uint64(0), int64(0), int64(3*24*60), int64(60), false, uint8(0), uint8(0))
	f.Add(uint64(7), int64(-600), int64(40*24*60), int64(-3000), true, uint8(1), uint8(2))
	f.Add(uint64(42), int64(1440), int64(90), int64(1500), true, uint8(2), uint8(1))
	f.Fuzz(func(t *testing.T, seed uint64, fromMin, lenMin, nowMin int64, userView bool, filter, quorum uint8) {
		rc := gen.Random(seed%5000, gen.RandomConfig{})
		// Keep the window within two months of the case's window start.
		fromMin %= 60 * 24 * 60
		lenMin = 1 + abs(lenMin)%(60*24*60)
		nowMin %= 90 * 24 * 60
		from := rc.From.Add(time.Duration(fromMin) * time.Minute)
		to := from.Add(time.Duration(lenMin) * time.Minute)
		now := rc.From.Add(time.Duration(nowMin) * time.Minute)
		ix, err := agenda.New(rc.Dataset)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := reference.New(rc.Dataset)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		view := agenda.ViewAgent
		if userView {
			view = agenda.ViewUser
		}
		for _, s := range rc.Dataset.Services {
			q := agenda.SlotQuery{ServiceID: s.ID, From: from, To: to, Now: now, View: view}
			rq := reference.Query{ServiceID: s.ID, From: from, To: to, Now: now, UserView: userView}
			if filter%3 == 1 {
				q.AgentIDs = []string{rc.Dataset.Agents[int(filter)%len(rc.Dataset.Agents)].ID}
				rq.AgentIDs = q.AgentIDs
			}
			got, err := ix.Slots(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ref.Slots(rq)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := oursSlotKeys(got), refSlotKeys(want); !equalStrings(g, w) {
				t.Fatalf("slots of %s:\n got %q\nwant %q", s.ID, g, w)
			}
			next, ok, err := ix.NextAvailable(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			wantNext, wantOK, err := ref.Next(rq, 0)
			if err != nil {
				t.Fatal(err)
			}
			if ok != wantOK || ok && !equalStrings(oursSlotKeys([]agenda.Slot{next}), refSlotKeys([]reference.Slot{wantNext})) {
				t.Fatalf("next of %s: got %v %v, want %v %v", s.ID, next, ok, wantNext, wantOK)
			}
		}
		ids := make([]string, len(rc.Dataset.Agents))
		for i, a := range rc.Dataset.Agents {
			ids[i] = a.ID
		}
		k := int(quorum) % (len(ids) + 1)
		got, err := ix.Common(ctx, agenda.CommonQuery{AgentIDs: ids, From: from, To: to, Quorum: k, MinLength: time.Duration(filter) * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		want, err := ref.Common(ids, from, to, k, time.Duration(filter)*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		get := func(s agenda.Span) (time.Time, time.Time) { return s.Start, s.End }
		getRef := func(s reference.Span) (time.Time, time.Time) { return s.Start, s.End }
		if g, w := spanKeys(got, get), spanKeys(want, getRef); !equalStrings(g, w) {
			t.Fatalf("common quorum %d:\n got %q\nwant %q", k, g, w)
		}
	})
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzBookingRules draws the booking rules themselves (every service's
// buffers, slot interval and daily cap, every agent's cap, an exdate on
// every opening period, an organisation holiday calendar) over seeded
// datasets and holds slots, next availability and the agenda's busy time
// to the reference.
func FuzzBookingRules(f *testing.F) {
	f.Add(uint64(1), uint8(10), uint8(15), uint8(15), uint8(0), uint8(0), uint8(0), uint8(3))
	f.Add(uint64(9), uint8(0), uint8(45), uint8(5), uint8(1), uint8(2), uint8(7), uint8(0))
	f.Add(uint64(33), uint8(90), uint8(0), uint8(200), uint8(2), uint8(1), uint8(13), uint8(9))
	f.Fuzz(func(t *testing.T, seed uint64, before, after, interval, svcCap, agentCap, zone, exday uint8) {
		rc := gen.Random(seed%5000, gen.RandomConfig{})
		ds := rc.Dataset
		for i := range ds.Services {
			s := &ds.Services[i]
			s.BufferBeforeMinutes, s.BufferAfterMinutes = int(before)%121, int(after)%121
			s.SlotIntervalMinutes = int(interval) % 181
			s.MaxPerAgentPerDay = int(svcCap) % 4
		}
		for i := range ds.Agents {
			ds.Agents[i].MaxAppointmentsPerDay = int(agentCap) % 5
		}
		zones := append([]string{"", "none"}, gen.HolidayZones...)
		ds.Organisations[0].HolidayCalendar = zones[int(zone)%len(zones)]
		for i := range ds.OpeningPeriods {
			d := rc.From.AddDate(0, 0, int(exday)%10).Format(time.DateOnly)
			ds.OpeningPeriods[i].Exdates = append(ds.OpeningPeriods[i].Exdates, d)
		}
		ix, err := agenda.New(ds)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := reference.New(ds)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		for _, s := range ds.Services {
			q := agenda.SlotQuery{ServiceID: s.ID, From: rc.From, To: rc.To, Now: rc.Now, View: agenda.ViewAgent}
			rq := reference.Query{ServiceID: s.ID, From: rc.From, To: rc.To, Now: rc.Now}
			got, err := ix.Slots(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ref.Slots(rq)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := oursSlotKeys(got), refSlotKeys(want); !equalStrings(g, w) {
				t.Fatalf("slots of %s:\n got %q\nwant %q", s.ID, g, w)
			}
			next, ok, err := ix.NextAvailable(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			wantNext, wantOK, err := ref.Next(rq, 0)
			if err != nil {
				t.Fatal(err)
			}
			if ok != wantOK || ok && !equalStrings(oursSlotKeys([]agenda.Slot{next}), refSlotKeys([]reference.Slot{wantNext})) {
				t.Fatalf("next of %s: got %v %v, want %v %v", s.ID, next, ok, wantNext, wantOK)
			}
		}
		for _, a := range ds.Agents {
			got, err := ix.Agenda(ctx, a.ID, rc.From, rc.To)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ref.Agenda(a.ID, rc.From, rc.To)
			if err != nil {
				t.Fatal(err)
			}
			get := func(s agenda.Span) (time.Time, time.Time) { return s.Start, s.End }
			getRef := func(s reference.Span) (time.Time, time.Time) { return s.Start, s.End }
			if g, w := spanKeys(got.Busy, get), spanKeys(want.Busy, getRef); !equalStrings(g, w) {
				t.Fatalf("busy of %s:\n got %q\nwant %q", a.ID, g, w)
			}
			if g, w := spanKeys(got.Free, get), spanKeys(want.Free, getRef); !equalStrings(g, w) {
				t.Fatalf("free of %s:\n got %q\nwant %q", a.ID, g, w)
			}
		}
	})
}
