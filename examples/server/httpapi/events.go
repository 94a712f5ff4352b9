package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
)

// ChangeSource tells its subscribers about changes: *agenda.Live is one.
type ChangeSource interface {
	OnChange(fn func(agenda.Change)) (stop func())
}

// EventsConfig tunes [NewEvents]. The zero EventsConfig is valid: every
// zero field means its default.
type EventsConfig struct {
	// MaxSubscribers bounds the open streams; more get 503. Default
	// 10,000.
	MaxSubscribers int
	// Buffer is how many messages wait for one subscriber; a subscriber
	// that falls that far behind is dropped (its stream ends, and the
	// browser's EventSource reconnects and reloads). Default 16.
	Buffer int
	// Heartbeat is the interval of the comment line that keeps proxies
	// from closing an idle stream. Default 25s.
	Heartbeat time.Duration
	// WriteTimeout bounds each write to a subscriber; a client that does
	// not take a message in that time is dropped. Default 10s.
	WriteTimeout time.Duration
}

// Event stream defaults.
const (
	DefaultMaxSubscribers = 10_000
	DefaultEventsBuffer   = 16
	DefaultHeartbeat      = 25 * time.Second
	DefaultEventsWrite    = 10 * time.Second
)

// Events fans the changes of an agenda out to Server-Sent Events streams,
// one per open page: GET /agents/{id}/events sends a small message whenever
// something in that agent's agenda changes, and the page reloads only the
// range the message names.
//
// A subscription costs its HTTP handler's goroutine (which waits and does
// nothing else), one channel of [EventsConfig.Buffer] messages and a
// timer for the heartbeat; a change costs one message encoding per agent
// and one non-blocking send per subscriber of that agent. Nothing queues
// without bound: a subscriber whose buffer is full is dropped.
//
// Messages carry no record, only the agent and the range (see
// [Events.Publish]), so a stream shows no organisation anything of
// another's beyond the fact that the agent's time changed.
type Events struct {
	cfg  EventsConfig
	stop func()

	mu     sync.Mutex
	subs   map[string]map[*subscriber]struct{} // by agent id
	n      int
	closed bool
	done   chan struct{} // closed by Close

	sent, dropped atomic.Int64
}

type subscriber struct {
	ch   chan []byte
	gone chan struct{} // closed when dropped for falling behind
}

// errTooMany and errClosed refuse a subscription.
var (
	errTooMany = errors.New("httpapi: too many event streams open; retry later")
	errClosed  = errors.New("httpapi: the server is shutting down")
)

// NewEvents returns the fan-out of src's changes (src may be nil: then
// only [Events.Publish] feeds it). Call Close when the server shuts down.
func NewEvents(src ChangeSource, cfg EventsConfig) *Events {
	if cfg.MaxSubscribers <= 0 {
		cfg.MaxSubscribers = DefaultMaxSubscribers
	}
	if cfg.Buffer <= 0 {
		cfg.Buffer = DefaultEventsBuffer
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = DefaultHeartbeat
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultEventsWrite
	}
	e := &Events{cfg: cfg, subs: map[string]map[*subscriber]struct{}{}, done: make(chan struct{})}
	if src != nil {
		e.stop = src.OnChange(e.Publish)
	}
	return e
}

// changeMessage is the data of a "change" event: the agent and the range
// whose agenda may differ; from or to are absent when the change is not
// bounded on that side (a recurring record).
type changeMessage struct {
	AgentID string     `json:"agent_id"`
	From    *time.Time `json:"from,omitempty"`
	To      *time.Time `json:"to,omitempty"`
}

// Publish sends c to the subscribers of its agents. It never blocks: a
// subscriber whose buffer is full is dropped. It is the hook for changes
// that do not come through the ChangeSource (a Live already calls it).
// O(agents named + their subscribers).
func (e *Events) Publish(c agenda.Change) {
	m := changeMessage{}
	if !c.From.IsZero() {
		m.From = &c.From
	}
	if !c.To.IsZero() {
		m.To = &c.To
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range c.AgentIDs {
		subs := e.subs[id]
		if len(subs) == 0 {
			continue
		}
		m.AgentID = id
		data, _ := json.Marshal(m) // cannot fail: strings and times
		msg := fmt.Appendf(nil, "event: change\ndata: %s\n\n", data)
		for s := range subs {
			select {
			case s.ch <- msg:
				e.sent.Add(1)
			default: // fallen behind: drop it rather than queue
				e.dropped.Add(1)
				close(s.gone)
				delete(subs, s)
				e.n--
			}
		}
		if len(subs) == 0 {
			delete(e.subs, id)
		}
	}
}

// Close ends every stream and refuses new ones, and stops following the
// source. Register it with [http.Server.RegisterOnShutdown]: Shutdown
// does not end handlers by itself, and streams never end on their own.
func (e *Events) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	e.closed = true
	close(e.done)
	if e.stop != nil {
		e.stop()
	}
}

// EventsStats counts the subscriptions and messages.
type EventsStats struct {
	Subscribers int   // open streams
	Sent        int64 // messages queued to a subscriber
	Dropped     int64 // subscribers dropped for falling behind
}

// Stats returns the current counts.
func (e *Events) Stats() EventsStats {
	e.mu.Lock()
	n := e.n
	e.mu.Unlock()
	return EventsStats{Subscribers: n, Sent: e.sent.Load(), Dropped: e.dropped.Load()}
}

func (e *Events) subscribe(agentID string) (*subscriber, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.closed:
		return nil, errClosed
	case e.n >= e.cfg.MaxSubscribers:
		return nil, errTooMany
	}
	s := &subscriber{ch: make(chan []byte, e.cfg.Buffer), gone: make(chan struct{})}
	subs := e.subs[agentID]
	if subs == nil {
		subs = map[*subscriber]struct{}{}
		e.subs[agentID] = subs
	}
	subs[s] = struct{}{}
	e.n++
	return s, nil
}

func (e *Events) unsubscribe(agentID string, s *subscriber) {
	e.mu.Lock()
	defer e.mu.Unlock()
	subs := e.subs[agentID]
	if _, ok := subs[s]; !ok {
		return // dropped already
	}
	delete(subs, s)
	if len(subs) == 0 {
		delete(e.subs, agentID)
	}
	e.n--
}

var (
	heartbeatLine = []byte(": heartbeat\n\n")
	shutdownEvent = []byte("event: shutdown\ndata: {}\n\n")
)

// events serves GET /agents/{id}/events: a text/event-stream that opens
// with a "ready" event, then a "change" event per change of the agent's
// agenda and a comment line every heartbeat, until the client leaves, falls
// behind or the server shuts down ("shutdown" event).
func (s *server) events(e *Events) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		agentID := r.PathValue("id")
		// An unknown agent is a 404, found by a one-minute agenda query.
		now := s.now()
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
		_, err := s.eng.Agenda(ctx, agentID, now, now.Add(time.Minute))
		cancel()
		if err != nil {
			s.fail(w, err)
			return
		}
		sub, err := e.subscribe(agentID)
		if err != nil {
			w.Header().Set("Retry-After", retryAfter)
			writeError(w, http.StatusServiceUnavailable, err.Error(), "")
			return
		}
		defer e.unsubscribe(agentID, sub)

		rc := http.NewResponseController(w)
		write := func(b []byte) bool {
			rc.SetWriteDeadline(time.Now().Add(e.cfg.WriteTimeout))
			if _, err := w.Write(b); err != nil {
				return false
			}
			return rc.Flush() == nil
		}
		h := w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
		ready, _ := json.Marshal(changeMessage{AgentID: agentID})
		if !write(fmt.Appendf(nil, "retry: 2000\nevent: ready\ndata: %s\n\n", ready)) {
			return
		}
		tick := time.NewTicker(e.cfg.Heartbeat)
		defer tick.Stop()
		for {
			select {
			case msg := <-sub.ch:
				if !write(msg) {
					return
				}
			case <-tick.C:
				if !write(heartbeatLine) {
					return
				}
			case <-sub.gone:
				return
			case <-e.done:
				write(shutdownEvent)
				return
			case <-r.Context().Done():
				return
			}
		}
	}
}
