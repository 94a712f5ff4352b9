package httpapi

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

func TestMetrics(t *testing.T) {
	f := newAccessFixture(t)
	m := NewMetrics()
	h := m.Instrument(f.h)
	sl := f.slot
	body := fmt.Sprintf(`{"id":"m1","agent_id":%q,"place_id":%q,"start":%q}`, sl.AgentID, sl.PlaceID, sl.Start.Format(time.RFC3339))
	for i, want := range []int{200, 409} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/services/"+sl.ServiceID+"/bookings", strings.NewReader(strings.Replace(body, "m1", fmt.Sprint("m", i), 1)))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		require.Equal(t, want, rec.Code, "%s", rec.Body)
	}
	for _, target := range []string{"/agents/a1/agenda?start=2026-12-01&end=2026-12-02", "/healthz", "/nowhere"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	}
	scrape := func() string {
		rec := httptest.NewRecorder()
		m.Handler(nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		out, _ := io.ReadAll(rec.Body)
		return string(out)
	}
	assert.NotContains(t, scrape(), "crossagenda_follow_", "no follower: no follower metrics")
	m.CountFollower(func() FollowerCounts { return FollowerCounts{Reloads: 2, StaleCatalogue: true} })
	m.Followed(7, time.Now().Add(-3*time.Millisecond))
	text := scrape()
	for _, want := range []string{
		`crossagenda_http_requests_total{route="POST /services/{id}/bookings",status="200"} 1`,
		`crossagenda_http_requests_total{route="POST /services/{id}/bookings",status="409"} 1`,
		`crossagenda_http_requests_total{route="GET /healthz",status="200"} 1`,
		`crossagenda_http_requests_total{route="GET /agents/{id}/agenda",status="403"} 1`, // refused by the access check, named all the same
		`crossagenda_follow_reloads_total 2`,
		`crossagenda_follow_catalogue_stale 1`,
		`crossagenda_bookings_total{result="booked"} 1`,
		`crossagenda_bookings_total{result="conflict"} 1`,
		`crossagenda_http_request_duration_seconds_bucket{route="GET /healthz",status="200",le="+Inf"} 1`,
		`crossagenda_http_requests_in_flight 0`,
		`crossagenda_follow_changes_applied_total 1`,
		`crossagenda_follow_lag_seconds_count 1`,
		`crossagenda_http_overload_total 0`,
	} {
		assert.Contains(t, text, want)
	}
}

func TestCORS(t *testing.T) {
	h := CORS([]string{"https://calendar.example"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	do := func(method, origin string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, "/services/m1/bookings", nil)
		req.Header.Set("Origin", origin)
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", "POST")
		}
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := do(http.MethodOptions, "https://calendar.example")
	assert.Equal(t, http.StatusNoContent, rec.Code)
	assert.Equal(t, "https://calendar.example", rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Contains(t, rec.Header().Get("Access-Control-Allow-Headers"), "Content-Type")
	rec = do(http.MethodGet, "https://calendar.example")
	assert.Equal(t, "https://calendar.example", rec.Header().Get("Access-Control-Allow-Origin"))
	rec = do(http.MethodOptions, "https://evil.example")
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
	rec = do(http.MethodGet, "https://evil.example")
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
}

// TestScrapeIsNotARequest: reading the API's own families for /metrics
// writes no access-log record.
func TestScrapeIsNotARequest(t *testing.T) {
	f := setup(t)
	var log strings.Builder
	api := New(agenda.LiveFrom(f.ix), Config{Logger: slog.New(slog.NewJSONHandler(&log, nil))})
	m := NewMetrics()
	rec := httptest.NewRecorder()
	m.Handler(api).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Body.String(), "crossagenda_calendar", "the API's own families are there")
	assert.Empty(t, log.String())
	api.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/healthz", nil))
	assert.Contains(t, log.String(), `"path":"/healthz"`, "a request is logged")
}
