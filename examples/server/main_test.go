package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
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
	base, logs, stop := serve(t, "-scale", "small", "-max-window", "48h", "-open")
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

	base, logs, stop := serve(t, "-data", path, "-quiet", "-open")
	status, body := fetch(t, base+"/agents/a1/agenda?start=2026-12-01&end=2026-12-08")
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	var events []map[string]any
	require.NoError(t, json.Unmarshal(body, &events))
	require.NoError(t, stop())
	assert.NotContains(t, logs.String(), `"msg":"request"`)
}

// writeTokenFile writes text as a tokens file and returns its path.
func writeTokenFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tokens.json")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
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
		{args: []string{"-scale", "small", "-open", "-tokens", "t.json"}, want: "-open or -tokens, not both"},
		{args: []string{"-scale", "small", "-tokens", filepath.Join(os.TempDir(), "no-tokens-here.json")}, want: "-tokens"},
		{args: []string{"-db", "postgres://nobody@127.0.0.1:1/none", "-scale", "small"}, want: "127.0.0.1"},
		{args: []string{"-data", "x.json", "-scale", "small"}, want: "not both"},
		{args: []string{"-scale", "planet"}, want: `unknown scale "planet"`},
		{args: []string{"-data", filepath.Join(os.TempDir(), "does-not-exist.json")}, want: "no such file"},
		{args: []string{"-scale", "small", "-max-inflight", "0"}, want: "-max-inflight 0"},
		{args: []string{"-scale", "small", "-booking-transactions", "-1"}, want: "-booking-transactions -1: need 0 (the default policy) or more"},
		{args: []string{"-scale", "small", "extra"}, want: `unexpected argument "extra"`},
		{args: []string{"-timeout", "soon"}, want: "invalid value"},
		{args: []string{"-scale", "small", "-addr", "127.0.0.1:notaport"}, want: "notaport"},
		{args: []string{"-scale", "small", "-open", "-demo-agent", "a1"}, want: "-demo-agent mints a token when there is neither"},
		{args: []string{"-scale", "small", "-demo-agent", "nobody"}, want: `-demo-agent "nobody": no such agent`},
		{args: []string{"-scale", "small", "-calendar-urls", "c.json", "-calendar-poll", "-1s"}, want: "-calendar-poll -1s: need a positive duration"},
		{args: []string{"-scale", "small", "-calendar-urls", "c.json", "-calendar-poll", "0"}, want: "-calendar-poll 0s: need a positive duration"},
		{args: []string{"-scale", "small", "-calendar-urls", "c.json", "-calendar-timeout", "0"}, want: "-calendar-timeout 0s: need a positive duration"},
		{args: []string{"-scale", "small", "-calendar-poll", "1m"}, want: "-calendar-poll applies only with -calendar-urls"},
		{args: []string{"-scale", "small", "-calendar-timeout", "1m"}, want: "-calendar-timeout applies only with -calendar-urls"},
		{args: []string{"-data", "x.json", "-seed", "2"}, want: "-seed applies only with -scale"},
		{args: []string{"-scale", "small", "-booking-transactions", "1"}, want: "-booking-transactions applies only with -db (or DATABASE_URL)"},
		{args: []string{"-scale", "small", "-tokens", writeTokenFile(t, `{"token-of-nobody-at-all": {"agent_id": "nobody", "organisation_ids": ["o1"]}}`)},
			want: `token of agent "nobody": no such agent`},
		{args: []string{"-scale", "small", "-tokens", writeTokenFile(t, `{"token-of-a1-in-o2-xx": {"agent_id": "a1", "organisation_ids": ["o2"]}}`)},
			want: `token of agent "a1": the agent does not work for organisation "o2"`},
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

// TestDatabaseFromTheEnvironment: DATABASE_URL stands for a -db not
// given; -db "" turns it off.
func TestDatabaseFromTheEnvironment(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://env.example/db")
	c, err := parseFlags([]string{"-scale", "small"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "postgres://env.example/db", c.db)
	c, err = parseFlags([]string{"-db", "", "-scale", "small"}, io.Discard)
	require.NoError(t, err)
	assert.Empty(t, c.db)
	_, err = parseFlags([]string{"-db", "", "-scale", "small", "-booking-transactions", "1"}, io.Discard)
	assert.ErrorContains(t, err, "-booking-transactions applies only with -db")
}

// TestHelp: -h prints every flag with its default and is not an error for
// main (which exits 0).
func TestHelp(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://someone:secret-password@db.example/agendas")
	var out bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &out, nil)
	assert.NotContains(t, out.String(), "secret-password", "-h does not print DATABASE_URL")
	require.ErrorIs(t, err, errHelp)
	for _, want := range []string{"-db string", "-data string", "-scale string", "-seed uint", "(default 1)",
		"-addr string", `(default "127.0.0.1:8080")`, "-timeout duration", "(default 2s)", "-max-inflight int",
		"-admit-wait duration", "(default 10ms)", "-max-window duration", "(default 2232h0m0s)", "-max-results int",
		"(default 50000)", "-shutdown-timeout duration", "(default 10s)", "-quiet", "-tokens string", "-open", "-cors-origins string",
		"-demo-agent string", "#token=", "-booking-transactions int", "0: two while no other server writes", "With -db alone no token is minted unless this"} {
		assert.Contains(t, out.String(), want)
	}
}

// writeTokens writes a tokens file for the small dataset of seed: a token
// of an agent of o1 acting for o1, one of an agent of o2 for o2, and one
// of an agent of all five organisations for all of them; it returns its
// path.
func writeTokens(t *testing.T, seed uint64) string {
	t.Helper()
	ds := gen.Generate(gen.Small, seed)
	agentOf := func(n int, org string) string {
		for _, a := range ds.Agents {
			if len(a.OrganisationIDs) >= n && (org == "" || slices.Contains(a.OrganisationIDs, org)) {
				return a.ID
			}
		}
		t.Fatalf("no agent of %d organisations and of %q in the small dataset of seed %d", n, org, seed)
		return ""
	}
	return writeTokenFile(t, fmt.Sprintf(`{
		"token-of-an-agent-of-o1": {"agent_id": %q, "organisation_ids": ["o1"]},
		"token-of-an-agent-of-o2": {"agent_id": %q, "organisation_ids": ["o2"]},
		"token-of-the-whole-region": {"agent_id": %q, "organisation_ids": ["o1", "o2", "o3", "o4", "o5"]}
	}`, agentOf(1, "o1"), agentOf(1, "o2"), agentOf(5, "")))
}

// fetchAs is fetch with a bearer token.
func fetchAs(t *testing.T, token, url string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body
}

// TestServeAccessMetricsCORS: without -open, agendas need a token of the
// agent's organisation and the public keeps to the user view; /metrics
// counts requests; CORS answers only the listed origin.
func TestServeAccessMetricsCORS(t *testing.T) {
	base, logs, _ := serve(t, "-scale", "small", "-tokens", writeTokens(t, 1), "-cors-origins", "https://cal.example, https://other.example")
	assert.Contains(t, logs.String(), `"tokens":3`)
	agendaURL := base + "/agents/a1/agenda?start=2026-12-01&end=2026-12-02"
	status, _ := fetch(t, agendaURL)
	assert.Equal(t, http.StatusForbidden, status)
	status, body := fetchAs(t, "token-of-the-whole-region", agendaURL)
	assert.Equal(t, http.StatusOK, status, "%s", body)
	status, _ = fetchAs(t, "not-a-token-of-anyone", agendaURL)
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = fetch(t, base+"/services/m1/slots?from=2026-12-01&to=2026-12-02&view=agent")
	assert.Equal(t, http.StatusForbidden, status)
	status, _ = fetch(t, base+"/services/m1/slots?from=2026-12-01&to=2026-12-02")
	assert.Equal(t, http.StatusOK, status)

	status, body = fetch(t, base+"/metrics")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(body), `crossagenda_http_requests_total{route="GET /services/{id}/slots",status="200"} 1`)
	assert.Contains(t, string(body), `crossagenda_http_requests_total{route="GET /agents/{id}/agenda",status="200"} 1`)
	assert.Contains(t, string(body), "go_goroutines")

	req, err := http.NewRequest(http.MethodOptions, base+"/services/m1/bookings", nil)
	require.NoError(t, err)
	req.Header.Set("Origin", "https://cal.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, "https://cal.example", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Contains(t, resp.Header.Get("Access-Control-Allow-Methods"), "PUT", "a page may put a calendar")
	req.Header.Set("Origin", "https://other.example") // listed after a comma and a space
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "https://other.example", resp.Header.Get("Access-Control-Allow-Origin"))
	req.Header.Set("Origin", "https://evil.example")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))

	status, body = fetch(t, base+"/metrics")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(body), `crossagenda_http_requests_total{route="GET /agents/{id}/agenda",status="403"} 1`,
		"a request the access check refuses is counted under its route")
	assert.NotContains(t, string(body), "crossagenda_follow_", "no database, no follower")
	assert.NotContains(t, logs.String(), `"path":"/metrics","route":"GET /metrics"`, "the scrape's inner read is not logged")
}

// TestMetricsOnTheirOwnAddress: with -metrics-addr, /metrics is served
// there, counting the API's requests, and no longer on the API's address.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	base, logs, _ := serve(t, "-scale", "small", "-open", "-metrics-addr", "127.0.0.1:0")
	var metricsAddr string
	for _, line := range strings.Split(logs.String(), "\n") {
		var rec struct {
			Msg         string `json:"msg"`
			MetricsAddr string `json:"metrics_addr"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "serving metrics" {
			metricsAddr = rec.MetricsAddr
		}
	}
	require.NotEmpty(t, metricsAddr, "the metrics address is logged:\n%s", logs)
	status, _ := fetch(t, base+"/services/m1/slots?from=2026-12-01&to=2026-12-02")
	require.Equal(t, http.StatusOK, status)
	status, _ = fetch(t, base+"/metrics")
	assert.Equal(t, http.StatusNotFound, status, "no /metrics on the API's address")
	resp, err := http.Post(base+"/metrics", "text/plain", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "whatever the method")
	status, body := fetch(t, "http://"+metricsAddr+"/metrics")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(body), `crossagenda_http_requests_total{route="GET /services/{id}/slots",status="200"} 1`)
	assert.Contains(t, string(body), "crossagenda_calendars 0", "with the API's own gauges")
}

// printedAddress finds the address the server logged to open the page with
// its demo token, and the demo agent it names.
func printedAddress(t *testing.T, logs string) (addr *url.URL, agent string) {
	t.Helper()
	for _, line := range strings.Split(logs, "\n") {
		var rec struct {
			Msg       string `json:"msg"`
			DemoAgent string `json:"demo_agent"`
		}
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue
		}
		if a, ok := strings.CutPrefix(rec.Msg, "open "); ok {
			u, err := url.Parse(a)
			require.NoError(t, err)
			return u, rec.DemoAgent
		}
	}
	t.Fatalf("no address to open in the log:\n%s", logs)
	return nil, ""
}

// TestServeDemoToken: started with neither -tokens nor -open, the server
// keeps access control on, mints a token for the agent of the most
// organisations (among those with openings) and logs the page's address
// with the token in the fragment; that token reads the agent's agenda and
// no other organisation's, and without it agendas stay closed.
func TestServeDemoToken(t *testing.T) {
	// The agent expected, from the dataset's records.
	ds := gen.Generate(gen.Small, 1)
	opens := map[string]bool{}
	for _, op := range ds.OpeningPeriods {
		opens[op.AgentID] = true
	}
	var want agenda.Agent
	for _, a := range ds.Agents {
		// Ties go to the id the page lists first: a5 before a37.
		n, m := len(a.OrganisationIDs), len(want.OrganisationIDs)
		if opens[a.ID] && (n > m || n == m && (len(a.ID) < len(want.ID) || len(a.ID) == len(want.ID) && a.ID < want.ID)) {
			want = a
		}
	}
	require.GreaterOrEqual(t, len(want.OrganisationIDs), 2, "the small dataset has an agent of several organisations")

	base, logs, _ := serve(t, "-scale", "small")
	addr, agent := printedAddress(t, logs.String())
	assert.Equal(t, want.ID, agent)
	assert.Equal(t, base+"/", addr.Scheme+"://"+addr.Host+addr.Path, "the page on the listening address")
	token, ok := strings.CutPrefix(addr.Fragment, "token=")
	require.True(t, ok, "the token is in the fragment: %s", addr)
	assert.Empty(t, addr.RawQuery)
	assert.GreaterOrEqual(t, len(token), 16)
	assert.NotContains(t, logs.String(), `"msg":"-open`, "access control stays on")

	week := "/agenda?start=2026-12-07&end=2026-12-14"
	status, body := fetchAs(t, token, base+"/agents/"+agent+week)
	require.Equal(t, http.StatusOK, status, "%s", body)
	var events []struct {
		ExtendedProps struct {
			Kind           string `json:"kind"`
			OrganisationID string `json:"organisation_id"`
		} `json:"extendedProps"`
	}
	require.NoError(t, json.Unmarshal(body, &events))
	orgs := map[string]bool{}
	for _, e := range events {
		if e.ExtendedProps.Kind == "opening" {
			orgs[e.ExtendedProps.OrganisationID] = true
		}
	}
	assert.NotEmpty(t, orgs, "the agent's week has openings")
	for o := range orgs {
		assert.Contains(t, want.OrganisationIDs, o)
	}
	status, body = fetchAs(t, token, base+"/whoami")
	require.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, fmt.Sprintf(`{"access_control":true,"agent_id":%q,"organisation_ids":%s}`, agent, mustJSON(t, want.OrganisationIDs)), string(body))

	// Without the token, or with another, no agenda.
	status, _ = fetch(t, base+"/agents/"+agent+week)
	assert.Equal(t, http.StatusForbidden, status)
	status, _ = fetchAs(t, token+"x", base+"/agents/"+agent+week)
	assert.Equal(t, http.StatusUnauthorized, status)
	// The token reads only what its agent may: not an agent of none of
	// their organisations.
	for _, a := range ds.Agents {
		if !slices.ContainsFunc(a.OrganisationIDs, func(o string) bool { return slices.Contains(want.OrganisationIDs, o) }) {
			status, _ = fetchAs(t, token, base+"/agents/"+a.ID+week)
			assert.Equal(t, http.StatusForbidden, status, "agent %s of %v", a.ID, a.OrganisationIDs)
			break
		}
	}
	// Requests with the token do not write it to the log again.
	assert.Equal(t, 1, strings.Count(logs.String(), token))

	// -demo-agent names the agent; each start mints a new token.
	base2, logs2, _ := serve(t, "-scale", "small", "-demo-agent", "a1", "-quiet")
	addr2, agent2 := printedAddress(t, logs2.String())
	assert.Equal(t, "a1", agent2)
	token2, _ := strings.CutPrefix(addr2.Fragment, "token=")
	assert.NotEqual(t, token, token2)
	status, body = fetchAs(t, token2, base2+"/agents/a1"+week)
	assert.Equal(t, http.StatusOK, status, "%s", body)
	status, _ = fetchAs(t, token, base2+"/agents/a1"+week)
	assert.Equal(t, http.StatusUnauthorized, status, "a token of another process")
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestMintsDemoToken: a token is minted without -tokens and -open, for a
// dataset of the command line; with -db alone only for a named agent.
func TestMintsDemoToken(t *testing.T) {
	tests := []struct {
		give config
		want bool
	}{
		{give: config{scale: "small"}, want: true},
		{give: config{data: "x.json"}, want: true},
		{give: config{db: "postgres://", scale: "small"}, want: true},
		{give: config{db: "postgres://"}, want: false},
		{give: config{db: "postgres://", demoAgent: "a1"}, want: true},
		{give: config{scale: "small", tokens: "t.json"}, want: false},
		{give: config{scale: "small", open: true}, want: false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, mintsDemoToken(tt.give), "%+v", tt.give)
	}
}
