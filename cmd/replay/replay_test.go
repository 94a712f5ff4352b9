package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tinyOptions(t *testing.T) options {
	o := defaultOptions()
	o.scale = "small"
	o.clients = 4
	o.poll = 20 * time.Millisecond
	o.duration = time.Second
	if testing.Short() {
		o.duration = 300 * time.Millisecond
	}
	o.idle = 20
	o.probeEvery = 10 * time.Millisecond
	return o
}

// checkCounters asserts what holds whatever the timing: every request has
// exactly one outcome, each 2xx has a latency, and nothing failed but by
// load shedding.
func checkCounters(t *testing.T, res *result) {
	t.Helper()
	require.Len(t, res.rows, 5)
	for _, s := range res.rows {
		name := s.endpoint + "/" + s.phase
		assert.Positive(t, s.requests, name)
		assert.Equal(t, s.requests, s.ok+s.busy+s.server+s.client+s.transport, name)
		assert.Len(t, s.lat, s.ok, name)
		assert.Zero(t, s.server, "%s: 5xx other than 503", name)
		assert.Zero(t, s.client, "%s: 4xx", name)
		assert.Zero(t, s.transport, "%s: transport errors", name)
		if s.phase == "idle" {
			// One request at a time cannot find the semaphore full.
			assert.Zero(t, s.busy, name)
			assert.Equal(t, 20, s.requests, name)
		}
		if s.endpoint == "/healthz" {
			assert.Zero(t, s.busy, "%s: /healthz is never shed", name)
		}
		if s.ok > 0 {
			assert.LessOrEqual(t, s.quantile(0.5), s.quantile(0.99), name)
			assert.LessOrEqual(t, s.quantile(0.99), s.quantile(1), name)
		}
	}
	assert.Equal(t, res.pass, res.row("/healthz", "load").ok > 0 && res.loadP99 <= res.threshold)
	assert.GreaterOrEqual(t, res.baseline, res.idleP99)
}

func TestReplayTiny(t *testing.T) {
	o := tinyOptions(t)
	var out bytes.Buffer
	res, err := run(context.Background(), o, &out)
	require.NoError(t, err)
	checkCounters(t, res)
	assert.Equal(t, "duration", res.stoppedBy)
	assert.LessOrEqual(t, res.row("agenda (1 month)", "load").requests, o.maxRequests)
	assert.Regexp(t, regexp.MustCompile(`load p99 [0-9.]+ms: (PASS|FAIL)`), out.String())
	for _, s := range res.rows {
		assert.Contains(t, out.String(), s.endpoint)
	}
}

func TestReplayStopsAtTheRequestCap(t *testing.T) {
	o := tinyOptions(t)
	o.duration = time.Hour
	o.maxRequests = 20
	var out bytes.Buffer
	res, err := run(context.Background(), o, &out)
	require.NoError(t, err)
	checkCounters(t, res)
	assert.Equal(t, "max-requests", res.stoppedBy)
	assert.Equal(t, 20, res.row("agenda (1 month)", "load").requests)
	assert.Contains(t, out.String(), "stopped by max-requests")
}

func TestFlags(t *testing.T) {
	o, err := parseFlags([]string{"-clients", "8", "-poll", "1s", "-scale", "small"})
	require.NoError(t, err)
	assert.Equal(t, 8, o.clients)
	assert.Equal(t, time.Second, o.poll)
	for _, bad := range [][]string{{"-clients", "0"}, {"-poll", "0s"}, {"extra"}, {"-factor", "-1"}} {
		_, err := parseFlags(bad)
		assert.Error(t, err, "%v", bad)
	}
	_, err = run(context.Background(), options{scale: "planet"}, &bytes.Buffer{})
	assert.ErrorContains(t, err, `unknown scale "planet"`)
}

// TestMain lets the test binary be the server of the pages mode, which
// starts this executable again as its child.
func TestMain(m *testing.M) {
	if spec := os.Getenv(replayServerEnv); spec != "" {
		if err := childServer(spec); err != nil {
			fmt.Fprintln(os.Stderr, "replay server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestReplayPages(t *testing.T) {
	o := tinyOptions(t)
	o.pages, o.pageAgents, o.bookings, o.bookingEvery = 40, 4, 8, time.Millisecond
	var out bytes.Buffer
	res, err := runPages(context.Background(), o, &out)
	require.NoError(t, err, out.String())
	assert.Equal(t, 8, res.bookings)
	assert.Len(t, res.every, 8)
	assert.Len(t, res.all, 8*10, "each booking reached the 10 pages of its agent")
	assert.Zero(t, res.stray, "no page heard of another agent's booking")
	assert.Equal(t, 40, res.open.Subscribers)
	assert.Equal(t, int64(8*10), res.open.Sent)
	assert.Zero(t, res.open.Dropped)
	assert.Equal(t, 40, res.ended, "every stream ended at shutdown")
	for i := range res.every {
		assert.LessOrEqual(t, res.first[i], res.every[i])
	}
	assert.Contains(t, out.String(), "server memory per subscription")
}
