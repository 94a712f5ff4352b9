package agenda_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// An agent's Outlook calendar makes them busy: a weekly Tuesday meeting,
// three times from 3 March 2026, the one of 10 March excluded. Outlook
// names Paris "Romance Standard Time".
func ExampleLive_SetCalendar() {
	live, err := agenda.NewLive(&agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o1"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1"}}},
	})
	if err != nil {
		panic(err)
	}
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n" +
		"BEGIN:VEVENT\r\nUID:committee\r\n" +
		"DTSTART;TZID=\"Romance Standard Time\":20260303T093000\r\n" +
		"DTEND;TZID=\"Romance Standard Time\":20260303T103000\r\n" +
		"RRULE:FREQ=WEEKLY;COUNT=3\r\n" +
		"EXDATE;TZID=\"Romance Standard Time\":20260310T093000\r\n" +
		"X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	ctx := context.Background()
	if err := live.SetCalendar(ctx, "outlook", "a1", strings.NewReader(ics)); err != nil {
		panic(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, paris)
	ag, err := live.Agenda(ctx, "a1", from, from.AddDate(0, 0, 21))
	if err != nil {
		panic(err)
	}
	for _, e := range ag.Events {
		fmt.Println(e.Kind, e.ID, e.UID, e.Start.Format("Mon 2 Jan 15:04"), "to", e.End.Format("15:04"))
	}
	fmt.Println("busy:", len(ag.Busy), "spans; calendars:", ag.Calendars[0].ID, ag.Calendars[0].Events, "event")
	// Output:
	// calendar outlook committee Tue 3 Mar 09:30 to 10:30
	// calendar outlook committee Tue 17 Mar 09:30 to 10:30
	// busy: 2 spans; calendars: outlook 1 event
}

// The free/busy of an agent over a window, as a VFREEBUSY: when, never
// why. Paris is UTC+1 in March until the 29th.
func ExampleWriteFreeBusy() {
	live, err := agenda.NewLive(&agenda.Dataset{
		TimeZone:      "Europe/Paris",
		Organisations: []agenda.Organisation{{ID: "o1"}},
		Agents:        []agenda.Agent{{ID: "a1", OrganisationIDs: []string{"o1"}}},
		Absences:      []agenda.Absence{{ID: "b1", AgentID: "a1", FirstDay: "2026-03-04", StartTime: "14:00", EndTime: "18:00"}},
		Calendars: []agenda.Calendar{{ID: "google", AgentID: "a1", ICS: "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u1\r\n" +
			"DTSTART;TZID=Europe/Paris:20260303T093000\r\nDTEND;TZID=Europe/Paris:20260303T103000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}},
	})
	if err != nil {
		panic(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, paris)
	ag, err := live.Agenda(context.Background(), "a1", from, from.AddDate(0, 0, 7))
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := (agenda.ICSOptions{Stamp: from}).WriteFreeBusy(&buf, ag); err != nil {
		panic(err)
	}
	for _, line := range strings.Split(strings.ReplaceAll(buf.String(), "\r\n ", ""), "\r\n") {
		if !strings.HasPrefix(line, "UID:") && line != "" {
			fmt.Println(line)
		}
	}
	// Output:
	// BEGIN:VCALENDAR
	// VERSION:2.0
	// PRODID:-//crossagenda//agenda//EN
	// CALSCALE:GREGORIAN
	// METHOD:PUBLISH
	// X-WR-CALNAME:a1
	// BEGIN:VFREEBUSY
	// DTSTAMP:20260301T230000Z
	// DTSTART:20260301T230000Z
	// DTEND:20260308T230000Z
	// FREEBUSY;FBTYPE=BUSY:20260303T083000Z/20260303T093000Z,20260304T130000Z/20260304T170000Z
	// END:VFREEBUSY
	// END:VCALENDAR
}
