-- Holds (agenda.Live.Hold): a slot reserved until expires_at, an absolute
-- instant that every replica compares with its own clock, so that all
-- agree and an expired row blocks nothing even before it is deleted.
-- The other columns are the appointment the hold becomes when confirmed.
-- Writers delete expired rows as they go (Store.Hold, Store.PruneHolds).

CREATE TABLE holds (
	id text PRIMARY KEY CHECK (id <> ''),
	organisation_id text NOT NULL REFERENCES organisations,
	place_id text REFERENCES places,
	service_id text NOT NULL REFERENCES services,
	agent_id text NOT NULL REFERENCES agents ON DELETE CASCADE,
	start_at timestamptz NOT NULL,
	end_at timestamptz NOT NULL CHECK (end_at > start_at),
	buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes >= 0),
	buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes >= 0),
	expires_at timestamptz NOT NULL
);
CREATE INDEX holds_expires_at ON holds (expires_at);

CREATE TRIGGER holds_log AFTER INSERT OR UPDATE OR DELETE ON holds
	FOR EACH ROW EXECUTE FUNCTION crossagenda_log_change();
CREATE TRIGGER holds_log_truncate AFTER TRUNCATE ON holds
	FOR EACH STATEMENT EXECUTE FUNCTION crossagenda_log_change();
