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
	"github.com/stretchr/testify/require"
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
		return standInTransaction(batch), nil
	}
	const callers, each = 8, 100
	bookAgainAndAgain(t, s, callers, each, nil, nil)
	carried, txs := s.combinedBookings.Load(), s.bookingTxs.Load()
	assert.Equal(t, int64(callers*each), carried)
	// Every booking is answered; the carriers then find the queue empty
	// and stop.
	waitCombinerIdle(t, s)
	perTx := float64(carried) / float64(txs)
	t.Logf("%d bookings carried by %d transactions: %.2f each", carried, txs, perTx)
	assert.GreaterOrEqual(t, perTx, 3.0, "bookings per transaction")
}

// TestBookingTransactionsWhileOthersWrite: by default a Store keeps two
// booking transactions in flight, one while it hears another Store's
// notifications, including from the moment it hears one while two run,
// and two again a second after the last; a configured number holds
// whatever it hears.
func TestBookingTransactionsWhileOthersWrite(t *testing.T) {
	const schema = "crossagenda"
	s := &Store{id: "self", opened: time.Now()}
	// Mid-load, what counts in most (the most in flight at once) is every
	// transaction while the Store is alone, and once it hears another,
	// those carrying a booking queued after it heard: a transaction
	// already taken under the limit of two may still start as it hears,
	// and is not counted. Once hearing, every transaction notifies again.
	var hearing, onlyAfterHearing atomic.Bool
	var afterHearing sync.Map // of *bookReq queued once hearing
	var inFlight, most, counted atomic.Int64
	s.testSend = func(_ context.Context, batch []*bookReq) ([]bookOutcome, error) {
		if hearing.Load() {
			s.mustRead(schema+" other", schema)
		}
		counts := !onlyAfterHearing.Load()
		for _, r := range batch {
			if _, ok := afterHearing.Load(r); ok {
				counts = true
			}
		}
		if counts {
			counted.Add(1)
			n := inFlight.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			defer inFlight.Add(-1)
		}
		return standInTransaction(batch), nil
	}
	// book runs eight callers of 50 bookings each, calling switched once
	// a fifth of them are answered, then waits for the carriers to stop.
	book := func(switched func()) {
		var answered atomic.Int64
		var once sync.Once
		bookAgainAndAgain(t, s, 8, 50, func(r *bookReq) {
			if hearing.Load() {
				afterHearing.Store(r, true)
			}
		}, func() {
			if answered.Add(1) == 80 && switched != nil {
				once.Do(switched)
			}
		})
		waitCombinerIdle(t, s)
	}

	assert.Equal(t, 2, s.bookingTransactions(), "alone")
	book(nil)
	assert.Equal(t, int64(2), most.Load(), "in flight at once, alone")

	// Mid-load, two carriers running: the transactions carrying bookings
	// queued once the Store heard another are never two in flight at once.
	onlyAfterHearing.Store(true)
	most.Store(0)
	counted.Store(0)
	book(func() {
		s.mustRead(schema+" other", schema)
		hearing.Store(true)
	})
	assert.Equal(t, 1, s.bookingTransactions(), "hearing another Store")
	assert.Positive(t, counted.Load(), "transactions carrying bookings queued while hearing")
	assert.Equal(t, int64(1), most.Load(), "in flight at once, among those carrying bookings queued while hearing another Store")

	assert.False(t, s.mustRead(schema+" self", schema), "its own notification")
	assert.True(t, s.mustRead(schema, schema), "a trigger's notification")
	s.othersUntil.Store(int64(time.Since(s.opened) - time.Millisecond))
	assert.Equal(t, 2, s.bookingTransactions(), "a second after the last")

	s.mustRead(schema+" other", schema)
	s.cfg.BookingTransactions = 3
	assert.Equal(t, 3, s.bookingTransactions(), "configured")
}

// TestOthersWritingFollowsTheirNotifyInterval: another Store counts as
// writing for a second after its last notification, or twice the
// NotifyInterval its notification tells if longer, so that a Store that
// notifies every few seconds does not flip the limit between two of its
// notifications; a shorter window never cuts a longer one short.
func TestOthersWritingFollowsTheirNotifyInterval(t *testing.T) {
	const schema = "crossagenda"
	s := &Store{id: "self", opened: time.Now()}
	assert.Equal(t, 2, s.bookingTransactions(), "never heard another")
	// opens checks the window a payload opens: the deadline lies between
	// the start of mustRead plus want and its end plus want.
	opens := func(payload string, want time.Duration) {
		t.Helper()
		s.othersUntil.Store(0)
		before := time.Since(s.opened)
		require.True(t, s.mustRead(payload, schema), payload)
		after := time.Since(s.opened)
		until := time.Duration(s.othersUntil.Load())
		assert.GreaterOrEqual(t, until, before+want, payload)
		assert.LessOrEqual(t, until, after+want, payload)
	}

	for _, c := range []struct {
		payload string
		want    time.Duration // the window the payload opens
	}{
		{schema + " other 5", othersWriting},             // the default interval
		{schema + " other", othersWriting},               // an older version's payload
		{schema + " other 0", othersWriting},             // a negative NotifyInterval
		{schema + " other x", othersWriting},             // not a number
		{schema + " other 3000", 6 * time.Second},        // a 3 s interval
		{schema + " other 999999999999", 48 * time.Hour}, // bounded
		{schema + " other 3000 more", 6 * time.Second},   // a field a later version may add
	} {
		opens(c.payload, c.want)
	}
	opens(schema+" other 3000", 6*time.Second)
	assert.Equal(t, 1, s.bookingTransactions(), "within the window")

	s.othersUntil.Store(0)
	require.True(t, s.mustRead(schema+" slow 3000", schema))
	slow := s.othersUntil.Load()
	require.True(t, s.mustRead(schema+" fast 5", schema))
	assert.Equal(t, slow, s.othersUntil.Load(), "a 5 ms writer heard after a 3 s one leaves the 3 s one's window")

	s.othersUntil.Store(0)
	assert.False(t, s.mustRead(schema+" self 3000", schema), "its own notification")
	assert.False(t, s.mustRead("elsewhere other 3000", schema), "another schema's")
	assert.Zero(t, s.othersUntil.Load(), "neither counts as another Store writing")
	assert.True(t, s.mustRead(schema, schema), "a trigger's notification")
	assert.Zero(t, s.othersUntil.Load(), "a trigger's notification names no Store")
}

// standInTransaction stands for a booking transaction in the combiner's
// tests: as long as a commit's round trip, every booking inserted.
func standInTransaction(batch []*bookReq) []bookOutcome {
	time.Sleep(300 * time.Microsecond)
	outs := make([]bookOutcome, len(batch))
	for i := range outs {
		outs[i].inserted = true
	}
	return outs
}

// bookAgainAndAgain runs callers goroutines that each submit a booking
// of their own agent as soon as the last is answered, each times;
// queued, if not nil, is called with each booking before it is submitted,
// answered, if not nil, after each answer.
func bookAgainAndAgain(t *testing.T, s *Store, callers, each int, queued func(*bookReq), answered func()) {
	t.Helper()
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for range each {
				r := &bookReq{ctx: context.Background(), agent: fmt.Sprint(c), done: make(chan bookOutcome, 1)}
				if queued != nil {
					queued(r)
				}
				s.submitBooking(r)
				if o := <-r.done; !o.inserted || o.err != nil {
					t.Errorf("outcome %+v", o)
					return
				}
				if answered != nil {
					answered()
				}
			}
		})
	}
	wg.Wait()
}
