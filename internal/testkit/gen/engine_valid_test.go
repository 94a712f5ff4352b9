package gen_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// TestEngineAccepts checks the generated datasets against the engine's
// own validation, on top of checkDataset's reading of the rules.
func TestEngineAccepts(t *testing.T) {
	n := uint64(500)
	if testing.Short() {
		n = 50
	}
	for seed := range n {
		_, err := agenda.New(gen.Random(seed, gen.RandomConfig{}).Dataset)
		require.NoError(t, err, "seed=%d", seed)
	}
	for _, s := range testScales(t) {
		_, err := agenda.New(gen.Generate(s, 1))
		require.NoError(t, err, s.Name)
	}
}
