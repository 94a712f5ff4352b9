package gen

import (
	"math/rand/v2"
	"slices"
	"time"
)

// HolidayZones are the holiday calendars a dataset may name.
var HolidayZones = []string{"FR", "FR-57", "FR-67", "FR-68", "FR-971", "FR-972", "FR-973", "FR-974",
	"FR-976", "FR-977", "FR-978", "FR-986", "FR-987", "FR-988"}

// HolidayKeys are the keys of Organisation.WorkedHolidays.
var HolidayKeys = []string{"new_year", "easter_monday", "labour_day", "victory_1945", "ascension", "whit_monday",
	"bastille_day", "assumption", "all_saints", "armistice", "christmas", "good_friday", "st_stephen",
	"abolition_of_slavery", "victor_schoelcher", "saint_pierre_chanel", "territory_day", "autonomy_day", "citizenship_day"}

// rules adds the booking rules to a built dataset, from a stream of its
// own so that the records drawn before stay those of the same seed:
// buffers on some services and appointments, slot intervals shorter and
// longer than durations, exdates on and off occurrences, daily caps at and
// around what the appointments reach, and organisations in every holiday
// zone, with overrides, "none" and worked holidays.
func (g *randGen) rules(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0xbb67ae8584caa73b))
	chance := func(p int) bool { return rng.IntN(100) < p }
	ds := g.ds
	pick := func(xs ...int) int { return xs[rng.IntN(len(xs))] }

	if chance(30) {
		ds.HolidayCalendars = []string{HolidayZones[rng.IntN(len(HolidayZones))]}
		if chance(20) {
			ds.HolidayCalendars = append(ds.HolidayCalendars, HolidayZones[rng.IntN(len(HolidayZones))])
			ds.HolidayCalendars = slices.Compact(ds.HolidayCalendars)
		}
	}
	for i := range ds.Organisations {
		o := &ds.Organisations[i]
		switch x := rng.IntN(100); {
		case x < 30:
			o.HolidayCalendar = HolidayZones[rng.IntN(len(HolidayZones))]
		case x < 40:
			o.HolidayCalendar = "none"
		}
		if chance(20) {
			for _, k := range rng.Perm(len(HolidayKeys))[:1+rng.IntN(3)] {
				o.WorkedHolidays = append(o.WorkedHolidays, HolidayKeys[k])
			}
		}
	}
	for i := range ds.Services {
		s := &ds.Services[i]
		if chance(40) {
			s.BufferBeforeMinutes = pick(0, 5, 10, 15, 30, 7)
			s.BufferAfterMinutes = pick(0, 5, 10, 15, 45, 3)
		}
		if chance(40) {
			d := s.DurationMinutes
			s.SlotIntervalMinutes = pick(5, 10, 15, max(1, d/2), d, d+5, 2*d, 7)
		}
		if chance(30) {
			s.MaxPerAgentPerDay = 1 + rng.IntN(3)
		}
	}
	for i := range ds.Agents {
		if chance(25) {
			ds.Agents[i].MaxAppointmentsPerDay = 1 + rng.IntN(4)
		}
	}
	for i := range ds.Appointments {
		r := &ds.Appointments[i]
		if chance(20) {
			// Both buffers, or one present and the other the service's.
			b, a := pick(0, 5, 10, 20), pick(0, 5, 15, 30)
			switch rng.IntN(3) {
			case 0:
				r.BufferBeforeMinutes, r.BufferAfterMinutes = &b, &a
			case 1:
				r.BufferBeforeMinutes = &b
			default:
				r.BufferAfterMinutes = &a
			}
		}
	}
	// Exdates: the first day, the focus day and days of the window (most
	// of them occurrences of daily and weekly rules), and days that are
	// not occurrences at all.
	exdates := func(first string) []string {
		var out []string
		f, _ := time.Parse(time.DateOnly, first)
		fd := dayOfTime(f)
		from := dayOfTime(g.from.In(time.UTC)) - 1
		n := int(g.to.Sub(g.from)/(24*time.Hour)) + 3
		for range 1 + rng.IntN(3) {
			var d day
			switch rng.IntN(4) {
			case 0:
				d = fd
			case 1:
				d = g.focus
			default:
				d = from + day(rng.IntN(n))
			}
			out = append(out, d.String())
		}
		return out
	}
	for i := range ds.OpeningPeriods {
		if p := &ds.OpeningPeriods[i]; chance(35) {
			p.Exdates = exdates(p.FirstDay)
		}
	}
	for i := range ds.Absences {
		if b := &ds.Absences[i]; b.RRule != "" && chance(40) {
			b.Exdates = exdates(b.FirstDay)
		}
	}
}
