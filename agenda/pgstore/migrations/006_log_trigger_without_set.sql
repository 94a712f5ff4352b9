-- The change-log trigger function names its schema instead of setting
-- search_path.
--
-- Migrations 001 and 005 declared the function with SET search_path FROM
-- CURRENT, so that it writes to its own schema's log whatever the writer's
-- search path. But a function with a SET clause sets the parameter on
-- every call and restores it on return, and each new search path is
-- parsed and looked up in the catalog: twice for every row written. The
-- function now names the schema this migration runs in (current_schema(),
-- quoted), and its notification the written table's schema
-- (TG_TABLE_SCHEMA), which is the same. CREATE OR REPLACE without a SET
-- clause drops the stored setting. The body is passed as a quoted literal
-- (%L), so that no schema name can end it early.
DO $migration$
BEGIN
	EXECUTE format('CREATE OR REPLACE FUNCTION crossagenda_log_change() RETURNS trigger LANGUAGE plpgsql AS %L',
		format($body$
BEGIN
	-- An import writes a single 'reload' entry itself instead.
	IF current_setting('crossagenda.importing', true) = 'on' THEN
		RETURN NULL;
	END IF;
	IF TG_LEVEL = 'STATEMENT' THEN -- TRUNCATE
		INSERT INTO %1$I.change_log (table_name, op) VALUES (TG_TABLE_NAME, 'reload');
	ELSE
		INSERT INTO %1$I.change_log (table_name, op, old_row, new_row)
		VALUES (TG_TABLE_NAME, lower(TG_OP),
			CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
			CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
	END IF;
	-- Identical notifications of one transaction are delivered once, at
	-- commit: a wake-up, not a carrier (the log is).
	IF current_setting('crossagenda.notify', true) IS DISTINCT FROM 'off' THEN
		PERFORM pg_notify('crossagenda_changes', TG_TABLE_SCHEMA);
	END IF;
	RETURN NULL;
END
$body$, current_schema()));
END
$migration$;
