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
	sqlLogReload = `WITH n AS (UPDATE change_counter SET seq = seq + 1 RETURNING seq)
		INSERT INTO change_log (seq, table_name, op) SELECT seq, $1, 'reload' FROM n`
)

const (
	notifyChannel = "crossagenda_changes"
	sqlNotify     = `SELECT pg_notify('crossagenda_changes', current_schema())`
	sqlListen     = `LISTEN crossagenda_changes`
)

// Loading, in one REPEATABLE READ transaction so that every table and the
// change counter are read at the same instant.
const (
	sqlLoadSeq           = `SELECT seq FROM change_counter`
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

const (
	sqlChanges = `SELECT seq, committed_at, table_name, op, old_row, new_row FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2`
	sqlSeq     = `SELECT seq FROM change_counter`
)

// Writing. The lock queries lock agents' rows in id order: the agents
// named ($1) and those of the record with id $2 as it stands.
const (
	sqlLockAgentsAndAppointment = `SELECT id FROM agents WHERE id = ANY($1::text[])
		OR id = ANY(coalesce((SELECT agent_ids FROM appointments WHERE id = $2), '{}'))
		ORDER BY id FOR UPDATE`
	sqlLockAgentsAndAbsence = `SELECT id FROM agents WHERE id = ANY($1::text[])
		OR id = (SELECT agent_id FROM absences WHERE id = $2) ORDER BY id FOR UPDATE`
	sqlLockAgentsAndOpening = `SELECT id FROM agents WHERE id = ANY($1::text[])
		OR id = (SELECT agent_id FROM opening_periods WHERE id = $2) ORDER BY id FOR UPDATE`
	// sqlLockOrganisationAgents locks the agents of an organisation, or
	// every agent for "" (a closed day of all organisations).
	sqlLockOrganisationAgents = `SELECT id FROM agents WHERE $1 = ''
		OR id IN (SELECT agent_id FROM agent_organisations WHERE organisation_id = $1) ORDER BY id FOR UPDATE`

	sqlAppointmentByID = `SELECT id, organisation_id, coalesce(place_id, ''), coalesce(service_id, ''), agent_ids, start_at, end_at, status, capacity, participants,
		buffer_before_minutes, buffer_after_minutes FROM appointments WHERE id = $1`
	sqlInsertAppointment = `INSERT INTO appointments (id, organisation_id, place_id, service_id, agent_ids, start_at, end_at, status, capacity, participants,
		buffer_before_minutes, buffer_after_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
	sqlUpsertAppointment = sqlInsertAppointment + ` ON CONFLICT (id) DO UPDATE SET organisation_id = excluded.organisation_id,
		place_id = excluded.place_id, service_id = excluded.service_id, agent_ids = excluded.agent_ids, start_at = excluded.start_at,
		end_at = excluded.end_at, status = excluded.status, capacity = excluded.capacity, participants = excluded.participants,
		buffer_before_minutes = excluded.buffer_before_minutes, buffer_after_minutes = excluded.buffer_after_minutes`
	// sqlTakeSeat sets the participants to the count checked ($2), only if
	// the row still holds one less: a guard, the agents' locks already
	// serialise seat takers.
	sqlTakeSeat          = `UPDATE appointments SET participants = $2 WHERE id = $1 AND participants = $2 - 1`
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

	sqlLockAgentsAndCalendar = `SELECT id FROM agents WHERE id = ANY($1::text[])
		OR id = (SELECT agent_id FROM external_calendars WHERE id = $2) ORDER BY id FOR UPDATE`
	// The database's clock stamps a calendar, the same for every replica.
	sqlUpsertCalendar = `INSERT INTO external_calendars (id, agent_id, ics, updated_at) VALUES ($1, $2, $3, now())
		ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, ics = excluded.ics, updated_at = excluded.updated_at`
	sqlDeleteCalendar = `DELETE FROM external_calendars WHERE id = $1`
)

const sqlPruneChangeLog = `DELETE FROM change_log WHERE committed_at < clock_timestamp() - make_interval(secs => $1)
	AND seq < (SELECT max(seq) FROM change_log)`

// Holds (holds.go). sqlLockAgentsAndHold locks the agents named ($1), those
// of the appointment $2 and the agent of the hold $2: a hold and the
// appointment it becomes share their id.
const (
	holdColumns = `id, organisation_id, coalesce(place_id, ''), service_id, agent_id, start_at, end_at,
		buffer_before_minutes, buffer_after_minutes, expires_at`
	sqlLockAgentsAndHold = `SELECT id FROM agents WHERE id = ANY($1::text[])
		OR id = ANY(coalesce((SELECT agent_ids FROM appointments WHERE id = $2), '{}'))
		OR id = (SELECT agent_id FROM holds WHERE id = $2) ORDER BY id FOR UPDATE`
	sqlHoldByID      = `SELECT ` + holdColumns + ` FROM holds WHERE id = $1 FOR UPDATE`
	sqlActiveHoldID  = `SELECT EXISTS (SELECT 1 FROM holds WHERE id = $1 AND expires_at > $2)`
	sqlAppointmentID = `SELECT EXISTS (SELECT 1 FROM appointments WHERE id = $1)`
	sqlInsertHold    = `INSERT INTO holds (id, organisation_id, place_id, service_id, agent_id, start_at, end_at,
		buffer_before_minutes, buffer_after_minutes, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	sqlDeleteHold = `DELETE FROM holds WHERE id = $1`
	// sqlDeleteExpiredHolds deletes at most $2 holds expired at $1, the
	// hold $3 first if it is one; rows another writer has locked are
	// left to a later round.
	sqlDeleteExpiredHolds = `DELETE FROM holds WHERE id IN (SELECT id FROM holds WHERE expires_at <= $1
		ORDER BY id = $3 DESC, expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`
)
