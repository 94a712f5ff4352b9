-- The change log without a serialising counter.
--
-- Migration 001 numbered changes in commit order with a one-row counter
-- that every writing transaction updated and held until its commit, WAL
-- flush included: all writers committed one at a time. Now each change
-- takes its number from a sequence, which orders the changes of any one
-- row in commit order (a second writer of a row draws its number only
-- after the first has committed: it waits on the row's lock), and records
-- its transaction (xid, pg_current_xact_id() as a bigint). A replica keeps
-- the PostgreSQL snapshot of its last read of the log: it has applied
-- exactly the changes of the transactions visible in that snapshot, and
-- its next read asks only for the others (the snapshot's running xids and
-- those at or after its xmax). See follow.go.
--
-- The notification is no longer sent by every logged row either: NOTIFY
-- takes a database-wide lock until the end of the commit, which would
-- serialise writers again. A Store's writes turn it off for their
-- transaction (crossagenda.notify = 'off') and notify right after the
-- commit; any other writer (psql, a migration) still notifies from the
-- trigger.

CREATE SEQUENCE change_log_seq;
SELECT setval('change_log_seq', greatest(seq, 1), seq > 0) FROM change_counter;
DROP TABLE change_counter;

ALTER TABLE change_log
	ALTER COLUMN seq SET DEFAULT nextval('change_log_seq'),
	ADD COLUMN xid bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint;
CREATE INDEX change_log_xid ON change_log (xid);

-- Pruning. Each PruneChangeLog records the xmin of its snapshot; it then
-- deletes the changes of transactions older than the xmin recorded at
-- least the given age ago, and remembers that bound here. A replica whose
-- last read was older than that bound (its snapshot's xmin is below it)
-- may have lost changes it had not read, and reloads.
CREATE TABLE change_log_horizons (
	taken_at timestamptz NOT NULL DEFAULT now(),
	oldest_xid bigint NOT NULL
);
CREATE TABLE change_log_pruned (
	singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	below_xid bigint NOT NULL
);
INSERT INTO change_log_pruned VALUES (true, 0);

CREATE OR REPLACE FUNCTION crossagenda_log_change() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	-- An import writes a single 'reload' entry itself instead.
	IF current_setting('crossagenda.importing', true) = 'on' THEN
		RETURN NULL;
	END IF;
	IF TG_LEVEL = 'STATEMENT' THEN -- TRUNCATE
		INSERT INTO change_log (table_name, op) VALUES (TG_TABLE_NAME, 'reload');
	ELSE
		INSERT INTO change_log (table_name, op, old_row, new_row)
		VALUES (TG_TABLE_NAME, lower(TG_OP),
			CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
			CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
	END IF;
	-- Identical notifications of one transaction are delivered once, at
	-- commit: a wake-up, not a carrier (the log is).
	IF current_setting('crossagenda.notify', true) IS DISTINCT FROM 'off' THEN
		PERFORM pg_notify('crossagenda_changes', current_schema());
	END IF;
	RETURN NULL;
END
$$;

