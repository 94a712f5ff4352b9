package agenda_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
	"github.com/crossagenda/crossagenda/internal/testkit/reference"
)

// The differential tests hold the engine against internal/reference, an
// independent, slow implementation of the same semantics, on seeded
// adversarial datasets (several zones, DST changes inside the window,
// overlapping openings, nested busy time, multi-day absences, closed days).

func differentialSeeds(t *testing.T) int {
	if testing.Short() {
		return 60
	}
	return 400
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func eventKey(kind, id, org, place string, start, end time.Time, status agenda.Status, blocking bool, before, after int) string {
	if kind != string(agenda.KindAppointment) {
		status, blocking = "", false
	}
	return fmt.Sprintf("%s %s org=%s place=%s [%s, %s) %s %v buffers=%d,%d", kind, id, org, place, utc(start), utc(end), status, blocking, before, after)
}

func spanKeys[S any](spans []S, get func(S) (time.Time, time.Time)) []string {
	out := []string{}
	for _, s := range spans {
		a, b := get(s)
		out = append(out, "["+utc(a)+", "+utc(b)+")")
	}
	return out
}

func slotKey(start, end time.Time, agent, place, org, service, appt string, seats int) string {
	return fmt.Sprintf("%s-%s %s@%s org=%s svc=%s appt=%s seats=%d", utc(start), utc(end), agent, place, org, service, appt, seats)
}

func oursSlotKeys(slots []agenda.Slot) []string {
	out := []string{}
	for _, s := range slots {
		out = append(out, slotKey(s.Start, s.End, s.AgentID, s.PlaceID, s.OrganisationID, s.ServiceID, s.AppointmentID, s.SeatsLeft))
	}
	return out
}

func refSlotKeys(slots []reference.Slot) []string {
	out := []string{}
	for _, s := range slots {
		out = append(out, slotKey(s.Start, s.End, s.AgentID, s.PlaceID, s.OrganisationID, s.ServiceID, s.AppointmentID, s.SeatsLeft))
	}
	return out
}

func TestDifferentialAgenda(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(differentialSeeds(t)) {
		rc := gen.Random(seed, gen.RandomConfig{})
		ix, err := agenda.New(rc.Dataset)
		require.NoError(t, err, "seed %d", seed)
		ref, err := reference.New(rc.Dataset)
		require.NoError(t, err, "seed %d", seed)
		for _, a := range rc.Dataset.Agents {
			got, err := ix.Agenda(ctx, a.ID, rc.From, rc.To)
			require.NoError(t, err)
			want, err := ref.Agenda(a.ID, rc.From, rc.To)
			require.NoError(t, err)
			var gotEv, wantEv []string
			for _, e := range got.Events {
				gotEv = append(gotEv, eventKey(string(e.Kind), e.ID, e.OrganisationID, e.PlaceID, e.Start, e.End, e.Status, e.Blocking,
					e.BufferBeforeMinutes, e.BufferAfterMinutes))
			}
			for _, e := range want.Events {
				wantEv = append(wantEv, eventKey(e.Kind, e.ID, e.OrganisationID, e.PlaceID, e.Start, e.End, e.Status, e.Blocking,
					e.BufferBefore, e.BufferAfter))
			}
			if !assert.Equal(t, wantEv, gotEv, "seed %d agent %s events", seed, a.ID) {
				return
			}
			get := func(s agenda.Span) (time.Time, time.Time) { return s.Start, s.End }
			getRef := func(s reference.Span) (time.Time, time.Time) { return s.Start, s.End }
			if !assert.Equal(t, spanKeys(want.Busy, getRef), spanKeys(got.Busy, get), "seed %d agent %s busy", seed, a.ID) ||
				!assert.Equal(t, spanKeys(want.Free, getRef), spanKeys(got.Free, get), "seed %d agent %s free", seed, a.ID) {
				return
			}
		}
	}
}

func TestDifferentialSlots(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(differentialSeeds(t)) {
		rc := gen.Random(seed, gen.RandomConfig{})
		ix, err := agenda.New(rc.Dataset)
		require.NoError(t, err, "seed %d", seed)
		ref, err := reference.New(rc.Dataset)
		require.NoError(t, err, "seed %d", seed)
		for _, s := range rc.Dataset.Services {
			for _, view := range []agenda.View{agenda.ViewUser, agenda.ViewAgent} {
				q := agenda.SlotQuery{ServiceID: s.ID, From: rc.From, To: rc.To, Now: rc.Now, View: view}
				rq := reference.Query{ServiceID: s.ID, From: rc.From, To: rc.To, Now: rc.Now, UserView: view == agenda.ViewUser}
				if seed%3 == 1 && len(rc.Dataset.Agents) > 1 {
					q.AgentIDs = []string{rc.Dataset.Agents[0].ID}
					rq.AgentIDs = q.AgentIDs
				}
				if seed%3 == 2 {
					q.PlaceIDs = []string{""}
					for _, p := range rc.Dataset.Places {
						if p.OrganisationID == s.OrganisationID {
							q.PlaceIDs = append(q.PlaceIDs, p.ID)
							break
						}
					}
					rq.PlaceIDs = q.PlaceIDs
				}
				got, err := ix.Slots(ctx, q)
				require.NoError(t, err)
				want, err := ref.Slots(rq)
				require.NoError(t, err)
				if !assert.Equal(t, refSlotKeys(want), oursSlotKeys(got), "seed %d service %s view %s", seed, s.ID, view) {
					return
				}

				next, ok, err := ix.NextAvailable(ctx, q)
				require.NoError(t, err)
				wantNext, wantOK, err := ref.Next(rq, 0)
				require.NoError(t, err)
				require.Equal(t, wantOK, ok, "seed %d service %s view %s next found", seed, s.ID, view)
				if ok {
					assert.Equal(t, refSlotKeys([]reference.Slot{wantNext}), oursSlotKeys([]agenda.Slot{next}),
						"seed %d service %s view %s next", seed, s.ID, view)
				}
			}
		}
	}
}

func TestDifferentialCommon(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(differentialSeeds(t)) {
		rc := gen.Random(seed, gen.RandomConfig{})
		ix, err := agenda.New(rc.Dataset)
		require.NoError(t, err, "seed %d", seed)
		ref, err := reference.New(rc.Dataset)
		require.NoError(t, err, "seed %d", seed)
		var ids []string
		for _, a := range rc.Dataset.Agents {
			ids = append(ids, a.ID)
		}
		slices.Reverse(ids) // the first agent's zone is the output zone; order must not matter otherwise
		for k := 0; k <= len(ids); k++ {
			for _, minLen := range []time.Duration{0, 45 * time.Minute} {
				got, err := ix.Common(ctx, agenda.CommonQuery{AgentIDs: ids, From: rc.From, To: rc.To, Quorum: k, MinLength: minLen})
				require.NoError(t, err)
				want, err := ref.Common(ids, rc.From, rc.To, k, minLen)
				require.NoError(t, err)
				get := func(s agenda.Span) (time.Time, time.Time) { return s.Start, s.End }
				getRef := func(s reference.Span) (time.Time, time.Time) { return s.Start, s.End }
				if !assert.Equal(t, spanKeys(want, getRef), spanKeys(got, get), "seed %d quorum %d min %s", seed, k, minLen) {
					return
				}
			}
		}
	}
}

// zoneDays are days of each holiday zone's own (and two mainland ones),
// month and day: windows around them put every zone's calendar to the
// test, in the organisations' own zones.
var zoneDays = map[string][][2]int{
	"FR": {{7, 14}, {11, 11}}, "FR-57": {{12, 26}}, "FR-67": {{12, 26}}, "FR-68": {{12, 26}},
	"FR-971": {{5, 27}, {7, 21}}, "FR-972": {{5, 22}, {7, 21}}, "FR-973": {{6, 10}}, "FR-974": {{12, 20}},
	"FR-976": {{4, 27}}, "FR-977": {{10, 9}}, "FR-978": {{5, 28}}, "FR-986": {{4, 28}, {7, 29}},
	"FR-987": {{6, 29}}, "FR-988": {{9, 24}},
}

// TestDifferentialHolidayZones moves each seeded case's window onto a day
// of a holiday zone, gives its organisations that zone (or leaves them on
// the dataset's calendars), and holds agenda, slots and group
// availability to the reference.
func TestDifferentialHolidayZones(t *testing.T) {
	ctx := context.Background()
	seeds := differentialSeeds(t) / 4
	holidaysSeen := map[string]int{} // closed days named like a holiday, per zone
	defer func() {
		for zone := range zoneDays {
			assert.Positive(t, holidaysSeen[zone], "no holiday of %s fell in a window", zone)
		}
	}()
	for seed := range uint64(seeds) {
		for zone, days := range zoneDays {
			rc := gen.Random(seed, gen.RandomConfig{})
			ds := rc.Dataset
			ds.HolidayCalendars = []string{zone}
			for i := range ds.Organisations {
				if i%2 == 0 || seed%3 == 0 {
					ds.Organisations[i].HolidayCalendar = zone
				}
			}
			md := days[int(seed)%len(days)]
			center := time.Date(rc.From.Year(), time.Month(md[0]), md[1], 12, 0, 0, 0, time.UTC)
			from, to := center.Add(-40*time.Hour), center.Add(40*time.Hour)
			ix, err := agenda.New(ds)
			require.NoError(t, err, "seed %d zone %s", seed, zone)
			ref, err := reference.New(ds)
			require.NoError(t, err)
			var ids []string
			for _, a := range ds.Agents {
				ids = append(ids, a.ID)
				got, err := ix.Agenda(ctx, a.ID, from, to)
				require.NoError(t, err)
				want, err := ref.Agenda(a.ID, from, to)
				require.NoError(t, err)
				var gotEv, wantEv []string
				for _, e := range got.Events {
					gotEv = append(gotEv, eventKey(string(e.Kind), e.ID, e.OrganisationID, e.PlaceID, e.Start, e.End, e.Status, e.Blocking,
						e.BufferBeforeMinutes, e.BufferAfterMinutes))
					if e.Kind == agenda.KindClosed && e.Name != "" {
						holidaysSeen[zone]++
					}
				}
				for _, e := range want.Events {
					wantEv = append(wantEv, eventKey(e.Kind, e.ID, e.OrganisationID, e.PlaceID, e.Start, e.End, e.Status, e.Blocking,
						e.BufferBefore, e.BufferAfter))
				}
				get := func(s agenda.Span) (time.Time, time.Time) { return s.Start, s.End }
				getRef := func(s reference.Span) (time.Time, time.Time) { return s.Start, s.End }
				if !assert.Equal(t, wantEv, gotEv, "seed %d zone %s agent %s events", seed, zone, a.ID) ||
					!assert.Equal(t, spanKeys(want.Free, getRef), spanKeys(got.Free, get), "seed %d zone %s agent %s free", seed, zone, a.ID) {
					return
				}
			}
			for _, s := range ds.Services {
				got, err := ix.Slots(ctx, agenda.SlotQuery{ServiceID: s.ID, From: from, To: to, Now: rc.Now, View: agenda.ViewAgent})
				require.NoError(t, err)
				want, err := ref.Slots(reference.Query{ServiceID: s.ID, From: from, To: to, Now: rc.Now})
				require.NoError(t, err)
				if !assert.Equal(t, refSlotKeys(want), oursSlotKeys(got), "seed %d zone %s service %s", seed, zone, s.ID) {
					return
				}
			}
			got, err := ix.Common(ctx, agenda.CommonQuery{AgentIDs: ids, From: from, To: to, Quorum: 1})
			require.NoError(t, err)
			want, err := ref.Common(ids, from, to, 1, 0)
			require.NoError(t, err)
			get := func(s agenda.Span) (time.Time, time.Time) { return s.Start, s.End }
			getRef := func(s reference.Span) (time.Time, time.Time) { return s.Start, s.End }
			if !assert.Equal(t, spanKeys(want, getRef), spanKeys(got, get), "seed %d zone %s common", seed, zone) {
				return
			}
		}
	}
}

// TestDifferentialCalendars holds the engine to the reference on seeded
// datasets whose agents have external calendars (iCalendar, read by the
// reference with go-ical and rrule-go): busy and free time, slots of
// every service in both views, next availability and group availability.
func TestDifferentialCalendars(t *testing.T) {
	ctx := context.Background()
	n, withCalendars := differentialSeeds(t)/2, 0
	for seed := range uint64(n) {
		rc := gen.Random(seed, gen.RandomConfig{Calendars: true})
		if len(rc.Dataset.Calendars) > 0 {
			withCalendars++
		}
		ix, err := agenda.New(rc.Dataset)
		require.NoError(t, err, "seed %d", seed)
		ref, err := reference.New(rc.Dataset)
		require.NoError(t, err, "seed %d", seed)
		get := func(s agenda.Span) (time.Time, time.Time) { return s.Start, s.End }
		getRef := func(s reference.Span) (time.Time, time.Time) { return s.Start, s.End }
		var ids []string
		for _, a := range rc.Dataset.Agents {
			ids = append(ids, a.ID)
			got, err := ix.Agenda(ctx, a.ID, rc.From, rc.To)
			require.NoError(t, err)
			want, err := ref.Agenda(a.ID, rc.From, rc.To)
			require.NoError(t, err)
			if !assert.Equal(t, spanKeys(want.Busy, getRef), spanKeys(got.Busy, get), "seed %d agent %s busy", seed, a.ID) ||
				!assert.Equal(t, spanKeys(want.Free, getRef), spanKeys(got.Free, get), "seed %d agent %s free", seed, a.ID) {
				t.Logf("calendars: %+v", rc.Dataset.Calendars)
				return
			}
		}
		for _, s := range rc.Dataset.Services {
			for _, view := range []agenda.View{agenda.ViewUser, agenda.ViewAgent} {
				q := agenda.SlotQuery{ServiceID: s.ID, From: rc.From, To: rc.To, Now: rc.Now, View: view}
				rq := reference.Query{ServiceID: s.ID, From: rc.From, To: rc.To, Now: rc.Now, UserView: view == agenda.ViewUser}
				got, err := ix.Slots(ctx, q)
				require.NoError(t, err)
				want, err := ref.Slots(rq)
				require.NoError(t, err)
				if !assert.Equal(t, refSlotKeys(want), oursSlotKeys(got), "seed %d service %s view %s", seed, s.ID, view) {
					return
				}
				next, ok, err := ix.NextAvailable(ctx, q)
				require.NoError(t, err)
				wantNext, wantOK, err := ref.Next(rq, 0)
				require.NoError(t, err)
				require.Equal(t, wantOK, ok, "seed %d service %s view %s next found", seed, s.ID, view)
				if ok {
					assert.Equal(t, refSlotKeys([]reference.Slot{wantNext}), oursSlotKeys([]agenda.Slot{next}), "seed %d next", seed)
				}
			}
		}
		got, err := ix.Common(ctx, agenda.CommonQuery{AgentIDs: ids, From: rc.From, To: rc.To, Quorum: 1})
		require.NoError(t, err)
		want, err := ref.Common(ids, rc.From, rc.To, 1, 0)
		require.NoError(t, err)
		assert.Equal(t, spanKeys(want, getRef), spanKeys(got, get), "seed %d common", seed)
	}
	require.Greater(t, withCalendars, n/3, "most cases have calendars")
}
