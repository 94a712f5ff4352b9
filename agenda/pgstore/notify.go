package pgstore

import (
	"slices"
	"sync"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// storeWatchers are the OnChange callbacks, registered on the current
// Live index and moved to the next one when the Store reloads.
type storeWatchers struct {
	mu   sync.Mutex
	list []*storeWatcher
}

type storeWatcher struct {
	fn   func(agenda.Change)
	stop func() // its registration on the current Live
}

// OnChange registers fn, called after each change the index applies: this
// Store's own writes and the changes it follows from the database, with
// the agents and the time range they touched (see [agenda.Live.OnChange],
// whose rules fn must follow: quick, and no writes). After a reload, which
// replaces the whole index, fn is told that every agent changed, without
// bounds. stop unregisters fn. An HTTP server passes the Store to its
// event fan-out (httpapi.NewEvents) as it would a Live.
func (s *Store) OnChange(fn func(agenda.Change)) (stop func()) {
	w := &storeWatcher{fn: fn}
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	w.stop = s.live.Load().OnChange(fn)
	s.watch.list = append(s.watch.list, w)
	return func() {
		s.watch.mu.Lock()
		defer s.watch.mu.Unlock()
		w.stop()
		s.watch.list = slices.DeleteFunc(s.watch.list, func(x *storeWatcher) bool { return x == w })
	}
}

// rewatch moves the callbacks to live, the index a reload has just
// published, and tells them that every agent may have changed.
func (s *Store) rewatch(live *agenda.Live) {
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	if len(s.watch.list) == 0 {
		return
	}
	var all agenda.Change
	for _, a := range live.Snapshot().Dataset().Agents {
		all.AgentIDs = append(all.AgentIDs, a.ID)
	}
	for _, w := range s.watch.list {
		w.stop()
		w.stop = live.OnChange(w.fn)
		w.fn(all)
	}
}

// holdExpirySlack is how long after a hold's expiry the callbacks are
// told, so that the index's clock has passed it.
const holdExpirySlack = 50 * time.Millisecond

// tellExpiry tells the OnChange callbacks when the hold a, applied to the
// index, expires: an expiry changes no row, so neither the log nor the
// index would say it, and a page following another replica would show
// the hold until it reloads. One timer per hold applied, on real time
// from the index's clock's reading now; after Close it tells nobody. A
// hold released or confirmed first is told again, which costs a
// subscriber one needless refresh.
func (s *Store) tellExpiry(a agenda.Appointment, expires time.Time) {
	d := max(expires.Sub(s.Snapshot().Now()), 0) + holdExpirySlack
	change := agenda.Change{AgentIDs: slices.Clone(a.AgentIDs), From: a.Start, To: a.End}
	time.AfterFunc(d, func() {
		select {
		case <-s.done:
			return
		default:
		}
		s.watch.mu.Lock()
		defer s.watch.mu.Unlock()
		for _, w := range s.watch.list {
			w.fn(change)
		}
	})
}
