-- Agents' external calendars: their iCalendar text and when each was last
-- replaced (NULL: when the index was built). A change reloads the index.

CREATE TABLE external_calendars (
	id text PRIMARY KEY CHECK (id <> ''),
	agent_id text NOT NULL REFERENCES agents,
	ics text NOT NULL,
	updated_at timestamptz
);

CREATE TRIGGER external_calendars_log AFTER INSERT OR UPDATE OR DELETE ON external_calendars
	FOR EACH ROW EXECUTE FUNCTION crossagenda_log_change();
CREATE TRIGGER external_calendars_log_truncate AFTER TRUNCATE ON external_calendars
	FOR EACH STATEMENT EXECUTE FUNCTION crossagenda_log_change();
