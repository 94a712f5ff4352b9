package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics counts what the API serves, in the Prometheus text format.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	inflight  prometheus.Gauge
	overload  prometheus.Counter
	bookings  *prometheus.CounterVec
	followLag prometheus.Histogram
	applied   prometheus.Counter
}

// NewMetrics makes the API's metrics, with Go's runtime and process
// collectors, in a registry of their own.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "crossagenda_http_requests_total", Help: "HTTP requests served, by route and status."}, []string{"route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "crossagenda_http_request_duration_seconds", Help: "Time to serve an HTTP request, by route and status.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}, []string{"route", "status"})
	m.inflight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "crossagenda_http_requests_in_flight", Help: "HTTP requests being served."})
	m.overload = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "crossagenda_http_overload_total", Help: "Requests refused with 503: too many in flight."})
	m.bookings = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "crossagenda_bookings_total", Help: "Booking requests, by result: booked, conflict, refused (other 4xx), error (5xx)."},
		[]string{"result"})
	m.followLag = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "crossagenda_follow_lag_seconds", Help: "From a change's write in PostgreSQL to its application in this replica's index.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)})
	m.applied = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "crossagenda_follow_changes_applied_total", Help: "Changes of the database's log applied to this replica's index."})
	m.reg.MustRegister(m.requests, m.latency, m.inflight, m.overload, m.bookings,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics (GET /metrics). When api, the handler of
// [New], serves a /metrics of its own (the external calendars' gauges),
// its families follow the registry's.
func (m *Metrics) Handler(api http.Handler) http.Handler {
	reg := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{DisableCompression: true}) // the API's families are appended as text
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		reg.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		if api != nil {
			own := httptest.NewRecorder()
			inner := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			api.ServeHTTP(own, inner.WithContext(context.WithValue(inner.Context(), unloggedKey{}, true)))
			if own.Code == http.StatusOK {
				out = append(out, own.Body.Bytes()...)
			}
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(out)
	})
}

// Followed records a change applied by a replica that follows a
// database: pass it as pgstore.Config.OnApply.
func (m *Metrics) Followed(_ int64, committedAt time.Time) {
	m.applied.Inc()
	m.followLag.Observe(max(time.Since(committedAt), 0).Seconds())
}

// FollowerCounts are a database-backed engine's counters since it
// started (pgstore.Stats, say): what /metrics reports of its follower.
type FollowerCounts struct {
	// ApplyErrors counts committed changes the index refused and lacks
	// (rows written outside the API that the engine rejects): each is
	// logged, and a replica started afterwards refuses to load until the
	// row is fixed.
	ApplyErrors int64
	// Reloads counts whole reloads of the index; FollowErrors lost
	// connections and failed reads of the log, each retried.
	Reloads, FollowErrors int64
	// Rechecked counts bookings that the database found stale and that
	// were checked again after catching up.
	Rechecked int64
	// StaleCatalogue is true while the index keeps a catalogue older
	// than the database's, which does not load (a row to fix).
	StaleCatalogue bool
}

// unloggedKey marks the request by which /metrics reads the API's own
// families: not a request of anyone's, so not in the access log.
type unloggedKey struct{}

// CountFollower reports, in /metrics, the follower's lag and changes
// applied ([Metrics.Followed]) and read's counters, read at each scrape
// (so read must be quick: atomic loads). A server without a database does
// not call it, and reports none of them.
func (m *Metrics) CountFollower(read func() FollowerCounts) {
	m.reg.MustRegister(m.followLag, m.applied)
	counter := func(name, help string, field func(FollowerCounts) int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(field(read())) })
	}
	m.reg.MustRegister(
		counter("crossagenda_follow_apply_errors_total", "Committed changes this replica's index refused and lacks (logged): fix the rows, or a restart fails to load.",
			func(c FollowerCounts) int64 { return c.ApplyErrors }),
		counter("crossagenda_follow_reloads_total", "Whole reloads of this replica's index from the database.",
			func(c FollowerCounts) int64 { return c.Reloads }),
		counter("crossagenda_follow_errors_total", "Lost connections and failed reads of the change log, each retried.",
			func(c FollowerCounts) int64 { return c.FollowErrors }),
		counter("crossagenda_bookings_rechecked_total", "Bookings the database found checked on a stale index, checked again after catching up.",
			func(c FollowerCounts) int64 { return c.Rechecked }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "crossagenda_follow_catalogue_stale",
			Help: "1 while this replica keeps a catalogue older than the database's, which does not load: fix the row the log names."},
			func() float64 {
				if read().StaleCatalogue {
					return 1
				}
				return 0
			}),
	)
}

// Instrument counts h's requests by route (the mux pattern, so that ids do
// not make a series each) and status.
func (m *Metrics) Instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.inflight.Inc()
		defer m.inflight.Dec()
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		rec.done()
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		status := strconv.Itoa(rec.status)
		m.requests.WithLabelValues(route, status).Inc()
		m.latency.WithLabelValues(route, status).Observe(time.Since(start).Seconds())
		if rec.status == http.StatusServiceUnavailable {
			m.overload.Inc()
		}
		if route == "POST /services/{id}/bookings" {
			result := "refused"
			switch {
			case rec.status == http.StatusOK:
				result = "booked"
			case rec.status == http.StatusConflict:
				result = "conflict"
			case rec.status >= 500:
				result = "error"
			}
			m.bookings.WithLabelValues(result).Inc()
		}
	})
}
