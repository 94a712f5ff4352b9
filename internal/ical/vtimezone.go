package ical

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/recur"
	"github.com/crossagenda/crossagenda/internal/tz"
)

// A VTIMEZONE whose TZID names no known zone (Outlook's "Customized Time
// Zone", a display name such as "(UTC+01:00) Brussels, Copenhagen, Madrid,
// Paris") is mapped by its rules: its UTC offsets, computed from its
// STANDARD and DAYLIGHT observances, are compared with those of the IANA
// zones of CLDR's Windows table over the years probeFrom to probeTo, at
// every onset of the VTIMEZONE and of the candidate, and twice a year;
// the first candidate that agrees everywhere stands for it. A VTIMEZONE no
// candidate matches is an error naming it.
const (
	probeFrom = 2010
	probeTo   = 2040
)

// observance is one STANDARD or DAYLIGHT component: from its onsets (local
// times in offset from), the offset is to.
type observance struct {
	from, to int // seconds east of UTC
	onsets   []int64
}

// vtimezoneOffsets computes the observances' onsets in the probe years.
func vtimezoneOffsets(c *goical.Component) ([]observance, error) {
	var obs []observance
	for _, sub := range c.Children {
		if sub.Name != "STANDARD" && sub.Name != "DAYLIGHT" {
			continue
		}
		var o observance
		var err error
		if o.from, err = utcOffset(sub.Props.Get("TZOFFSETFROM")); err != nil {
			return nil, fmt.Errorf("%s TZOFFSETFROM: %w", sub.Name, err)
		}
		if o.to, err = utcOffset(sub.Props.Get("TZOFFSETTO")); err != nil {
			return nil, fmt.Errorf("%s TZOFFSETTO: %w", sub.Name, err)
		}
		ds := sub.Props.Get(goical.PropDateTimeStart)
		if ds == nil {
			return nil, fmt.Errorf("%s DTSTART is missing", sub.Name)
		}
		fixed := tz.New(time.FixedZone("", o.from))
		w, err := parseWhen(ds.Value, "", nil, fixed)
		if err != nil || w.isDate {
			return nil, fmt.Errorf("%s DTSTART %q is not a local DATE-TIME", sub.Name, ds.Value)
		}
		lo, hi := civil.DateOf(probeFrom-1, 1, 1), civil.DateOf(probeTo+1, 1, 1)
		if rr := sub.Props.Get(goical.PropRecurrenceRule); rr != nil {
			r, err := recur.Compile(recur.Spec{RRule: rr.Value, First: w.date, Start: w.tod, Zone: fixed})
			if err != nil {
				return nil, fmt.Errorf("%s RRULE: %w", sub.Name, err)
			}
			dates, err := r.AppendBetween(nil, lo, hi, maxOnsets)
			if err != nil {
				return nil, fmt.Errorf("%s RRULE: %w", sub.Name, err)
			}
			for _, d := range dates {
				o.onsets = append(o.onsets, fixed.Instant(d, w.tod))
			}
		}
		if w.date >= lo && w.date < hi || len(o.onsets) == 0 {
			o.onsets = append(o.onsets, w.instant())
		}
		for _, p := range sub.Props.Values(goical.PropRecurrenceDates) {
			for v := range strings.SplitSeq(p.Value, ",") {
				if rw, err := parseWhen(v, "", nil, fixed); err == nil && !rw.isDate {
					o.onsets = append(o.onsets, rw.instant())
				}
			}
		}
		obs = append(obs, o)
	}
	if len(obs) == 0 {
		return nil, fmt.Errorf("no STANDARD or DAYLIGHT observance")
	}
	n := 0
	for _, o := range obs {
		n += len(o.onsets)
	}
	if n > maxOnsets {
		return nil, fmt.Errorf("more than %d changes of offset from %d to %d: no zone has that many", maxOnsets, probeFrom, probeTo)
	}
	return obs, nil
}

// maxOnsets bounds the changes of offset a VTIMEZONE may have in the probe
// years (real zones have two a year at most), so that matching it costs
// little whatever it says.
const maxOnsets = 4 * (probeTo - probeFrom + 3)

// maxMatched bounds the VTIMEZONEs of one calendar matched by their rules.
const maxMatched = 10

// offsetAt is the VTIMEZONE's offset at instant u: that of the latest onset
// at or before u, else the earliest observance's offset from.
func offsetAt(obs []observance, u int64) int {
	best, bestAt := -1, int64(0)
	first, firstAt := 0, int64(1<<62)
	for i, o := range obs {
		for _, t := range o.onsets {
			if t <= u && (best < 0 || t > bestAt) {
				best, bestAt = i, t
			}
			if t < firstAt {
				first, firstAt = i, t
			}
		}
	}
	if best < 0 {
		return obs[first].from
	}
	return obs[best].to
}

// matchVTimezone returns the IANA zone whose offsets agree with c's.
func matchVTimezone(c *goical.Component) (*tz.Zone, error) {
	obs, err := vtimezoneOffsets(c)
	if err != nil {
		return nil, err
	}
	var probes []int64
	for _, o := range obs {
		for _, t := range o.onsets {
			probes = append(probes, t-1, t, t+3600)
		}
	}
	for y := probeFrom; y <= probeTo; y++ {
		probes = append(probes, time.Date(y, 1, 15, 12, 0, 0, 0, time.UTC).Unix(), time.Date(y, 7, 15, 12, 0, 0, 0, time.UTC).Unix())
	}
	slices.Sort(probes)
	lo, hi := time.Date(probeFrom, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(probeTo+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for _, name := range candidateZones() {
		z, err := tz.Load(name)
		if err != nil {
			continue
		}
		ok := true
		for _, u := range probes {
			if u >= lo && u < hi && z.Offset(u) != offsetAt(obs, u) {
				ok = false
				break
			}
		}
		// The candidate's own changes must be the VTIMEZONE's too. At most
		// a few per year: the walk is bounded, and steps a day when the
		// library gives no later end.
		for u, n := lo, 0; ok && u < hi && n < 1000; n++ {
			_, end := time.Unix(u, 0).In(z.Location()).ZoneBounds()
			if end.IsZero() || end.Unix() >= hi {
				break
			}
			if end.Unix() <= u {
				u += 86400
				continue
			}
			u = end.Unix()
			ok = z.Offset(u) == offsetAt(obs, u) && z.Offset(u-1) == offsetAt(obs, u-1)
		}
		if ok {
			return z, nil
		}
	}
	return nil, fmt.Errorf("no IANA zone has its offsets from %d to %d", probeFrom, probeTo)
}

// candidateZones are the IANA zones of CLDR's Windows table, in a fixed
// order (by Windows name).
func candidateZones() []string {
	names := make([]string, 0, len(windowsZones))
	for n := range windowsZones {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, n := range names {
		if z := windowsZones[n]; !slices.Contains(out, z) {
			out = append(out, z)
		}
	}
	return out
}

// utcOffset reads a UTC-OFFSET value: +HHMM, -HHMM or with seconds.
func utcOffset(p *goical.Prop) (int, error) {
	if p == nil {
		return 0, fmt.Errorf("missing")
	}
	v := strings.TrimSpace(p.Value)
	if len(v) != 5 && len(v) != 7 || (v[0] != '+' && v[0] != '-') {
		return 0, fmt.Errorf("%q is not a UTC offset (+HHMM)", v)
	}
	h, ok1 := digits(v[1:3])
	m, ok2 := digits(v[3:5])
	s, ok3 := 0, true
	if len(v) == 7 {
		s, ok3 = digits(v[5:7])
	}
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || s > 59 {
		return 0, fmt.Errorf("%q is not a UTC offset (+HHMM)", v)
	}
	off := h*3600 + m*60 + s
	if v[0] == '-' {
		off = -off
	}
	return off, nil
}
