package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
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
		return 0, fmt.Errorf("pgstore: prune: negative age %s", olderThan)
	}
	var n int64
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlRecordHorizon); err != nil {
			return err
		}
		var below *int64
		if err := tx.QueryRow(ctx, sqlPruneHorizon, olderThan.Seconds()).Scan(&below); err != nil || below == nil {
			return err
		}
		tag, err := tx.Exec(ctx, sqlPruneChangeLog, *below)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		_, err = tx.Exec(ctx, sqlPruned, *below)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("pgstore: prune: %w", err)
	}
	return n, nil
}
