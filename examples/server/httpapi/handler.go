package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// Engine answers the queries the API serves. [*agenda.Index] implements it;
// a live-updated agenda can too, by answering each query on its current
// snapshot. The handler calls it from many goroutines at once.
type Engine interface {
	Agenda(ctx context.Context, agentID string, from, to time.Time) (*agenda.AgentAgenda, error)
	Slots(ctx context.Context, q agenda.SlotQuery) ([]agenda.Slot, error)
	NextAvailable(ctx context.Context, q agenda.SlotQuery) (agenda.Slot, bool, error)
}

// Config tunes the handler. The zero Config is valid: every zero field
// means its default.
type Config struct {
	// Timeout bounds each query request, admission wait included.
	// Default 2s.
	Timeout time.Duration
	// MaxInflight bounds the queries computed at once. Default
	// 2*GOMAXPROCS.
	MaxInflight int
	// AdmitWait is how long a query waits for a free slot before it is
	// refused with 503. Default 10ms; negative refuses at once.
	AdmitWait time.Duration
	// Now is the clock that supplies a missing now parameter. Default
	// time.Now.
	Now func() time.Time
	// Events, when set, serves GET /agents/{id}/events, the pushed
	// changes of an agent's agenda (see [Events]).
	Events *Events
	// Logger receives one record per request (method, path, route,
	// status, duration_ms, bytes). Nil logs nothing.
	Logger *slog.Logger
	// Storage is what /healthz says of where bookings are kept. The zero
	// Storage says nothing.
	Storage Storage
	// MaxCalendarBytes bounds the body of PUT /agents/{id}/calendars/{cid}.
	// Default 10 MiB (agenda.Limits.MaxICSBytes also applies).
	MaxCalendarBytes int64
	// Poller, when set, adds the age of its oldest successful poll to
	// /metrics.
	Poller *CalendarPoller
	// Access, when set, tells the public from agents (see [Access]); the
	// engine must then be a [Snapshotter]. Nil trusts every request: for
	// tests and trusted networks only.
	Access *Access
	// MaxWrites bounds the writes in flight (bookings, cancellations,
	// holds, confirmations, releases); more
	// wait up to Timeout, then get 503. Default [DefaultMaxWrites].
	MaxWrites int

	// admitted, when set, runs after a query is admitted and before it is
	// computed; tests use it to hold a slot or outlive the deadline.
	admitted func(ctx context.Context)
}

// Defaults.
const (
	DefaultTimeout   = 2 * time.Second
	DefaultAdmitWait = 10 * time.Millisecond
)

// retryAfter is the Retry-After of a 503, in seconds: queries take
// milliseconds, so one second is plenty for the slot to free up.
const retryAfter = "1"

type server struct {
	eng       Engine
	timeout   time.Duration
	admitWait time.Duration
	sem       chan struct{}
	writes    chan struct{}
	access    *Access
	now       func() time.Time
	log       *slog.Logger
	admitted  func(ctx context.Context)
	// holdTimers holds the ids of the holds whose expiry a timer will
	// tell the event streams (page.go).
	holdTimers sync.Map
}

// New returns the API's handler over e. It is safe for concurrent use.
func New(e Engine, cfg Config) http.Handler {
	s := &server{eng: e, timeout: cfg.Timeout, admitWait: cfg.AdmitWait, now: cfg.Now, log: cfg.Logger,
		admitted: cfg.admitted}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.admitWait == 0 {
		s.admitWait = DefaultAdmitWait
	}
	n := cfg.MaxInflight
	if n <= 0 {
		n = 2 * runtime.GOMAXPROCS(0)
	}
	s.sem = make(chan struct{}, n)
	if cfg.MaxWrites <= 0 {
		cfg.MaxWrites = DefaultMaxWrites
	}
	s.writes = make(chan struct{}, cfg.MaxWrites)
	if cfg.Access != nil {
		if _, ok := e.(Snapshotter); !ok {
			panic("httpapi: Config.Access needs an engine with a Snapshot method")
		}
		s.access = cfg.Access
	}
	if s.now == nil {
		s.now = time.Now
	}

	mux := http.NewServeMux()
	route := func(path string, h http.Handler) {
		mux.Handle("GET "+path, h)
		mux.HandleFunc(path, methodNotAllowed)
	}
	route("/healthz", healthz(cfg.Storage))
	route("/agents/{id}/agenda", s.query(s.agenda))
	route("/services/{id}/slots", s.query(s.slots))
	route("/services/{id}/next", s.query(s.next))
	if x, ok := e.(Explainer); ok {
		route("/services/{id}/explain", s.query(s.explain(x)))
	}
	if cfg.Events != nil {
		route("/agents/{id}/events", s.events(cfg.Events))
	}
	if b, ok := e.(Booker); ok {
		mux.Handle("POST /services/{id}/bookings", s.write(jsonBody, s.book(b)))
		mux.Handle("/services/{id}/bookings", allowOnly("POST"))
	}
	if c, ok := e.(Canceller); ok {
		mux.Handle("DELETE /appointments/{id}", s.write(optionalJSON, s.cancel(c)))
		mux.Handle("POST /appointments/{id}/cancel", s.write(optionalJSON, s.cancel(c)))
		mux.Handle("/appointments/{id}", allowOnly("DELETE"))
		mux.Handle("/appointments/{id}/cancel", allowOnly("POST"))
	}
	if h, ok := e.(Holder); ok {
		s.holds(mux, h, cfg.Events)
	}
	s.calendars(mux, e, cfg) // iCalendar in and out, /metrics (calendars.go)
	s.page(mux)              // GET /, /static/, /catalogue: the agenda page (page.go)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("httpapi: no route for %s", r.URL.Path), "")
	})
	var h http.Handler = mux
	if s.access != nil {
		h = s.guard(mux)
	}
	if s.log == nil {
		return h
	}
	return s.logged(h)
}

// Storage says where bookings are kept, for /healthz.
type Storage struct {
	Kind    string `json:"storage,omitempty"` // "memory" or "postgresql"
	Durable bool   `json:"durable"`           // whether a booking survives the process
}

func healthz(st Storage) http.Handler {
	body := []byte(`{"status":"ok"}` + "\n")
	if st.Kind != "" {
		note := ""
		if !st.Durable {
			note = `,"note":"bookings are kept in this process's memory only and are lost when it stops"`
		}
		body = fmt.Appendf(nil, `{"status":"ok","storage":%q,"durable":%t%s}`+"\n", st.Kind, st.Durable, note)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(body)
	})
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "GET, HEAD")
	writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("httpapi: method %s not allowed", r.Method), "")
}

// prepared is a parsed query, ready to run under the request's deadline.
type prepared func(ctx context.Context) (any, error)

// query wraps an endpoint: parse (cheap, outside the semaphore), admit,
// compute and encode under the deadline, release, then write.
func (s *server) query(parse func(r *http.Request) (prepared, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		run, err := parse(r)
		if err != nil {
			s.fail(w, err)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
		defer cancel()
		if err := s.admit(ctx); err != nil {
			s.fail(w, err)
			return
		}
		body, ctype, err := s.compute(ctx, run)
		<-s.sem
		if err != nil {
			s.fail(w, err)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
}

// compute runs the query and encodes its answer: JSON, unless the query
// returns a [rawBody] of its own content type.
func (s *server) compute(ctx context.Context, run prepared) ([]byte, string, error) {
	if s.admitted != nil {
		s.admitted(ctx)
	}
	v, err := run(ctx)
	if err != nil {
		return nil, "", err
	}
	if raw, ok := v.(rawBody); ok {
		return raw.data, raw.contentType, nil
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "application/json", nil
}

// rawBody is an answer already encoded, such as an iCalendar export.
type rawBody struct {
	contentType string
	data        []byte
}

// errBusy is returned when no slot frees up within the admission wait.
var errBusy = errors.New("httpapi: too many queries in flight; retry later")

// admit takes a semaphore slot, waiting at most s.admitWait. The waiters
// are bounded by the arrival rate times that wait, never by a queue.
func (s *server) admit(ctx context.Context) error {
	select {
	case s.sem <- struct{}{}:
		return nil
	default:
	}
	if s.admitWait < 0 {
		return errBusy
	}
	t := time.NewTimer(s.admitWait)
	defer t.Stop()
	select {
	case s.sem <- struct{}{}:
		return nil
	case <-t.C:
		return errBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

// statusClientClosed is logged when the client went away first (nginx's
// convention); the client never sees it.
const statusClientClosed = 499

// fail writes err with the status its kind calls for.
func (s *server) fail(w http.ResponseWriter, err error) {
	var le *agenda.LimitError
	var be *agenda.BookingError
	var se *statusError
	switch {
	case errors.As(err, &se):
		writeError(w, se.status, se.msg, "")
	case errors.As(err, &be):
		// 409 when the time is taken (retry another slot, or later), 422
		// when the request can never succeed as asked; the reasons either way.
		status := http.StatusUnprocessableEntity
		if be.Taken() {
			status = http.StatusConflict
		}
		writeBody(w, status, errorBody{Error: err.Error(), Explanation: be.Explanation})
	case errors.Is(err, errUnauthorized):
		w.Header().Set("WWW-Authenticate", `Bearer realm="crossagenda"`)
		writeError(w, http.StatusUnauthorized, err.Error(), "")
	case errors.As(err, new(*errForbidden)):
		writeError(w, http.StatusForbidden, err.Error(), "")
	case errors.Is(err, errBusy):
		w.Header().Set("Retry-After", retryAfter)
		writeError(w, http.StatusServiceUnavailable, err.Error(), "")
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusGatewayTimeout,
			fmt.Sprintf("httpapi: the query did not finish within %s", s.timeout), "")
	case errors.Is(err, context.Canceled):
		writeError(w, statusClientClosed, "httpapi: request cancelled", "")
	case errors.As(err, &le):
		writeError(w, http.StatusUnprocessableEntity, err.Error(), le.Limit)
	case errors.Is(err, agenda.ErrConflict):
		writeError(w, http.StatusConflict, err.Error(), "")
	case errors.Is(err, agenda.ErrExpired):
		writeError(w, http.StatusGone, err.Error(), "")
	case errors.Is(err, agenda.ErrUnbookable):
		writeError(w, http.StatusUnprocessableEntity, err.Error(), "")
	case errors.As(err, new(*agenda.RecordError)), errors.As(err, new(*agenda.ValidationError)):
		writeError(w, http.StatusBadRequest, err.Error(), "")
	case errors.Is(err, agenda.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error(), "")
	case errors.Is(err, agenda.ErrInvalidQuery), errors.As(err, new(*paramError)):
		writeError(w, http.StatusBadRequest, err.Error(), "")
	default:
		writeError(w, http.StatusInternalServerError, err.Error(), "")
	}
}

type errorBody struct {
	Error string `json:"error"`
	Limit string `json:"limit,omitempty"`
	// Explanation says why a booking or hold was refused: its reasons,
	// and the nearest bookable starts.
	Explanation *agenda.Explanation `json:"explanation,omitempty"`
}

func writeError(w http.ResponseWriter, status int, msg, limit string) {
	writeBody(w, status, errorBody{Error: msg, Limit: limit})
}

func writeBody(w http.ResponseWriter, status int, e errorBody) {
	body, _ := json.Marshal(e) // cannot fail: strings, times and numbers
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
