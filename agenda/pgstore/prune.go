package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// PruneChangeLog deletes the changes written more than olderThan ago,
// keeping the last one (so numbering goes on), and returns how many it
// deleted. Replicas need the log only to catch up: one that lags by more
// than olderThan finds a gap in the numbers and reloads the whole
// dataset, so pruning costs such a replica a reload, never a change.
func PruneChangeLog(ctx context.Context, pool *pgxpool.Pool, olderThan time.Duration) (int64, error) {
	if olderThan < 0 {
		return 0, fmt.Errorf("pgstore: prune: negative age %s", olderThan)
	}
	tag, err := pool.Exec(ctx, sqlPruneChangeLog, olderThan.Seconds())
	if err != nil {
		return 0, fmt.Errorf("pgstore: prune: %w", err)
	}
	return tag.RowsAffected(), nil
}
