package agenda_test

import (
	"context"
	"fmt"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// A server that pushes changes to open pages registers one callback: each
// write tells which agents it touched and over which range, here a booking
// of 10:00 to 10:30 and an absence over the afternoon.
func ExampleLive_OnChange() {
	live, err := agenda.NewLive(exampleIndex().Dataset())
	if err != nil {
		panic(err)
	}
	stop := live.OnChange(func(c agenda.Change) {
		fmt.Println(c.AgentIDs, c.From.In(paris).Format("Jan 2 15:04"), "to", c.To.In(paris).Format("Jan 2 15:04"))
	})
	defer stop()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, paris)
	_, err = live.Book(context.Background(), agenda.Booking{ID: "r2", ServiceID: "m1", AgentID: "a2", PlaceID: "l1",
		Start: now.Add(2 * time.Hour), Now: now})
	if err != nil {
		panic(err)
	}
	err = live.UpsertAbsence(agenda.Absence{ID: "b9", AgentID: "a1", FirstDay: "2026-12-02", StartTime: "14:00", EndTime: "18:00"})
	if err != nil {
		panic(err)
	}
	// Output:
	// [a2] Dec 1 10:00 to Dec 1 10:30
	// [a1] Dec 2 14:00 to Dec 2 18:00
}
