package gen

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/teambition/rrule-go"
)

func TestDayAgainstTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		tm := time.Unix(rng.Int64N(200*365*86400)-100*365*86400, 0).UTC()
		d := dayOf(tm.Date())
		assert.Equal(t, day(floorDiv(int(tm.Unix()), 86400)), d, "%v", tm)
		y, m, dd := d.civil()
		ty, tmo, tdd := tm.Date()
		assert.Equal(t, [3]int{ty, int(tmo), tdd}, [3]int{y, int(m), dd})
		assert.Equal(t, tm.Weekday(), d.weekday(), "%v", tm)
		assert.Equal(t, tm.Format(time.DateOnly), d.String())
		assert.Equal(t, tm.Format("20060102"), d.rfcDate())
		assert.Equal(t, time.Date(ty, tmo+1, 0, 0, 0, 0, 0, time.UTC).Day(), daysIn(y, m))
	}
}

func TestEaster(t *testing.T) {
	// Published dates of Western Easter Sunday.
	for _, want := range []string{"2000-04-23", "2019-04-21", "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2038-04-25"} {
		y, _ := time.Parse(time.DateOnly, want)
		assert.Equal(t, want, easter(y.Year()).String())
	}
	assert.Equal(t, "2026-05-14", frHolidays(2026)[4].String(), "Ascension 2026")
	assert.Equal(t, "2027-05-17", frHolidays(2027)[5].String(), "Whit Monday 2027")
}

func TestClockFormats(t *testing.T) {
	assert.Equal(t, "09:05", hhmm(9*60+5))
	assert.Equal(t, "24:00", hhmm(1440))
	assert.Equal(t, "02:30:07", hhmmss(2*3600+30*60+7))
	assert.Equal(t, "24:00:00", hhmmss(86400))
	assert.Equal(t, 2*3600+30*60+7, parseClock("02:30:07"))
	assert.Equal(t, 86400, parseClock("24:00"))
}

// TestRuleAgainstRRuleGo holds the generator's own occurrence arithmetic
// against rrule-go for random rules of the shapes it generates.
func TestRuleAgainstRRuleGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 400
	if testing.Short() {
		n = 60
	}
	from := dayOf(2024, time.January, 1)
	w := newWindow(from, from+800)
	for i := range n {
		r := rule{interval: 1, until: maxDay}
		switch rng.IntN(4) {
		case 0:
			r.kind = ruleWeekly
			r.mask = uint8(1 + rng.IntN(127))
			r.interval = 1 + rng.IntN(3)
		case 1:
			r.kind = ruleMonthlyNth
			r.wd = time.Weekday(rng.IntN(7))
			r.nth = []int{1, 2, 3, 4, -1}[rng.IntN(5)]
		case 2:
			r.kind = ruleMonthlyDay
			r.mday = 1 + rng.IntN(28)
		case 3:
			r.kind = ruleOnce
		}
		first := from - 1000 + day(rng.IntN(1500))
		if r.kind == ruleOnce {
			r.first = first
		} else {
			r.align(first)
		}
		if rng.IntN(3) == 0 {
			r.until = r.first + day(rng.IntN(1000))
		}
		var want []string
		if r.kind == ruleOnce {
			if w.contains(r.first) {
				want = append(want, r.first.String())
			}
		} else {
			opt, err := rrule.StrToROption(r.rrule())
			if !assert.NoError(t, err, r.rrule()) {
				continue
			}
			y, m, d := r.first.civil()
			opt.Dtstart = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
			if r.until != maxDay {
				uy, um, ud := r.until.civil()
				opt.Until = time.Date(uy, um, ud, 0, 0, 0, 0, time.UTC)
			}
			rr, err := rrule.NewRRule(*opt)
			if !assert.NoError(t, err) {
				continue
			}
			for _, tm := range rr.Between(w.start.at(0, time.UTC), (w.end-1).at(0, time.UTC), true) {
				want = append(want, tm.Format(time.DateOnly))
			}
		}
		var got, gotSlow []string
		for di := range w.n {
			if r.matchesIn(&w, di) {
				got = append(got, w.day(di).String())
			}
			if r.matches(w.day(di)) {
				gotSlow = append(gotSlow, w.day(di).String())
			}
		}
		assert.Equal(t, want, got, "case %d: %s first %s until %s", i, r.rrule(), r.first, r.until)
		assert.Equal(t, got, gotSlow, "case %d", i)
	}
}

func TestWalkStats(t *testing.T) {
	steps, cov := walkStats(180, []int{30})
	assert.InDelta(t, 6, steps, 1e-9)
	assert.InDelta(t, 1, cov, 1e-9)
	// Against a simulation of the walk.
	rng := rand.New(rand.NewPCG(5, 6))
	durs := []int{45, 20, 30}
	var n, covered float64
	const runs = 200_000
	for range runs {
		for c := 0; ; {
			d := durs[rng.IntN(len(durs))]
			if c+d > 200 {
				d = 20
				if c+d > 200 {
					break
				}
			}
			c += d
			n++
			covered += float64(d)
		}
	}
	steps, cov = walkStats(200, durs)
	assert.InDelta(t, n/runs, steps, 0.02)
	assert.InDelta(t, covered/runs/200, cov, 0.002)
}
