package tz

import (
	"github.com/crossagenda/crossagenda/internal/race"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/crossagenda/crossagenda/internal/civil"
)

var testZones = []string{
	"Europe/Paris",
	"America/New_York",
	"Australia/Lord_Howe", // 30-minute daylight saving
	"Asia/Kolkata",
	"America/Sao_Paulo", // daylight saving began at midnight until 2019
	"Pacific/Apia",      // skipped 2011-12-30
	"Europe/Dublin",     // negative daylight saving in tzdata
	"Africa/Casablanca", // daylight saving suspended each Ramadan
	"Asia/Kathmandu",
	"America/St_Johns",
	"Antarctica/Troll", // +02 summer from +00
	"Pacific/Kiritimati",
	"UTC",
}

func mustLoad(t testing.TB, name string) *Zone {
	t.Helper()
	z, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func date(y int, m time.Month, d int) civil.Date { return civil.DateOf(y, m, d) }

func hm(h, m int) civil.TimeOfDay { return civil.MakeTimeOfDay(h, m, 0) }

func utc(s string) int64 {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.Unix()
}

// Hand-checked cases from RFC 5545 §3.3.5 and published transition times.
func TestInstantKnownCases(t *testing.T) {
	tests := []struct {
		zone string
		d    civil.Date
		tod  civil.TimeOfDay
		want string
	}{
		// RFC 5545 §3.3.5: the gap is read with the offset before it...
		{"America/New_York", date(2007, 3, 11), hm(2, 30), "2007-03-11T07:30:00Z"}, // 03:30 EDT
		// ...and an ambiguous time is its first occurrence.
		{"America/New_York", date(2007, 11, 4), hm(1, 30), "2007-11-04T05:30:00Z"}, // 01:30 EDT
		{"Europe/Paris", date(2026, 3, 29), hm(2, 30), "2026-03-29T01:30:00Z"},     // 03:30 CEST
		{"Europe/Paris", date(2026, 3, 29), hm(3, 0), "2026-03-29T01:00:00Z"},      // 03:00 CEST
		{"Europe/Paris", date(2026, 3, 29), hm(1, 59), "2026-03-29T00:59:00Z"},     // 01:59 CET
		{"Europe/Paris", date(2026, 10, 25), hm(2, 30), "2026-10-25T00:30:00Z"},    // 02:30 CEST
		{"Europe/Paris", date(2026, 10, 25), hm(3, 0), "2026-10-25T02:00:00Z"},     // 03:00 CET
		{"Europe/Paris", date(2026, 7, 1), hm(9, 0), "2026-07-01T07:00:00Z"},
		{"Europe/Paris", date(2026, 7, 1), civil.EndOfDay, "2026-07-01T22:00:00Z"},
		{"Australia/Lord_Howe", date(2026, 10, 4), hm(2, 15), "2026-10-03T15:45:00Z"}, // gap 02:00-02:30
		{"Australia/Lord_Howe", date(2026, 4, 5), hm(1, 45), "2026-04-04T14:45:00Z"},  // first 01:45 (+11)
		{"Europe/Dublin", date(2026, 10, 25), hm(1, 30), "2026-10-25T00:30:00Z"},      // first 01:30 (IST)
		{"America/Sao_Paulo", date(2018, 11, 4), hm(0, 30), "2018-11-04T03:30:00Z"},   // 01:30 -02
		{"America/Sao_Paulo", date(2018, 11, 4), 0, "2018-11-04T03:00:00Z"},           // day starts at 01:00
		{"Pacific/Apia", date(2011, 12, 30), hm(12, 0), "2011-12-30T22:00:00Z"},       // skipped day
		{"Pacific/Apia", date(2011, 12, 31), hm(12, 0), "2011-12-30T22:00:00Z"},
		{"Asia/Kolkata", date(2026, 1, 1), hm(9, 0), "2026-01-01T03:30:00Z"},
		{"UTC", date(2026, 1, 1), hm(9, 0), "2026-01-01T09:00:00Z"},
	}
	for _, tt := range tests {
		z := mustLoad(t, tt.zone)
		if got, want := z.Instant(tt.d, tt.tod), utc(tt.want); got != want {
			t.Errorf("%s Instant(%s, %s) = %s, want %s", tt.zone, tt.d, tt.tod,
				time.Unix(got, 0).UTC().Format(time.RFC3339), tt.want)
		}
	}
}

// TestTimeDateDivergence records where time.Date resolves differently; it
// only logs, since time.Date's choice is documented as unspecified.
func TestTimeDateDivergence(t *testing.T) {
	cases := []struct {
		zone string
		d    civil.Date
		tod  civil.TimeOfDay
	}{
		{"America/New_York", date(2007, 3, 11), hm(2, 30)},
		{"Europe/Paris", date(2026, 10, 25), hm(2, 30)},
		{"Australia/Lord_Howe", date(2026, 4, 5), hm(1, 45)},
		{"Europe/Dublin", date(2026, 10, 25), hm(1, 30)},
		{"America/Sao_Paulo", date(2018, 11, 4), hm(0, 30)},
	}
	for _, c := range cases {
		z := mustLoad(t, c.zone)
		y, m, d := c.d.YMD()
		h, mi, _ := c.tod.Clock()
		td := time.Date(y, m, d, h, mi, 0, 0, z.Location())
		ours := time.Unix(z.Instant(c.d, c.tod), 0).In(z.Location())
		if want := oracleInstant(z.Location(), int64(c.d)*86400+int64(c.tod)); ours.Unix() != want {
			t.Errorf("%s %s %s: Instant %v, oracle %v", c.zone, c.d, c.tod, ours, time.Unix(want, 0))
		}
		t.Logf("%s %s %s: RFC 5545 %v, time.Date %v", c.zone, c.d, c.tod, ours, td)
	}
}

// wallTimesNear returns wall-clock readings (seconds as if UTC) at and
// around every jump of the zone's local clock between 1900 and 2100.
func wallTimesNear(z *Zone) []int64 {
	var ws []int64
	lo, hi := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := 1; i < len(z.starts); i++ {
		T := z.starts[i]
		if T < lo || T >= hi {
			continue
		}
		a, b := int64(z.offs[i-1]), int64(z.offs[i])
		for _, base := range []int64{T + a, T + b} {
			for _, d := range []int64{-3601, -1, 0, 1, 900, 1799, 3599, 3600} {
				ws = append(ws, base+d)
			}
		}
		ws = append(ws, T+(a+b)/2)
	}
	return ws
}

func TestInstantAgainstOracle(t *testing.T) {
	for _, name := range testZones {
		t.Run(strings.ReplaceAll(name, "/", "_"), func(t *testing.T) {
			z := mustLoad(t, name)
			ws := wallTimesNear(z)
			if testing.Short() && len(ws) > 400 {
				ws = ws[len(ws)-400:]
			}
			rng := rand.New(rand.NewPCG(7, uint64(len(name))))
			for range 300 {
				ws = append(ws, rng.Int64N(utc("2100-01-01T00:00:00Z")-utc("1900-01-01T00:00:00Z"))+utc("1900-01-01T00:00:00Z"))
			}
			for _, w := range ws {
				d, tod := civil.Date(floorDiv(w, 86400)), civil.TimeOfDay(w-floorDiv(w, 86400)*86400)
				if got, want := z.Instant(d, tod), oracleInstant(z.Location(), w); got != want {
					t.Fatalf("Instant(%s, %s) = %v, oracle %v", d, tod,
						time.Unix(got, 0).In(z.Location()), time.Unix(want, 0).In(z.Location()))
				}
			}
		})
	}
}

// Past 2200 the time package answers; the oracle agrees there too.
func TestInstantBeyondTable(t *testing.T) {
	for _, name := range []string{"Europe/Paris", "America/New_York", "Australia/Lord_Howe"} {
		z := mustLoad(t, name)
		for y := 2199; y <= 2401; y += 101 {
			for _, md := range [][2]int{{3, 1}, {3, 30}, {4, 5}, {10, 4}, {10, 27}, {11, 3}} {
				for _, tod := range []civil.TimeOfDay{0, hm(1, 30), hm(2, 15), hm(2, 30), hm(3, 0), hm(23, 59)} {
					for dd := 0; dd < 7; dd++ {
						d := civil.DateOf(y, time.Month(md[0]), md[1]+dd)
						w := int64(d)*86400 + int64(tod)
						if got, want := z.Instant(d, tod), oracleInstant(z.Location(), w); got != want {
							t.Fatalf("%s Instant(%s, %s) = %d, oracle %d", name, d, tod, got, want)
						}
					}
				}
			}
		}
	}
}

// Local agrees with time.Unix(u).In(loc), and Instant inverts it except on
// the second reading of a repeated hour.
func TestLocalRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, name := range testZones {
		z := mustLoad(t, name)
		for range 2000 {
			u := rng.Int64N(utc("2300-01-01T00:00:00Z")-utc("1850-01-01T00:00:00Z")) + utc("1850-01-01T00:00:00Z")
			d, tod := z.Local(u)
			tm := time.Unix(u, 0).In(z.Location())
			y, m, dd := d.YMD()
			h, mi, s := tod.Clock()
			if ty, tm2, td := tm.Date(); y != ty || m != tm2 || dd != td || h != tm.Hour() || mi != tm.Minute() || s != tm.Second() {
				t.Fatalf("%s Local(%d) = %s %s, time says %v", name, u, d, tod, tm)
			}
			back := z.Instant(d, tod)
			if back != u {
				// Only legitimate when u is the later of two instants reading the same.
				if back >= u || z.Offset(back) <= z.Offset(u) {
					t.Fatalf("%s Instant(Local(%d)) = %d", name, u, back)
				}
			}
		}
	}
}

func TestLoad(t *testing.T) {
	for _, name := range []string{"", "UTC"} {
		if z := mustLoad(t, name); z != UTC || z.Name() != "UTC" {
			t.Errorf("Load(%q) = %v, want UTC", name, z)
		}
	}
	_, err := Load("Mars/Olympus_Mons")
	if err == nil || !strings.HasPrefix(err.Error(), "tz: ") || !strings.Contains(err.Error(), `"Mars/Olympus_Mons"`) {
		t.Errorf("Load of an unknown zone: %v", err)
	}
	z := mustLoad(t, "Europe/Paris")
	if z.Name() != "Europe/Paris" || z.Location().String() != "Europe/Paris" || z.String() != "Europe/Paris" {
		t.Errorf("Name %q, Location %v", z.Name(), z.Location())
	}
	if mustLoad(t, "Europe/Paris") != z {
		t.Error("Load does not cache")
	}
	// Concurrent first loads all see one Zone.
	var wg sync.WaitGroup
	got := make([]*Zone, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = Load("America/Sao_Paulo")
		}()
	}
	wg.Wait()
	for _, g := range got {
		if g != got[0] || g == nil {
			t.Fatal("concurrent Load returned different zones")
		}
	}
}

func TestDayStart(t *testing.T) {
	z := mustLoad(t, "America/Sao_Paulo")
	if got, want := z.DayStart(date(2018, 11, 4)), utc("2018-11-04T03:00:00Z"); got != want {
		t.Errorf("DayStart = %d, want %d", got, want)
	}
	p := mustLoad(t, "Europe/Paris")
	// The spring-forward day is 23 hours long, the fall-back day 25.
	if n := p.DayStart(date(2026, 3, 30)) - p.DayStart(date(2026, 3, 29)); n != 23*3600 {
		t.Errorf("2026-03-29 lasts %d s", n)
	}
	if n := p.DayStart(date(2026, 10, 26)) - p.DayStart(date(2026, 10, 25)); n != 25*3600 {
		t.Errorf("2026-10-25 lasts %d s", n)
	}
}

func TestNewNilPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(nil) did not panic")
		}
	}()
	New(nil)
}

func TestInstantDoesNotAllocate(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	z := mustLoad(t, "Europe/Paris")
	d := date(2026, 3, 29)
	var sink int64
	for _, tod := range []civil.TimeOfDay{hm(2, 30), hm(9, 0)} {
		if n := testing.AllocsPerRun(100, func() { sink += z.Instant(d, tod) }); n != 0 {
			t.Errorf("Instant allocates %v times", n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { d2, _ := z.Local(sink); sink += int64(d2) }); n != 0 {
		t.Errorf("Local allocates %v times", n)
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Every period of the table has the offset the time package reports at its
// first and last second, including across Go's leap-year ZoneBounds slip
// (America/New_York, 2040-12-31).
func TestTableMatchesTime(t *testing.T) {
	for _, name := range testZones {
		z := mustLoad(t, name)
		for i := 1; i < len(z.starts); i++ {
			end := z.limit
			if i+1 < len(z.starts) {
				end = z.starts[i+1]
			}
			for _, u := range []int64{z.starts[i], end - 1, z.starts[i] - 1} {
				_, off := time.Unix(u, 0).In(z.Location()).Zone()
				if got := z.Offset(u); got != off {
					t.Fatalf("%s Offset(%d) = %d, time says %d", name, u, got, off)
				}
			}
		}
	}
	ny := mustLoad(t, "America/New_York")
	for _, u := range []int64{utc("2040-12-30T23:59:59Z"), utc("2040-12-31T00:00:00Z"), utc("2041-01-01T00:00:00Z")} {
		if got := ny.Offset(u); got != -5*3600 {
			t.Errorf("New York offset at %d = %d", u, got)
		}
	}
	if n := len(ny.starts); n < 500 {
		t.Errorf("New York table has only %d periods up to 2200", n)
	}
}
