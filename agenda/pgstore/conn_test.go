package pgstore

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// serverProcess finds the local server process of the pool's one
// connection: the postgres process whose title names the connection's
// client address (PostgreSQL's "postgres: USER DB 127.0.0.1(PORT) ...").
// ok is false when the server is not on this machine (or in a container,
// whose processes see another client address).
func serverProcess(t *testing.T, pool *pgxpool.Pool) (pid string, ok bool) {
	t.Helper()
	conn, err := pool.Acquire(context.Background())
	require.NoError(t, err)
	defer conn.Release()
	addr, isTCP := conn.Conn().PgConn().Conn().LocalAddr().(*net.TCPAddr)
	if !isTCP {
		return "", false
	}
	title := []byte(fmt.Sprintf("%s(%d)", addr.IP, addr.Port))
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && bytes.HasPrefix(b, []byte("postgres: ")) && bytes.Contains(b, title) {
			return filepath.Base(filepath.Dir(p)), true
		}
	}
	return "", false
}

// minorFaults reads the minor page faults of a local process so far
// (field 10 of /proc/PID/stat).
func minorFaults(t *testing.T, pid string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	require.NoError(t, err, "the connection's server process is gone")
	fields := strings.Fields(string(b)[strings.LastIndexByte(string(b), ')')+1:])
	n, err := strconv.ParseInt(fields[7], 10, 64) // field 10: the 8th after the name
	require.NoError(t, err)
	return n
}

// TestBookingsKeepTheServerHeap: the server process of the connection a
// Store books on does not give its heap back after a statement and fault
// it in again in the next (see sqlKeepHeap). Measured on the process's
// minor page faults, which needs the server on this machine (.ci/run
// leaves the test out otherwise). With Debian's PostgreSQL 15, bookings
// that share transactions (eight callers, one connection) faulted 2.0 to
// 2.7 pages each without sqlKeepHeap, 0.2 to 0.4 with it (pages of shared
// memory touched for the first time, and the like).
func TestBookingsKeepTheServerHeap(t *testing.T) {
	cfg := testSchema(t)
	ds := importSmall(t, newPool(t, cfg, true))
	// Every booking on one server process, which has done nothing else:
	// the import's large allocations would raise its threshold as well.
	cfg.MaxConns = 1
	pool := newPool(t, cfg, false)
	s := openStore(t, pool, Config{})
	pid, ok := serverProcess(t, pool)
	if !ok {
		missing(t, "pgstore: the server's processes are not on this machine: their page faults cannot be read"+
			" (.ci/run leaves this test out for a remote server)")
	}
	slots := freeSlots(t, s, ds, 90)
	require.GreaterOrEqual(t, len(slots), 80, "free slots of the small dataset")
	ctx := context.Background()
	book := func(slots []agenda.Slot, prefix string) {
		var wg sync.WaitGroup
		for c := range 8 {
			wg.Go(func() {
				for i := c; i < len(slots); i += 8 {
					_, err := s.Book(ctx, bookingOf(fmt.Sprintf("%s-%d", prefix, i), slots[i]))
					assert.NoError(t, err)
				}
			})
		}
		wg.Wait()
	}
	book(slots[:16], "warm") // the statements prepared and planned, the caches filled
	before := minorFaults(t, pid)
	book(slots[16:], "heap")
	after := minorFaults(t, pid)
	perBooking := float64(after-before) / float64(len(slots)-16)
	t.Logf("%.2f minor page faults per booking", perBooking)
	assert.Less(t, perBooking, 1.5, "page faults per booking: the heap is given back and faulted in again")
}
