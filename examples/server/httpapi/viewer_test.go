package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// With access control, the agenda and the explanations are read on behalf
// of the caller's organisation, and the public sees no record in an
// explanation or a refusal.
func TestCallerOrganisation(t *testing.T) {
	ds := gen.Generate(gen.Small, 1)
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	now := gen.DefaultAnchor()
	var agent agenda.Agent
	for _, a := range ds.Agents {
		if len(a.OrganisationIDs) > 1 {
			agent = a
			break
		}
	}
	require.NotEmpty(t, agent.ID, "the small dataset has an agent of several organisations")
	org, other := agent.OrganisationIDs[0], agent.OrganisationIDs[1]
	tokens := Tokens{
		"token-colleague-in-first-org": {AgentID: "a-colleague", OrganisationIDs: []string{org}},
		"token-the-agent-themself-01":  {AgentID: agent.ID, OrganisationIDs: agent.OrganisationIDs},
	}
	h := New(live, Config{Now: func() time.Time { return now }, Access: &Access{Tokens: tokens}})
	do := func(target, token string) response {
		req, err := http.NewRequest(http.MethodGet, target, nil)
		require.NoError(t, err)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	}
	from, to := now, now.AddDate(0, 1, 0)
	feedURL := fmt.Sprintf("/agents/%s/agenda?start=%s&end=%s", agent.ID, url.QueryEscape(from.Format(time.RFC3339)),
		url.QueryEscape(to.Format(time.RFC3339)))

	// A colleague of the first organisation: the agenda on its behalf.
	r := do(feedURL, "token-colleague-in-first-org")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	want, err := live.AgendaFor(context.Background(), org, agent.ID, from, to)
	require.NoError(t, err)
	got := decode[[]wireEvent](t, r)
	full, err := live.Agenda(context.Background(), agent.ID, from, to)
	require.NoError(t, err)
	require.Less(t, len(want.Events), len(full.Events), "the other organisation has records to hide")
	assert.Len(t, got, len(want.Events)+len(want.Free))
	for _, e := range got {
		assert.Contains(t, []string{"", org}, e.ExtendedProps.OrganisationID)
	}
	// Naming an organisation that is not theirs is forbidden.
	r = do(feedURL+"&organisation="+other, "token-colleague-in-first-org")
	assert.Equal(t, http.StatusForbidden, r.status)
	// The agent reads their own agenda whole.
	r = do(feedURL, "token-the-agent-themself-01")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Len(t, decode[[]wireEvent](t, r), len(full.Events)+len(full.Free))

	// The public's explanation of a taken start names no record.
	var taken agenda.Event
	for _, e := range full.Events {
		if e.Kind == agenda.KindAppointment && e.Blocking && e.Start.After(now.Add(48*time.Hour)) && len(e.ServiceIDs) == 1 {
			taken = e
			break
		}
	}
	require.NotEmpty(t, taken.ID)
	q := url.Values{"agent": {agent.ID}, "place": {taken.PlaceID}, "start": {taken.Start.Format(time.RFC3339)}}
	r = do("/services/"+taken.ServiceIDs[0]+"/explain?"+q.Encode(), "")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var ex agenda.Explanation
	require.NoError(t, json.Unmarshal(r.body, &ex))
	require.NotEmpty(t, ex.Reasons)
	assert.True(t, slices.ContainsFunc(ex.Reasons, func(r agenda.Reason) bool { return r.Kind == agenda.ReasonAppointment }),
		"the appointment is a reason: %v", ex.Reasons)
	for _, rs := range ex.Reasons {
		if rs.Kind != agenda.ReasonClosed {
			assert.Empty(t, rs.RecordID, "%v", rs)
			assert.Empty(t, rs.OrganisationID, "%v", rs)
		}
	}
	assert.NotContains(t, string(r.body), `"`+taken.ID+`"`)
}
