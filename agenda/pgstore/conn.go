package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// sqlKeepHeap has the server process of a connection allocate and free a
// 1 MiB block (while planning: the planner folds the call). On a server
// linked with glibc, as PostgreSQL's packages are, freeing a block that
// large, which malloc maps on its own, raises the process's threshold for
// giving the top of its heap back to the system from 128 KiB to about
// 2 MiB (mallopt(3), dynamic thresholds). The statements of a shared
// booking transaction take a few hundred KiB each and free them when they
// end; below that threshold the process gave that memory back after each
// of them (brk, and a TLB flush) and the next faulted it in again. The
// price is up to about 2 MiB of free memory kept at the top of each
// connection's server process's heap. It does nothing where the
// thresholds are set (MALLOC_TRIM_THRESHOLD_, GLIBC_TUNABLES) or with
// another malloc, and costs the allocation, once per connection.
const sqlKeepHeap = `SELECT length(repeat('x', 1048576))`

// heapKept marks, in a connection's custom data, that sqlKeepHeap ran.
const heapKept = "crossagenda.heap_kept"

// keepHeap runs sqlKeepHeap on conn unless it already ran there. Only a
// failed connection is an error: a server that refuses the statement is
// left as it is.
func (s *Store) keepHeap(ctx context.Context, conn *pgx.Conn) error {
	data := conn.PgConn().CustomData()
	if data[heapKept] != nil {
		return nil
	}
	if _, err := conn.Exec(ctx, sqlKeepHeap, pgx.QueryExecModeSimpleProtocol); err != nil {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			return fmt.Errorf("pgstore: preparing the connection: %w", err)
		}
		s.cfg.Logger.Warn("pgstore: the server refused the statement that keeps its heap; going on without", "err", err)
	}
	data[heapKept] = true
	return nil
}

// acquire takes a connection of the pool for a write or a read of the
// log, having run sqlKeepHeap on it the first time.
func (s *Store) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.keepHeap(ctx, conn.Conn()); err != nil {
		conn.Release()
		return nil, err
	}
	return conn, nil
}
