package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// process is a server started as a child process.
type process struct {
	cmd  *exec.Cmd
	base string
	logs *syncBuffer
}

var listening = regexp.MustCompile(`"msg":"listening","addr":"([^"]+)"`)

// startProcess runs the server binary with args and waits until it
// listens; it is killed when the test ends. Its requests may take 20 s
// (-timeout), not the default 2 s: in the storm, a booking can wait behind
// others of its agent on a loaded machine, and a 504 would be a failure.
func startProcess(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	p := &process{logs: &syncBuffer{}}
	p.cmd = exec.Command(bin, append([]string{"-addr", "127.0.0.1:0", "-quiet", "-timeout", "20s"}, args...)...)
	stderr, err := p.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.logs.Write(append(sc.Bytes(), '\n'))
			if m := listening.FindSubmatch(sc.Bytes()); m != nil {
				addr <- string(m[1])
			}
		}
	}()
	select {
	case a := <-addr:
		p.base = "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatalf("server %v did not listen within 60s:\n%s", args, p.logs.String())
	}
	return p
}

// TestTwoProcessesStormAndKill: two server processes on one database,
// hundreds of concurrent bookings over a few dozen contested slots, and
// one process killed with SIGKILL in the middle, then restarted. Every
// answer is a booking or a conflict (never a 5xx); every acknowledged
// booking is in the database and in both processes; exactly one booking
// per slot.
func TestTwoProcessesStormAndKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs server processes: not under -short")
	}
	db := testDB(t)
	bin := filepath.Join(t.TempDir(), "server")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)

	tokens := writeTokens(t, 3)
	a := startProcess(t, bin, "-db", db, "-scale", "small", "-seed", "3", "-tokens", tokens)
	b := startProcess(t, bin, "-db", db, "-tokens", tokens)

	// Contested slots: the public's first free slots of several services,
	// a day ahead, each agent's an hour or more apart.
	from := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
	var slots []agenda.Slot
	for _, svc := range gen.Generate(gen.Small, 3).Services {
		status, body := fetch(t, fmt.Sprintf("%s/services/%s/slots?from=%s&to=%s", a.base, svc.ID,
			url.QueryEscape(from.Format(time.RFC3339)), url.QueryEscape(from.AddDate(0, 0, 14).Format(time.RFC3339))))
		if status != http.StatusOK {
			continue
		}
		var got []agenda.Slot
		require.NoError(t, json.Unmarshal(body, &got))
		for _, sl := range got {
			far := true
			for _, o := range slots {
				if o.AgentID == sl.AgentID && o.Start.Add(-2*time.Hour).Before(sl.End) && sl.Start.Before(o.End.Add(2*time.Hour)) {
					far = false
				}
			}
			if far && len(slots) < 30 {
				slots = append(slots, sl)
			}
		}
	}
	require.GreaterOrEqual(t, len(slots), 24, "a few dozen contested slots")

	const perSlot = 10
	type result struct {
		slot   int
		id     string
		status int // 0: no answer (the process was killed)
	}
	var (
		results  []result
		resultMu sync.Mutex
		next     atomic.Int64
		killed   atomic.Bool
		wg       sync.WaitGroup
		procMu   sync.RWMutex
	)
	procs := []*process{a, b}
	client := &http.Client{Timeout: 30 * time.Second}
	total := len(slots) * perSlot
	for w := range 16 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				if i == total/3 && killed.CompareAndSwap(false, true) {
					// SIGKILL in the middle of the storm, then a restart.
					procMu.Lock()
					require.NoError(t, a.cmd.Process.Signal(syscall.SIGKILL))
					a.cmd.Wait()
					procs[0] = startProcess(t, bin, "-db", db, "-tokens", tokens)
					procMu.Unlock()
				}
				slot := i % len(slots)
				sl := slots[slot]
				id := fmt.Sprintf("storm-%d", i)
				body, _ := json.Marshal(map[string]string{"id": id, "agent_id": sl.AgentID, "place_id": sl.PlaceID,
					"start": sl.Start.Format(time.RFC3339)})
				procMu.RLock()
				p := procs[w%2]
				procMu.RUnlock()
				status := 0
				resp, err := client.Post(p.base+"/services/"+sl.ServiceID+"/bookings", "application/json", bytes.NewReader(body))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				}
				resultMu.Lock()
				results = append(results, result{slot, id, status})
				resultMu.Unlock()
			}
		})
	}
	wg.Wait()

	won := map[int][]string{}
	counts := map[int]int{}
	for _, r := range results {
		counts[r.status]++
		switch r.status {
		case http.StatusOK:
			won[r.slot] = append(won[r.slot], r.id)
		case http.StatusConflict, 0:
		default:
			t.Errorf("booking %s: status %d", r.id, r.status)
		}
	}
	t.Logf("two processes, %d bookings over %d slots, one process killed and restarted: %d booked, %d conflicts, %d unanswered (killed), %d other",
		len(results), len(slots), counts[200], counts[409], counts[0], len(results)-counts[200]-counts[409]-counts[0])
	for i := range slots {
		assert.LessOrEqual(t, len(won[i]), 1, "slot %d booked twice: %v", i, won[i])
	}

	// In SQL: every acknowledged booking, and one booking at most per slot.
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, db)
	require.NoError(t, err)
	defer pool.Close()
	var perSlot2 int
	require.NoError(t, pool.QueryRow(ctx, `SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM appointments
		WHERE id LIKE 'storm-%' AND status = 'booked' GROUP BY agent_ids[1], start_at) s`).Scan(&perSlot2))
	assert.LessOrEqual(t, perSlot2, 1)
	for i, ids := range won {
		var n int
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE id = $1`, ids[0]).Scan(&n))
		assert.Equal(t, 1, n, "acknowledged booking %s of slot %d is in the database", ids[0], i)
	}
	// In both processes' indexes.
	for _, p := range procs {
		for i, ids := range won {
			sl := slots[i]
			found := false
			deadline := time.Now().Add(5 * time.Second)
			for !found && time.Now().Before(deadline) {
				// On behalf of the booking's organisation, which sees its own
				// appointments whole (another sees them as bare busy time).
				status, body := fetchAs(t, "token-of-the-whole-region", fmt.Sprintf("%s/agents/%s/agenda?start=%s&end=%s&free=false&organisation=%s",
					p.base, sl.AgentID, sl.Start.Format(time.DateOnly), sl.Start.AddDate(0, 0, 1).Format(time.DateOnly), sl.OrganisationID))
				require.Equal(t, http.StatusOK, status, "%s", body)
				found = bytes.Contains(body, []byte(`"record_id":"`+ids[0]+`"`))
				if !found {
					time.Sleep(20 * time.Millisecond)
				}
			}
			assert.True(t, found, "booking %s in %s", ids[0], p.base)
		}
	}
	require.Positive(t, counts[200])
}
