package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// syncBuffer is a log sink the server and the test may use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serve runs the server with args on a loopback port until the returned
// stop is called; stop returns run's error.
func serve(t *testing.T, args ...string) (base string, logs *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	logs = &syncBuffer{}
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), logs, func(a net.Addr) { addr <- a })
	}()
	select {
	case a := <-addr:
		base = "http://" + a.String()
	case err := <-done:
		cancel()
		t.Fatalf("server stopped before listening: %v", err)
	}
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			err = <-done
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return base, logs, stop
}

func fetch(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body
}

func TestServeAndShutDown(t *testing.T) {
	base, logs, stop := serve(t, "-scale", "small", "-max-window", "48h")
	status, body := fetch(t, base+"/healthz")
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"status":"ok","storage":"memory","durable":false,
		"note":"bookings are kept in this process's memory only and are lost when it stops"}`, string(body))
	assert.Contains(t, logs.String(), "bookings are not durable")

	// -max-window reaches the index's limits.
	status, body = fetch(t, base+"/agents/a1/agenda?start=2026-12-01&end=2026-12-04")
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	var e struct{ Error, Limit string }
	require.NoError(t, json.Unmarshal(body, &e))
	assert.Equal(t, "MaxWindow", e.Limit)

	// An open event stream ends at shutdown instead of holding it up.
	resp, err := http.Get(base + "/agents/a1/events")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	t0 := time.Now()
	require.NoError(t, stop())
	assert.Less(t, time.Since(t0), 5*time.Second, "shutdown waited for the stream")
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(rest), "event: shutdown")
	log := logs.String()
	for _, want := range []string{`"msg":"listening"`, `"path":"/healthz"`, `"status":422`, `"msg":"stopped"`} {
		assert.Contains(t, log, want)
	}
	_, err = http.Get(base + "/healthz")
	assert.Error(t, err, "the listener is closed after shutdown")
}

func TestServeDataFileQuietly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "small.json")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, gen.Generate(gen.Small, 2).WriteJSON(f))
	require.NoError(t, f.Close())

	base, logs, stop := serve(t, "-data", path, "-quiet")
	status, body := fetch(t, base+"/agents/a1/agenda?start=2026-12-01&end=2026-12-08")
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	var events []map[string]any
	require.NoError(t, json.Unmarshal(body, &events))
	require.NoError(t, stop())
	assert.NotContains(t, logs.String(), `"msg":"request"`)
}

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{args: nil, want: "give -data FILE, -scale NAME or -db URL"},
		{args: []string{"-scale", "small", "-timeout", "0"}, want: "-timeout 0s: need a positive duration"},
		{args: []string{"-scale", "small", "-max-window", "-5h"}, want: "-max-window -5h0m0s: need a positive duration"},
		{args: []string{"-scale", "small", "-max-results", "0"}, want: "-max-results 0"},
		{args: []string{"-scale", "small", "-admit-wait", "0"}, want: "-admit-wait 0"},
		{args: []string{"-scale", "small", "-shutdown-timeout", "-1s"}, want: "-shutdown-timeout -1s"},
		{args: []string{"-db", "postgres://nobody@127.0.0.1:1/none", "-scale", "small"}, want: "127.0.0.1"},
		{args: []string{"-data", "x.json", "-scale", "small"}, want: "not both"},
		{args: []string{"-scale", "planet"}, want: `unknown scale "planet"`},
		{args: []string{"-data", filepath.Join(os.TempDir(), "does-not-exist.json")}, want: "no such file"},
		{args: []string{"-scale", "small", "-max-inflight", "0"}, want: "-max-inflight 0"},
		{args: []string{"-scale", "small", "extra"}, want: `unexpected argument "extra"`},
		{args: []string{"-timeout", "soon"}, want: "invalid value"},
		{args: []string{"-scale", "small", "-addr", "127.0.0.1:notaport"}, want: "notaport"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := run(ctx, tt.args, io.Discard, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestHelp: -h prints every flag with its default and is not an error for
// main (which exits 0).
func TestHelp(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &out, nil)
	require.ErrorIs(t, err, errHelp)
	for _, want := range []string{"-db string", "-data string", "-scale string", "-seed uint", "(default 1)",
		"-addr string", `(default "127.0.0.1:8080")`, "-timeout duration", "(default 2s)", "-max-inflight int",
		"-admit-wait duration", "(default 10ms)", "-max-window duration", "(default 2232h0m0s)", "-max-results int",
		"(default 50000)", "-shutdown-timeout duration", "(default 10s)", "-quiet"} {
		assert.Contains(t, out.String(), want)
	}
}
