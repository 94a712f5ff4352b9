package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crossagenda/crossagenda/agenda"
)

// Store is a replica: an [agenda.Live] index loaded from PostgreSQL that
// follows every change committed there, by anyone (each row's changes in
// commit order), and writes through the database first.
//
// Reads ([Store.Snapshot] and the query methods) never touch the database.
// Writes ([Store.Book], [Store.CancelAppointment], the upserts and deletes)
// lock the rows of the agents they concern in PostgreSQL, bring the index
// up to date under that lock, check with the engine, write, commit, and
// only then apply the change to the index: a write acknowledged to the
// caller is committed, and a write that was not committed is in no index.
// A write takes two round trips. A booking usually takes one: checked
// before the lock, it is written under the lock only if nothing it was
// checked against has changed (see the package documentation).
// Several Stores (in one process or many) may share one database.
//
// All methods are safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	cfg  Config

	live       atomic.Pointer[agenda.Live]
	collective atomic.Pointer[map[string]bool] // services with seats, by id
	applyMu    sync.Mutex                      // serialises applying changes
	pos        atomic.Pointer[Position]        // what the index holds (follow.go)
	applied    atomic.Int64                    // changes applied one by one
	id         string                          // names this Store in its notifications
	wake       chan struct{}                   // asks the follower to read the log
	notifyCh   chan struct{}                   // asks the notifier to wake the other replicas
	notifyOff  atomic.Bool                     // the notifier has stopped: writers notify themselves

	applyErrors, reloads, followErrors atomic.Int64
	rechecked                          atomic.Int64 // bookings checked again under the lock (write.go)
	bookingTxs                         atomic.Int64 // transactions that carried combined bookings
	combinedBookings                   atomic.Int64 // the bookings they carried
	combined                           combiner     // bookings waiting for a transaction (combine.go)
	followPID                          atomic.Uint32
	// staleCatalogue is set while the index keeps a catalogue older than
	// the database's, which failed to load (follow.go); the follower
	// tries again at staleRetry, backing off to staleRetryMax.
	staleCatalogue atomic.Bool
	staleRetry     time.Time
	staleBackoff   time.Duration
	// testSend, when set, replaces sendBookingsTx (tests of the combiner).
	testSend func(context.Context, []*bookReq) ([]bookOutcome, error)
	// opened and othersUntil time how long this Store still counts
	// another Store as writing (bookingTransactions): othersUntil is in
	// nanoseconds since opened, on the monotonic clock; 0 if it never
	// heard one. notifyTag follows the schema in its notifications: its id
	// and its NotifyInterval in milliseconds.
	opened      time.Time
	othersUntil atomic.Int64
	notifyTag   string

	cancel       context.CancelFunc
	done         chan struct{} // closed when the follower has stopped
	notifierDone chan struct{} // closed when the notifier has stopped

	watch storeWatchers // OnChange callbacks (notify.go)
}

// Config tunes a Store. The zero Config is valid.
type Config struct {
	// Options are passed to [agenda.New] on every load (limits).
	Options []agenda.Option
	// Logger receives follow errors, reloads and changes the index
	// refuses. Nil discards.
	Logger *slog.Logger
	// Poll is how often the follower reads the change log when no
	// notification wakes it, and the delay before reconnecting. A missed
	// notification costs at most this much lag. Default 1s.
	Poll time.Duration
	// NotifyInterval is the least time between two notifications this
	// Store sends to wake the other replicas after its writes: the writes
	// committed meanwhile share one, so that a burst of writes costs each
	// listener (every replica, this one included) one wake-up rather than
	// one per write. It adds at most this much to the other replicas' lag
	// while writes follow each other closely, nothing to a lone write.
	// Default 5ms; a negative value sends one as soon as it can after
	// each write (the writes committed while one is sent share the next).
	NotifyInterval time.Duration
	// BookingTransactions is how many transactions carrying bookings may be
	// in flight at once; the bookings checked meanwhile wait and share the
	// next one (see the package documentation). Fewer in flight means more
	// bookings per transaction, less CPU per booking; more means less
	// waiting. The database sees the sum over the replicas. Zero or less,
	// the default: two while no other Store writes to the same schema, one
	// while another does (this Store hears its notifications, and keeps to
	// one until a second after the last, or twice that Store's
	// NotifyInterval if longer), since the other replicas'
	// transactions then fill the database's waits that a second one would.
	BookingTransactions int
	// OnApply, when set, is called after each change reaches the index,
	// with its number and the time it was written (for follow-lag
	// metrics). It runs under the apply lock: keep it short.
	OnApply func(seq int64, committedAt time.Time)
}

// Open loads the database's dataset (migrated and imported beforehand)
// into a Live index and starts following the database. A row the engine
// refuses makes Open fail with [RowError]s naming the table, the id and
// the column. Close stops following.
func Open(ctx context.Context, pool *pgxpool.Pool, cfg Config) (*Store, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.NotifyInterval == 0 {
		cfg.NotifyInterval = 5 * time.Millisecond
	}
	s := &Store{pool: pool, cfg: cfg, done: make(chan struct{}), notifierDone: make(chan struct{}), id: newStoreID(),
		wake: make(chan struct{}, 1), notifyCh: make(chan struct{}, 1), opened: time.Now()}
	s.notifyTag = s.id + " " + strconv.FormatInt(max(cfg.NotifyInterval, 0).Milliseconds(), 10)
	if err := s.reload(ctx); err != nil {
		return nil, err
	}
	fctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go s.follow(fctx)
	go s.notifier(fctx)
	return s, nil
}

// reload reads and compiles the whole dataset and swaps it in; the caller
// holds applyMu, or is Open. It reads on a connection of its own, not the
// pool's, which writers may all hold while they wait to catch up.
func (s *Store) reload(ctx context.Context) error {
	conn, err := s.connect(ctx, nil)
	if err != nil {
		return fmt.Errorf("pgstore: load: %w", err)
	}
	defer conn.Close(context.Background())
	ds, holds, pos, err := loadWithHolds(ctx, conn)
	if err != nil {
		return err
	}
	collective := map[string]bool{}
	for _, svc := range ds.Services {
		if svc.Collective {
			collective[svc.ID] = true
		}
	}
	live, err := agenda.NewLive(ds, s.cfg.Options...)
	if err != nil {
		if rerr := rowErrors(err); rerr != err {
			return rerr // each names its table, id and column
		}
		return fmt.Errorf("pgstore: load: %w", err)
	}
	now := live.Snapshot().Now()
	for _, h := range holds {
		if !now.Before(h.expires) {
			continue // blocks nothing: left to the cleanup
		}
		if err := live.PutHold(h.a, h.expires); err != nil {
			return fmt.Errorf("pgstore: load: table holds, id %q: %w", h.a.ID, err)
		}
	}
	s.live.Store(live)
	s.rewatch(live)
	s.collective.Store(&collective)
	s.pos.Store(&pos)
	s.staleCatalogue.Store(false)
	for _, h := range holds {
		if now.Before(h.expires) {
			s.tellExpiry(h.a, h.expires)
		}
	}
	return nil
}

// Close stops following the database. The index stays readable; writes
// still work, and each still brings the index up to date with the log
// after its commit, but nothing wakes it for the others' changes.
func (s *Store) Close() {
	s.cancel()
	<-s.done
	<-s.notifierDone
}

// notifySoon asks for the other replicas to be woken after a commit (see
// Config.NotifyInterval). Once the notifier has stopped (Close), the
// writer notifies itself.
func (s *Store) notifySoon(ctx context.Context) {
	if s.notifyOff.Load() {
		s.sendNotify(ctx)
		return
	}
	select {
	case s.notifyCh <- struct{}{}:
	default: // one is pending already, and will cover this commit
	}
	if s.notifyOff.Load() { // the notifier stopped, perhaps before it saw this
		select {
		case <-s.notifyCh:
			s.sendNotify(ctx)
		default:
		}
	}
}

// notifier sends the notifications notifySoon asks for, at most one per
// Config.NotifyInterval. A request that arrives before a notification
// is sent is covered by it: that notification follows the commit.
func (s *Store) notifier(ctx context.Context) {
	defer close(s.notifierDone)
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			s.notifyOff.Store(true)
			select {
			case <-s.notifyCh: // a commit not yet told
				s.sendNotify(context.Background())
			default:
			}
			return
		case <-s.notifyCh:
		}
		if wait := s.cfg.NotifyInterval - time.Since(last); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
			case <-t.C:
			}
		}
		select {
		case <-s.notifyCh: // covered by this one
		default:
		}
		last = time.Now()
		s.sendNotify(context.Background())
	}
}

// sendNotify wakes every replica's follower; this Store's skips it (the
// payload names the Store). A failure costs the others at most one Poll.
func (s *Store) sendNotify(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := s.pool.Exec(ctx, sqlNotifyFrom, s.notifyTag); err != nil {
		s.cfg.Logger.Warn("pgstore: notifying the other replicas", "err", err)
	}
}

// Snapshot returns the index as of its [Position]. It never
// blocks and never touches the database.
func (s *Store) Snapshot() *agenda.Index { return s.live.Load().Snapshot() }

// RecordOrganisation returns the organisation of an appointment or hold as
// the index this process has caught up to knows it (see
// [agenda.Live.RecordOrganisation]).
func (s *Store) RecordOrganisation(id string) (org string, seats bool, ok bool) {
	return s.live.Load().RecordOrganisation(id)
}

// Position returns where the index stands in the database's history:
// it holds exactly the changes committed as of that point. A replica
// whose Position covers another's has applied everything the other has.
func (s *Store) Position() Position {
	if p := s.pos.Load(); p != nil {
		return *p
	}
	return Position{}
}

// Stats counts what the follower met.
type Stats struct {
	// StaleCatalogue is true while the index keeps a catalogue
	// (organisations, agents, places, services) older than the
	// database's, which the engine refused: the follower tries to load
	// it again, backing off from Config.Poll to a minute.
	StaleCatalogue bool
	Applied        int64 // changes applied one by one since Open
	ApplyErrors    int64 // committed changes the index refused (logged)
	Reloads        int64 // whole reloads (catalogue changes, imports, a pruned log)
	FollowErrors   int64 // lost connections and failed reads, each retried
	// Rechecked counts the bookings checked on the index as it stood
	// that the database found stale (a change of the agent, the catalogue
	// or the closed days that the index lacked, or a pruned log): they
	// were checked again after catching up, at the cost of a second
	// transaction.
	Rechecked int64
	// BookingTransactions counts the transactions that carried bookings
	// checked on the index as it stood, each one or several.
	BookingTransactions int64
}

// Stats returns the follower's counters.
func (s *Store) Stats() Stats {
	return Stats{Applied: s.applied.Load(), ApplyErrors: s.applyErrors.Load(), Reloads: s.reloads.Load(), FollowErrors: s.followErrors.Load(),
		StaleCatalogue: s.staleCatalogue.Load(),
		Rechecked:      s.rechecked.Load(), BookingTransactions: s.bookingTxs.Load()}
}

// CatchUp applies every change committed before it was called. Writes and
// the follower call it; a caller that needs to read what another replica
// just wrote may too.
func (s *Store) CatchUp(ctx context.Context) error {
	conn, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	defer endTransaction(conn)
	return s.catchUp(ctx, conn)
}

// follow waits for notifications on a connection of its own and catches
// up after each, and every Poll without one. A lost connection is
// reconnected after Poll; catching up from the index's position then
// recovers whatever was committed meanwhile.
func (s *Store) follow(ctx context.Context) {
	defer close(s.done)
	for ctx.Err() == nil {
		if err := s.followOnce(ctx); err != nil && ctx.Err() == nil {
			s.followErrors.Add(1)
			s.cfg.Logger.Warn("pgstore: following the database", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(s.cfg.Poll):
			}
		}
	}
}

// connect opens a connection of the Store's own (to load, to follow) as
// the pool opens its own: from its ConnConfig, through its BeforeConnect
// and AfterConnect hooks (where a service may choose the schema, say), with
// params added to the runtime parameters.
func (s *Store) connect(ctx context.Context, params map[string]string) (*pgx.Conn, error) {
	pc := s.pool.Config()
	cfg := pc.ConnConfig.Copy()
	maps.Copy(cfg.RuntimeParams, params)
	if pc.BeforeConnect != nil {
		if err := pc.BeforeConnect(ctx, cfg); err != nil {
			return nil, err
		}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if pc.AfterConnect != nil {
		if err := pc.AfterConnect(ctx, conn); err != nil {
			conn.Close(context.Background())
			return nil, err
		}
	}
	return conn, nil
}

func (s *Store) followOnce(ctx context.Context) error {
	conn, err := s.connect(ctx, followerParams)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	s.followPID.Store(conn.PgConn().PID())
	if err := s.keepHeap(ctx, conn); err != nil {
		return err
	}
	var schema string
	if err := conn.QueryRow(ctx, sqlCurrentSchema).Scan(&schema); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, sqlListen); err != nil {
		return err
	}
	// Listening first, then catching up: a change committed in between is
	// both read now and notified.
	for {
		if err := s.catchUp(ctx, conn); err != nil {
			return err
		}
		s.retryStaleCatalogue(ctx)
		if err := s.waitForChange(ctx, conn, schema); err != nil || ctx.Err() != nil {
			return err
		}
	}
}

// waitForChange returns when the log is to be read: on a notification of
// a change, after Poll, or when a write of this Store could not catch up
// after its commit. Notifications of another schema's changes, or of this
// Store's own writes (which caught up after their commit), are skipped
// within the same wait, which costs them no timer and no goroutine.
func (s *Store) waitForChange(ctx context.Context, conn *pgx.Conn, schema string) error {
	wctx, cancel := context.WithTimeout(ctx, s.cfg.Poll)
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-s.wake:
			cancel()
		case <-wctx.Done():
		}
	}()
	defer func() {
		cancel()
		<-done
	}()
	for {
		n, err := conn.WaitForNotification(wctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)):
			return nil // Poll, or woken
		case err != nil:
			return err
		case s.mustRead(n.Payload, schema):
			return nil
		}
	}
}

// mustRead reports whether a notification's payload (the schema; then,
// if a Store wrote, its id and its NotifyInterval in milliseconds) calls
// for reading the log. Another Store's notification also tells how long
// this one counts it as writing: othersWriting, or twice its interval if
// longer (a payload without the interval, from an older version, means
// othersWriting).
func (s *Store) mustRead(payload, schema string) bool {
	if payload == schema {
		return true // from the trigger: another writer
	}
	from, ok := strings.CutPrefix(payload, schema+" ")
	writer, interval, _ := strings.Cut(from, " ")
	if !ok || writer == s.id {
		return false
	}
	window := othersWriting
	interval, _, _ = strings.Cut(interval, " ") // fields a later version may add
	if ms, err := strconv.ParseInt(interval, 10, 64); err == nil && ms > 0 {
		window = max(window, 2*time.Duration(min(ms, maxHeardInterval.Milliseconds()))*time.Millisecond)
	}
	until := min(int64(time.Since(s.opened)), math.MaxInt64-int64(window)) + int64(window)
	for {
		cur := s.othersUntil.Load()
		if cur >= until || s.othersUntil.CompareAndSwap(cur, until) {
			return true
		}
	}
}

// newStoreID names a Store in its notifications.
func newStoreID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Agenda answers [agenda.Index.Agenda] on the current snapshot.
func (s *Store) Agenda(ctx context.Context, agentID string, from, to time.Time) (*agenda.AgentAgenda, error) {
	return s.Snapshot().Agenda(ctx, agentID, from, to)
}

// AgendaFor answers [agenda.Index.AgendaFor] on the current snapshot.
func (s *Store) AgendaFor(ctx context.Context, organisationID, agentID string, from, to time.Time) (*agenda.AgentAgenda, error) {
	return s.Snapshot().AgendaFor(ctx, organisationID, agentID, from, to)
}

// Slots answers [agenda.Index.Slots] on the current snapshot.
func (s *Store) Slots(ctx context.Context, q agenda.SlotQuery) ([]agenda.Slot, error) {
	return s.Snapshot().Slots(ctx, q)
}

// NextAvailable answers [agenda.Index.NextAvailable] on the current snapshot.
func (s *Store) NextAvailable(ctx context.Context, q agenda.SlotQuery) (agenda.Slot, bool, error) {
	return s.Snapshot().NextAvailable(ctx, q)
}

// Explain answers [agenda.Index.Explain] on the current snapshot: why a
// start is or is not bookable.
func (s *Store) Explain(ctx context.Context, q agenda.ExplainQuery) (*agenda.Explanation, error) {
	return s.Snapshot().Explain(ctx, q)
}
