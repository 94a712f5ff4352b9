package agenda_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

func TestAccessLookups(t *testing.T) {
	ds := gen.Generate(gen.Small, 4)
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	for _, a := range ds.Agents {
		got, ok := ix.AgentOrganisations(a.ID)
		require.True(t, ok)
		assert.ElementsMatch(t, a.OrganisationIDs, got, a.ID)
	}
	for _, s := range ds.Services {
		got, ok := ix.ServiceOrganisation(s.ID)
		require.True(t, ok)
		assert.Equal(t, s.OrganisationID, got)
	}
	_, ok := ix.AgentOrganisations("nobody")
	assert.False(t, ok)
	_, ok = ix.ServiceOrganisation("nothing")
	assert.False(t, ok)
}
