package httpapi

import (
	"log/slog"
	"net/http"
	"time"
)

// recorder remembers the status and size of a response for the log and
// the metrics.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Flush lets event streams through.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// done records 200, what net/http sends, when the handler wrote nothing.
func (r *recorder) done() {
	if r.status == 0 {
		r.status = http.StatusOK
	}
}

// logged logs one record per request: Info below 500, Warn for 503 and
// 504 (load shedding), Error otherwise.
func (s *server) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(unloggedKey{}) != nil {
			h.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		rec.done()
		level := slog.LevelInfo
		switch {
		case rec.status == http.StatusServiceUnavailable || rec.status == http.StatusGatewayTimeout:
			level = slog.LevelWarn
		case rec.status >= 500:
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", r.Pattern),
			slog.Int("status", rec.status),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.Int("bytes", rec.bytes))
	})
}
