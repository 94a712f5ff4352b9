package benchmarks

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/ical"
	"github.com/crossagenda/crossagenda/internal/tz"
)

// benchCalendar writes an external calendar as five years of a busy
// person's Outlook or Google export ends up: events one-off events (09:00
// to 18:00 Paris, 30 to 90 minutes, in UTC or with TZID) spread over the
// five years before anchor and the year after, and series recurring
// events begun at any time in those five years (weekly on one or two
// days, every weekday, monthly on an nth weekday, daily; open-ended, until
// a date or for a count), a third of them with EXDATEs. No override or
// RDATE: go-ical's recurrence set does not handle them (it reads EXDATE
// where RDATE is meant), and the two implementations must agree.
func benchCalendar(anchor time.Time, events, series int) string {
	rng := rand.New(rand.NewPCG(2026, 15))
	paris, _ := time.LoadLocation("Europe/Paris")
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//crossagenda//bench//EN\r\n")
	ev := func(lines ...string) {
		b.WriteString("BEGIN:VEVENT\r\n")
		for _, l := range lines {
			b.WriteString(l)
			b.WriteString("\r\n")
		}
		b.WriteString("END:VEVENT\r\n")
	}
	at := func(daysBefore int) time.Time {
		d := anchor.AddDate(0, 0, -daysBefore)
		return time.Date(d.Year(), d.Month(), d.Day(), 9+rng.IntN(9), 30*rng.IntN(2), 0, 0, paris)
	}
	dt := func(t time.Time, utc bool) string {
		if utc {
			return ":" + t.UTC().Format("20060102T150405Z")
		}
		return ";TZID=Europe/Paris:" + t.Format("20060102T150405")
	}
	for i := range events - series {
		s := at(rng.IntN(6*365) - 365)
		utc := rng.IntN(2) == 0
		ev(fmt.Sprintf("UID:once-%d@bench", i), "DTSTAMP:20261101T000000Z", "DTSTART"+dt(s, utc),
			"DTEND"+dt(s.Add(time.Duration(30+30*rng.IntN(3))*time.Minute), utc), "SUMMARY:Meeting")
	}
	days := []string{"MO", "TU", "WE", "TH", "FR"}
	for i := range series {
		s := at(rng.IntN(5 * 365))
		for s.Weekday() == time.Saturday || s.Weekday() == time.Sunday {
			s = s.AddDate(0, 0, 1)
		}
		wd := days[int(s.Weekday())-1]
		var rule string
		step := 7
		switch rng.IntN(4) {
		case 0:
			rule = "FREQ=WEEKLY;BYDAY=" + wd
		case 1:
			rule = "FREQ=WEEKLY;BYDAY=" + wd + "," + days[(int(s.Weekday())+1)%5]
		case 2:
			rule, step = "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", 1
		default:
			rule, step = fmt.Sprintf("FREQ=MONTHLY;BYDAY=%d%s", 1+(s.Day()-1)/7, wd), 0
		}
		switch rng.IntN(3) {
		case 0:
			rule += ";UNTIL=" + s.AddDate(0, rng.IntN(60), 0).UTC().Format("20060102") + "T225959Z"
		case 1:
			rule += fmt.Sprintf(";COUNT=%d", 10+rng.IntN(200))
		}
		lines := []string{fmt.Sprintf("UID:series-%d@bench", i), "DTSTAMP:20261101T000000Z", "DTSTART" + dt(s, false),
			"DTEND" + dt(s.Add(time.Duration(30+30*rng.IntN(2))*time.Minute), false), "RRULE:" + rule, "SUMMARY:Recurring"}
		if step > 0 && rng.IntN(3) == 0 {
			for range 3 { // one value per property: go-ical reads no lists
				lines = append(lines, "EXDATE;TZID=Europe/Paris:"+s.AddDate(0, 0, step*rng.IntN(100)).Format("20060102T150405"))
			}
		}
		ev(lines...)
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

// span is a busy instance in Unix seconds.
type icsSpan struct{ start, end int64 }

// oursICS parses text and expands it over [from, to).
func oursICS(text string, from, to time.Time) ([]icsSpan, error) {
	paris, err := tz.Load("Europe/Paris")
	if err != nil {
		return nil, err
	}
	c, err := ical.Parse(strings.NewReader(text), ical.Options{Name: "bench", Zone: paris})
	if err != nil {
		return nil, err
	}
	occ, err := c.AppendBetween(nil, from.Unix(), to.Unix(), 0)
	if err != nil {
		return nil, err
	}
	out := make([]icsSpan, 0, len(occ))
	for _, o := range occ {
		if o.Blocking {
			out = append(out, icsSpan{o.Start, o.End})
		}
	}
	return out, nil
}

// goicalICS parses text with go-ical and expands each event over
// [from, to) with its own recurrence set (rrule-go underneath).
func goicalICS(text string, from, to time.Time) ([]icsSpan, error) {
	paris, _ := time.LoadLocation("Europe/Paris")
	cal, err := goical.NewDecoder(strings.NewReader(text)).Decode()
	if err != nil {
		return nil, err
	}
	var out []icsSpan
	for _, ev := range cal.Events() {
		s, err := ev.DateTimeStart(paris)
		if err != nil {
			return nil, err
		}
		e, err := ev.DateTimeEnd(paris)
		if err != nil {
			return nil, err
		}
		d := e.Sub(s)
		set, err := ev.RecurrenceSet(paris)
		if err != nil {
			return nil, err
		}
		if set == nil {
			if s.Before(to) && e.After(from) {
				out = append(out, icsSpan{s.Unix(), e.Unix()})
			}
			continue
		}
		for _, t := range set.Between(from.Add(-d), to, true) {
			if t.Before(to) && t.Add(d).After(from) {
				out = append(out, icsSpan{t.Unix(), t.Add(d).Unix()})
			}
		}
	}
	return out, nil
}

func sameSpans(a, b []icsSpan) error {
	order := func(x, y icsSpan) int { return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.end, y.end)) }
	a, b = slices.SortedFunc(slices.Values(a), order), slices.SortedFunc(slices.Values(b), order)
	if !slices.Equal(a, b) {
		return fmt.Errorf("ours %d instances, go-ical %d", len(a), len(b))
	}
	return nil
}

var benchICS = sync.OnceValue(func() string { return benchCalendar(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), 10_000, 500) })

// BenchmarkICSImport measures importing a calendar of 10,000 events, 500 of
// them recurring, as the busy time of one month: parse, then expand over
// December 2026. impl=go-ical parses with go-ical and expands each series
// with its recurrence set; both must give the same instances.
func BenchmarkICSImport(b *testing.B) {
	text := benchICS()
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	want, err := oursICS(text, from, to)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("events=10000/series=500/impl=ours", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			if _, err := oursICS(text, from, to); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(want)), "instances")
	})
	b.Run("events=10000/series=500/impl=go-ical", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(text)))
		var got []icsSpan
		for b.Loop() {
			if got, err = goicalICS(text, from, to); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(got)), "instances")
		if err := sameSpans(want, got); err != nil {
			b.Fatalf("go-ical disagrees with ours: %v", err)
		}
	})
}

// BenchmarkAgendaCalendar measures the month of the agenda benchmark's
// agent without and with that 10,000-event calendar (set through
// Live.SetCalendar on the same index).
func BenchmarkAgendaCalendar(b *testing.B) {
	f := loadFixture(b)
	ctx := context.Background()
	live := agenda.LiveFrom(f.ix)
	if err := live.SetCalendar(ctx, "bench-calendar", f.agendaAgent, strings.NewReader(benchICS())); err != nil {
		b.Fatal(err)
	}
	with := live.Snapshot()
	for _, c := range []struct {
		name string
		ix   *agenda.Index
	}{{"calendar=none", f.ix}, {"calendar=10000", with}} {
		b.Run("scale="+f.scale.Name+"/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			var ag *agenda.AgentAgenda
			for b.Loop() {
				var err error
				if ag, err = c.ix.Agenda(ctx, f.agendaAgent, f.agendaFrom, f.agendaTo); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(ag.Events)), "events")
		})
	}
}

// BenchmarkICSExpandDaily measures expanding a daily series begun five
// years before the window over a month: ours seeks, go-ical's recurrence
// set (rrule-go) walks from DTSTART. Both are built once, outside the loop.
func BenchmarkICSExpandDaily(b *testing.B) {
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	text := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\nUID:daily\r\nDTSTAMP:20211201T000000Z\r\n" +
		"DTSTART;TZID=Europe/Paris:20211201T090000\r\nDTEND;TZID=Europe/Paris:20211201T093000\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	paris, _ := tz.Load("Europe/Paris")
	c, err := ical.Parse(strings.NewReader(text), ical.Options{Name: "daily", Zone: paris})
	if err != nil {
		b.Fatal(err)
	}
	gc, err := goical.NewDecoder(strings.NewReader(text)).Decode()
	if err != nil {
		b.Fatal(err)
	}
	set, err := gc.Events()[0].RecurrenceSet(paris.Location())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("age=5y/impl=ours", func(b *testing.B) {
		b.ReportAllocs()
		var occ []ical.Occurrence
		for b.Loop() {
			if occ, err = c.AppendBetween(occ[:0], from.Unix(), to.Unix(), 0); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(occ)), "instances")
	})
	b.Run("age=5y/impl=go-ical", func(b *testing.B) {
		b.ReportAllocs()
		var got []time.Time
		for b.Loop() {
			got = set.Between(from.Add(-30*time.Minute), to, true)
		}
		b.ReportMetric(float64(len(got)), "instances")
		occ, _ := c.AppendBetween(nil, from.Unix(), to.Unix(), 0)
		if len(got) != len(occ) || got[0].Unix() != occ[0].Start {
			b.Fatalf("go-ical gives %d instances, ours %d", len(got), len(occ))
		}
	})
}
