-- The booking rules of the dataset model: holiday zones, daily caps,
-- buffers, slot intervals and excluded dates.

ALTER TABLE organisations
	ADD COLUMN holiday_calendar text NOT NULL DEFAULT '',
	ADD COLUMN worked_holidays text[] NOT NULL DEFAULT '{}';

ALTER TABLE agents
	ADD COLUMN max_appointments_per_day integer NOT NULL DEFAULT 0 CHECK (max_appointments_per_day >= 0);

ALTER TABLE services
	ADD COLUMN buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes >= 0),
	ADD COLUMN buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes >= 0),
	ADD COLUMN slot_interval_minutes integer NOT NULL DEFAULT 0 CHECK (slot_interval_minutes >= 0),
	ADD COLUMN max_per_agent_per_day integer NOT NULL DEFAULT 0 CHECK (max_per_agent_per_day >= 0);

ALTER TABLE opening_periods ADD COLUMN exdates text[] NOT NULL DEFAULT '{}';
ALTER TABLE absences ADD COLUMN exdates text[] NOT NULL DEFAULT '{}';

-- NULL: the service's buffers apply.
ALTER TABLE appointments
	ADD COLUMN buffer_before_minutes integer CHECK (buffer_before_minutes >= 0),
	ADD COLUMN buffer_after_minutes integer CHECK (buffer_after_minutes >= 0);
