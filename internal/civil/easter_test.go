package civil

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEasterHandChecked holds Easter to dates read from published Easter
// tables (the earliest and latest possible dates included).
func TestEasterHandChecked(t *testing.T) {
	tests := []struct {
		give int
		want string
	}{
		{1818, "1818-03-22"}, // the earliest possible date
		{1886, "1886-04-25"}, // the latest possible date
		{1943, "1943-04-25"},
		{1954, "1954-04-18"},
		{1981, "1981-04-19"},
		{2000, "2000-04-23"},
		{2008, "2008-03-23"}, // Ascension on 1 May
		{2011, "2011-04-24"},
		{2018, "2018-04-01"},
		{2019, "2019-04-21"},
		{2020, "2020-04-12"},
		{2024, "2024-03-31"},
		{2025, "2025-04-20"},
		{2026, "2026-04-05"},
		{2027, "2027-03-28"},
		{2038, "2038-04-25"},
		{2049, "2049-04-18"},
		{2285, "2285-03-22"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Easter(tt.give).String(), "Easter %d", tt.give)
	}
}

// TestEasterInRange checks that every Easter from year 1 to 9999 is a
// Sunday between 22 March and 25 April.
func TestEasterInRange(t *testing.T) {
	for y := 1; y <= 9999; y++ {
		e := Easter(y)
		ey, m, d := e.YMD()
		if ey != y || e.Weekday() != time.Sunday || e < DateOf(y, time.March, 22) || e > DateOf(y, time.April, 25) {
			t.Fatalf("Easter(%d) = %s (%s, %s %d)", y, e, e.Weekday(), m, d)
		}
	}
}

// TestEasterDateutil holds Easter to python's dateutil.easter (its
// Western method) for years 1583 to 4099, the range dateutil documents;
// it skips when python3 or dateutil is missing.
func TestEasterDateutil(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: Easter is checked against hand-checked years only")
	}
	if out, err := exec.Command(py, "-c", "import dateutil.easter").CombinedOutput(); err != nil {
		t.Skipf("python3 cannot import dateutil.easter (pip install python-dateutil): %s", strings.TrimSpace(string(out)))
	}
	const script = `import json, dateutil.easter as e
print(json.dumps([e.easter(y, e.EASTER_WESTERN).isoformat() for y in range(1583, 4100)]))`
	cmd := exec.Command(py, "-c", script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	var got []string
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &got))
	require.Len(t, got, 4100-1583)
	for i, want := range got {
		y := 1583 + i
		if s := Easter(y).String(); s != want {
			t.Errorf("Easter(%d) = %s, dateutil %s", y, s, want)
		}
	}
	t.Logf("%d years agree with dateutil", len(got))
}
