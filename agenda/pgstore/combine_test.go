package pgstore

import (
	"context"
	"fmt"
	"runtime"
	"sync"
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
