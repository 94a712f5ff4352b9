package agenda_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// Why is 09:30 on Tuesday 1 December not bookable, asked by o1? Agent a1
// has an appointment in o2 then, which o1 sees as blocking time only; and
// 10:15 is free but off the grid that starts where that appointment ends.
// After 10:30, the next bookable start is on the 15th: a1 is absent on
// Tuesday 8.
func ExampleIndex_Explain() {
	ix := exampleIndex()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, paris)
	for _, hm := range [][2]int{{9, 30}, {10, 15}, {10, 30}} {
		ex, err := ix.Explain(context.Background(), agenda.ExplainQuery{ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
			Start: time.Date(2026, 12, 1, hm[0], hm[1], 0, 0, paris), Now: now, OrganisationID: "o1"})
		if err != nil {
			panic(err)
		}
		fmt.Println(ex.Start.Format("15:04"), "bookable:", ex.Bookable)
		for _, r := range ex.Reasons {
			fmt.Println("  ", r.Kind, r.RecordID == "", r.Start != nil)
		}
		fmt.Println("   nearest:", ex.Before.Format("Jan 2 15:04"), "and", ex.After.Format("Jan 2 15:04"))
	}
	// Output:
	// 09:30 bookable: false
	//    appointment true true
	//    nearest: Dec 1 09:00 and Dec 1 10:00
	// 10:15 bookable: false
	//    off_grid true false
	//    nearest: Dec 1 10:00 and Dec 1 10:30
	// 10:30 bookable: true
	//    nearest: Dec 1 10:00 and Dec 15 09:00
}

// On behalf of o1, a1's appointment in o2 is blocking time and nothing
// else.
func ExampleIndex_AgendaFor() {
	ix := exampleIndex()
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, paris)
	ag, err := ix.AgendaFor(context.Background(), "o1", "a1", from, from.AddDate(0, 0, 1))
	if err != nil {
		panic(err)
	}
	for _, e := range ag.Events {
		fmt.Printf("%s %q %q %s-%s\n", e.Kind, e.ID, e.OrganisationID, e.Start.Format("15:04"), e.End.Format("15:04"))
	}
	// Output:
	// opening "p1" "o1" 09:00-11:00
	// appointment "" "" 09:30-10:00
}

// A hold takes a slot out of every view until it expires, on the clock
// given to the Live; Confirm turns a hold into the appointment.
func ExampleLive_Hold() {
	ds, err := agenda.ReadDataset(strings.NewReader(exampleJSON))
	if err != nil {
		panic(err)
	}
	clock := time.Date(2026, 11, 30, 12, 0, 0, 0, paris)
	live, err := agenda.NewLive(ds, agenda.WithClock(func() time.Time { return clock }))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, paris)
	starts := func() (out []string) {
		slots, err := live.Slots(ctx, agenda.SlotQuery{ServiceID: "m1", AgentIDs: []string{"a1"}, From: day, To: day.AddDate(0, 0, 1),
			Now: clock})
		if err != nil {
			panic(err)
		}
		for _, s := range slots {
			out = append(out, s.Start.Format("15:04"))
		}
		return out
	}
	b := agenda.Booking{ID: "h1", ServiceID: "m1", AgentID: "a1", PlaceID: "l1", Start: day.Add(10 * time.Hour), Now: clock}
	if _, err := live.Hold(ctx, b, 10*time.Minute); err != nil {
		panic(err)
	}
	fmt.Println("held:", starts())
	clock = clock.Add(10 * time.Minute)
	fmt.Println("expired:", starts())
	b.ID = "h2"
	if _, err := live.Hold(ctx, b, 10*time.Minute); err != nil {
		panic(err)
	}
	a, err := live.Confirm(ctx, "h2")
	if err != nil {
		panic(err)
	}
	clock = clock.Add(time.Hour)
	fmt.Println("confirmed:", a.ID, a.Start.Format("15:04"), starts())
	// Output:
	// held: [09:00 10:30]
	// expired: [09:00 10:00 10:30]
	// confirmed: h2 10:00 [09:00 10:30]
}
