package reference_test

import (
	"fmt"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/reference"
)

// Slots of a 30-minute service in an opening of 09:00-11:20 (Paris), with
// an absence from 09:45 to 10:15.
func ExampleReference_Slots() {
	ds := &agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "org"}},
		Agents:        []agenda.Agent{{ID: "ag", OrganisationIDs: []string{"org"}}},
		Services:      []agenda.Service{{ID: "s", OrganisationID: "org", DurationMinutes: 30}},
		OpeningPeriods: []agenda.OpeningPeriod{{
			ID: "op", AgentID: "ag", OrganisationID: "org", ServiceIDs: []string{"s"},
			FirstDay: "2026-06-15", StartTime: "09:00", EndTime: "11:20",
		}},
		Absences: []agenda.Absence{{ID: "abs", AgentID: "ag", FirstDay: "2026-06-15", StartTime: "09:45", EndTime: "10:15"}},
	}
	r, err := reference.New(ds)
	if err != nil {
		fmt.Println(err)
		return
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	slots, err := r.Slots(reference.Query{
		ServiceID: "s",
		From:      time.Date(2026, 6, 15, 0, 0, 0, 0, paris),
		To:        time.Date(2026, 6, 16, 0, 0, 0, 0, paris),
		Now:       time.Date(2026, 6, 15, 7, 0, 0, 0, paris),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range slots {
		fmt.Println(s.Start.In(paris).Format("15:04"), "-", s.End.In(paris).Format("15:04"))
	}
	// Output:
	// 09:00 - 09:30
	// 10:15 - 10:45
	// 10:45 - 11:15
}

// Two of three agents free, with a 45-minute minimum.
func ExampleReference_Common() {
	open := func(agent, start, end string) agenda.OpeningPeriod {
		return agenda.OpeningPeriod{
			ID: agent + start, AgentID: agent, OrganisationID: "org",
			FirstDay: "2026-06-15", StartTime: start, EndTime: end,
		}
	}
	ds := &agenda.Dataset{
		Organisations:  []agenda.Organisation{{ID: "org"}}, // UTC
		Agents:         []agenda.Agent{{ID: "A", OrganisationIDs: []string{"org"}}, {ID: "B", OrganisationIDs: []string{"org"}}, {ID: "C", OrganisationIDs: []string{"org"}}},
		OpeningPeriods: []agenda.OpeningPeriod{open("A", "09:00", "12:00"), open("B", "11:30", "15:00"), open("C", "14:00", "18:00")},
	}
	r, err := reference.New(ds)
	if err != nil {
		fmt.Println(err)
		return
	}
	day := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	spans, err := r.Common([]string{"A", "B", "C"}, day, day.AddDate(0, 0, 1), 2, 45*time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range spans {
		fmt.Println(s.Start.Format("15:04"), "-", s.End.Format("15:04"))
	}
	// Output:
	// 14:00 - 15:00
}
