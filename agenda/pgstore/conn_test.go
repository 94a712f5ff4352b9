package pgstore

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// minorFaults reads the minor page faults of a local process so far
// (field 10 of /proc/PID/stat); ok is false if pid is no local postgres.
func minorFaults(t *testing.T, pid uint32) (n int64, ok bool) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil || !strings.Contains(string(b), "(postgres)") {
		return 0, false
	}
	fields := strings.Fields(string(b)[strings.LastIndexByte(string(b), ')')+1:])
	n, err = strconv.ParseInt(fields[7], 10, 64) // field 10: the 8th after the name
	require.NoError(t, err)
	return n, true
}

// TestBookingsKeepTheServerHeap: the server process of the connection a
// Store books on does not give its heap back after a statement and fault
// it in again in the next (see sqlKeepHeap). Measured on the process's
// minor page faults, which needs the server on this machine. With
// Debian's PostgreSQL 15, bookings that share transactions (eight
// callers, one connection) faulted 2.2 to 2.6 pages each without
// sqlKeepHeap, 0.6 to 0.8 with it (pages of shared memory touched for
// the first time, and the like).
func TestBookingsKeepTheServerHeap(t *testing.T) {
	cfg := testSchema(t)
	ds := importSmall(t, newPool(t, cfg, true))
	// Every booking on one server process, which has done nothing else:
	// the import's large allocations would raise its threshold as well.
	cfg.MaxConns = 1
	pool := newPool(t, cfg, false)
	s := openStore(t, pool, Config{})
	ctx := context.Background()
	var pid uint32
	require.NoError(t, pool.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid))
	if _, ok := minorFaults(t, pid); !ok {
		msg := "pgstore: the server's processes are not on this machine: the page faults cannot be read"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: database tests must run)")
		}
		t.Skip(msg)
	}
	slots := freeSlots(t, s, ds, 90)
	require.GreaterOrEqual(t, len(slots), 60, "free slots of the small dataset")
	for i, sl := range slots[:10] { // the process's caches and heap, warmed
		_, err := s.Book(ctx, bookingOf(fmt.Sprintf("warm-%d", i), sl))
		require.NoError(t, err)
	}
	before, _ := minorFaults(t, pid)
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Go(func() {
			for i := 10 + c; i < len(slots); i += 8 {
				_, err := s.Book(ctx, bookingOf(fmt.Sprintf("heap-%d", i), slots[i]))
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	after, ok := minorFaults(t, pid)
	require.True(t, ok, "the connection's server process is gone")
	perBooking := float64(after-before) / float64(len(slots)-10)
	t.Logf("%.2f minor page faults per booking", perBooking)
	assert.Less(t, perBooking, 1.5, "page faults per booking: the heap is given back and faulted in again")
}
