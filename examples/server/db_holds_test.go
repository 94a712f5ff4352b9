package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// slotOffered reports whether the server offers the slot to the public.
func slotOffered(t *testing.T, base string, sl agenda.Slot) bool {
	t.Helper()
	status, body := fetch(t, fmt.Sprintf("%s/services/%s/slots?from=%s&to=%s&agent=%s&place=%s", base, sl.ServiceID,
		url.QueryEscape(sl.Start.Format(time.RFC3339)), url.QueryEscape(sl.End.Format(time.RFC3339)),
		url.QueryEscape(sl.AgentID), url.QueryEscape(sl.PlaceID)))
	require.Equal(t, http.StatusOK, status, "%s", body)
	var slots []agenda.Slot
	require.NoError(t, json.Unmarshal(body, &slots))
	for _, s := range slots {
		if s.Start.Equal(sl.Start) && s.AgentID == sl.AgentID && s.PlaceID == sl.PlaceID {
			return true
		}
	}
	return false
}

func send(t *testing.T, method, url string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body json.RawMessage
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// waitFor polls cond until it holds or 5 seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 5s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestHoldsThroughTheDatabase: with -db, two servers on one database serve
// the hold routes through the Store: a hold made on one blocks the slot
// on the other, is a row in PostgreSQL, is released or confirmed from
// either, and a confirmed hold is an appointment row.
func TestHoldsThroughTheDatabase(t *testing.T) {
	db := testDB(t)
	ds := gen.Generate(gen.Small, 1)
	one, _, _ := serve(t, "-db", db, "-scale", "small", "-seed", "1")
	two, _, _ := serve(t, "-db", db)
	pool, err := pgxpool.New(context.Background(), db)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	count := func(sql string) int {
		var n int
		require.NoError(t, pool.QueryRow(context.Background(), sql).Scan(&n))
		return n
	}

	status, body := fetch(t, one+"/catalogue")
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Contains(t, string(body), `"holds"`, "the page is told it can hold")
	assert.Contains(t, string(body), `"explain"`, "and explain, on PostgreSQL too")

	sl := firstSlot(t, one, ds)
	booking := func(id string) map[string]any {
		return map[string]any{"id": id, "agent_id": sl.AgentID, "place_id": sl.PlaceID, "start": sl.Start.Format(time.RFC3339)}
	}
	request := func(id string) map[string]any { // a hold
		r := booking(id)
		r["ttl_seconds"] = 120
		return r
	}
	t0 := time.Now()
	status, body = postJSON(t, one+"/services/"+sl.ServiceID+"/holds", request("hold-1-5c0f9e2a7b3d4e81a6f2c9d0b4"))
	require.Equal(t, http.StatusOK, status, "%s", body)
	var expires time.Time
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT expires_at FROM holds WHERE id = 'hold-1-5c0f9e2a7b3d4e81a6f2c9d0b4'`).Scan(&expires))
	assert.WithinRange(t, expires, t0.Add(119*time.Second), time.Now().Add(121*time.Second))

	// The other server: the slot is gone and can be neither held nor booked.
	assert.False(t, slotOffered(t, one, sl))
	waitFor(t, "the second server sees the hold", func() bool { return !slotOffered(t, two, sl) })
	status, body = fetch(t, fmt.Sprintf("%s/services/%s/explain?agent=%s&place=%s&start=%s", two, sl.ServiceID, sl.AgentID, sl.PlaceID,
		url.QueryEscape(sl.Start.Format(time.RFC3339))))
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Contains(t, string(body), `"bookable":false`, "the other server explains the held slot: %s", body)
	status, body = postJSON(t, two+"/services/"+sl.ServiceID+"/bookings", booking("booking-1"))
	assert.Equal(t, http.StatusConflict, status, "%s", body)
	status, body = postJSON(t, two+"/services/"+sl.ServiceID+"/holds", request("hold-2-5c0f9e2a7b3d4e81a6f2c9d0b4"))
	assert.Equal(t, http.StatusConflict, status, "%s", body)

	// Released from the other server: free again on both.
	status, body = send(t, http.MethodDelete, two+"/holds/hold-1-5c0f9e2a7b3d4e81a6f2c9d0b4")
	require.Equal(t, http.StatusOK, status, "%s", body)
	status, _ = send(t, http.MethodDelete, two+"/holds/hold-1-5c0f9e2a7b3d4e81a6f2c9d0b4")
	assert.Equal(t, http.StatusNotFound, status)
	assert.Zero(t, count(`SELECT count(*) FROM holds`))
	waitFor(t, "the first server sees the release", func() bool { return slotOffered(t, one, sl) })

	// Held on one, confirmed on the other: an appointment row, the hold gone.
	status, body = postJSON(t, two+"/services/"+sl.ServiceID+"/holds", request("hold-3-5c0f9e2a7b3d4e81a6f2c9d0b4"))
	require.Equal(t, http.StatusOK, status, "%s", body)
	status, body = send(t, http.MethodPost, one+"/holds/hold-3-5c0f9e2a7b3d4e81a6f2c9d0b4/confirm")
	require.Equal(t, http.StatusOK, status, "%s", body)
	status, body = send(t, http.MethodPost, one+"/holds/hold-3-5c0f9e2a7b3d4e81a6f2c9d0b4/confirm")
	assert.Equal(t, http.StatusOK, status, "confirming again is idempotent: %s", body)
	assert.Equal(t, 1, count(`SELECT count(*) FROM appointments WHERE id = 'hold-3-5c0f9e2a7b3d4e81a6f2c9d0b4' AND status = 'booked'`))
	assert.Zero(t, count(`SELECT count(*) FROM holds`))
	waitFor(t, "the second server sees the appointment", func() bool { return !slotOffered(t, two, sl) })
	status, body = postJSON(t, one+"/services/"+sl.ServiceID+"/bookings", booking("booking-2"))
	assert.Equal(t, http.StatusConflict, status, "%s", body)
	status, _ = send(t, http.MethodPost, two+"/holds/nothing-by-this-id-0123456789abcdef/confirm")
	assert.Equal(t, http.StatusNotFound, status)

	// A hold of one second expires on both servers by the clock, its row
	// still there; confirming it then answers 410.
	sl = firstSlot(t, one, ds)
	short := booking("hold-4-5c0f9e2a7b3d4e81a6f2c9d0b4")
	short["ttl_seconds"] = 1
	status, body = postJSON(t, one+"/services/"+sl.ServiceID+"/holds", short)
	require.Equal(t, http.StatusOK, status, "%s", body)
	waitFor(t, "the second server sees the short hold", func() bool { return !slotOffered(t, two, sl) })
	waitFor(t, "the hold expires on both servers", func() bool { return slotOffered(t, one, sl) && slotOffered(t, two, sl) })
	assert.Equal(t, 1, count(`SELECT count(*) FROM holds WHERE id = 'hold-4-5c0f9e2a7b3d4e81a6f2c9d0b4'`))
	status, body = send(t, http.MethodPost, two+"/holds/hold-4-5c0f9e2a7b3d4e81a6f2c9d0b4/confirm")
	assert.Equal(t, http.StatusGone, status, "%s", body)
}
