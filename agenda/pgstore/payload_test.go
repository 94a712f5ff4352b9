package pgstore

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestMustRead: a notification calls for reading the log when it comes
// from this schema's trigger or another Store writing in this schema, not
// from this Store nor another schema, whatever the schema's name.
func TestMustRead(t *testing.T) {
	s := &Store{id: "me", opened: time.Now()}
	for _, c := range []struct {
		payload, schema string
		want            bool
	}{
		{"public", "public", true},
		{"public other", "public", true},
		{"public me", "public", false},
		{"tenant_b", "public", false},
		{"tenant_b other", "public", false},
		{"my schema", "my schema", true},
		{"my schema other", "my schema", true},
		{"my schema me", "my schema", false},
		{"my", "my schema", false},
		{"my schemaother", "my schema", false},
		{"my schema other 5", "my schema", true}, // with the writer's NotifyInterval
		{"my schema me 5", "my schema", false},
		{"public other 5 more", "public", true}, // a field a later version may add
	} {
		if got := s.mustRead(c.payload, c.schema); got != c.want {
			t.Errorf("mustRead(%q) in schema %q = %v, want %v", c.payload, c.schema, got, c.want)
		}
	}
}

func TestRowID(t *testing.T) {
	for give, want := range map[string]string{
		`{"id": "a1", "ics": "BEGIN:VCALENDAR"}`:  "a1",
		`{"agent_id": "x", "id": "c\"2"}`:         `c"2`,
		`{"ics": {"nested": [1, 2]}, "id": "c3"}`: "c3",
		`{"id": "", "agent_ids": ["a1"]}`:         "",
	} {
		got, err := rowID([]byte(give))
		if assert.NoError(t, err, give) {
			assert.Equal(t, want, got, give)
		}
	}
	for _, give := range []string{`[]`, `{"agent_id": "x"}`, `{"id": 7}`, ``} {
		_, err := rowID([]byte(give))
		assert.Error(t, err, give)
	}
}
