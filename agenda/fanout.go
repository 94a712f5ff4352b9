package agenda

import (
	"context"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// fanOut calls work(ctx, w, i) for every i in [0, n), on at most
// ix.cfg.parallelism goroutines; w in [0, workers) names the goroutine so
// that work can keep per-goroutine scratch space. Each call must write only
// its own result slot, which keeps the merge deterministic whatever the
// scheduling. A single item, or parallelism 1, runs inline without any
// goroutine. Cancellation is checked before every item.
func (ix *Index) fanOut(ctx context.Context, n int, work func(ctx context.Context, w, i int) error) (workers int, err error) {
	workers = min(ix.cfg.parallelism, n)
	if workers <= 1 {
		for i := range n {
			if err := ctx.Err(); err != nil {
				return 1, err
			}
			if err := work(ctx, 0, i); err != nil {
				return 1, err
			}
		}
		return 1, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	var next atomic.Int64
	for w := range workers {
		g.Go(func() error {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return nil
				}
				if err := gctx.Err(); err != nil {
					return err
				}
				if err := work(gctx, w, i); err != nil {
					return err
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		// Report the caller's cancellation rather than errgroup's.
		if ctx.Err() != nil {
			return workers, ctx.Err()
		}
		return workers, err
	}
	return workers, nil
}
