package agenda_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// exampleJSON is a small dataset: one agent in two organisations of
// Paris, a weekly opening since 2021 in the first, an appointment booked in
// the second.
const exampleJSON = `{
  "time_zone": "Europe/Paris",
  "organisations": [{"id": "o1", "name": "PMI Calais"}, {"id": "o2", "name": "CCAS Calais"}],
  "agents": [{"id": "a1", "organisation_ids": ["o1", "o2"]}, {"id": "a2", "organisation_ids": ["o1"]}],
  "places": [{"id": "l1", "organisation_id": "o1"}],
  "services": [{"id": "m1", "organisation_id": "o1", "duration_minutes": 30, "min_notice_minutes": 30}],
  "opening_periods": [
    {"id": "p1", "agent_id": "a1", "organisation_id": "o1", "place_id": "l1", "service_ids": ["m1"],
     "first_day": "2021-03-01", "start_time": "09:00", "end_time": "11:00", "rrule": "FREQ=WEEKLY;BYDAY=TU"},
    {"id": "p2", "agent_id": "a2", "organisation_id": "o1", "place_id": "l1", "service_ids": ["m1"],
     "first_day": "2026-12-01", "start_time": "10:00", "end_time": "12:00", "rrule": "FREQ=DAILY;COUNT=3"}
  ],
  "absences": [{"id": "b1", "agent_id": "a1", "first_day": "2026-12-08", "start_time": "00:00", "end_time": "24:00"}],
  "appointments": [{"id": "r1", "organisation_id": "o2", "agent_ids": ["a1"],
                    "start": "2026-12-01T09:30:00+01:00", "end": "2026-12-01T10:00:00+01:00"}],
  "closed_days": [{"date": "2026-12-03", "organisation_id": "o1"}]
}`

func exampleIndex() *agenda.Index {
	ds, err := agenda.ReadDataset(strings.NewReader(exampleJSON))
	if err != nil {
		panic(err)
	}
	ix, err := agenda.New(ds)
	if err != nil {
		panic(err)
	}
	return ix
}

func ExampleIndex_Agenda() {
	ix := exampleIndex()
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, paris)
	ag, err := ix.Agenda(context.Background(), "a1", from, from.AddDate(0, 0, 2))
	if err != nil {
		panic(err)
	}
	for _, e := range ag.Events {
		fmt.Println(e.Kind, e.ID, e.OrganisationID, e.Start.Format("Jan 2 15:04"), "-", e.End.Format("15:04"), e.Blocking)
	}
	for _, s := range ag.Free {
		fmt.Println("free", s.Start.Format("15:04"), "-", s.End.Format("15:04"))
	}
	// Output:
	// opening p1 o1 Dec 1 09:00 - 11:00 false
	// appointment r1 o2 Dec 1 09:30 - 10:00 true
	// free 09:00 - 09:30
	// free 10:00 - 11:00
}

func ExampleIndex_Slots() {
	ix := exampleIndex()
	now := time.Date(2026, 12, 1, 9, 40, 0, 0, paris)
	slots, err := ix.Slots(context.Background(), agenda.SlotQuery{
		ServiceID: "m1", From: now, To: now.AddDate(0, 0, 7), Now: now, View: agenda.ViewUser,
	})
	if err != nil {
		panic(err)
	}
	// The user view keeps slots at least 30 minutes ahead of now (10:10).
	// Agent a1's appointment in the other organisation takes 09:30-10:00;
	// the closed day of o1 removes December 3; a1's absence, December 8.
	for _, s := range slots {
		fmt.Println(s.Start.Format("Mon Jan 2 15:04"), s.AgentID, s.PlaceID)
	}
	// Output:
	// Tue Dec 1 10:30 a1 l1
	// Tue Dec 1 10:30 a2 l1
	// Tue Dec 1 11:00 a2 l1
	// Tue Dec 1 11:30 a2 l1
	// Wed Dec 2 10:00 a2 l1
	// Wed Dec 2 10:30 a2 l1
	// Wed Dec 2 11:00 a2 l1
	// Wed Dec 2 11:30 a2 l1
}

func ExampleIndex_NextAvailable() {
	ix := exampleIndex()
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, paris)
	slot, ok, err := ix.NextAvailable(context.Background(), agenda.SlotQuery{ServiceID: "m1", Now: now})
	if err != nil {
		panic(err)
	}
	// a2's openings end on December 3, a closed day; a1 is absent on
	// Tuesday December 8: the next slot is a week later.
	fmt.Println(ok, slot.Start.Format("Mon Jan 2 15:04"), slot.AgentID)
	// Output:
	// true Tue Dec 15 09:00 a1
}

func ExampleIndex_Common() {
	ix := exampleIndex()
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, paris)
	both, err := ix.Common(context.Background(), agenda.CommonQuery{AgentIDs: []string{"a1", "a2"}, From: from, To: from.AddDate(0, 0, 1)})
	if err != nil {
		panic(err)
	}
	either, err := ix.Common(context.Background(), agenda.CommonQuery{AgentIDs: []string{"a1", "a2"}, From: from, To: from.AddDate(0, 0, 1), Quorum: 1})
	if err != nil {
		panic(err)
	}
	for _, s := range both {
		fmt.Println("both", s.Start.Format("15:04"), "-", s.End.Format("15:04"))
	}
	for _, s := range either {
		fmt.Println("either", s.Start.Format("15:04"), "-", s.End.Format("15:04"))
	}
	// Output:
	// both 10:00 - 11:00
	// either 09:00 - 09:30
	// either 10:00 - 12:00
}

func ExampleNew_errors() {
	ds := &agenda.Dataset{
		Organisations: []agenda.Organisation{{ID: "o1"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1"}}},
		Services:      []agenda.Service{{ID: "m1", OrganisationID: "o1", DurationMinutes: 30}},
		OpeningPeriods: []agenda.OpeningPeriod{{ID: "p12", AgentID: "a1", OrganisationID: "o1", ServiceIDs: []string{"m1"},
			FirstDay: "2026-12-01", StartTime: "10:00", EndTime: "09:00"}},
	}
	_, err := agenda.New(ds)
	fmt.Println(err)
	var rec *agenda.RecordError
	if errors.As(err, &rec) {
		fmt.Println(rec.Kind, rec.ID, rec.Field)
	}
	// Output:
	// agenda: opening period "p12": end_time 09:00 is not after start_time 10:00
	// opening period p12 end_time
}

func ExampleLive_Book() {
	live, err := agenda.NewLive(exampleIndex().Dataset())
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, paris)
	b := agenda.Booking{ID: "r2", ServiceID: "m1", AgentID: "a2", PlaceID: "l1", Start: now.Add(2 * time.Hour), Now: now}
	appt, err := live.Book(ctx, b)
	fmt.Println(appt.ID, appt.Start.Format("15:04"), appt.End.Format("15:04"), err)
	b.ID = "r3"
	_, err = live.Book(ctx, b)
	fmt.Println(errors.Is(err, agenda.ErrConflict))
	// Output:
	// r2 10:00 10:30 <nil>
	// true
}

// A booking id is an idempotency key: a client whose request was cut
// repeats it, and gets the appointment it made; the id cannot book
// anything else, nor be booked again once cancelled.
func ExampleLive_Book_repeated() {
	live, err := agenda.NewLive(exampleIndex().Dataset())
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, paris)
	b := agenda.Booking{ID: "r2", ServiceID: "m1", AgentID: "a2", PlaceID: "l1", Start: now.Add(2 * time.Hour), Now: now}
	first, _ := live.Book(ctx, b)
	again, err := live.Book(ctx, b)
	fmt.Println(again.ID, again.Start.Format("15:04"), again.Start.Equal(first.Start), err)
	other := b
	other.Start = now.Add(3 * time.Hour)
	_, err = live.Book(ctx, other)
	fmt.Println(errors.Is(err, agenda.ErrIDConflict), err)
	fmt.Println(live.CancelAppointment("r2", agenda.StatusExcused))
	_, err = live.Book(ctx, b)
	fmt.Println(err)
	// Output:
	// r2 10:00 true <nil>
	// true agenda: booking "r2": another appointment has this id: id already used: conflict
	// <nil>
	// agenda: booking "r2": its appointment was cancelled (excused); book with a new id: id already used: conflict
}
