package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/crossagenda/crossagenda/agenda"
)

// Bounds of write requests.
const (
	// DefaultMaxWrites bounds the writes in flight: bookings,
	// cancellations, holds, confirmations and releases.
	// They wait on the database rather than on the CPU, so they do not
	// share the queries' semaphore.
	DefaultMaxWrites = 64
	// MaxBodyBytes bounds a write's body; a larger one gets 413.
	MaxBodyBytes = 64 << 10
)

// errBodyTooLarge is a body past MaxBodyBytes.
var errBodyTooLarge = fmt.Errorf("httpapi: request body larger than %d bytes", MaxBodyBytes)

// errNotJSON is a write whose body is not declared as JSON: a plain HTML
// form on another site cannot book or cancel.
var errNotJSON = errors.New("httpapi: the body must be JSON (Content-Type: application/json)")

// limitedBody reads at most MaxBodyBytes and remembers whether the client
// sent more.
type limitedBody struct {
	r        io.Reader
	left     int64
	exceeded bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, _ := b.r.Read(one[:]); n > 0 {
			b.exceeded = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// bodyRule says what a write endpoint takes in its body.
type bodyRule int

const (
	jsonBody     bodyRule = iota // a JSON body, required
	optionalJSON                 // none, or a JSON one
	noBody                       // nothing is read of it
)

// write wraps a write endpoint (a booking, a cancellation, a hold): a body,
// where rule takes one, must be declared JSON (415 otherwise) and at most
// MaxBodyBytes (413); the write waits for one of MaxWrites slots up to the
// request's deadline (then 503), runs, and answers like a query.
func (s *server) write(rule bodyRule, parse func(r *http.Request) (prepared, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rule == jsonBody || rule == optionalJSON && r.ContentLength != 0 {
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
				writeError(w, http.StatusUnsupportedMediaType, errNotJSON.Error(), "")
				return
			}
		}
		body := &limitedBody{r: r.Body, left: MaxBodyBytes}
		r.Body = io.NopCloser(body)
		if r.ContentLength > MaxBodyBytes {
			writeError(w, http.StatusRequestEntityTooLarge, errBodyTooLarge.Error(), "")
			return
		}
		run, err := parse(r)
		if body.exceeded {
			writeError(w, http.StatusRequestEntityTooLarge, errBodyTooLarge.Error(), "")
			return
		}
		if err != nil {
			s.fail(w, err)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
		defer cancel()
		select {
		case s.writes <- struct{}{}:
		case <-ctx.Done():
			s.fail(w, errBusy)
			return
		}
		out, ctype, err := s.compute(ctx, run)
		<-s.writes
		if err != nil {
			s.fail(w, err)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.Write(out)
	})
}

// Canceller is an engine that cancels appointments: pgstore.Store is one
// (the server adapts *agenda.Live). With it, the handler serves
// DELETE /appointments/{id} and POST /appointments/{id}/cancel.
type Canceller interface {
	CancelAppointment(ctx context.Context, id string, status agenda.Status) error
}

// cancelRequest is the optional body of a cancellation.
type cancelRequest struct {
	// Status is excused (by the public, the default) or revoked (by the
	// organisation).
	Status agenda.Status `json:"status"`
}

// cancelled is the answer to a cancellation.
type cancelled struct {
	ID     string        `json:"id"`
	Status agenda.Status `json:"status"`
}

// cancel serves DELETE /appointments/{id} and POST
// /appointments/{id}/cancel: the appointment's status becomes excused (or
// the status the body asks for), which frees its agents.
func (s *server) cancel(c Canceller) func(r *http.Request) (prepared, error) {
	return func(r *http.Request) (prepared, error) {
		req := cancelRequest{Status: agenda.StatusExcused}
		if r.ContentLength != 0 {
			if err := decodeBody(r, &req, true); err != nil {
				return nil, err
			}
		}
		id := r.PathValue("id")
		if err := s.mayCancel(r, req.Status); err != nil {
			return nil, err
		}
		if err := s.mayTouch(r, "appointment", id); err != nil {
			return nil, err
		}
		return func(ctx context.Context) (any, error) {
			if err := c.CancelAppointment(ctx, id, req.Status); err != nil {
				return nil, sameNotFound(err, "appointment", id)
			}
			return cancelled{ID: id, Status: req.Status}, nil
		}, nil
	}
}

// allowOnly answers 405 with the methods a write route accepts.
func allowOnly(methods string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", methods)
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("httpapi: method %s not allowed; use %s", r.Method, methods), "")
	})
}

// decodeBody decodes r's JSON body into v: one JSON value, no unknown
// field, nothing after it. With empty, an empty body leaves v as it is.
// The write wrapper bounds the body (413).
func decodeBody(r *http.Request, v any, empty bool) error {
	dec := newStrictDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		if empty && errors.Is(err, io.EOF) {
			return nil
		}
		return &paramError{name: "body", msg: err.Error()}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &paramError{name: "body", msg: "more after the JSON value"}
	}
	return nil
}

// sameNotFound gives an unknown id the answer mayTouch gives an id of
// another organisation: the same words, so that nobody tells them apart.
func sameNotFound(err error, kind, id string) error {
	if errors.Is(err, agenda.ErrNotFound) {
		return notFound(kind, id)
	}
	return err
}

// notFound is the refusal of a record id that does not exist, or is of
// none of the caller's organisations.
func notFound(kind, id string) error {
	return fmt.Errorf("httpapi: %s %q: %w", kind, id, agenda.ErrNotFound)
}
