package agenda_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// TestCatalogue holds the catalogue to the dataset's own records.
func TestCatalogue(t *testing.T) {
	ds := gen.Generate(gen.Small, 2)
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	c := ix.Catalogue()
	// The index keeps its records in id order: compare in that order.
	byID := func(x, y string) int { return strings.Compare(x, y) }
	orgs := slices.SortedFunc(slices.Values(ds.Organisations), func(x, y agenda.Organisation) int { return byID(x.ID, y.ID) })
	agents := slices.SortedFunc(slices.Values(ds.Agents), func(x, y agenda.Agent) int { return byID(x.ID, y.ID) })
	places := slices.SortedFunc(slices.Values(ds.Places), func(x, y agenda.Place) int { return byID(x.ID, y.ID) })
	services := slices.SortedFunc(slices.Values(ds.Services), func(x, y agenda.Service) int { return byID(x.ID, y.ID) })
	assert.Equal(t, ds.TimeZone, c.TimeZone)
	assert.Equal(t, orgs, slices.SortedFunc(slices.Values(c.Organisations), func(x, y agenda.Organisation) int { return byID(x.ID, y.ID) }))
	assert.Equal(t, agents, slices.SortedFunc(slices.Values(c.Agents), func(x, y agenda.Agent) int { return byID(x.ID, y.ID) }))
	assert.Equal(t, places, slices.SortedFunc(slices.Values(c.Places), func(x, y agenda.Place) int { return byID(x.ID, y.ID) }))
	assert.Equal(t, services, slices.SortedFunc(slices.Values(c.Services), func(x, y agenda.Service) int { return byID(x.ID, y.ID) }))
	want := map[string][]string{}
	for _, op := range ds.OpeningPeriods {
		for _, s := range op.ServiceIDs {
			if !slices.Contains(want[op.AgentID], s) {
				want[op.AgentID] = append(want[op.AgentID], s)
			}
		}
	}
	for _, l := range want {
		slices.Sort(l)
	}
	assert.Equal(t, want, c.AgentServices)
	c.Agents[0].OrganisationIDs[0] = "changed"
	assert.NotEqual(t, "changed", ix.Catalogue().Agents[0].OrganisationIDs[0], "the catalogue is a copy")
}
