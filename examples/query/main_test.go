package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// TestCommands runs each command on a generated dataset written to a file
// and checks the JSON against direct library calls.
func TestCommands(t *testing.T) {
	file := filepath.Join(t.TempDir(), "small.json")
	var out bytes.Buffer
	require.NoError(t, run([]string{"gen", "-scale", "small", "-seed", "2", "-o", file}, &out))
	f, err := os.Open(file)
	require.NoError(t, err)
	ds, err := agenda.ReadDataset(f)
	f.Close()
	require.NoError(t, err)
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	ctx := context.Background()

	now := gen.DefaultAnchor()
	from, to := now.Format(time.RFC3339), now.AddDate(0, 0, 7).Format(time.RFC3339)
	agent := ds.Agents[0].ID

	out.Reset()
	require.NoError(t, run([]string{"-data", file, "agenda", "-agent", agent, "-from", from, "-to", to}, &out))
	var gotAgenda agenda.AgentAgenda
	require.NoError(t, json.Unmarshal(out.Bytes(), &gotAgenda))
	want, err := ix.Agenda(ctx, agent, now, now.AddDate(0, 0, 7))
	require.NoError(t, err)
	require.Equal(t, len(want.Events), len(gotAgenda.Events))
	for i := range want.Events {
		assert.True(t, want.Events[i].Start.Equal(gotAgenda.Events[i].Start))
		assert.Equal(t, want.Events[i].ID, gotAgenda.Events[i].ID)
	}

	var service string
	for _, s := range ds.Services {
		if !s.Collective {
			service = s.ID
			break
		}
	}
	out.Reset()
	require.NoError(t, run([]string{"-data", file, "slots", "-service", service, "-from", from, "-to", to, "-now", from, "-view", "agent"}, &out))
	var gotSlots []agenda.Slot
	require.NoError(t, json.Unmarshal(out.Bytes(), &gotSlots))
	wantSlots, err := ix.Slots(ctx, agenda.SlotQuery{ServiceID: service, From: now, To: now.AddDate(0, 0, 7), Now: now, View: agenda.ViewAgent})
	require.NoError(t, err)
	require.Equal(t, len(wantSlots), len(gotSlots))

	// explain, of the first slot and of the same start 7 minutes later.
	require.NotEmpty(t, wantSlots)
	for _, st := range []time.Time{wantSlots[0].Start, wantSlots[0].Start.Add(7 * time.Minute)} {
		s := wantSlots[0]
		out.Reset()
		require.NoError(t, run([]string{"-data", file, "explain", "-service", service, "-agent", s.AgentID, "-place", s.PlaceID,
			"-start", st.Format(time.RFC3339), "-now", from, "-view", "agent", "-organisation", s.OrganisationID}, &out))
		wantEx, err := ix.Explain(ctx, agenda.ExplainQuery{ServiceID: service, AgentID: s.AgentID, PlaceID: s.PlaceID,
			Start: st, Now: now, View: agenda.ViewAgent, OrganisationID: s.OrganisationID})
		require.NoError(t, err)
		wantJSON, err := json.Marshal(wantEx)
		require.NoError(t, err)
		assert.JSONEq(t, string(wantJSON), out.String())
	}

	out.Reset()
	require.NoError(t, run([]string{"-data", file, "next", "-service", service, "-now", from}, &out))
	wantNext, ok, err := ix.NextAvailable(ctx, agenda.SlotQuery{ServiceID: service, Now: now})
	require.NoError(t, err)
	if ok {
		var got agenda.Slot
		require.NoError(t, json.Unmarshal(out.Bytes(), &got))
		assert.True(t, got.Start.Equal(wantNext.Start))
		assert.Equal(t, wantNext.AgentID, got.AgentID)
	} else {
		assert.Equal(t, "null", strings.TrimSpace(out.String()))
	}

	out.Reset()
	ids := ds.Agents[0].ID + "," + ds.Agents[1].ID
	require.NoError(t, run([]string{"-data", file, "common", "-agent", ids, "-from", from, "-to", to, "-quorum", "1", "-min-minutes", "30"}, &out))
	var gotSpans []agenda.Span
	require.NoError(t, json.Unmarshal(out.Bytes(), &gotSpans))
	wantSpans, err := ix.Common(ctx, agenda.CommonQuery{AgentIDs: []string{ds.Agents[0].ID, ds.Agents[1].ID}, From: now, To: now.AddDate(0, 0, 7),
		Quorum: 1, MinLength: 30 * time.Minute})
	require.NoError(t, err)
	assert.Equal(t, len(wantSpans), len(gotSpans))
}

func TestErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "small.json")
	require.NoError(t, run([]string{"gen", "-scale", "small", "-o", file}, &bytes.Buffer{}))
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, "usage"},
		{[]string{"agenda"}, "give -data FILE or -scale NAME"},
		{[]string{"-data", file, "agenda", "-agent", "nobody", "-from", "2026-12-01T00:00:00Z", "-to", "2026-12-02T00:00:00Z"}, `agent "nobody": not found`},
		{[]string{"-data", file, "agenda", "-agent", "a1", "-from", "yesterday", "-to", "2026-12-02T00:00:00Z"}, `-from "yesterday" is not an RFC 3339 time`},
		{[]string{"-data", file, "slots", "-from", "2026-12-01T00:00:00Z", "-to", "2026-12-02T00:00:00Z"}, "-service is required"},
		{[]string{"-data", file, "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"gen", "-scale", "galaxy"}, `unknown scale "galaxy"`},
	}
	for _, tt := range tests {
		err := run(tt.args, &bytes.Buffer{})
		if assert.Error(t, err, tt.args) {
			assert.Contains(t, err.Error(), tt.want)
		}
	}
}

// -h prints the usage on standard output and is not an error (exit 0).
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"-help"}, {"slots", "-h"}, {"gen", "-h"}} {
		var out bytes.Buffer
		require.NoError(t, run(args, &out), "%q", args)
		assert.Contains(t, out.String(), "usage: query [-data FILE", "%q", args)
		assert.Contains(t, out.String(), "flags of ", "%q", args)
	}
}
