package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// testDB returns the URL of a fresh schema of the test database (dropped
// when the test ends), or skips (fails under CI=true) without one.
func testDB(t *testing.T) string {
	t.Helper()
	base := os.Getenv("CROSSAGENDA_TEST_DATABASE_URL")
	if base == "" {
		msg := "server: no PostgreSQL: set CROSSAGENDA_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run this test"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: database tests must run)")
		}
		t.Skip(msg)
	}
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, base)
	require.NoError(t, err)
	schema := fmt.Sprintf("t_server_%08x", rand.Uint32())
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema) // a run-time parameter of every connection
	u.RawQuery = q.Encode()
	return u.String()
}

// postJSON posts body as JSON and returns the status and the response.
func postJSON(t *testing.T, url string, body any) (int, []byte) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

// firstSlot returns a free slot of the first individual service with one,
// as the public sees it, from the server's clock on (bookings are checked at
// the server's now).
func firstSlot(t *testing.T, base string, ds *agenda.Dataset) agenda.Slot {
	t.Helper()
	from := time.Now().Add(time.Hour).Truncate(time.Hour)
	for _, svc := range ds.Services {
		if svc.Collective {
			continue
		}
		status, body := fetch(t, fmt.Sprintf("%s/services/%s/slots?from=%s&to=%s", base, svc.ID,
			url.QueryEscape(from.Format(time.RFC3339)), url.QueryEscape(from.AddDate(0, 0, 14).Format(time.RFC3339))))
		require.Equal(t, http.StatusOK, status, "%s", body)
		var slots []agenda.Slot
		require.NoError(t, json.Unmarshal(body, &slots))
		if len(slots) > 0 {
			return slots[0]
		}
	}
	t.Fatal("no free slot")
	return agenda.Slot{}
}

// TestMetricsCountRefusedChange: a row written with SQL that the engine
// refuses (an appointment of an agent that does not exist) shows in
// /metrics as crossagenda_follow_apply_errors_total, and in the log.
func TestMetricsCountRefusedChange(t *testing.T) {
	db := testDB(t)
	base, logs, _ := serve(t, "-db", db, "-scale", "small", "-seed", "1")
	metric := func() string {
		status, body := fetch(t, base+"/metrics")
		require.Equal(t, http.StatusOK, status)
		for line := range strings.Lines(string(body)) {
			if name, value, ok := strings.Cut(strings.TrimSpace(line), " "); ok && name == "crossagenda_follow_apply_errors_total" {
				return value
			}
		}
		t.Fatalf("no crossagenda_follow_apply_errors_total in /metrics:\n%s", body)
		return ""
	}
	require.Equal(t, "0", metric())
	_, body := fetch(t, base+"/metrics")
	for _, name := range []string{"crossagenda_follow_reloads_total", "crossagenda_follow_errors_total", "crossagenda_bookings_rechecked_total"} {
		assert.Contains(t, string(body), "\n"+name+" ", "the follower's counters are reported")
	}

	ctx := context.Background()
	pool, err := pgxpool.New(ctx, db)
	require.NoError(t, err)
	defer pool.Close()
	start := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
	_, err = pool.Exec(ctx, `INSERT INTO appointments (id, organisation_id, agent_ids, start_at, end_at)
		SELECT 'nobodys', id, '{nobody}', $1, $2 FROM organisations ORDER BY id LIMIT 1`, start, start.Add(30*time.Minute))
	require.NoError(t, err)
	deadline := time.Now().Add(5 * time.Second)
	for metric() != "1" {
		require.True(t, time.Now().Before(deadline), "after 5s, crossagenda_follow_apply_errors_total is %s", metric())
		time.Sleep(20 * time.Millisecond)
	}
	assert.Contains(t, logs.String(), "a committed change does not fit the index")
}

// TestServeDatabase: -db with -scale imports, refuses a second import,
// -db alone serves the database, and a booking survives a restart.
func TestServeDatabase(t *testing.T) {
	db := testDB(t)
	ds := gen.Generate(gen.Small, 1)
	tokens := writeTokens(t, 1)
	base, logs, stop := serve(t, "-db", db, "-scale", "small", "-seed", "1", "-tokens", tokens)
	status, body := fetch(t, base+"/healthz")
	require.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"status":"ok","storage":"postgresql","durable":true}`, string(body))
	assert.Contains(t, logs.String(), "bookings are durable")

	sl := firstSlot(t, base, ds)
	booking := map[string]string{"id": "durable-1", "agent_id": sl.AgentID, "place_id": sl.PlaceID,
		"start": sl.Start.Format(time.RFC3339)}
	status, body = postJSON(t, base+"/services/"+sl.ServiceID+"/bookings", booking)
	require.Equal(t, http.StatusOK, status, "%s", body)
	require.NoError(t, stop())

	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-db", db, "-scale", "small"}, io.Discard, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "import only into an empty database")

	base, _, _ = serve(t, "-db", db, "-tokens", tokens)
	status, body = fetchAs(t, "token-of-the-whole-region", fmt.Sprintf("%s/agents/%s/agenda?start=%s&end=%s&free=false", base, sl.AgentID,
		sl.Start.Format(time.DateOnly), sl.Start.AddDate(0, 0, 1).Format(time.DateOnly)))
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Contains(t, string(body), `"record_id":"durable-1"`, "the booking survived the restart")
	// The same booking again is the same booking; the slot is taken for any other.
	status, body = postJSON(t, base+"/services/"+sl.ServiceID+"/bookings", booking)
	assert.Equal(t, http.StatusOK, status, "%s", body)
	booking["id"] = "durable-2"
	status, body = postJSON(t, base+"/services/"+sl.ServiceID+"/bookings", booking)
	assert.Equal(t, http.StatusConflict, status, "%s", body)
	assert.Contains(t, string(body), `"reasons":[{"kind":"appointment"`, "the 409 says what holds the slot")
	assert.NotContains(t, string(body), "durable-1", "and names no record to the public")

	// Cancelling through the database: not by the public with a guessable
	// id, not by an agent of another organisation, by one of its own.
	cancel := func(token string) int {
		req, err := http.NewRequest(http.MethodDelete, base+"/appointments/durable-1", nil)
		require.NoError(t, err)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusForbidden, cancel(""))
	outsider := "token-of-an-agent-of-o1"
	if sl.OrganisationID == "o1" {
		outsider = "token-of-an-agent-of-o2"
	}
	assert.Equal(t, http.StatusNotFound, cancel(outsider), "an agent of another organisation cannot cancel %s's appointment", sl.OrganisationID)
	assert.Equal(t, http.StatusOK, cancel("token-of-the-whole-region"))
}
