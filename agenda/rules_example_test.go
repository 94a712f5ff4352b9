package agenda_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// mustIndex reads and compiles a JSON dataset of an example.
func mustIndex(js string) *agenda.Index {
	ds, err := agenda.ReadDataset(strings.NewReader(js))
	if err != nil {
		panic(err)
	}
	ix, err := agenda.New(ds)
	if err != nil {
		panic(err)
	}
	return ix
}

// A service with a 10-minute buffer before and a 15-minute buffer after
// its appointments. The 10:00-10:30 appointment blocks 09:50-10:45; a slot
// [s, s+30min) is offered only if [s-10min, s+45min) meets none of it, so
// 09:30 is refused (its buffer ends 10:15) and 10:55 is the first after.
func ExampleService_buffers() {
	ix := mustIndex(`{
  "time_zone": "Europe/Paris",
  "organisations": [{"id": "o1"}],
  "agents": [{"id": "a1", "organisation_ids": ["o1"]}],
  "services": [{"id": "m1", "organisation_id": "o1", "duration_minutes": 30,
                "buffer_before_minutes": 10, "buffer_after_minutes": 15}],
  "opening_periods": [{"id": "p1", "agent_id": "a1", "organisation_id": "o1", "service_ids": ["m1"],
                       "first_day": "2026-12-01", "start_time": "09:00", "end_time": "12:00"}],
  "appointments": [{"id": "r1", "organisation_id": "o1", "service_id": "m1", "agent_ids": ["a1"],
                    "start": "2026-12-01T10:00:00+01:00", "end": "2026-12-01T10:30:00+01:00"}]
}`)
	ctx := context.Background()
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, paris)
	q := agenda.SlotQuery{ServiceID: "m1", From: day, To: day.AddDate(0, 0, 1), Now: day, View: agenda.ViewAgent}
	slots, _ := ix.Slots(ctx, q)
	for _, s := range slots {
		fmt.Println("slot", s.Start.Format("15:04"), "-", s.End.Format("15:04"))
	}

	// Booking copies the service's buffers onto the appointment.
	live := agenda.LiveFrom(ix)
	r2, err := live.Book(ctx, agenda.Booking{ID: "r2", ServiceID: "m1", AgentID: "a1",
		Start: time.Date(2026, 12, 1, 11, 25, 0, 0, paris), Now: day, View: agenda.ViewAgent})
	fmt.Println("booked", r2.ID, *r2.BufferBeforeMinutes, *r2.BufferAfterMinutes, err)

	ag, _ := live.Agenda(ctx, "a1", day, day.AddDate(0, 0, 1))
	for _, e := range ag.Events {
		fmt.Println(e.Kind, e.ID, e.Start.Format("15:04"), "-", e.End.Format("15:04"), "buffers", e.BufferBeforeMinutes, e.BufferAfterMinutes)
	}
	for _, b := range ag.Busy {
		fmt.Println("busy", b.Start.Format("15:04"), "-", b.End.Format("15:04"))
	}
	// Output:
	// slot 09:00 - 09:30
	// slot 10:55 - 11:25
	// slot 11:25 - 11:55
	// booked r2 10 15 <nil>
	// opening p1 09:00 - 12:00 buffers 0 0
	// appointment r1 10:00 - 10:30 buffers 10 15
	// appointment r2 11:25 - 11:55 buffers 10 15
	// busy 09:50 - 10:45
	// busy 11:15 - 12:10
}

// A 45-minute service offered every 15 minutes: the slots of one free
// interval overlap, as alternatives. An interval already begun restarts
// at the first 5-minute step reaching now (09:07 gives 09:10), and the grid
// runs from there.
func ExampleService_slotInterval() {
	ix := mustIndex(`{
  "time_zone": "Europe/Paris",
  "organisations": [{"id": "o1"}],
  "agents": [{"id": "a1", "organisation_ids": ["o1"]}],
  "services": [{"id": "m1", "organisation_id": "o1", "duration_minutes": 45, "slot_interval_minutes": 15}],
  "opening_periods": [{"id": "p1", "agent_id": "a1", "organisation_id": "o1", "service_ids": ["m1"],
                       "first_day": "2026-12-01", "start_time": "09:00", "end_time": "11:00"}]
}`)
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, paris)
	for _, now := range []time.Time{day, day.Add(9*time.Hour + 7*time.Minute)} {
		slots, _ := ix.Slots(context.Background(), agenda.SlotQuery{ServiceID: "m1", From: day, To: day.AddDate(0, 0, 1),
			Now: now, View: agenda.ViewAgent})
		fmt.Print("now ", now.Format("15:04"), ":")
		for _, s := range slots {
			fmt.Print(" ", s.Start.Format("15:04"))
		}
		fmt.Println()
	}
	// Output:
	// now 00:00: 09:00 09:15 09:30 09:45 10:00 10:15
	// now 09:07: 09:10 09:25 09:40 09:55 10:10
}

// An exception removes one occurrence of a weekly opening (a training
// day) without ending the series; a date that is not an occurrence (a
// Wednesday) has no effect, and a one-off opening on the same date gives
// that day other hours.
func ExampleOpeningPeriod_exdates() {
	ix := mustIndex(`{
  "time_zone": "Europe/Paris",
  "organisations": [{"id": "o1"}],
  "agents": [{"id": "a1", "organisation_ids": ["o1"]}],
  "services": [{"id": "m1", "organisation_id": "o1", "duration_minutes": 30}],
  "opening_periods": [
    {"id": "p1", "agent_id": "a1", "organisation_id": "o1", "service_ids": ["m1"], "first_day": "2026-12-01",
     "start_time": "09:00", "end_time": "10:00", "rrule": "FREQ=WEEKLY;BYDAY=TU", "exdates": ["2026-12-08", "2026-12-09"]},
    {"id": "p2", "agent_id": "a1", "organisation_id": "o1", "service_ids": ["m1"], "first_day": "2026-12-08",
     "start_time": "14:00", "end_time": "15:00"}
  ]
}`)
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, paris)
	ag, _ := ix.Agenda(context.Background(), "a1", from, from.AddDate(0, 0, 21))
	for _, e := range ag.Events {
		fmt.Println(e.Kind, e.ID, e.Start.Format("Mon Jan 2 15:04"), "-", e.End.Format("15:04"))
	}
	// Output:
	// opening p1 Tue Dec 1 09:00 - 10:00
	// opening p2 Tue Dec 8 14:00 - 15:00
	// opening p1 Tue Dec 15 09:00 - 10:00
}

// Daily caps. The service allows 2 of its appointments per agent and day;
// the agent allows 3 appointments a day over both organisations. On
// Monday the service's cap is reached; on Tuesday the agent's, with two
// appointments in the other organisation; on Wednesday one appointment
// counts (the cancelled one does not), so slots remain, and booking takes
// the last place of the day.
func ExampleService_dailyCaps() {
	ix := mustIndex(`{
  "time_zone": "Europe/Paris",
  "organisations": [{"id": "o1"}, {"id": "o2"}],
  "agents": [{"id": "a1", "organisation_ids": ["o1", "o2"], "max_appointments_per_day": 3}],
  "services": [{"id": "m1", "organisation_id": "o1", "duration_minutes": 30, "max_per_agent_per_day": 2}],
  "opening_periods": [{"id": "p1", "agent_id": "a1", "organisation_id": "o1", "service_ids": ["m1"],
                       "first_day": "2026-12-07", "start_time": "09:00", "end_time": "10:00", "rrule": "FREQ=DAILY;COUNT=3"}],
  "appointments": [
    {"id": "r1", "organisation_id": "o1", "service_id": "m1", "agent_ids": ["a1"], "start": "2026-12-07T14:00:00+01:00", "end": "2026-12-07T14:30:00+01:00"},
    {"id": "r2", "organisation_id": "o1", "service_id": "m1", "agent_ids": ["a1"], "start": "2026-12-07T15:00:00+01:00", "end": "2026-12-07T15:30:00+01:00"},
    {"id": "r3", "organisation_id": "o1", "service_id": "m1", "agent_ids": ["a1"], "start": "2026-12-08T14:00:00+01:00", "end": "2026-12-08T14:30:00+01:00"},
    {"id": "r4", "organisation_id": "o2", "agent_ids": ["a1"], "start": "2026-12-08T16:00:00+01:00", "end": "2026-12-08T17:00:00+01:00"},
    {"id": "r5", "organisation_id": "o2", "agent_ids": ["a1"], "start": "2026-12-08T17:00:00+01:00", "end": "2026-12-08T18:00:00+01:00"},
    {"id": "r6", "organisation_id": "o1", "service_id": "m1", "agent_ids": ["a1"], "start": "2026-12-09T14:00:00+01:00", "end": "2026-12-09T14:30:00+01:00"},
    {"id": "r7", "organisation_id": "o1", "service_id": "m1", "agent_ids": ["a1"], "start": "2026-12-09T15:00:00+01:00", "end": "2026-12-09T15:30:00+01:00", "status": "excused"}
  ]
}`)
	ctx := context.Background()
	from := time.Date(2026, 12, 7, 0, 0, 0, 0, paris)
	q := agenda.SlotQuery{ServiceID: "m1", From: from, To: from.AddDate(0, 0, 3), Now: from, View: agenda.ViewAgent}
	slots, _ := ix.Slots(ctx, q)
	for _, s := range slots {
		fmt.Println("slot", s.Start.Format("Mon 15:04"))
	}
	live := agenda.LiveFrom(ix)
	for i, s := range slots {
		_, err := live.Book(ctx, agenda.Booking{ID: fmt.Sprint("n", i), ServiceID: "m1", AgentID: "a1", Start: s.Start, Now: from, View: agenda.ViewAgent})
		fmt.Println("book", s.Start.Format("Mon 15:04"), errors.Is(err, agenda.ErrConflict))
	}
	// Output:
	// slot Wed 09:00
	// slot Wed 09:30
	// book Wed 09:00 false
	// book Wed 09:30 true
}

// Holiday zones. The dataset closes mainland France's holidays; one
// organisation in La Réunion follows FR-974 instead (20 December, the
// abolition of slavery, in its own zone), one in Moselle follows FR-57 (26
// December) but works on Whit Monday, and one closes for no holiday.
func ExampleOrganisation_holidayCalendar() {
	ix := mustIndex(`{
  "time_zone": "Europe/Paris",
  "holiday_calendars": ["FR"],
  "organisations": [{"id": "o1", "time_zone": "Indian/Reunion", "holiday_calendar": "FR-974"},
                    {"id": "o2", "holiday_calendar": "FR-57", "worked_holidays": ["whit_monday"]},
                    {"id": "o3", "holiday_calendar": "none"},
                    {"id": "o4"}],
  "agents": [{"id": "a1", "organisation_ids": ["o1", "o2", "o3", "o4"], "time_zone": "UTC"}]
}`)
	for _, from := range []time.Time{time.Date(2026, 5, 24, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 19, 0, 0, 0, 0, time.UTC)} {
		ag, _ := ix.Agenda(context.Background(), "a1", from, from.AddDate(0, 0, 8))
		for _, e := range ag.Events {
			fmt.Println(e.OrganisationID, e.ID, e.Name, e.Start.Format("Jan 2 15:04"), "-", e.End.Format("Jan 2 15:04"), "UTC")
		}
	}
	// Output:
	// o1 2026-05-25 Lundi de Pentecôte May 24 20:00 - May 25 20:00 UTC
	// o4 2026-05-25 Lundi de Pentecôte May 24 22:00 - May 25 22:00 UTC
	// o1 2026-12-20 Abolition de l'esclavage Dec 19 20:00 - Dec 20 20:00 UTC
	// o1 2026-12-25 Noël Dec 24 20:00 - Dec 25 20:00 UTC
	// o2 2026-12-25 Noël Dec 24 23:00 - Dec 25 23:00 UTC
	// o4 2026-12-25 Noël Dec 24 23:00 - Dec 25 23:00 UTC
	// o2 2026-12-26 Saint Étienne Dec 25 23:00 - Dec 26 23:00 UTC
}
