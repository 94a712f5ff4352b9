package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crossagenda/crossagenda/agenda"
)

// PruneChangeLog bounds the change log, for a periodic job: it deletes the
// changes of the transactions that had all ended olderThan ago, as far as
// an earlier call (or this one, for olderThan 0) recorded them, and
// returns how many it deleted. Each call records the oldest transaction
// still running, so the first calls delete nothing until one is olderThan
// old. Replicas need the log only to catch up: one whose last read is
// older than the pruned changes reloads the whole dataset, so pruning
// costs such a replica a reload, never a change.
func PruneChangeLog(ctx context.Context, pool *pgxpool.Pool, olderThan time.Duration) (int64, error) {
	if olderThan < 0 {
		return 0, fmt.Errorf("pgstore: prune: negative age %s: %w", olderThan, agenda.ErrInvalidQuery)
	}
	// The bound first, in a transaction of its own: from its commit on, a
	// replica whose position is older reloads, whether or not the rows
	// are gone yet. Then the rows, a batch per statement, so that no
	// statement runs for as long as a day of changes takes to delete.
	var below *int64
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlRecordHorizon); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, sqlPruneHorizon, olderThan.Seconds()).Scan(&below); err != nil || below == nil {
			return err
		}
		_, err := tx.Exec(ctx, sqlPruned, *below)
		return err
	})
	if err != nil || below == nil {
		return 0, wrapPrune(err)
	}
	var n int64
	for {
		tag, err := pool.Exec(ctx, sqlPruneChangeLog, *below, pruneBatch)
		if err != nil {
			return n, wrapPrune(err)
		}
		n += tag.RowsAffected()
		if tag.RowsAffected() < pruneBatch {
			return n, nil
		}
	}
}

// pruneBatch bounds the changes one statement of PruneChangeLog deletes.
const pruneBatch = 10000

func wrapPrune(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("pgstore: prune: %w", err)
}
