package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// sseEvent is one event read off a stream: its name ("" for a comment
// line) and data.
type sseEvent struct{ name, data string }

// stream reads the events of one open GET /agents/{id}/events.
type stream struct {
	resp   *http.Response
	events chan sseEvent
}

func openStream(t *testing.T, base, agent string) *stream {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/agents/"+agent+"/events", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	s := &stream{resp: resp, events: make(chan sseEvent, 64)}
	t.Cleanup(func() { resp.Body.Close() })
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				s.events <- ev
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				ev.name = "comment"
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return s
}

// next returns the next event that is not a heartbeat, failing after d.
func (s *stream) next(t *testing.T, d time.Duration) sseEvent {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				return sseEvent{name: "EOF"}
			}
			if ev.name != "comment" {
				return ev
			}
		case <-timeout:
			t.Fatalf("no event within %s", d)
		}
	}
}

// liveServer serves the API with events over a Live of the small dataset.
func liveServer(t *testing.T, cfg EventsConfig) (*agenda.Live, *Events, *httptest.Server) {
	t.Helper()
	f := setup(t)
	live := agenda.LiveFrom(f.ix)
	ev := NewEvents(live, cfg)
	srv := httptest.NewServer(New(live, Config{Events: ev, Now: func() time.Time { return f.anchor }}))
	t.Cleanup(func() { ev.Close(); srv.Close() })
	return live, ev, srv
}

func TestEventsBookingReachesSubscribers(t *testing.T) {
	f := setup(t)
	live, ev, srv := liveServer(t, EventsConfig{})
	s1 := openStream(t, srv.URL, f.serviceAgent)
	s2 := openStream(t, srv.URL, f.serviceAgent)
	other := openStream(t, srv.URL, f.multiOrg)
	for _, s := range []*stream{s1, s2, other} {
		assert.Equal(t, "ready", s.next(t, time.Second).name)
	}
	assert.Equal(t, 3, ev.Stats().Subscribers)

	slots, err := live.Slots(context.Background(), agenda.SlotQuery{ServiceID: f.service, AgentIDs: []string{f.serviceAgent},
		From: f.anchor, To: f.anchor.AddDate(0, 0, 14), Now: f.anchor})
	require.NoError(t, err)
	require.NotEmpty(t, slots)
	sl := slots[0]
	body := fmt.Sprintf(`{"id":"sse1","agent_id":%q,"place_id":%q,"start":%q}`, sl.AgentID, sl.PlaceID, sl.Start.Format(time.RFC3339))
	resp, err := http.Post(srv.URL+"/services/"+f.service+"/bookings", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	for _, s := range []*stream{s1, s2} {
		e := s.next(t, time.Second)
		require.Equal(t, "change", e.name)
		var m struct {
			AgentID string    `json:"agent_id"`
			From    time.Time `json:"from"`
			To      time.Time `json:"to"`
		}
		require.NoError(t, json.Unmarshal([]byte(e.data), &m))
		assert.Equal(t, f.serviceAgent, m.AgentID)
		// The range covers the booked slot (and its buffers, if any).
		require.False(t, m.From.IsZero() || m.To.IsZero(), "a booking is bounded: %s", e.data)
		assert.False(t, m.From.After(sl.Start), "from %s after the slot's start %s", m.From, sl.Start)
		assert.False(t, m.To.Before(sl.End), "to %s before the slot's end %s", m.To, sl.End)
	}
	// The other agent's stream hears nothing but heartbeats.
	select {
	case e := <-other.events:
		if e.name != "comment" {
			t.Fatalf("agent %s was told %v", f.multiOrg, e)
		}
	case <-time.After(100 * time.Millisecond):
	}
}

func TestEventsRefusals(t *testing.T) {
	_, ev, srv := liveServer(t, EventsConfig{MaxSubscribers: 1})
	f := setup(t)
	resp, err := http.Get(srv.URL + "/agents/nobody/events")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	s := openStream(t, srv.URL, f.multiOrg)
	assert.Equal(t, "ready", s.next(t, time.Second).name)
	resp, err = http.Get(srv.URL + "/agents/" + f.multiOrg + "/events")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "past MaxSubscribers")
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))

	// Close ends the open stream with a shutdown event and refuses new ones.
	ev.Close()
	assert.Equal(t, "shutdown", s.next(t, time.Second).name)
	assert.Equal(t, "EOF", s.next(t, time.Second).name)
	resp, err = http.Get(srv.URL + "/agents/" + f.multiOrg + "/events")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, 0, ev.Stats().Subscribers)
}

func TestEventsHeartbeat(t *testing.T) {
	f := setup(t)
	_, _, srv := liveServer(t, EventsConfig{Heartbeat: 20 * time.Millisecond})
	s := openStream(t, srv.URL, f.multiOrg)
	assert.Equal(t, "ready", s.next(t, time.Second).name)
	select {
	case e := <-s.events:
		assert.Equal(t, "comment", e.name)
	case <-time.After(time.Second):
		t.Fatal("no heartbeat")
	}
}

// TestEventsSlowSubscriberDropped fills a subscriber's buffer without
// reading it: the next message drops it, and the others still get theirs.
func TestEventsSlowSubscriberDropped(t *testing.T) {
	ev := NewEvents(nil, EventsConfig{Buffer: 4})
	defer ev.Close()
	slow, err := ev.subscribe("a1")
	require.NoError(t, err)
	fast, err := ev.subscribe("a1")
	require.NoError(t, err)
	c := agenda.Change{AgentIDs: []string{"a1"}, From: time.Unix(0, 0), To: time.Unix(60, 0)}
	for i := range 6 {
		ev.Publish(c)
		if i < 4 {
			<-fast.ch
		} else {
			select {
			case <-fast.ch:
			default:
				t.Fatalf("message %d did not reach the fast subscriber", i)
			}
		}
	}
	select {
	case <-slow.gone:
	default:
		t.Fatal("the slow subscriber was not dropped")
	}
	assert.Len(t, slow.ch, 4, "no more than its buffer queued")
	st := ev.Stats()
	assert.Equal(t, 1, st.Subscribers)
	assert.Equal(t, int64(1), st.Dropped)
	ev.unsubscribe("a1", slow) // the handler's deferred call: a no-op now
	ev.unsubscribe("a1", fast)
	assert.Equal(t, 0, ev.Stats().Subscribers)
}

// TestEventsManySubscribers opens many streams on one agent: one change
// reaches every one of them.
func TestEventsManySubscribers(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 50
	}
	f := setup(t)
	_, ev, srv := liveServer(t, EventsConfig{})
	streams := make([]*stream, n)
	for i := range streams {
		streams[i] = openStream(t, srv.URL, f.multiOrg)
		require.Equal(t, "ready", streams[i].next(t, 2*time.Second).name)
	}
	ev.Publish(agenda.Change{AgentIDs: []string{f.multiOrg}})
	for _, s := range streams {
		e := s.next(t, 2*time.Second)
		require.Equal(t, "change", e.name)
		assert.JSONEq(t, fmt.Sprintf(`{"agent_id":%q}`, f.multiOrg), e.data, "an unbounded change has no from or to")
	}
	assert.Equal(t, n, ev.Stats().Subscribers)
}

// TestEventsHoldExpiry holds a slot for a second: the agent's streams hear
// of the hold, then of its expiry, which changes no record.
func TestEventsHoldExpiry(t *testing.T) {
	f := setup(t)
	live, _, srv := liveServer(t, EventsConfig{})
	s := openStream(t, srv.URL, f.serviceAgent)
	require.Equal(t, "ready", s.next(t, time.Second).name)
	slots, err := live.Slots(context.Background(), agenda.SlotQuery{ServiceID: f.service, AgentIDs: []string{f.serviceAgent},
		From: f.anchor, To: f.anchor.AddDate(0, 0, 14), Now: f.anchor})
	require.NoError(t, err)
	require.NotEmpty(t, slots)
	sl := slots[0]
	body := fmt.Sprintf(`{"id":"exp1","agent_id":%q,"place_id":%q,"start":%q,"ttl_seconds":1}`, sl.AgentID, sl.PlaceID, sl.Start.Format(time.RFC3339))
	t0 := time.Now()
	for range 3 { // a client repeating its hold: the same hold, one expiry
		resp, err := http.Post(srv.URL+"/services/"+f.service+"/holds", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	assert.Equal(t, "change", s.next(t, time.Second).name, "the hold")
	assert.Equal(t, "change", s.next(t, 3*time.Second).name, "its expiry")
	assert.GreaterOrEqual(t, time.Since(t0), time.Second, "not before the hold expired")
	quiet := time.After(time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				return
			}
			if ev.name != "comment" {
				t.Errorf("a second expiry told for one hold: %+v", ev)
				return
			}
		case <-quiet:
			return
		}
	}
}

// TestEventsConcurrent subscribes, reads and leaves from many goroutines
// while changes are published (run it with -race): a subscriber reads
// only its agent's messages, and the count of subscribers ends at zero.
func TestEventsConcurrent(t *testing.T) {
	ev := NewEvents(nil, EventsConfig{Buffer: 2})
	defer ev.Close()
	agents := []string{"a1", "a2", "a3"}
	stop := make(chan struct{})
	var published sync.WaitGroup
	published.Add(1)
	go func() {
		defer published.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			ev.Publish(agenda.Change{AgentIDs: agents[i%3 : i%3+1]})
		}
	}()
	var subs sync.WaitGroup
	for g := range 8 {
		subs.Add(1)
		go func() {
			defer subs.Done()
			for i := range 200 {
				agent := agents[(g+i)%3]
				s, err := ev.subscribe(agent)
				if err != nil {
					t.Error(err)
					return
				}
				select { // a message, a drop, or neither yet
				case msg := <-s.ch:
					if !strings.Contains(string(msg), `"agent_id":"`+agent+`"`) {
						t.Errorf("subscriber of %s got %s", agent, msg)
					}
				case <-s.gone:
				default:
				}
				ev.unsubscribe(agent, s)
			}
		}()
	}
	subs.Wait()
	close(stop)
	published.Wait()
	assert.Zero(t, ev.Stats().Subscribers)
}
