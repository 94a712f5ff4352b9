package pgstore

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The expected values of these tests come from the definition of a
// pg_snapshot, worked out by hand: every xid below xmin has ended, those
// in xip were running, every other xid from xmin up to xmax had ended,
// and xmax and above had not ended.

func snap(xmin, xmax int64, xip ...int64) snapshot { return snapshot{xmin: xmin, xmax: xmax, xip: xip} }

func sameSnapshot(a, b snapshot) bool {
	return a.xmin == b.xmin && a.xmax == b.xmax && slices.Equal(a.xip, b.xip)
}

func TestParseSnapshot(t *testing.T) {
	valid := []struct {
		in   string
		want snapshot
	}{
		{"10:20:", snap(10, 20)},
		{"10:10:", snap(10, 10)},
		{"10:20:12,15", snap(10, 20, 12, 15)},
		{"10:20:15,12", snap(10, 20, 12, 15)}, // xip sorted
		{"10:20:10", snap(10, 20, 10)},
		{"1:2:", snap(1, 2)},
		{"9223372036854775806:9223372036854775807:", snap(9223372036854775806, 9223372036854775807)},
	}
	for _, c := range valid {
		got, err := parseSnapshot(c.in)
		if err != nil {
			t.Errorf("parseSnapshot(%q): %v, want %v", c.in, err, c.want)
			continue
		}
		if !sameSnapshot(got, c.want) {
			t.Errorf("parseSnapshot(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
	// String of a hand-built snapshot, the text form PostgreSQL prints.
	for s, want := range map[string]snapshot{"10:20:": snap(10, 20), "10:20:12,15": snap(10, 20, 12, 15)} {
		if got := want.String(); got != s {
			t.Errorf("%+v.String() = %q, want %q", want, got, s)
		}
	}

	bad := []struct {
		in, part string // part: what the error must name
	}{
		{"", "want xmin:xmax:xip"},
		{"10:20", "want xmin:xmax:xip"},
		{"10:20:12:15", "want xmin:xmax:xip"},
		{"x:20:", "xmin"},
		{":20:", "xmin"},
		{"10:y:", "xmax"},
		{"10::", "xmax"},
		{"10:20:12,z", "xip"},
		{"10:20:12,", "xip"},
		{"10:20:,12", "xip"},
		{"10:20: 12", "xip"},
		{"20:10:", "xmin after xmax"},
		{"99999999999999999999:100:", "xmin"},
	}
	for _, c := range bad {
		got, err := parseSnapshot(c.in)
		if err == nil {
			t.Errorf("parseSnapshot(%q) = %+v, want an error naming %q", c.in, got, c.part)
			continue
		}
		if !strings.Contains(err.Error(), c.part) {
			t.Errorf("parseSnapshot(%q): error %q does not name %q", c.in, err, c.part)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("%q", c.in)) {
			t.Errorf("parseSnapshot(%q): error %q does not quote the input", c.in, err)
		}
	}
}

func TestSnapshotVisible(t *testing.T) {
	s := snap(10, 20, 12, 15)
	// By hand: below 10 ended; 12 and 15 running; 10, 11, 13, 14, 16..19
	// ended; 20 and above not ended.
	want := map[int64]bool{
		1: true, 9: true, 10: true, 11: true, 12: false, 13: true, 14: true, 15: false,
		16: true, 19: true, 20: false, 21: false, 1000: false,
	}
	for x, w := range want {
		if got := s.visible(x); got != w {
			t.Errorf("%s: visible(%d) = %v, want %v", s, x, got, w)
		}
	}
	empty := snap(7, 7)
	for x, w := range map[int64]bool{6: true, 7: false, 8: false} {
		if got := empty.visible(x); got != w {
			t.Errorf("%s: visible(%d) = %v, want %v", empty, x, got, w)
		}
	}
	var zero snapshot // the zero Position sees nothing from xid 0 on
	for _, x := range []int64{0, 1, 3, 1 << 40} {
		if zero.visible(x) {
			t.Errorf("the zero snapshot sees %d ended", x)
		}
	}
}

func TestSnapshotCovers(t *testing.T) {
	cases := []struct {
		name string
		s, q snapshot
		want bool // every xid ended in q has ended in s
	}{
		{"equal, empty xip", snap(10, 20), snap(10, 20), true},
		{"equal, with xip", snap(10, 20, 12, 15), snap(10, 20, 12, 15), true},
		{"zero covers zero", snapshot{}, snapshot{}, true},
		{"anything covers zero", snap(10, 20, 12), snapshot{}, true},
		{"zero covers nothing ended", snapshot{}, snap(3, 4), false},
		{"later xmax, nothing more running", snap(10, 25), snap(10, 20), true},
		{"earlier xmax", snap(10, 20), snap(10, 25), false},
		{"later: a running xid ended", snap(10, 20, 15), snap(10, 20, 12, 15), true},
		{"earlier: sees 12 running that the other saw ended", snap(10, 20, 12, 15), snap(10, 20, 15), false},
		{"later xmax, still running what q saw running", snap(12, 30, 12, 15, 22), snap(12, 20, 12, 15), true},
		// 22 is running in s but at or above q's xmax: q did not see it ended.
		{"running xid past q's xmax", snap(10, 30, 22), snap(10, 20), true},
		// 18 ended in q (between q's xmin and xmax, not in xip) but runs in s.
		{"running in s, ended in q", snap(10, 30, 18), snap(10, 20), false},
		// q's xmin 16: 14 had ended in q; s sees it running.
		{"running in s, below q's xmin", snap(14, 20, 14), snap(16, 20), false},
		{"xmin raised by ends", snap(16, 20), snap(10, 20, 10, 12, 15), true},
		{"xmin raised, one more running", snap(16, 21, 20), snap(10, 20, 10, 12, 15), true},
		// q saw 21 ended (between its xmin and xmax, not in its xip); s
		// sees it not ended, at or past its xmax.
		{"q's xmax past s's", snap(10, 20), snap(10, 22, 20), false},
	}
	for _, c := range cases {
		if got := c.s.covers(c.q); got != c.want {
			t.Errorf("%s: %s covers %s = %v, want %v", c.name, c.s, c.q, got, c.want)
		}
		if got := (Position{c.s}).Covers(Position{c.q}); got != c.want {
			t.Errorf("%s: Position %s Covers %s = %v, want %v", c.name, c.s, c.q, got, c.want)
		}
	}
}

func TestSnapshotWithRunning(t *testing.T) {
	cases := []struct {
		name string
		s    snapshot
		x    int64
		want snapshot
	}{
		{"at xmax: unchanged", snap(10, 20, 12), 20, snap(10, 20, 12)},
		{"past xmax: unchanged", snap(10, 20, 12), 25, snap(10, 20, 12)},
		{"between: added to xip", snap(10, 20, 12, 15), 13, snap(10, 20, 12, 13, 15)},
		{"last below xmax", snap(10, 20, 12), 19, snap(10, 20, 12, 19)},
		{"already running: unchanged", snap(10, 20, 12, 15), 15, snap(10, 20, 12, 15)},
		{"at xmin", snap(10, 20, 12), 10, snap(10, 20, 10, 12)},
		{"below xmin: lowers xmin", snap(16, 20, 17), 14, snap(14, 20, 14, 17)},
		{"empty xip, xmin = xmax", snap(20, 20), 19, snap(19, 20, 19)},
	}
	for _, c := range cases {
		orig := snapshot{xmin: c.s.xmin, xmax: c.s.xmax, xip: slices.Clone(c.s.xip)}
		got := c.s.withRunning(c.x)
		if !sameSnapshot(got, c.want) {
			t.Errorf("%s: %s withRunning(%d) = %s, want %s", c.name, c.s, c.x, got, c.want)
		}
		if !sameSnapshot(c.s, orig) {
			t.Errorf("%s: withRunning(%d) changed its receiver: %s, was %s", c.name, c.x, c.s, orig)
		}
		if c.x < c.s.xmax && got.visible(c.x) {
			t.Errorf("%s: after withRunning(%d), %d is still seen ended", c.name, c.x, c.x)
		}
	}
}

// snapModel is a history of transactions as PostgreSQL numbers them: each
// takes the next xid as it starts, and ends (commits or aborts) at some
// later step.
type snapModel struct {
	next     int64 // the next xid to assign
	running  map[int64]bool
	ended    map[int64]bool
	maxEnded int64 // the highest ended xid (latestCompletedXid)
	first    int64 // every xid below it ended before the history began
}

func newSnapModel(first int64) *snapModel {
	// Every xid below first has ended, first-1 last.
	return &snapModel{next: first, running: map[int64]bool{}, ended: map[int64]bool{}, maxEnded: first - 1, first: first}
}

func (m *snapModel) runningXids() []int64 {
	var xs []int64
	for x := range m.running {
		xs = append(xs, x)
	}
	slices.Sort(xs)
	return xs
}

func (m *snapModel) isEnded(x int64) bool { return x < m.first || m.ended[x] }

// take is pg_current_snapshot() as PostgreSQL computes it
// (GetSnapshotData): xmax is latestCompletedXid + 1; xip the running xids
// below xmax, but the caller's own; xmin the least of them, or xmax.
func (m *snapModel) take(own int64) snapshot {
	s := snapshot{xmax: m.maxEnded + 1}
	for x := range m.running {
		if x < s.xmax && x != own {
			s.xip = append(s.xip, x)
		}
	}
	slices.Sort(s.xip)
	s.xmin = s.xmax
	if len(s.xip) > 0 {
		s.xmin = s.xip[0]
	}
	return s
}

// endedSet is what the model has ended now, among xids 1..hi.
func (m *snapModel) endedSet(hi int64) map[int64]bool {
	out := map[int64]bool{}
	for x := int64(1); x <= hi; x++ {
		if m.isEnded(x) {
			out[x] = true
		}
	}
	return out
}

// TestSnapshotModel runs random histories of transactions, takes
// snapshots as PostgreSQL would, and checks visible, covers and
// withRunning against what the model knows had ended at each snapshot.
func TestSnapshotModel(t *testing.T) {
	var pairs, notCovered, withOwn int
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 42))
		m := newSnapModel(int64(3 + rng.IntN(1000)))
		type taken struct {
			step  int
			s     snapshot
			ended map[int64]bool // ended as of s, for every xid assigned by then and a few more
		}
		var snaps []taken
		steps := 20 + rng.IntN(80)
		var hi int64 // every xid the history will assign is below it
		for step := range steps {
			switch r := rng.IntN(10); {
			case r < 4 || len(m.running) == 0: // start
				m.running[m.next] = true
				m.next++
			case r < 8: // end a random running transaction
				xs := m.runningXids()
				x := xs[rng.IntN(len(xs))]
				delete(m.running, x)
				m.ended[x] = true
				m.maxEnded = max(m.maxEnded, x)
			default: // a snapshot
				snaps = append(snaps, taken{step: step, s: m.take(0), ended: m.endedSet(m.next + 5)})
				// A reader inside a transaction of its own: PostgreSQL
				// leaves its xid out; withRunning puts it back, giving
				// what any other session sees at that instant.
				if xs := m.runningXids(); len(xs) > 0 {
					own := xs[rng.IntN(len(xs))]
					inside, outside := m.take(own), m.take(0)
					if got := inside.withRunning(own); !sameSnapshot(got, outside) {
						t.Fatalf("seed %d step %d: %s withRunning(%d) = %s, want %s (as other sessions see it)",
							seed, step, inside, own, got, outside)
					}
					withOwn++
				}
			}
			hi = m.next + 5
		}
		// visible agrees with the model, for every xid around the history.
		for _, a := range snaps {
			for x := int64(1); x <= hi; x++ {
				want := a.ended[x] // xids past those assigned then: not ended
				if got := a.s.visible(x); got != want {
					t.Fatalf("seed %d step %d: %s visible(%d) = %v, the model says ended=%v", seed, a.step, a.s, x, got, want)
				}
			}
		}
		// covers(a, b) holds exactly when everything ended as of b had
		// ended as of a: a later snapshot covers an earlier one, and an
		// earlier one covers a later only if nothing ended in between.
		for i, a := range snaps {
			for j, b := range snaps {
				want := true
				for x := range b.ended {
					if !a.ended[x] {
						want = false
						break
					}
				}
				if i >= j && !want {
					t.Fatalf("seed %d: the model lost an ended xid between steps %d and %d", seed, b.step, a.step)
				}
				pairs++
				if !want {
					notCovered++
				}
				if got := a.s.covers(b.s); got != want {
					t.Fatalf("seed %d: snapshot of step %d %s covers that of step %d %s = %v, want %v",
						seed, a.step, a.s, b.step, b.s, got, want)
				}
			}
		}
	}
	t.Logf("%d pairs of snapshots, %d not covering (something ended in between), %d readers with an xid", pairs, notCovered, withOwn)
	if notCovered == 0 || notCovered == pairs || withOwn == 0 {
		t.Fatalf("the histories exercised too little: %d pairs, %d not covering, %d readers with an xid", pairs, notCovered, withOwn)
	}
}
