package pgstore

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crossagenda/crossagenda/agenda"
)

// A Store combines the bookings that reach it together: those checked on
// the index while others are being sent share the next transaction, with
// one lock statement, one commit and one read of the log for all of them,
// instead of one each. A booking that finds no transaction of its own kind
// in flight (Config.BookingTransactions) is sent at once by its own
// caller: alone, it waits for nothing.

// bookReq is a booking checked on the index at pos, waiting for its
// guarded insert (sqlBookIfCurrent) to be sent.
type bookReq struct {
	ctx   context.Context // its caller's: once it ends, the booking is not sent
	a     agenda.Appointment
	agent string
	pos   Position
	done  chan bookOutcome // buffered: the sender never waits
}

// bookOutcome is what the transaction that carried a bookReq made of it.
// err is the transaction's: nothing was committed, or whether the commit
// happened is unknown.
type bookOutcome struct {
	stale, inserted bool
	err             error
}

// combiner is the queue of bookReqs and the count of transactions that
// carry them.
type combiner struct {
	mu      sync.Mutex
	queue   []*bookReq
	running int
}

// maxCombined bounds the bookings of one transaction.
const maxCombined = 16

// combinedTimeout bounds a transaction that carries several callers'
// bookings, which no one caller's context may cancel; its lock waits are
// bounded more tightly (sqlCombinedSettings), so that one agent held by a
// long transaction does not hold up the others' bookings: they are then
// tried one by one.
const combinedTimeout = 30 * time.Second

// othersWriting is how long after another Store's last notification a
// Store keeps to one booking transaction by default, at least: twice that
// Store's NotifyInterval if longer, which its notifications tell, so that
// the Store still counts as writing between two of them.
const othersWriting = time.Second

// maxHeardInterval bounds the NotifyInterval another Store's notification
// may tell (twice it is how long it counts as writing).
const maxHeardInterval = 24 * time.Hour

// bookingTransactions is how many booking transactions may be in flight
// now (Config.BookingTransactions).
func (s *Store) bookingTransactions() int {
	if s.cfg.BookingTransactions > 0 {
		return s.cfg.BookingTransactions
	}
	if until := s.othersUntil.Load(); until != 0 && int64(time.Since(s.opened)) < until {
		return 1
	}
	return 2
}

// submitBooking queues r; its outcome arrives in r.done. If fewer than
// bookingTransactions transactions are in flight and r would go
// alone, its caller sends it, with its own context and no goroutine to
// hand over to; a transaction that carries others' bookings as well is
// sent by a goroutine of its own, so that no caller waits on others'
// bookings past its own context. Otherwise a transaction in flight takes
// r when it is done.
func (s *Store) submitBooking(r *bookReq) {
	c := &s.combined
	c.mu.Lock()
	c.queue = append(c.queue, r)
	if c.running >= s.bookingTransactions() {
		c.mu.Unlock()
		return
	}
	c.running++
	batch := takeBatch(&c.queue)
	c.mu.Unlock()
	if len(batch) == 1 && batch[0] == r {
		s.sendBookings(r.ctx, batch)
		var more bool
		if batch, more = c.next(s.bookingTransactions); !more {
			return
		}
	}
	go s.carryBookings(batch)
}

// carryBookings sends batch, if any, then the queued bookings until the
// queue is empty.
//
// After each transaction it yields the processor before taking the next
// batch: the callers it has just answered are then likely to have queued
// their next bookings, which join that batch instead of waiting for the
// following transaction. Else the next batch holds only what arrived
// while the last was in flight, and under steady load each transaction
// pays a lock, a commit and a read of the log for few bookings. The yield
// puts the carrier behind the goroutines ready to run: little when the
// processors have time to spare, more when they are saturated, while the
// queued bookings wait with it. A caller that sent its own booking alone
// does not yield (submitBooking): it has answered no one else.
func (s *Store) carryBookings(batch []*bookReq) {
	for more := true; more; batch, more = s.combined.next(s.bookingTransactions) {
		if len(batch) > 0 {
			s.sendBookings(context.Background(), batch)
			runtime.Gosched()
		}
	}
}

// next takes the next batch for a carrier done with its last one. With
// nothing queued, or more carriers running than limit allows (it fell
// while they ran), the carrier stops (more is false) and frees its
// place; in the second case another carrier is running and takes what
// is queued. limit is asked under the lock, as submitBooking asks it: a
// batch holding a booking queued after the limit fell is sent only by a
// carrier that knows it fell.
func (c *combiner) next(limit func() int) (batch []*bookReq, more bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) == 0 || c.running > limit() {
		c.running--
		return nil, false
	}
	return takeBatch(&c.queue), true
}

// takeBatch takes from the queue, in order, up to maxCombined bookings of
// distinct agents; the others stay queued, but for those whose caller's
// context has ended, which are answered and dropped. Two bookings of one agent in a
// transaction would make the second's check stale (the first's insert is
// a change its position lacks), and it would be checked again.
func takeBatch(queue *[]*bookReq) []*bookReq {
	var batch []*bookReq
	rest := (*queue)[:0]
	for _, r := range *queue {
		if err := r.ctx.Err(); err != nil {
			r.done <- bookOutcome{err: err} // its caller has gone: not sent
			continue
		}
		if len(batch) < maxCombined && !slices.ContainsFunc(batch, func(o *bookReq) bool { return o.agent == r.agent }) {
			batch = append(batch, r)
		} else {
			rest = append(rest, r)
		}
	}
	clear((*queue)[len(rest):])
	*queue = rest
	return batch
}

// sendBookings runs one transaction for the batch and tells each booking
// its outcome.
func (s *Store) sendBookings(ctx context.Context, batch []*bookReq) {
	ctx, cancel := context.WithTimeout(ctx, combinedTimeout)
	defer cancel()
	send := s.sendBookingsTx
	if s.testSend != nil {
		send = s.testSend
	}
	outs, err := send(ctx, batch)
	if err == nil {
		s.bookingTxs.Add(1)
		s.combinedBookings.Add(int64(len(batch)))
	}
	for i, r := range batch {
		if err != nil {
			r.done <- bookOutcome{err: err}
			continue
		}
		r.done <- outs[i]
	}
}

// sendBookingsTx is the transaction: in one pipeline, BEGIN, the lock of
// every agent of the batch (and of any appointment or hold with one of its
// ids), each booking's guarded insert, COMMIT, and the read of the log
// that applies them.
func (s *Store) sendBookingsTx(ctx context.Context, batch []*bookReq) ([]bookOutcome, error) {
	conn, err := s.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	defer endTransaction(conn)

	agents := make([]string, 0, len(batch))
	ids := make([]string, 0, len(batch))
	for _, r := range batch {
		agents = append(agents, r.agent)
		ids = append(ids, r.a.ID)
	}
	bt := &pgx.Batch{}
	bt.Queue(sqlBegin)
	steps := []string{"beginning", "locking agents"}
	if len(batch) == 1 {
		bt.Queue(sqlLockAgentsAndHold, lockArgs(agents, ids[0])...)
	} else {
		// The settings first, so that the lock, whose generic plan
		// PostgreSQL judges dearer than one made for the actual ids, is
		// not planned afresh each time.
		bt.Queue(sqlCombinedSettings)
		bt.Queue(sqlLockBookings, agents, ids)
		steps = []string{"beginning", "settings", "locking agents"}
	}
	now := s.Snapshot().Now() // for the holds' expiry
	for _, r := range batch {
		xip := r.pos.snap.xip
		if xip == nil {
			xip = []int64{}
		}
		bt.Queue(sqlBookIfCurrent, append(appointmentRow(&r.a), now, r.agent, r.pos.snap.xmin, r.pos.snap.xmax, xip)...)
	}
	bt.Queue("COMMIT")
	bt.Queue(sqlReadSettings)
	readAfter := queueRead(bt, s.Position())
	br := conn.SendBatch(ctx, bt)
	defer br.Close()
	for _, what := range steps {
		if _, err := br.Exec(); err != nil {
			s.mayHaveCommitted(ctx, err)
			return nil, fmt.Errorf("pgstore: %s: %w", what, err)
		}
	}
	outs := make([]bookOutcome, len(batch))
	for i := range batch {
		if err := br.QueryRow().Scan(&outs[i].stale, &outs[i].inserted); err != nil {
			s.mayHaveCommitted(ctx, err)
			return nil, fmt.Errorf("pgstore: booking %q: %w", batch[i].a.ID, err)
		}
	}
	if err := s.committed(ctx, br); err != nil {
		return nil, err
	}
	s.afterCommit(ctx, br, readAfter)
	return outs, nil
}
