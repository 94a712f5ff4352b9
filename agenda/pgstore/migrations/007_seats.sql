-- Seat ids (agenda.Booking.SeatID): the idempotency key of a seat taken in
-- a collective appointment, whose own id every seat shares. A seat booking
-- repeated with its seat id answers the appointment instead of taking a
-- second seat. Not a record of the dataset, so not logged: replicas do not
-- need it in their indexes, since a seat booking looks its id up here,
-- under its appointment's row lock. Deleting an appointment deletes
-- its seat ids; a TRUNCATE of appointments needs CASCADE (or seats named
-- with it).

CREATE TABLE seats (
	id text PRIMARY KEY CHECK (id <> ''),
	appointment_id text NOT NULL REFERENCES appointments ON DELETE CASCADE ON UPDATE CASCADE,
	taken_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX seats_appointment_id ON seats (appointment_id);
