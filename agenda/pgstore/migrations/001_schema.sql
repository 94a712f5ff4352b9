-- The dataset model of package agenda (agenda/dataset.go), one table per
-- record kind. Constraints say what SQL can say (ids, references, statuses,
-- signs, end after start); the engine's validation on load says the rest
-- (RRULEs, local dates and times, zones, membership of organisations).
-- Empty optional references are NULL so that foreign keys can check them.

CREATE TABLE crossagenda_settings (
	singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	time_zone text NOT NULL DEFAULT ''
);

CREATE TABLE holiday_calendars (
	name text PRIMARY KEY CHECK (name <> '')
);

CREATE TABLE organisations (
	id text PRIMARY KEY CHECK (id <> ''),
	name text NOT NULL DEFAULT '',
	time_zone text NOT NULL DEFAULT ''
);

CREATE TABLE agents (
	id text PRIMARY KEY CHECK (id <> ''),
	name text NOT NULL DEFAULT '',
	time_zone text NOT NULL DEFAULT ''
);

-- An agent's organisations, in order: the first one's zone is the agent's
-- default zone.
CREATE TABLE agent_organisations (
	agent_id text NOT NULL REFERENCES agents ON DELETE CASCADE,
	organisation_id text NOT NULL REFERENCES organisations,
	position integer NOT NULL CHECK (position >= 0),
	PRIMARY KEY (agent_id, organisation_id),
	UNIQUE (agent_id, position)
);

CREATE TABLE places (
	id text PRIMARY KEY CHECK (id <> ''),
	organisation_id text NOT NULL REFERENCES organisations,
	name text NOT NULL DEFAULT ''
);

CREATE TABLE services (
	id text PRIMARY KEY CHECK (id <> ''),
	organisation_id text NOT NULL REFERENCES organisations,
	name text NOT NULL DEFAULT '',
	duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
	min_notice_minutes integer NOT NULL DEFAULT 0 CHECK (min_notice_minutes >= 0),
	max_notice_minutes integer NOT NULL DEFAULT 0 CHECK (max_notice_minutes >= 0),
	collective boolean NOT NULL DEFAULT false
);

CREATE TABLE opening_periods (
	id text PRIMARY KEY CHECK (id <> ''),
	agent_id text NOT NULL REFERENCES agents,
	organisation_id text NOT NULL REFERENCES organisations,
	place_id text REFERENCES places,
	service_ids text[] NOT NULL,
	first_day text NOT NULL,
	start_time text NOT NULL,
	end_time text NOT NULL,
	rrule text NOT NULL DEFAULT '',
	until text NOT NULL DEFAULT ''
);

CREATE TABLE absences (
	id text PRIMARY KEY CHECK (id <> ''),
	agent_id text NOT NULL REFERENCES agents,
	first_day text NOT NULL,
	start_time text NOT NULL,
	end_day text NOT NULL DEFAULT '',
	end_time text NOT NULL,
	rrule text NOT NULL DEFAULT '',
	until text NOT NULL DEFAULT ''
);

CREATE TABLE appointments (
	id text PRIMARY KEY CHECK (id <> ''),
	organisation_id text NOT NULL REFERENCES organisations,
	place_id text REFERENCES places,
	service_id text REFERENCES services,
	agent_ids text[] NOT NULL CHECK (cardinality(agent_ids) >= 1),
	start_at timestamptz NOT NULL,
	end_at timestamptz NOT NULL CHECK (end_at > start_at),
	status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'seen', 'noshow', 'excused', 'revoked')),
	capacity integer NOT NULL DEFAULT 0 CHECK (capacity >= 0),
	participants integer NOT NULL DEFAULT 0 CHECK (participants >= 0)
);

-- A closed day of one organisation, or of all (organisation_id NULL).
CREATE TABLE closed_days (
	date text NOT NULL,
	organisation_id text REFERENCES organisations,
	name text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX closed_days_key ON closed_days (date, coalesce(organisation_id, ''));

-- The change log: one row per row changed, numbered in commit order.
--
-- Every writing transaction increments the single row of change_counter
-- from its trigger. That row lock is held until the transaction ends, so a
-- second writer takes its numbers only after the first has committed (and
-- become visible) or rolled back (and taken its numbers back): numbers are
-- dense, and their order is the commit order. A reader that sees number n
-- committed therefore sees every number below n. The price is that writing
-- transactions serialise from their first logged write to their commit;
-- the store keeps that window to one statement and the commit.
CREATE TABLE change_counter (
	singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	seq bigint NOT NULL
);
INSERT INTO change_counter VALUES (true, 0);

CREATE TABLE change_log (
	seq bigint PRIMARY KEY,
	committed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	table_name text NOT NULL,
	op text NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'reload')),
	old_row jsonb,
	new_row jsonb
);

CREATE FUNCTION crossagenda_log_change() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
	n bigint;
BEGIN
	-- An import writes a single 'reload' entry itself instead.
	IF current_setting('crossagenda.importing', true) = 'on' THEN
		RETURN NULL;
	END IF;
	UPDATE change_counter SET seq = seq + 1 RETURNING seq INTO n;
	IF TG_LEVEL = 'STATEMENT' THEN -- TRUNCATE
		INSERT INTO change_log (seq, table_name, op) VALUES (n, TG_TABLE_NAME, 'reload');
	ELSE
		INSERT INTO change_log (seq, table_name, op, old_row, new_row)
		VALUES (n, TG_TABLE_NAME, lower(TG_OP),
			CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
			CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
	END IF;
	-- Identical notifications of one transaction are delivered once, at
	-- commit: a wake-up, not a carrier (the log is).
	PERFORM pg_notify('crossagenda_changes', current_schema());
	RETURN NULL;
END
$$;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['crossagenda_settings', 'holiday_calendars', 'organisations', 'agents',
		'agent_organisations', 'places', 'services', 'opening_periods', 'absences', 'appointments', 'closed_days']
	LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
			FOR EACH ROW EXECUTE FUNCTION crossagenda_log_change()', t || '_log', t);
		EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
			FOR EACH STATEMENT EXECUTE FUNCTION crossagenda_log_change()', t || '_log_truncate', t);
	END LOOP;
END
$$;
