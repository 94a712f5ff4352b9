package recur

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/tz"
)

type dateutilCase struct {
	Rule    string `json:"rule"`
	DTStart string `json:"dtstart"`
	Zone    string `json:"zone"`
	From    string `json:"from"`
	To      string `json:"to"`
}

type dateutilResult struct {
	Error string   `json:"error"`
	Dates []string `json:"dates"`
	Unix  []int64  `json:"unix"`
}

// lookDateutil returns the python3 path, or skips the test when python3,
// dateutil or zoneinfo is missing.
func lookDateutil(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	if out, err := exec.Command(py, "-c", "import dateutil.rrule, zoneinfo; zoneinfo.ZoneInfo('Europe/Paris')").CombinedOutput(); err != nil {
		t.Skipf("python3 lacks dateutil or zoneinfo data: %s", out)
	}
	return py
}

func runDateutil(t *testing.T, py string, cases []dateutilCase) []dateutilResult {
	t.Helper()
	b, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "cases.json")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join("testdata", "expand_dateutil.py"), in)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	var res []dateutilResult
	if err := json.Unmarshal(out, &res); err != nil || len(res) != len(cases) {
		t.Fatalf("decoding %d results for %d cases: %v", len(res), len(cases), err)
	}
	return res
}

// dstZones are the zones whose instants are compared with zoneinfo.
var dstZones = []string{"Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"}

// TestAgainstDateutil compares dates with python-dateutil for random rules
// (a fifth of them focused on BYWEEKNO) and, for
// rules in zones with daylight saving expanded across its changes, the
// instant of every occurrence with zoneinfo's (fold=0). One python3 process
// expands the whole batch.
func TestAgainstDateutil(t *testing.T) {
	py := lookDateutil(t)
	const seed = 2026
	rng := rand.New(rand.NewPCG(seed, seed))
	n := 1500
	if testing.Short() {
		n = 300
	}
	type item struct {
		g        *genRule
		zone     string
		from, to civil.Date
	}
	var items []item
	var cases []dateutilCase
	weekno, diverged := 0, 0
	for len(items) < n+n/4 {
		g := newGenRule(rng, true)
		zone := ""
		if g.until == untilUTC || rng.IntN(3) == 0 {
			zone = pick(rng, dstZones)
		}
		if g.byweekno != nil {
			// Week numbers owe nothing to the zone, and with a naive
			// DTSTART the oracle reads UNTIL as a date and a time.
			zone = ""
			if g.until == untilUTC {
				g.until = untilFloating
			}
		}
		if zone == "" && g.until == untilUTC {
			continue
		}
		if zone != "" && g.until != untilNone && g.until != untilUTC {
			g.until = untilNone // dateutil wants a UTC UNTIL with an aware DTSTART
		}
		var from, to civil.Date
		if len(items) >= n {
			// Then rules focused on BYWEEKNO, on windows across New Years.
			g, zone = newWeeknoRule(rng), ""
			if g.until == untilUTC {
				g.until = untilFloating
			}
			from, to = weeknoWindow(rng, g)
		} else if zone != "" && rng.IntN(2) == 0 {
			// A window across a daylight-saving change, at a time of day
			// that the change skips or repeats in some of the zones.
			g.freq = pick(rng, []freq{daily, weekly, daily})
			g.bymonthday, g.byyearday, g.byweekno = nil, nil, nil
			for i := range g.byday {
				g.byday[i].n = 0
			}
			if g.byday == nil && g.bymonth == nil {
				g.bysetpos = nil
			}
			g.start = pick(rng, []civil.TimeOfDay{2*3600 + 30*60, 2*3600 + 15*60, 1*3600 + 30*60, 0, 9 * 3600})
			if g.freq == daily && rng.IntN(4) > 0 {
				g.interval, g.byday, g.bymonth, g.bysetpos = 0, nil, nil, nil
			}
			y, _, _ := g.first.YMD()
			z, _ := tz.Load(zone)
			changes := dstChanges(z, y+rng.IntN(3))
			if len(changes) == 0 {
				changes = []civil.Date{g.first + civil.Date(rng.IntN(1000))}
			}
			c := pick(rng, changes)
			from, to = c-civil.Date(rng.IntN(10)), c+civil.Date(1+rng.IntN(10))
		} else {
			from = g.first + civil.Date(rng.IntN(4*366)) - 100
			to = from + civil.Date(rng.IntN(120))
		}
		var s Spec = g.spec()
		s.Zone, _ = tz.Load(zone)
		r, err := Compile(s)
		if err != nil {
			t.Fatalf("%v: %v", g, err)
		}
		if r.empty {
			// dateutil scans to the year 9999 for a rule that never matches.
			continue
		}
		items = append(items, item{g, zone, from, to})
		h, m, sec := g.start.Clock()
		cases = append(cases, dateutilCase{
			Rule:    g.text(true),
			DTStart: fmt.Sprintf("%sT%02d:%02d:%02d", g.first, h, m, sec),
			Zone:    zone,
			From:    from.String(),
			To:      to.String(),
		})
	}
	res := runDateutil(t, py, cases)
	instants, skipped, dstDays := 0, 0, 0
	for i, it := range items {
		if res[i].Error != "" {
			t.Errorf("%v: dateutil error %s", it.g, res[i].Error)
			continue
		}
		var want []civil.Date
		var wantUnix []int64
		for j, s := range res[i].Dates {
			if dd := d(s); !it.g.hasUntil || dd <= it.g.specEnd {
				want = append(want, dd)
				if it.zone != "" {
					wantUnix = append(wantUnix, res[i].Unix[j])
				}
			}
		}
		if it.g.byweekno != nil {
			// dateutil departs from the week numbering (doc.go): it must
			// agree with the oracle made to depart the same way, and the
			// rule with the oracle as it should be.
			weekno++
			if q := weeknoOracle(it.g, it.from, it.to, true); !sameDates(q, want) {
				t.Errorf("%v window [%s, %s)\ndateutil %s\n  oracle %s (with dateutil's quirks)", it.g, it.from, it.to, datesString(want), datesString(q))
				continue
			}
			if pure := weeknoOracle(it.g, it.from, it.to, false); !sameDates(pure, want) {
				want = pure
				diverged++
			}
		}
		s := it.g.spec()
		s.Zone, _ = tz.Load(it.zone)
		r, _ := Compile(s)
		got := expand(t, r, it.from, it.to)
		if !sameDates(got, want) {
			t.Errorf("%v zone=%q window [%s, %s)\n got %s\nwant %s (dateutil)", it.g, it.zone, it.from, it.to, datesString(got), datesString(want))
			continue
		}
		for j, dd := range got {
			if it.zone == "" {
				break
			}
			instants++
			u := s.Zone.Instant(dd, it.g.start)
			if s.Zone.DayStart(dd+1)-s.Zone.DayStart(dd) != 86400 {
				dstDays++
			}
			if ld, lt := s.Zone.Local(u); ld != dd || lt != it.g.start {
				skipped++ // a time the clocks jumped over
			}
			if u != wantUnix[j] {
				t.Errorf("%v zone=%s: %s %s: Instant %v, zoneinfo %v", it.g, it.zone, dd, it.g.start,
					time.Unix(u, 0).In(s.Zone.Location()), time.Unix(wantUnix[j], 0).In(s.Zone.Location()))
			}
		}
	}
	t.Logf("%d rules compared with dateutil (%d with BYWEEKNO, %d where its week numbering departs), %d instants with zoneinfo (%d on days of a daylight-saving change, %d in its gap)",
		len(items), weekno, diverged, instants, dstDays, skipped)
	if !testing.Short() && diverged < 5 {
		t.Error("too few rules where dateutil's week numbering departs: the generator misses the case")
	}
	if dstDays < 20 || !testing.Short() && skipped < 10 {
		t.Error("too few occurrences on daylight-saving changes: the generator misses the case")
	}
}

// dstChanges returns the days of year y on which z's clocks change.
func dstChanges(z *tz.Zone, y int) []civil.Date {
	var out []civil.Date
	for dd := civil.DateOf(y, 1, 1); dd < civil.DateOf(y+1, 1, 1); dd++ {
		if z.DayStart(dd+1)-z.DayStart(dd) != 86400 {
			out = append(out, dd)
		}
	}
	return out
}
