package pgstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crossagenda/crossagenda/agenda"
)

// batcher is what catching up needs: a connection or a pooled connection
// that the caller already holds. Catching up never takes a connection of
// its own, so that writers holding connections cannot exhaust the pool.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// change is one row of the change log.
type change struct {
	seq, xid    int64
	committedAt time.Time
	table, op   string
	old, new    []byte
}

// catchUpMax bounds the changes one read applies one by one: a replica
// further behind reloads the whole dataset instead.
const catchUpMax = 10000

// logRead is one read of the change log: the changes of the transactions
// that the snapshot "since" did not see but snap does, in number order.
// The query, its snapshot and the pruning bound are one statement, so one
// PostgreSQL snapshot.
type logRead struct {
	since, snap Position
	prunedBelow int64
	changes     []change
}

// queueRead adds the read of the changes since p to a batch, returning
// the function that collects its result once the batch is sent.
func queueRead(b *pgx.Batch, p Position) func(pgx.BatchResults) (logRead, error) {
	b.Queue(sqlChanges, p.snap.readArgs()...)
	return func(br pgx.BatchResults) (logRead, error) {
		rows, err := br.Query()
		if err != nil {
			return logRead{}, fmt.Errorf("pgstore: reading the change log: %w", err)
		}
		return collectRead(rows, p)
	}
}

// readLog reads the changes since p on c, after sqlReadSettings, in one
// round trip.
func readLog(ctx context.Context, c batcher, p Position) (logRead, error) {
	b := &pgx.Batch{}
	b.Queue(sqlReadSettings)
	read := queueRead(b, p)
	br := c.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return logRead{}, fmt.Errorf("pgstore: reading the change log: %w", err)
	}
	r, err := read(br)
	if err != nil {
		return logRead{}, err
	}
	return r, br.Close()
}

func collectRead(rows pgx.Rows, since Position) (logRead, error) {
	defer rows.Close()
	out := logRead{since: since}
	var snapText string
	var own *int64
	for rows.Next() {
		var c change
		var seq, xid *int64
		var at *time.Time
		var table, op *string
		if err := rows.Scan(&snapText, &own, &out.prunedBelow, &seq, &xid, &at, &table, &op, &c.old, &c.new); err != nil {
			return logRead{}, fmt.Errorf("pgstore: reading the change log: %w", err)
		}
		if seq == nil { // no change: the snapshot alone
			continue
		}
		c.seq, c.xid, c.committedAt, c.table, c.op = *seq, *xid, *at, *table, *op
		out.changes = append(out.changes, c)
	}
	if err := rows.Err(); err != nil {
		return logRead{}, fmt.Errorf("pgstore: reading the change log: %w", err)
	}
	snap, err := parseSnapshot(snapText)
	if err != nil {
		return logRead{}, fmt.Errorf("pgstore: reading the change log: %w", err)
	}
	if own != nil {
		snap = snap.withRunning(*own)
	}
	slices.SortFunc(out.changes, func(a, b change) int { return cmp.Compare(a.seq, b.seq) })
	out.snap = Position{snap: snap}
	return out, nil
}

// catchUp reads the changes committed since the index's position on c and
// applies them.
func (s *Store) catchUp(ctx context.Context, c batcher) error {
	r, err := readLog(ctx, c, s.Position())
	if err != nil {
		return err
	}
	return s.merge(ctx, r)
}

// merge applies a read of the change log to the index, under applyMu.
//
// The index has applied exactly the changes of the transactions visible
// in its position, a snapshot (invariant), but for those it refused
// (counted in Stats.ApplyErrors; a catalogue that did not load is loaded
// again by the follower, retryStaleCatalogue). Reads may finish in any order:
// a read whose snapshot the position already covers brings nothing; one
// whose snapshot covers the position brings every change the position
// lacks (its query asked for the transactions invisible to an older
// snapshot still), and those are applied in number order, which is the
// commit order of the changes of any one row. A read with more than
// catchUpMax changes, a "reload" change, a change to the catalogue, or a
// pruning bound past the position's xmin (changes the index lacks may be
// gone) loads everything afresh instead.
func (s *Store) merge(ctx context.Context, r logRead) error {
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	cur := s.Position()
	if cur.Covers(r.snap) {
		return nil
	}
	var todo, catalogue []change
	why, reload := "", false
	switch {
	case !r.snap.Covers(cur):
		why = "snapshots that do not nest" // PostgreSQL's snapshots are taken in one order: never expected
	case r.prunedBelow > cur.snap.xmin:
		why = "the change log pruned past this replica"
	case len(r.changes) > catchUpMax:
		why = "more changes than catchUpMax"
	default:
		for _, c := range r.changes {
			switch {
			case cur.snap.visible(c.xid):
				// applied by a read that finished first
			case c.op == "reload":
				why, reload = c.table+" "+c.op, true
			case !incremental[c.table]:
				catalogue = append(catalogue, c)
			default:
				todo = append(todo, c)
			}
		}
		if why == "" && len(catalogue) > 0 {
			why = catalogue[0].table + " " + catalogue[0].op
		}
	}
	if why != "" {
		err := s.reload(ctx)
		if err == nil {
			s.reloads.Add(1)
			s.cfg.Logger.Info("pgstore: index reloaded", "position", s.Position().String(), "after", why)
			return nil
		}
		// A database the engine refuses (a row written by hand) would
		// stop every write and the follower until the row is fixed. When
		// only changes of the catalogue called for the reload, the index
		// goes on with the catalogue it has, as it goes on without a
		// refused change of an appointment, and the follower loads the
		// database again until it loads (retryStaleCatalogue). Anything
		// else (a TRUNCATE, an import, a pruned log) cannot be skipped.
		var re *RowError
		if len(catalogue) == 0 || reload || !errors.As(err, &re) {
			return err
		}
		s.applyErrors.Add(int64(len(catalogue)))
		s.staleCatalogue.Store(true)
		seqs := make([]int64, 0, min(len(catalogue), 10))
		for _, c := range catalogue[:cap(seqs)] {
			seqs = append(seqs, c.seq)
		}
		s.cfg.Logger.Error("pgstore: the database no longer loads; the index keeps its catalogue, goes on without these changes and loads again until it loads",
			"changes", len(catalogue), "seqs", seqs, "err", err)
	}
	for _, c := range todo {
		if err := s.apply(c); err != nil {
			s.applyErrors.Add(1)
			s.cfg.Logger.Error("pgstore: a committed change does not fit the index; the index lacks it",
				"seq", c.seq, "table", c.table, "op", c.op, "err", err)
			continue
		}
		s.applied.Add(1)
		if s.cfg.OnApply != nil {
			s.cfg.OnApply(c.seq, c.committedAt)
		}
	}
	s.pos.Store(&r.snap)
	return nil
}

// staleRetryMax bounds the backoff of retryStaleCatalogue.
const staleRetryMax = time.Minute

// retryStaleCatalogue loads the database again, if the index keeps a
// stale catalogue (merge) and the backoff has passed: from Config.Poll,
// doubling to staleRetryMax. The follower calls it between its reads,
// holding no agent's lock, and alone reads and writes the backoff; a
// success clears the flag (reload).
func (s *Store) retryStaleCatalogue(ctx context.Context) {
	if !s.staleCatalogue.Load() || time.Now().Before(s.staleRetry) {
		return
	}
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	if !s.staleCatalogue.Load() {
		return // loaded meanwhile
	}
	if err := s.reload(ctx); err != nil {
		s.staleBackoff = min(max(2*s.staleBackoff, s.cfg.Poll), staleRetryMax)
		s.staleRetry = time.Now().Add(s.staleBackoff)
		s.cfg.Logger.Warn("pgstore: the database still does not load", "retry_in", s.staleBackoff.String(), "err", err)
		return
	}
	s.staleBackoff = 0
	s.reloads.Add(1)
	s.cfg.Logger.Info("pgstore: index reloaded", "position", s.Position().String(), "after", "a catalogue that did not load")
}

// incremental lists the tables whose changes the Live index applies one by
// one; a change to any other table (the catalogue: organisations, agents,
// places, services, settings) reloads the index.
var incremental = map[string]bool{"appointments": true, "absences": true, "opening_periods": true, "closed_days": true,
	"external_calendars": true, "holds": true}

// apply applies one change to the Live index. An update that changes a
// record's id (UPDATE ... SET id = ..., by hand) is the old id's deletion
// and the new id's insertion: upserting the new one alone would leave the
// old in the index.
func (s *Store) apply(c change) error {
	if c.op == "update" && c.table != "closed_days" {
		before, err1 := rowID(c.old)
		after, err2 := rowID(c.new)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		if before != after {
			gone, came := c, c
			gone.op, gone.new = "delete", nil
			came.op, came.old = "insert", nil
			return errors.Join(s.applyOne(gone), s.applyOne(came))
		}
	}
	return s.applyOne(c)
}

// rowID reads the id of a row as to_jsonb wrote it. jsonb puts the
// shorter keys first, so "id" comes first and the rest (a calendar's
// whole text, say) is not read.
func rowID(row []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(row))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", fmt.Errorf("pgstore: a logged row is not a JSON object: %.40q", row)
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return "", err
		}
		if key == "id" {
			var id string
			return id, dec.Decode(&id)
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("pgstore: a logged row has no id: %.40q", row)
}

// applyOne applies one change to the Live index, as it stands.
func (s *Store) applyOne(c change) error {
	live := s.live.Load()
	switch c.table {
	case "appointments":
		if c.op == "delete" {
			var r struct{ ID string }
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			return live.DeleteAppointment(r.ID)
		}
		var r appointmentJSON
		if err := json.Unmarshal(c.new, &r); err != nil {
			return err
		}
		return live.UpsertAppointment(r.appointment())
	case "absences":
		if c.op == "delete" {
			var r struct{ ID string }
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			return live.DeleteAbsence(r.ID)
		}
		var r agenda.Absence
		if err := json.Unmarshal(c.new, &r); err != nil {
			return err
		}
		return live.UpsertAbsence(r)
	case "opening_periods":
		if c.op == "delete" {
			var r struct{ ID string }
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			return live.DeleteOpeningPeriod(r.ID)
		}
		var r openingJSON
		if err := json.Unmarshal(c.new, &r); err != nil {
			return err
		}
		return live.UpsertOpeningPeriod(r.opening())
	case "external_calendars":
		if c.op == "delete" {
			var r struct{ ID string }
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			return live.DeleteCalendar(r.ID)
		}
		var r agenda.Calendar // its JSON is the row's: id, agent_id, ics, updated_at
		if err := json.Unmarshal(c.new, &r); err != nil {
			return err
		}
		return live.UpsertCalendar(r)
	case "holds":
		if c.op == "delete" {
			var r struct{ ID string }
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			// An expired hold may have been forgotten already.
			if err := live.ReleaseHold(r.ID); err != nil && !errors.Is(err, agenda.ErrNotFound) {
				return err
			}
			return nil
		}
		var r holdJSON
		if err := json.Unmarshal(c.new, &r); err != nil {
			return err
		}
		a := r.appointment()
		if err := live.PutHold(a, r.ExpiresAt); err != nil {
			return err
		}
		s.tellExpiry(a, r.ExpiresAt)
		return nil
	case "closed_days":
		var errs []error
		if c.op != "insert" {
			var r closedDayJSON
			if err := json.Unmarshal(c.old, &r); err != nil {
				return err
			}
			errs = append(errs, live.RemoveClosedDay(r.Date, r.org()))
		}
		if c.op != "delete" {
			var r closedDayJSON
			if err := json.Unmarshal(c.new, &r); err != nil {
				return err
			}
			errs = append(errs, live.AddClosedDay(agenda.ClosedDay{Date: r.Date, OrganisationID: r.org(), Name: r.Name}))
		}
		return errors.Join(errs...)
	}
	return fmt.Errorf("pgstore: no incremental change for table %s", c.table)
}

// The rows of the change log, as to_jsonb writes them: column names as
// keys, NULL as null.
type appointmentJSON struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	PlaceID        *string   `json:"place_id"`
	ServiceID      *string   `json:"service_id"`
	AgentIDs       []string  `json:"agent_ids"`
	StartAt        time.Time `json:"start_at"`
	EndAt          time.Time `json:"end_at"`
	Status         string    `json:"status"`
	Capacity       int       `json:"capacity"`
	Participants   int       `json:"participants"`
	BufferBefore   *int      `json:"buffer_before_minutes"`
	BufferAfter    *int      `json:"buffer_after_minutes"`
}

func (r *appointmentJSON) appointment() agenda.Appointment {
	return agenda.Appointment{ID: r.ID, OrganisationID: r.OrganisationID, PlaceID: deref(r.PlaceID), ServiceID: deref(r.ServiceID),
		AgentIDs: r.AgentIDs, Start: r.StartAt, End: r.EndAt, Status: agenda.Status(r.Status),
		Capacity: r.Capacity, Participants: r.Participants, BufferBeforeMinutes: r.BufferBefore, BufferAfterMinutes: r.BufferAfter}
}

type holdJSON struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	PlaceID        *string   `json:"place_id"`
	ServiceID      string    `json:"service_id"`
	AgentID        string    `json:"agent_id"`
	StartAt        time.Time `json:"start_at"`
	EndAt          time.Time `json:"end_at"`
	BufferBefore   int       `json:"buffer_before_minutes"`
	BufferAfter    int       `json:"buffer_after_minutes"`
	ExpiresAt      time.Time `json:"expires_at"`
}

func (r *holdJSON) appointment() agenda.Appointment {
	return heldAppointment(r.ID, r.OrganisationID, deref(r.PlaceID), r.ServiceID, r.AgentID, r.StartAt, r.EndAt, r.BufferBefore, r.BufferAfter)
}

type openingJSON struct {
	agenda.OpeningPeriod
	PlaceID *string `json:"place_id"`
}

func (r *openingJSON) opening() agenda.OpeningPeriod {
	p := r.OpeningPeriod
	p.PlaceID = deref(r.PlaceID)
	return p
}

type closedDayJSON struct {
	Date           string  `json:"date"`
	OrganisationID *string `json:"organisation_id"`
	Name           string  `json:"name"`
}

func (r *closedDayJSON) org() string { return deref(r.OrganisationID) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
