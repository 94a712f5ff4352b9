package pgstore

// The SQL of the package, besides the migrations. Tables are unqualified:
// they live in the schema of the connection's search path.

const (
	sqlMigrateLock       = `SELECT pg_advisory_xact_lock(hashtext('crossagenda.migrate.' || current_schema()))`
	sqlMigrationsTable   = `CREATE TABLE IF NOT EXISTS crossagenda_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
	sqlMigrationsCurrent = `SELECT coalesce(max(version), 0) FROM crossagenda_migrations`
	sqlMigrationsRecord  = `INSERT INTO crossagenda_migrations (version, name) VALUES ($1, $2)`
	sqlMigrationsExists  = `SELECT to_regclass('crossagenda_migrations') IS NOT NULL`
)

const (
	sqlImportLock = `LOCK TABLE crossagenda_settings, organisations, agents, appointments IN EXCLUSIVE MODE`
	// sqlNonEmptyTable names a table with rows, if any.
	sqlNonEmptyTable = `SELECT t FROM (VALUES
		('crossagenda_settings', EXISTS (SELECT 1 FROM crossagenda_settings)),
		('organisations', EXISTS (SELECT 1 FROM organisations)),
		('agents', EXISTS (SELECT 1 FROM agents)),
		('places', EXISTS (SELECT 1 FROM places)),
		('services', EXISTS (SELECT 1 FROM services)),
		('opening_periods', EXISTS (SELECT 1 FROM opening_periods)),
		('absences', EXISTS (SELECT 1 FROM absences)),
		('appointments', EXISTS (SELECT 1 FROM appointments)),
		('closed_days', EXISTS (SELECT 1 FROM closed_days)),
		('external_calendars', EXISTS (SELECT 1 FROM external_calendars)),
		('holds', EXISTS (SELECT 1 FROM holds)),
		('holiday_calendars', EXISTS (SELECT 1 FROM holiday_calendars))) AS v(t, has) WHERE has LIMIT 1`
	// sqlImporting turns the change-log triggers off for the transaction.
	sqlImporting = `SET LOCAL crossagenda.importing = 'on'`
	// sqlLogReload logs a change that replicas answer by loading afresh.
	sqlLogReload = `INSERT INTO change_log (table_name, op) VALUES ($1, 'reload')`
)

const (
	sqlNotify        = `SELECT pg_notify('crossagenda_changes', current_schema())`
	sqlListen        = `LISTEN crossagenda_changes`
	sqlCurrentSchema = `SELECT current_schema()`
)

// Loading, in one REPEATABLE READ transaction so that every table and the
// change log's position are read at the same instant.
const (
	sqlLoadPosition      = `SELECT pg_current_snapshot()::text`
	sqlLoadSettings      = `SELECT time_zone FROM crossagenda_settings`
	sqlLoadCalendars     = `SELECT name FROM holiday_calendars ORDER BY name`
	sqlLoadOrganisations = `SELECT id, name, time_zone, holiday_calendar, worked_holidays FROM organisations ORDER BY id`
	sqlLoadAgents        = `SELECT id, name, time_zone, max_appointments_per_day FROM agents ORDER BY id`
	sqlLoadAgentOrgs     = `SELECT agent_id, organisation_id FROM agent_organisations ORDER BY agent_id, position`
	sqlLoadPlaces        = `SELECT id, organisation_id, name FROM places ORDER BY id`
	sqlLoadServices      = `SELECT id, organisation_id, name, duration_minutes, min_notice_minutes, max_notice_minutes, collective,
		buffer_before_minutes, buffer_after_minutes, slot_interval_minutes, max_per_agent_per_day FROM services ORDER BY id`
	sqlLoadOpenings     = `SELECT id, agent_id, organisation_id, coalesce(place_id, ''), service_ids, first_day, start_time, end_time, rrule, until, exdates FROM opening_periods`
	sqlLoadAbsences     = `SELECT id, agent_id, first_day, start_time, end_day, end_time, rrule, until, exdates FROM absences`
	sqlLoadAppointments = `SELECT id, organisation_id, coalesce(place_id, ''), coalesce(service_id, ''), agent_ids, start_at, end_at, status, capacity, participants,
		buffer_before_minutes, buffer_after_minutes FROM appointments`
	sqlLoadClosedDays        = `SELECT date, coalesce(organisation_id, ''), name FROM closed_days ORDER BY date, organisation_id NULLS FIRST`
	sqlLoadExternalCalendars = `SELECT id, agent_id, ics, updated_at FROM external_calendars ORDER BY id`
	sqlLoadHolds             = `SELECT ` + holdColumns + ` FROM holds ORDER BY id`
)

// sqlChanges reads the changes of the transactions that a replica's
// snapshot did not see ended: those from its xmax ($1) on and those it saw
// running ($2), at most $3 of them, with the statement's own snapshot,
// this transaction's xid if it has one (a writer's, after its row locks)
// and the pruning bound. PostgreSQL may plan it as a scan of the whole
// log: run it after sqlReadSettings or on a connection with them (the
// follower's). It has no ORDER BY and its xid range an upper bound for
// the same reason: either steers even those plans to a scan in number
// order. The reader sorts. The xids are 64 bits wide
// (pg_current_xact_id: they never wrap around), and the bound, 2^62 past
// the xmax, is beyond any a cluster assigns.
const sqlChanges = `WITH s AS (SELECT pg_current_snapshot()::text AS snap,
		pg_current_xact_id_if_assigned()::text::bigint AS own,
		(SELECT below_xid FROM change_log_pruned WHERE singleton) AS pruned)
	SELECT s.snap, s.own, s.pruned, c.seq, c.xid, c.committed_at, c.table_name, c.op, c.old_row, c.new_row
	FROM s LEFT JOIN LATERAL (SELECT seq, xid, committed_at, table_name, op, old_row, new_row FROM change_log
		WHERE (xid >= $1 AND xid < $1 + 4611686018427387904) OR xid = ANY($2::bigint[]) LIMIT $3) c ON true`

// readSettings rule out sequential scans for the rest of the transaction:
// the plans of the lock and change-log queries are cached per connection,
// and one made while the log was nearly empty would scan it whole as it
// grows, until autovacuum analyzes it. The penalty enable_seqscan puts on
// a scan left would trigger JIT compilation, hence jit off. They also make
// PostgreSQL keep the generic plan of each prepared statement: left to
// choose, it plans the log queries afresh at every execution, because a
// generic plan's estimate for an xid bound it does not know is higher than
// that of a plan made for the actual bound, and planning them costs more
// than running them. As runtime parameters, they are the follower
// connection's.
const readSettings = `set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true),
	set_config('plan_cache_mode', 'force_generic_plan', true)`

var followerParams = map[string]string{"enable_seqscan": "off", "jit": "off", "plan_cache_mode": "force_generic_plan"}

const (
	// sqlNotifyFrom wakes the other replicas once writes have committed;
	// the payload names the schema and the Store that wrote.
	sqlNotifyFrom = `SELECT pg_notify('crossagenda_changes', current_schema() || ' ' || $1)`
	// sqlReadSettings precedes a read of the log outside a write, and
	// after a write's commit.
	sqlReadSettings = `SELECT ` + readSettings
	// sqlCombinedSettings opens a transaction of several bookings
	// (combine.go): the read settings, and lock waits of at most a second.
	sqlCombinedSettings = `SELECT set_config('lock_timeout', '1s', true), ` + readSettings
)

// Writing. The lock queries lock agents' rows in id order: the agents
// named ($1) and those of the record with id $2 as it stands, found with
// one lookup in the agents' primary key.
//
// They also set, for the rest of the transaction, readSettings and the
// trigger's notification off: NOTIFY in a writing transaction holds a
// database-wide lock through its commit's WAL flush, which would make
// writers commit one at a time; the Store notifies after the commit. The
// settings are a condition without columns, which PostgreSQL evaluates
// once before the scan (a one-time filter), even when no agent matches.
const lockAgents = `SELECT id FROM agents WHERE (SELECT set_config('crossagenda.notify', 'off', true) ||
	set_config('enable_seqscan', 'off', true) || set_config('jit', 'off', true) ||
	set_config('plan_cache_mode', 'force_generic_plan', true)) IS NOT NULL AND `

const (
	sqlLockAgentsAndAppointment = lockAgents + `id = ANY($1::text[]
		|| coalesce((SELECT agent_ids FROM appointments WHERE id = $2), '{}')) ORDER BY id FOR UPDATE`
	sqlLockAgentsAndAbsence = lockAgents + `id = ANY($1::text[]
		|| coalesce((SELECT array[agent_id] FROM absences WHERE id = $2), '{}')) ORDER BY id FOR UPDATE`
	sqlLockAgentsAndOpening = lockAgents + `id = ANY($1::text[]
		|| coalesce((SELECT array[agent_id] FROM opening_periods WHERE id = $2), '{}')) ORDER BY id FOR UPDATE`
	// sqlLockOrganisationAgents locks the agents of an organisation, or
	// every agent for "" (a closed day of all organisations).
	sqlLockOrganisationAgents = lockAgents + `($1 = ''
		OR id IN (SELECT agent_id FROM agent_organisations WHERE organisation_id = $1)) ORDER BY id FOR UPDATE`

	sqlAppointmentByID = `SELECT id, organisation_id, coalesce(place_id, ''), coalesce(service_id, ''), agent_ids, start_at, end_at, status, capacity, participants,
		buffer_before_minutes, buffer_after_minutes FROM appointments WHERE id = $1`
	sqlInsertAppointment = `INSERT INTO appointments (id, organisation_id, place_id, service_id, agent_ids, start_at, end_at, status, capacity, participants,
		buffer_before_minutes, buffer_after_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
	// sqlInsertAppointmentUnlessHeld inserts nothing if a hold with the
	// appointment's id is active at $13.
	sqlInsertAppointmentUnlessHeld = `INSERT INTO appointments (id, organisation_id, place_id, service_id, agent_ids, start_at, end_at, status, capacity, participants,
		buffer_before_minutes, buffer_after_minutes) SELECT $1::text, $2::text, $3::text, $4::text, $5::text[], $6::timestamptz, $7::timestamptz,
		$8::text, $9::integer, $10::integer, $11::integer, $12::integer
		WHERE NOT coalesce((SELECT expires_at > $13::timestamptz FROM holds WHERE id = $1), false)`
	// sqlBookIfCurrent is a booking's insert when its check was made on
	// the index at a position ($15 xmin, $16 xmax, $17 running xids), run
	// under the agents' lock: it inserts only if no change the position
	// lacks could alter that check (a change of agent $14's appointments,
	// holds, absences, opening periods or calendars, or any change of
	// another table, or a pruning past the position), and no active hold
	// has the id, nor an appointment (no error: the bookings that share its
	// transaction stand). It answers whether the position was stale and
	// whether it inserted.
	sqlBookIfCurrent = `WITH stale AS (SELECT EXISTS (SELECT 1 FROM change_log
			WHERE ((xid >= $16::bigint AND xid < $16::bigint + 4611686018427387904) OR xid = ANY($17::bigint[]))
			AND NOT (op IN ('insert', 'update', 'delete')
				AND table_name IN ('appointments', 'holds', 'absences', 'opening_periods', 'external_calendars')
				AND NOT coalesce(old_row->'agent_ids' ? $14::text OR old_row->>'agent_id' = $14::text, false)
				AND NOT coalesce(new_row->'agent_ids' ? $14::text OR new_row->>'agent_id' = $14::text, false)))
			OR (SELECT below_xid FROM change_log_pruned WHERE singleton) > $15::bigint AS stale),
		inserted AS (INSERT INTO appointments (id, organisation_id, place_id, service_id, agent_ids, start_at, end_at, status,
			capacity, participants, buffer_before_minutes, buffer_after_minutes)
			SELECT $1::text, $2::text, $3::text, $4::text, $5::text[], $6::timestamptz, $7::timestamptz,
			$8::text, $9::integer, $10::integer, $11::integer, $12::integer
			WHERE NOT (SELECT stale FROM stale) AND NOT coalesce((SELECT expires_at > $13::timestamptz FROM holds WHERE id = $1), false)
			ON CONFLICT (id) DO NOTHING RETURNING 1)
		SELECT (SELECT stale FROM stale), EXISTS (SELECT 1 FROM inserted)`
	sqlUpsertAppointment = sqlInsertAppointment + ` ON CONFLICT (id) DO UPDATE SET organisation_id = excluded.organisation_id,
		place_id = excluded.place_id, service_id = excluded.service_id, agent_ids = excluded.agent_ids, start_at = excluded.start_at,
		end_at = excluded.end_at, status = excluded.status, capacity = excluded.capacity, participants = excluded.participants,
		buffer_before_minutes = excluded.buffer_before_minutes, buffer_after_minutes = excluded.buffer_after_minutes`
	// sqlTakeSeat sets the participants to the count checked ($2), only if
	// the row still holds one less: a guard, the row's lock
	// (sqlLockAppointment, before the log is read) already serialises
	// seat takers, but a writer outside the Store may not have.
	sqlTakeSeat = `UPDATE appointments SET participants = $2 WHERE id = $1 AND participants = $2 - 1`
	// sqlTakeSeatWithID is sqlTakeSeat recording the seat id $3 if, and
	// only if, it takes the seat.
	sqlTakeSeatWithID = `WITH taken AS (UPDATE appointments SET participants = $2 WHERE id = $1 AND participants = $2 - 1 RETURNING id)
		INSERT INTO seats (id, appointment_id) SELECT $3, id FROM taken`
	// sqlLockAppointment locks an appointment's row, after its agents'.
	sqlLockAppointment   = `SELECT 1 FROM appointments WHERE id = $1 FOR UPDATE`
	sqlCancelAppointment = `UPDATE appointments SET status = $2 WHERE id = $1`
	sqlDeleteAppointment = `DELETE FROM appointments WHERE id = $1`

	sqlUpsertAbsence = `INSERT INTO absences (id, agent_id, first_day, start_time, end_day, end_time, rrule, until, exdates)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id,
		first_day = excluded.first_day, start_time = excluded.start_time, end_day = excluded.end_day,
		end_time = excluded.end_time, rrule = excluded.rrule, until = excluded.until, exdates = excluded.exdates`
	sqlDeleteAbsence = `DELETE FROM absences WHERE id = $1`

	sqlUpsertOpening = `INSERT INTO opening_periods (id, agent_id, organisation_id, place_id, service_ids, first_day, start_time, end_time, rrule, until, exdates)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id,
		organisation_id = excluded.organisation_id, place_id = excluded.place_id, service_ids = excluded.service_ids,
		first_day = excluded.first_day, start_time = excluded.start_time, end_time = excluded.end_time,
		rrule = excluded.rrule, until = excluded.until, exdates = excluded.exdates`
	sqlDeleteOpening = `DELETE FROM opening_periods WHERE id = $1`

	sqlInsertClosedDay = `INSERT INTO closed_days (date, organisation_id, name) VALUES ($1, $2, $3)`
	sqlDeleteClosedDay = `DELETE FROM closed_days WHERE date = $1 AND coalesce(organisation_id, '') = $2`

	sqlLockAgentsAndCalendar = lockAgents + `id = ANY($1::text[]
		|| coalesce((SELECT array[agent_id] FROM external_calendars WHERE id = $2), '{}')) ORDER BY id FOR UPDATE`
	// The database's clock stamps a calendar, the same for every replica.
	sqlUpsertCalendar = `INSERT INTO external_calendars (id, agent_id, ics, updated_at) VALUES ($1, $2, $3, now())
		ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, ics = excluded.ics, updated_at = excluded.updated_at`
	sqlDeleteCalendar = `DELETE FROM external_calendars WHERE id = $1`
)

// Pruning the change log (prune.go, and migration 005).
const (
	sqlRecordHorizon  = `INSERT INTO change_log_horizons (oldest_xid) VALUES (pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`
	sqlPruneHorizon   = `SELECT max(oldest_xid) FROM change_log_horizons WHERE taken_at <= now() - make_interval(secs => $1)`
	sqlPruneChangeLog = `DELETE FROM change_log WHERE seq IN (SELECT seq FROM change_log WHERE xid < $1 LIMIT $2)`
	sqlPruned         = `WITH p AS (UPDATE change_log_pruned SET below_xid = greatest(below_xid, $1))
		DELETE FROM change_log_horizons WHERE oldest_xid < $1`
)

// Holds (holds.go). sqlLockAgentsAndHold locks the agents named ($1), those
// of the appointment $2 and the agent of the hold $2: a hold and the
// appointment it becomes share their id.
const (
	holdColumns = `id, organisation_id, coalesce(place_id, ''), service_id, agent_id, start_at, end_at,
		buffer_before_minutes, buffer_after_minutes, expires_at`
	sqlLockAgentsAndHold = lockAgents + `id = ANY($1::text[]
		|| coalesce((SELECT agent_ids FROM appointments WHERE id = $2), '{}')
		|| coalesce((SELECT array[agent_id] FROM holds WHERE id = $2), '{}')) ORDER BY id FOR UPDATE`
	// sqlLockBookings locks the agents named ($1) and those of the
	// appointments and holds with the ids $2: the lock of several bookings
	// that share a transaction (combine.go).
	sqlLockBookings = lockAgents + `id = ANY($1::text[]
		|| coalesce((SELECT array_agg(a) FROM appointments, unnest(agent_ids) a WHERE id = ANY($2::text[])), '{}')
		|| coalesce((SELECT array_agg(agent_id) FROM holds WHERE id = ANY($2::text[])), '{}')) ORDER BY id FOR UPDATE`
	sqlHoldByID      = `SELECT ` + holdColumns + ` FROM holds WHERE id = $1 FOR UPDATE`
	sqlActiveHoldID  = `SELECT coalesce((SELECT expires_at > $2 FROM holds WHERE id = $1), false)`
	sqlAppointmentID = `SELECT EXISTS (SELECT 1 FROM appointments WHERE id = $1)`
	sqlInsertHold    = `INSERT INTO holds (id, organisation_id, place_id, service_id, agent_id, start_at, end_at,
		buffer_before_minutes, buffer_after_minutes, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	sqlDeleteHold = `DELETE FROM holds WHERE id = $1`
	// Seat ids (migration 007).
	sqlSeatAppointment = `SELECT appointment_id FROM seats WHERE id = $1`
	// sqlDeleteExpiredHolds deletes at most $2 holds expired at $1, the
	// hold $3 first if it is one; rows another writer has locked are
	// left to a later round.
	sqlDeleteExpiredHolds = `DELETE FROM holds WHERE id IN (SELECT id FROM holds WHERE expires_at <= $1
		ORDER BY id = $3 DESC, expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`
)
