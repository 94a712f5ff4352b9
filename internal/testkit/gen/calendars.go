package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// calendars gives about half of the agents an external calendar around
// the window: timed events with TZID (any of the random zones), in UTC or
// floating (the agent's zone), all-day events; daily, weekly and monthly
// rules with COUNT or a UTC UNTIL, EXDATEs, RDATEs, moved and cancelled
// instances, transparent events. Times of day stay within 07:00-21:00 and
// UNTIL is a UTC date-time, where every RRULE engine agrees.
func (g *randGen) calendars(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x3c6ef372fe94f82b))
	for ai, a := range g.ds.Agents {
		if rng.IntN(2) == 0 {
			continue
		}
		var b strings.Builder
		b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//crossagenda//gen//EN\r\n")
		for i := range 1 + rng.IntN(5) {
			g.calendarEvent(&b, rng, ai, fmt.Sprintf("%s-e%d", a.ID, i))
		}
		b.WriteString("END:VCALENDAR\r\n")
		g.ds.Calendars = append(g.ds.Calendars, agenda.Calendar{ID: "c-" + a.ID, AgentID: a.ID, ICS: b.String(),
			UpdatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
}

func (g *randGen) calendarEvent(b *strings.Builder, rng *rand.Rand, agent int, uid string) {
	kind := rng.IntN(4) // 0 zoned, 1 UTC, 2 floating, 3 all-day
	zi := rng.IntN(len(randomZones))
	zone, loc := randomZones[zi], g.locs[zi]
	if kind == 2 || kind == 3 {
		loc = g.agentLocs[agent]
	}
	day := g.from.In(loc).AddDate(0, 0, rng.IntN(30)-20)
	start := time.Date(day.Year(), day.Month(), day.Day(), 7+rng.IntN(12), 15*rng.IntN(4), 0, 0, loc)
	dt := func(t time.Time) string {
		switch kind {
		case 0:
			return ";TZID=" + zone + ":" + t.Format("20060102T150405")
		case 1:
			return ":" + t.UTC().Format("20060102T150405Z")
		case 2:
			return ":" + t.Format("20060102T150405")
		}
		return ";VALUE=DATE:" + t.Format("20060102")
	}
	end := start.Add(time.Duration(15*(1+rng.IntN(10))) * time.Minute)
	if kind == 3 {
		end = start.AddDate(0, 0, 1+rng.IntN(2))
	}
	lines := []string{"UID:" + uid, "DTSTAMP:20260101T000000Z", "DTSTART" + dt(start), "DTEND" + dt(end)}
	switch rng.IntN(8) {
	case 0:
		lines = append(lines, "TRANSP:TRANSPARENT")
	case 1:
		lines = append(lines, "STATUS:CANCELLED")
	}
	step := 0
	if rng.IntN(3) > 0 {
		var rule string
		switch rng.IntN(4) {
		case 0:
			rule, step = "FREQ=DAILY", 1
		case 1:
			rule, step = "FREQ=WEEKLY;BYDAY=MO,WE,FR", 2
		case 2:
			rule, step = "FREQ=WEEKLY", 7
		default:
			rule = "FREQ=MONTHLY;BYDAY=2TU,-1FR"
		}
		switch rng.IntN(3) {
		case 0:
			rule += fmt.Sprintf(";COUNT=%d", 1+rng.IntN(40))
		case 1:
			rule += ";UNTIL=" + start.AddDate(0, 0, 5+rng.IntN(60)).UTC().Format("20060102T150405Z")
		}
		lines = append(lines, "RRULE:"+rule)
		if step > 0 && rng.IntN(3) == 0 {
			lines = append(lines, "EXDATE"+dt(start.AddDate(0, 0, step*(1+rng.IntN(8)))))
		}
		if rng.IntN(4) == 0 {
			lines = append(lines, "RDATE"+dt(start.AddDate(0, 0, 1+rng.IntN(30))))
		}
	}
	writeEvent(b, lines)
	if step > 0 && rng.IntN(3) == 0 {
		rid := start.AddDate(0, 0, step*rng.IntN(6))
		moved := rid.Add(time.Duration(rng.IntN(5)-2) * time.Hour)
		movedEnd := moved.Add(end.Sub(start))
		if kind == 3 {
			moved = rid.AddDate(0, 0, rng.IntN(3)-1)
			movedEnd = moved.AddDate(0, 0, 1)
		}
		ov := []string{"UID:" + uid, "DTSTAMP:20260101T000000Z", "RECURRENCE-ID" + dt(rid), "DTSTART" + dt(moved),
			"DTEND" + dt(movedEnd)}
		if rng.IntN(3) == 0 {
			ov = append(ov, "STATUS:CANCELLED")
		}
		writeEvent(b, ov)
	}
}

func writeEvent(b *strings.Builder, lines []string) {
	b.WriteString("BEGIN:VEVENT\r\n")
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	b.WriteString("END:VEVENT\r\n")
}
