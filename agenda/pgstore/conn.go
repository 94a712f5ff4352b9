package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// sqlKeepHeap has the server process of a connection allocate and free
// one 1 MiB block. On a server linked with glibc, as PostgreSQL's packages
// are, freeing a block that large (which malloc maps on its own) raises
// the process's threshold for giving the top of its heap back to the
// system from 128 KiB to 2 MiB (mallopt(3), dynamic thresholds). A write's
// statements take a few hundred KiB each and free them when they end;
// below that threshold, the process gave the memory back after each of
// them, and the next faulted it in again: one system call and a TLB
// flush of every CPU per statement, page faults after. The price is at most
// 2 MiB of free heap kept by each connection's server process. With
// another malloc, it only costs the allocation, once per connection.
const sqlKeepHeap = `SELECT length(repeat('x', 1048576))`

// heapKept marks, in a connection's custom data, that sqlKeepHeap ran.
const heapKept = "crossagenda.heap_kept"

// keepHeap runs sqlKeepHeap on conn unless it already ran there.
func keepHeap(ctx context.Context, conn *pgx.Conn) error {
	data := conn.PgConn().CustomData()
	if data[heapKept] != nil {
		return nil
	}
	if _, err := conn.Exec(ctx, sqlKeepHeap, pgx.QueryExecModeSimpleProtocol); err != nil {
		return fmt.Errorf("pgstore: preparing the connection: %w", err)
	}
	data[heapKept] = true
	return nil
}

// acquire takes a connection of the pool for the Store's writes and reads
// of the log (see sqlKeepHeap).
func (s *Store) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	if err := keepHeap(ctx, conn.Conn()); err != nil {
		conn.Release()
		return nil, err
	}
	return conn, nil
}
