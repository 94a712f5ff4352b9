package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// CalendarSource is an external calendar to poll: the agent it belongs
// to and the URL of its iCalendar text.
type CalendarSource struct {
	ID      string `json:"id"`
	AgentID string `json:"agent_id"`
	URL     string `json:"url"`
}

// ReadCalendarSources reads a JSON array of sources, as the server's
// -calendar-urls file holds them:
//
//	[{"id": "c1", "agent_id": "a1", "url": "https://calendar.example/a1.ics"}]
//
// Every source needs an id, an agent and an http or https URL; ids are
// unique.
func ReadCalendarSources(r io.Reader) ([]CalendarSource, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var srcs []CalendarSource
	if err := dec.Decode(&srcs); err != nil {
		return nil, fmt.Errorf("httpapi: calendar sources: %w", err)
	}
	seen := map[string]bool{}
	for i, s := range srcs {
		u, err := url.Parse(s.URL)
		switch {
		case s.ID == "":
			return nil, fmt.Errorf("httpapi: calendar source #%d: id is missing", i)
		case seen[s.ID]:
			return nil, fmt.Errorf("httpapi: calendar source %q: duplicate id", s.ID)
		case s.AgentID == "":
			return nil, fmt.Errorf("httpapi: calendar source %q: agent_id is missing", s.ID)
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			return nil, fmt.Errorf("httpapi: calendar source %q: url %q is not an http or https URL", s.ID, s.URL)
		}
		seen[s.ID] = true
	}
	return srcs, nil
}

// PollerConfig tunes a [CalendarPoller]. Zero fields take the defaults.
type PollerConfig struct {
	// Interval is the time between two polls of every source. Default 5
	// minutes.
	Interval time.Duration
	// Timeout bounds one fetch, body included. Default 10 seconds.
	Timeout time.Duration
	// MaxBytes bounds a body. Default 10 MiB.
	MaxBytes int64
	// Client fetches; default a client of its own.
	Client *http.Client
	// Now is the clock of the poll times. Default time.Now.
	Now func() time.Time
	// Logger receives a record per failed poll. Nil logs nothing.
	Logger *slog.Logger
}

// SourceStatus is what a poller knows of one source.
type SourceStatus struct {
	CalendarSource
	// LastSuccess is when a poll last succeeded (a new calendar or 304
	// Not Modified); before the first, when the poller was created.
	LastSuccess time.Time
	// LastError is the last poll's error, "" when it succeeded.
	LastError string
	// ETag and LastModified are the validators the next poll sends.
	ETag, LastModified string
}

// CalendarPoller fetches calendar URLs and sets each calendar on a
// CalendarEngine when it changed: conditional requests (If-None-Match,
// If-Modified-Since) make an unchanged calendar a 304 that costs neither
// transfer nor parsing. Each fetch has a deadline and a bounded body; a
// failed poll keeps the calendar in place and shows in [Status] (and in
// /metrics). Safe for concurrent use.
type CalendarPoller struct {
	eng  CalendarEngine
	cfg  PollerConfig
	mu   sync.Mutex
	srcs []*SourceStatus
}

// NewCalendarPoller returns a poller of srcs into eng.
func NewCalendarPoller(eng CalendarEngine, srcs []CalendarSource, cfg PollerConfig) *CalendarPoller {
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Minute
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxCalendarBytes
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p := &CalendarPoller{eng: eng, cfg: cfg}
	for _, s := range srcs {
		p.srcs = append(p.srcs, &SourceStatus{CalendarSource: s, LastSuccess: cfg.Now()})
	}
	return p
}

// Status returns a copy of every source's status.
func (p *CalendarPoller) Status() []SourceStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]SourceStatus, len(p.srcs))
	for i, s := range p.srcs {
		out[i] = *s
	}
	return out
}

// Run polls every source at once, then every Interval, until ctx is done.
func (p *CalendarPoller) Run(ctx context.Context) {
	t := time.NewTicker(p.cfg.Interval)
	defer t.Stop()
	for {
		p.PollOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PollOnce polls every source once, one after the other, and returns their
// errors joined.
func (p *CalendarPoller) PollOnce(ctx context.Context) error {
	var errs []error
	for i := range p.srcs {
		p.mu.Lock()
		s := *p.srcs[i]
		p.mu.Unlock()
		etag, modified, err := p.poll(ctx, s)
		p.mu.Lock()
		st := p.srcs[i]
		if err != nil {
			st.LastError = err.Error()
			errs = append(errs, err)
			if p.cfg.Logger != nil {
				p.cfg.Logger.Warn("calendar poll failed", "calendar", s.ID, "agent", s.AgentID, "url", s.URL, "error", err.Error())
			}
		} else {
			st.LastError, st.LastSuccess = "", p.cfg.Now()
			st.ETag, st.LastModified = etag, modified
		}
		p.mu.Unlock()
	}
	return errors.Join(errs...)
}

// poll fetches one source and sets its calendar when it changed; it
// returns the validators of the answer.
func (p *CalendarPoller) poll(ctx context.Context, s SourceStatus) (etag, modified string, err error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err != nil {
		return "", "", fmt.Errorf("calendar %q: %w", s.ID, err)
	}
	req.Header.Set("Accept", "text/calendar")
	if s.ETag != "" {
		req.Header.Set("If-None-Match", s.ETag)
	}
	if s.LastModified != "" {
		req.Header.Set("If-Modified-Since", s.LastModified)
	}
	resp, err := p.cfg.Client.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("calendar %q: fetching %s: %w", s.ID, s.URL, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return s.ETag, s.LastModified, nil
	case http.StatusOK:
	default:
		return "", "", fmt.Errorf("calendar %q: fetching %s: status %s", s.ID, s.URL, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, p.cfg.MaxBytes+1))
	if err != nil {
		return "", "", fmt.Errorf("calendar %q: reading %s: %w", s.ID, s.URL, err)
	}
	if int64(len(body)) > p.cfg.MaxBytes {
		return "", "", fmt.Errorf("calendar %q: %s is larger than %d bytes", s.ID, s.URL, p.cfg.MaxBytes)
	}
	if err := p.eng.SetCalendar(ctx, s.ID, s.AgentID, bytes.NewReader(body)); err != nil {
		return "", "", fmt.Errorf("calendar %q from %s: %w", s.ID, s.URL, err)
	}
	return resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"), nil
}
