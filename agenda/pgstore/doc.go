// Package pgstore keeps crossagenda's data in PostgreSQL, the source of
// truth, and serves it from an [agenda.Live] index that follows the
// database: a [Store] is one replica. It is a Go module of its own, so
// that importing package agenda never pulls a database driver.
//
// # Schema
//
// [Migrate] applies the embedded, versioned migrations (migrations/*.sql):
// one table per record kind of [agenda.Dataset], with the constraints SQL
// can state; the engine validates the rest when a Store loads, and a row
// it refuses is reported as a [RowError] naming the table, the id and the
// column. [Import] writes a dataset into an empty database with COPY.
//
// # Writes
//
// Every write goes to the database first, in two round trips. A write
// locks the rows of the agents it concerns (SELECT ... FOR UPDATE, in id
// order) and reads the change log under that lock, in one pipeline; it
// brings the replica's index up to date with what it read, checks with
// the engine ([agenda.Index.CheckBooking] for a booking), then writes,
// commits and reads the log again in a second pipeline, which applies the
// change to the index. Two replicas booking the same agent
// serialise on the agent's row, and the second checks against an index
// that holds the first's booking: they never both succeed.
//
// A booking usually takes one round trip instead. It is checked on the
// index as it stands, at its position; one pipeline then locks the agent,
// inserts the appointment only if the change log holds no change the
// position lacks that could alter the check (one of the agent's own
// records, or any change outside the agents' records), commits and reads
// the log. Under the lock every earlier writer of the agent has committed,
// so the insert decides as a check after catching up would. When the
// position was stale for that agent, nothing is written and the booking
// is checked again the two-round-trip way ([Stats].Rechecked counts
// these). A booking the index refuses goes that way too, since only a
// check after catching up may refuse. Bookings that reach a Store while such transactions are in
// flight ([Config].BookingTransactions: by default two, one while another
// Store writes to the same schema) share the next one, up to 16 of
// distinct agents: one lock statement, one commit and one read of the log
// for all of them, each insert guarded as if alone. A transaction that
// carried others' bookings yields before taking the next batch, so that
// the callers it answered, booking again, join that batch.
//
// # Holds
//
// [Store.Hold], [Store.Confirm] and [Store.ReleaseHold] follow the same
// protocol: a hold is a row of the holds table carrying its absolute
// expiry instant, computed on the Store's clock ([agenda.WithClock]).
// Every replica applies it ([agenda.Live.PutHold]) and compares that
// instant with its own clock, so an expired hold blocks nothing anywhere
// even before its row is deleted; Hold deletes expired rows as it goes
// and [Store.PruneHolds] sweeps the rest. Confirm inserts the appointment
// and deletes the hold in one transaction, in that order, so that no
// replica sees the slot free in between.
//
// # Following
//
// Triggers write every change of every table to change_log, with a number
// from a sequence and the id of the writing transaction. A replica's
// [Position] is the PostgreSQL snapshot of its last read of the log: its
// index holds exactly the changes of the transactions that snapshot saw
// committed, and its next read asks for the others (those it saw running
// and those that started after it), so that a missed notification, a
// dropped connection or a restarted server delays changes by at most
// [Config.Poll] and never loses or repeats one. A read applies its changes
// in number order, which is the commit order of the changes of any one
// row (a second writer of a row draws its number only once the first has
// committed). Reads may finish out of order; a read whose snapshot the
// position already covers brings nothing.
//
// Changes to appointments, holds, absences, opening periods, closed days
// and external calendars are applied one by one; a change to the
// catalogue (organisations, agents, places, services, settings) reloads
// the whole index. [PruneChangeLog] bounds the log: a replica whose last
// read predates the pruned changes reloads.
//
// Nothing serialises writers but the rows they lock: bookings of
// different agents commit concurrently, in one WAL flush when they commit
// together. A Store's writes notify the other replicas after their commit
// (NOTIFY inside the transaction would hold a database-wide lock through
// the commit), one notification for the writes of each
// [Config].NotifyInterval, so that a burst of writes wakes each listener
// once; any other writer notifies from the trigger.
//
// # Connections
//
// A Store writes and catches up on connections of the pool it is given,
// follows on one connection of its own, and loads (at Open, and when it
// reloads) on another, closed after, both opened as the pool opens its own
// (its BeforeConnect and AfterConnect hooks included): count the pool and two more per
// replica against max_connections. The first time it takes each
// connection of the pool, and on its follower's, it has the server process allocate
// and free a 1 MiB block: with glibc's malloc, as in PostgreSQL's
// packages, that raises the process's threshold for giving its heap back
// to the system, which it otherwise did after nearly every statement of a
// shared booking transaction, faulting the memory in again in the next
// one. The price is up to about 2 MiB of free memory kept at the top of
// each such process's heap.
//
// # Tests
//
// The tests need a PostgreSQL server: set CROSSAGENDA_TEST_DATABASE_URL
// (for example postgres://postgres@127.0.0.1:5432/test). Without it they
// skip, except under CI=true, where they fail. Each test works in a schema
// of its own, dropped at the end.
package pgstore
