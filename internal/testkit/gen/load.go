package gen

import (
	"errors"
	"fmt"
	"os"

	"github.com/crossagenda/crossagenda/agenda"
)

// ErrNoDataset is returned by [Load] when it is given neither a file nor
// a scale.
var ErrNoDataset = errors.New("give -data FILE or -scale NAME")

// Load returns the dataset a tool is asked for: the JSON dataset at path,
// read by [agenda.ReadDataset], or the generated dataset of the named
// scale and seed. Exactly one of path and scale must be given. The
// examples and cmd/replay all load their data through it.
func Load(path, scale string, seed uint64) (*agenda.Dataset, error) {
	switch {
	case path != "" && scale != "":
		return nil, errors.New("give -data or -scale, not both")
	case path != "":
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return agenda.ReadDataset(f)
	case scale != "":
		return GenerateByName(scale, seed)
	}
	return nil, ErrNoDataset
}

// GenerateByName is [Generate] at the scale named name ([ScaleByName]).
func GenerateByName(name string, seed uint64) (*agenda.Dataset, error) {
	s, ok := ScaleByName(name)
	if !ok {
		return nil, fmt.Errorf("unknown scale %q (small, departement, region)", name)
	}
	return Generate(s, seed), nil
}
