package pgstore

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestCarriersGatherAnsweredCallers guards the carriers' yield
// (carryBookings) without a database: callers that book again as soon as
// they are answered, eight at once, share transactions several at a
// time. A transaction here is a sleep, as long as a commit's round trip.
// With one processor for Go code, what the yield lets run first does not
// depend on the machine's load (benchmarks/README.md has the counts with
// and without the yield). It relies on how the runtime schedules, not on
// anything Gosched documents: the callers a carrier readies run before
// the carrier, which Gosched puts on the global run queue.
func TestCarriersGatherAnsweredCallers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	s := &Store{cfg: Config{BookingTransactions: 2}}
	s.testSend = func(_ context.Context, batch []*bookReq) ([]bookOutcome, error) {
		time.Sleep(300 * time.Microsecond)
		outs := make([]bookOutcome, len(batch))
		for i := range outs {
			outs[i].inserted = true
		}
		return outs, nil
	}
	const callers, each = 8, 100
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for range each {
				r := &bookReq{ctx: context.Background(), agent: fmt.Sprint(c), done: make(chan bookOutcome, 1)}
				s.submitBooking(r)
				if o := <-r.done; !o.inserted || o.err != nil {
					t.Errorf("outcome %+v", o)
					return
				}
			}
		})
	}
	wg.Wait()
	carried, txs := s.combinedBookings.Load(), s.bookingTxs.Load()
	assert.Equal(t, int64(callers*each), carried)
	// Every booking is answered; the carriers then find the queue empty
	// and stop.
	eventually(t, "the carriers stop", func() bool {
		s.combined.mu.Lock()
		defer s.combined.mu.Unlock()
		return s.combined.running == 0 && len(s.combined.queue) == 0
	})
	perTx := float64(carried) / float64(txs)
	t.Logf("%d bookings carried by %d transactions: %.2f each", carried, txs, perTx)
	assert.GreaterOrEqual(t, perTx, 3.0, "bookings per transaction")
}

// TestBookingTransactionsWhileOthersWrite: by default a Store keeps two
// booking transactions in flight, one while it hears another Store's
// notifications, and two again a second after the last; a configured
// number holds whatever it hears.
func TestBookingTransactionsWhileOthersWrite(t *testing.T) {
	const schema = "crossagenda"
	// mostInFlight books from eight callers against a stand-in
	// transaction and returns the most transactions in flight at once;
	// hearing, another Store notifies at each transaction.
	mostInFlight := func(s *Store, hearing bool) int64 {
		var inFlight, most atomic.Int64
		s.testSend = func(_ context.Context, batch []*bookReq) ([]bookOutcome, error) {
			if hearing {
				s.mustRead(schema+" other", schema)
			}
			n := inFlight.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(300 * time.Microsecond)
			inFlight.Add(-1)
			outs := make([]bookOutcome, len(batch))
			for i := range outs {
				outs[i].inserted = true
			}
			return outs, nil
		}
		var wg sync.WaitGroup
		for c := range 8 {
			wg.Go(func() {
				for range 50 {
					r := &bookReq{ctx: context.Background(), agent: fmt.Sprint(c), done: make(chan bookOutcome, 1)}
					s.submitBooking(r)
					if o := <-r.done; o.err != nil {
						t.Error(o.err)
						return
					}
				}
			})
		}
		wg.Wait()
		return most.Load()
	}

	s := &Store{id: "self", opened: time.Now()}
	assert.Equal(t, 2, s.bookingTransactions(), "alone")
	assert.Equal(t, int64(2), mostInFlight(s, false), "alone")

	assert.True(t, s.mustRead(schema+" other", schema))
	assert.Equal(t, 1, s.bookingTransactions(), "hearing another Store")
	assert.Equal(t, int64(1), mostInFlight(s, true), "hearing another Store")

	assert.False(t, s.mustRead(schema+" self", schema), "its own notification")
	assert.True(t, s.mustRead(schema, schema), "a trigger's notification")
	s.othersWrote.Store(1 + int64(time.Since(s.opened)-othersWriting-time.Millisecond))
	assert.Equal(t, 2, s.bookingTransactions(), "a second after the last")

	s.mustRead(schema+" other", schema)
	s.cfg.BookingTransactions = 3
	assert.Equal(t, 3, s.bookingTransactions(), "configured")
}
