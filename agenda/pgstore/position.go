package pgstore

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Position is where a replica stands in the database's history: a
// PostgreSQL snapshot (pg_snapshot) of its last read of the change log.
// The replica's index holds exactly the changes of the transactions that
// snapshot sees as committed. The zero Position sees nothing.
type Position struct {
	snap snapshot
}

// Covers reports whether every transaction committed as of q is committed
// as of p: a replica at p has applied everything a replica at q has.
func (p Position) Covers(q Position) bool { return p.snap.covers(q.snap) }

// String is the snapshot in pg_snapshot's text form, xmin:xmax:xip,...
func (p Position) String() string { return p.snap.String() }

// snapshot is a pg_snapshot with xids as int64 (xid8 values, which stay
// below 2^63): every transaction below xmin has ended, those in xip were
// running, and those from xmax on had not ended.
type snapshot struct {
	xmin, xmax int64
	xip        []int64 // sorted
}

// parseSnapshot reads pg_snapshot's text output.
func parseSnapshot(s string) (snapshot, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return snapshot{}, fmt.Errorf("snapshot %q: want xmin:xmax:xip", s)
	}
	var out snapshot
	var err error
	if out.xmin, err = strconv.ParseInt(parts[0], 10, 64); err != nil {
		return snapshot{}, fmt.Errorf("snapshot %q: xmin: %w", s, err)
	}
	if out.xmax, err = strconv.ParseInt(parts[1], 10, 64); err != nil {
		return snapshot{}, fmt.Errorf("snapshot %q: xmax: %w", s, err)
	}
	if parts[2] != "" {
		for x := range strings.SplitSeq(parts[2], ",") {
			v, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				return snapshot{}, fmt.Errorf("snapshot %q: xip: %w", s, err)
			}
			out.xip = append(out.xip, v)
		}
		slices.Sort(out.xip)
	}
	if out.xmin > out.xmax {
		return snapshot{}, fmt.Errorf("snapshot %q: xmin after xmax", s)
	}
	return out, nil
}

// withRunning adds the transaction x to those the snapshot sees running:
// PostgreSQL leaves the reading transaction's own xid out of its
// snapshots, but other sessions see it running until it commits.
func (s snapshot) withRunning(x int64) snapshot {
	if x >= s.xmax {
		return s
	}
	if i, found := slices.BinarySearch(s.xip, x); !found {
		s.xip = slices.Insert(slices.Clone(s.xip), i, x)
	}
	s.xmin = min(s.xmin, x)
	return s
}

// visible reports whether the transaction x had ended as of s (committed,
// for a transaction whose rows exist).
func (s snapshot) visible(x int64) bool {
	if x < s.xmin {
		return true
	}
	if x >= s.xmax {
		return false
	}
	_, running := slices.BinarySearch(s.xip, x)
	return !running
}

// covers reports whether every transaction ended as of q has ended as of
// s: q's xmax is at most s's, and any transaction below q's xmax still
// running in s was running in q.
func (s snapshot) covers(q snapshot) bool {
	if q.xmax > s.xmax {
		return false
	}
	for _, x := range s.xip {
		if x >= q.xmax {
			break
		}
		if q.visible(x) {
			return false
		}
	}
	return true
}

// readArgs are the arguments of sqlChanges: the changes of transactions
// from xmax on, or running, as of s.
func (s snapshot) readArgs() []any {
	xip := s.xip
	if xip == nil {
		xip = []int64{}
	}
	return []any{s.xmax, xip, catchUpMax + 1}
}

func (s snapshot) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d:%d:", s.xmin, s.xmax)
	for i, x := range s.xip {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(x, 10))
	}
	return b.String()
}
