package recur

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// FuzzCompile feeds arbitrary rule text to Compile: it must never panic,
// and an accepted rule must expand consistently: [a, c) is [a, b) then
// [b, c), ascending, inside its bounds, and Next, Prev and Between agree
// with AppendBetween.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"FREQ=DAILY", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=12",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
		"FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "FREQ=YEARLY;BYYEARDAY=-1,100;UNTIL=20301231T235959Z",
		"FREQ=WEEKLY;WKST=SU;BYDAY=SU,TU;INTERVAL=2;UNTIL=20270101", "FREQ=MONTHLY;BYDAY=FR,1TU",
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;BYDAY=-6MO", "", "FREQ=DAILY;;", "freq=daily;count=3",
		"FREQ=YEARLY;BYWEEKNO=53", "FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO,SU;WKST=SU;BYSETPOS=-1",
		"FREQ=YEARLY;INTERVAL=3;BYWEEKNO=-53,52;BYMONTH=1,12;BYDAY=SA;COUNT=20",
		"FREQ=YEARLY;BYWEEKNO=1;BYMONTHDAY=1,-1;UNTIL=20400101",
		"FREQ=DAILY;BYHOUR=9,14;COUNT=5", "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=17,8;BYMINUTE=30,0;UNTIL=20260603T120000Z",
		"FREQ=MONTHLY;BYDAY=-1FR;BYMINUTE=0,45;BYSECOND=0;COUNT=7", "FREQ=DAILY;BYHOUR=0,23;UNTIL=20300101T000000",
		"FREQ=HOURLY;INTERVAL=5;COUNT=30", "FREQ=HOURLY;BYHOUR=9,17;BYMINUTE=0,30;BYDAY=MO,FR;UNTIL=20300101T000000Z",
		"FREQ=MINUTELY;INTERVAL=45;BYHOUR=8,9,10;COUNT=100", "FREQ=HOURLY;INTERVAL=7;BYHOUR=3;COUNT=50",
	} {
		f.Add(s, int32(20000), int32(9*3600), int32(100), int32(30), int32(60))
	}
	f.Fuzz(func(t *testing.T, rule string, first, start, a, ab, bc int32) {
		spec := Spec{RRule: rule, First: civil.Date(first), Start: civil.TimeOfDay(start), MaxCount: 500, Times: true}
		r, err := Compile(spec)
		if err != nil {
			return
		}
		from := civil.Date(first) - 50 + civil.Date(a%4000)
		mid := from + civil.Date(uint32(ab)%400)
		to := mid + civil.Date(uint32(bc)%400)
		all, err1 := r.AppendBetween(nil, from, to, 0)
		left, err2 := r.AppendBetween(nil, from, mid, 0)
		right, err3 := r.AppendBetween(nil, mid, to, 0)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("errors %v %v %v", err1, err2, err3)
		}
		if !slices.Equal(all, append(left, right...)) {
			t.Fatalf("%q: [%s,%s) = %v, but [%s,%s)+[%s,%s) = %v + %v", rule, from, to, all, from, mid, mid, to, left, right)
		}
		fo, lo, bounded := r.Bounds()
		for i, dd := range all {
			if dd < from || dd >= to || dd < spec.First || (i > 0 && dd <= all[i-1]) || dd < fo || (bounded && dd > lo) {
				t.Fatalf("%q: occurrence %s out of order or bounds in %v (bounds %s..%s %v)", rule, dd, all, fo, lo, bounded)
			}
		}
		for _, dd := range all {
			// A date of an HOURLY or MINUTELY grid may hold no instance.
			u := strings.ToUpper(rule)
			grid := strings.Contains(u, "FREQ=HOURLY") || strings.Contains(u, "FREQ=MINUTELY")
			if ts := r.AppendTimes(nil, dd); (len(ts) == 0 && !grid) || !slices.IsSorted(ts) || (len(ts) > 0 && dd == spec.First && ts[0] < spec.Start) {
				t.Fatalf("%q: times %v on occurrence %s", rule, ts, dd)
			}
		}
		var seq []civil.Date
		for dd := range r.Between(from, to) {
			seq = append(seq, dd)
		}
		if !slices.Equal(seq, all) {
			t.Fatalf("%q: Between %v, AppendBetween %v", rule, seq, all)
		}
		n, ok := r.Next(from)
		switch {
		case len(all) > 0 && (!ok || n != all[0]):
			t.Fatalf("%q: Next(%s) = %s %v, want %s", rule, from, n, ok, all[0])
		case len(all) == 0 && ok && n < to:
			t.Fatalf("%q: Next(%s) = %s inside an empty window", rule, from, n)
		}
		p, ok := r.Prev(to)
		switch {
		case len(all) > 0 && (!ok || p != all[len(all)-1]):
			t.Fatalf("%q: Prev(%s) = %s %v, want %s", rule, to, p, ok, all[len(all)-1])
		case len(all) == 0 && ok && p >= from:
			t.Fatalf("%q: Prev(%s) = %s inside an empty window", rule, to, p)
		}
	})
}

// byteSource is a rand.Source reading the fuzzer's bytes, so that mutating
// a byte changes one choice of the rule generator, and then a fixed PCG
// (an all-zero source would stall rand's rejection sampling).
type byteSource struct {
	b    []byte
	rest rand.PCG
}

func (s *byteSource) Uint64() uint64 {
	if len(s.b) < 8 {
		return s.rest.Uint64()
	}
	v := binary.LittleEndian.Uint64(s.b)
	s.b = s.b[8:]
	return v
}

// FuzzAgainstRRuleGo decodes a rule and a window from the fuzzer's bytes
// with the same generators as TestAgainstRRuleGo (the first byte chooses
// newWeeknoRule one time in four) and compares every query with rrule-go.
func FuzzAgainstRRuleGo(f *testing.F) {
	for i := range 16 {
		seed := make([]byte, 64)
		for j := range seed {
			seed[j] = byte(i*31 + j*7)
		}
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		weekno := len(data) > 0 && data[0]%4 == 0
		if len(data) > 0 {
			data = data[1:]
		}
		rng := rand.New(&byteSource{b: data, rest: *rand.NewPCG(uint64(len(data)), 0)})
		var g *genRule
		var from, to civil.Date
		if weekno {
			g = newWeeknoRule(rng)
			from, to = weeknoWindow(rng, g)
		} else {
			g = newGenRule(rng, true)
			from, to = window(rng, g)
		}
		checkAgainstRRuleGo(t, g, from, to)
	})
}
