package agenda

import (
	"iter"
	"slices"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/recur"
	"github.com/crossagenda/crossagenda/internal/tz"
	"github.com/crossagenda/crossagenda/interval"
)

// Index is a compiled, immutable dataset that answers queries. It is safe
// for concurrent use by any number of goroutines: nothing in it changes
// after [New] returns.
//
// Internally, records are numbered by ascending id so that integer order is
// id order, instants are Unix seconds, and each agent owns sorted arrays of
// everything that makes them busy, whatever the organisation.
type Index struct {
	cfg  config
	zone *tz.Zone // the dataset's default zone

	orgs     []orgData
	places   []placeData
	services []serviceData
	agents   agentDir

	orgByID     map[string]int32
	placeByID   map[string]int32
	serviceByID map[string]int32
	agentByID   map[string]int32

	// closed holds, per organisation, the days it is closed.
	closed []*orgClosed
	// serviceAgents lists, per service, the agents with an opening period
	// offering it, ascending.
	serviceAgents [][]int32
	// collective lists, per collective service, its appointments sorted by
	// start then id.
	collective [][]*appt

	appointments int

	// records keeps the catalogue as given, for export and live updates.
	records records
}

// records are the dataset's records that the compiled form does not
// keep whole.
type records struct {
	timeZone         string
	organisations    []Organisation
	agents           []Agent
	places           []Place
	services         []Service
	closedDays       []ClosedDay // valid, in dataset order
	holidayCalendars []string
}

type orgData struct {
	id, name string
	zone     *tz.Zone
}

type placeData struct {
	id, name string
	org      int32
}

type serviceData struct {
	id, name   string
	org        int32
	duration   int64 // seconds
	minNotice  int64 // seconds
	maxNotice  int64 // seconds; 0 = none
	collective bool
	ids        []string // []string{id}, shared by the events of its appointments
	// bufBefore and bufAfter widen busy time before slots are cut, and
	// are copied onto the service's appointments (seconds).
	bufBefore, bufAfter int64
	step                int64 // seconds between candidate starts
	maxPerDay           int   // per agent and local day; 0 = no cap
}

// agentData is everything about one agent, across organisations. It is
// immutable once built.
type agentData struct {
	idx  int32
	id   string
	name string
	orgs []int32 // in the dataset's order: the first gives the default zone
	zone *tz.Zone
	// maxPerDay caps the blocking appointments of a local day of zone,
	// in all organisations; 0 = no cap.
	maxPerDay int

	openings []*opening // ascending id

	absences     *interval.Static[*absence] // one-off absences; never nil
	absRecurring []*absence                 // ascending id

	appts     apptIndex           // every appointment of the agent, by its own span
	busyFixed []interval.Interval // blocking appointments with their buffers and one-off absences, normalised

	holds []*hold // sorted by start, then id; expired ones may linger until the agent's next change

	calendars []*calendar // external calendars, ascending id
}

// span is an instant interval tied to the record it comes from.
type span struct {
	start, end int64
	abs        *absence
}

// apptIndex holds an agent's appointments by their own span: a base, an
// [interval.Static] after New or an [interval.Tree] once a [Live] has
// compacted its changes, and the changes since, kept apart (records added,
// base records removed) so that a change costs O(changes) instead of a
// copy of the base; snapshots share the base and never change. Past
// overlayMax changes, the next one compacts them into a new tree, O(n):
// O(n / overlayMax) a change in all. Queries cost O(log n + k) for k
// results, plus O(changes). The zero apptIndex is empty.
type apptIndex struct {
	static *interval.Static[*appt]
	tree   *interval.Tree[*appt]

	added   []*appt // not in the base
	removed []*appt // in the base, gone
}

// overlayMax bounds the changes an apptIndex keeps beside its base.
const overlayMax = 32

// appendOverlapping appends the appointments overlapping q, by start
// (then end).
func (x *apptIndex) appendOverlapping(dst []interval.Entry[*appt], q interval.Interval) []interval.Entry[*appt] {
	n := len(dst)
	switch {
	case x.tree != nil:
		dst = x.tree.AppendOverlapping(dst, q)
	case x.static != nil:
		dst = x.static.AppendOverlapping(dst, q)
	}
	if len(x.removed) > 0 {
		kept := slices.DeleteFunc(dst[n:], func(e interval.Entry[*appt]) bool { return slices.Contains(x.removed, e.Value) })
		dst = dst[:n+len(kept)]
	}
	base := len(dst)
	for _, r := range x.added {
		if sp := r.span(); sp.Start < q.End && q.Start < sp.End {
			dst = append(dst, interval.Entry[*appt]{Interval: sp, Value: r})
		}
	}
	if len(dst) > base {
		slices.SortStableFunc(dst[n:], func(a, b interval.Entry[*appt]) int { return interval.Compare(a.Interval, b.Interval) })
	}
	return dst
}

// all returns every appointment, in no particular order.
func (x *apptIndex) all() iter.Seq2[interval.Interval, *appt] {
	var base iter.Seq2[interval.Interval, *appt]
	switch {
	case x.tree != nil:
		base = x.tree.All()
	case x.static != nil:
		base = x.static.All()
	}
	return func(yield func(interval.Interval, *appt) bool) {
		if base != nil {
			for iv, r := range base {
				if len(x.removed) > 0 && slices.Contains(x.removed, r) {
					continue
				}
				if !yield(iv, r) {
					return
				}
			}
		}
		for _, r := range x.added {
			if !yield(r.span(), r) {
				return
			}
		}
	}
}

// withChange returns a copy of x with old removed and rec added (either
// may be nil): O(changes), or O(n) when it compacts them into a tree.
func (x *apptIndex) withChange(old, rec *appt) apptIndex {
	n := apptIndex{static: x.static, tree: x.tree}
	n.added = slices.Clone(x.added)
	n.removed = slices.Clone(x.removed)
	if old != nil {
		if i := slices.Index(n.added, old); i >= 0 {
			n.added = slices.Delete(n.added, i, i+1)
		} else {
			n.removed = append(n.removed, old)
		}
	}
	if rec != nil {
		n.added = append(n.added, rec)
	}
	if len(n.added)+len(n.removed) <= overlayMax {
		return n
	}
	t := &interval.Tree[*appt]{}
	for iv, r := range n.all() {
		t.Insert(iv, r)
	}
	return apptIndex{tree: t}
}

type opening struct {
	id         string
	agent      int32
	org        int32
	place      int32 // -1: no place
	services   []int32
	first      civil.Date
	start, end civil.TimeOfDay
	rule       *recur.Rule
	zone       *tz.Zone
	rec        OpeningPeriod // the record it was compiled from, for export
	serviceIDs []string      // the ids of services, shared by its events in agendas
}

// offers reports whether the opening offers service s.
func (o *opening) offers(s int32) bool {
	for _, x := range o.services {
		if x == s {
			return true
		}
	}
	return false
}

type absence struct {
	id                 string
	agent              int32
	start, end         civil.TimeOfDay
	rule               *recur.Rule // nil for a one-off absence
	onceStart, onceEnd int64       // a one-off absence's instants
	zone               *tz.Zone
	rec                Absence // the record it was compiled from, for export
}

type appt struct {
	id           string
	org          int32
	place        int32 // -1: none
	service      int32 // -1: none
	agents       []int32
	start, end   int64
	status       Status
	capacity     int32
	participants int32
	// bufBefore and bufAfter are the buffers the appointment blocks
	// around itself (seconds): each its own when the record has it
	// (ownBefore, ownAfter), else its service's. The two are separate so
	// that an export gives back exactly the fields the record had.
	bufBefore, bufAfter int64
	ownBefore, ownAfter bool
}

// blockStart and blockEnd bound the time the appointment blocks: its own
// span widened by its buffers.
func (a *appt) blockStart() int64 { return a.start - a.bufBefore }
func (a *appt) blockEnd() int64   { return a.end + a.bufAfter }

func (a *appt) blocking() bool { return a.status.Blocking() }

// span is the appointment's own span, without its buffers.
func (a *appt) span() interval.Interval { return interval.Interval{Start: a.start, End: a.end} }

// orgClosed lists the days one organisation is closed.
type orgClosed struct {
	days  []closedDay                  // ascending date, one per date
	index *interval.Static[*closedDay] // the same days, by time
	set   []interval.Interval          // the same days as instants, normalised
}

type closedDay struct {
	date  civil.Date
	id    string // the date, YYYY-MM-DD: the id of its events in agendas
	name  string
	start int64
	end   int64
}
