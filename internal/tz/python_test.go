package tz

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// zoneinfoScript reads [[zone, y, m, d, seconds], ...] and prints the Unix
// seconds of each local time with fold=0, which is RFC 5545's resolution.
const zoneinfoScript = `
import datetime, json, sys, zoneinfo
out = []
for zone, y, m, d, s in json.load(open(sys.argv[1])):
    base = datetime.datetime(y, m, d, tzinfo=zoneinfo.ZoneInfo(zone))
    # Wall-clock arithmetic on an aware datetime keeps fold=0.
    local = base.replace(hour=s // 3600, minute=s // 60 % 60, second=s % 60) if s < 86400 else \
        (datetime.datetime(y, m, d) + datetime.timedelta(days=1)).replace(tzinfo=base.tzinfo)
    out.append(int(local.timestamp()))
json.dump(out, sys.stdout)
`

// lookPython returns the python3 path, or skips the test when python3 or
// the module it needs is missing.
func lookPython(t *testing.T, module string) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	if out, err := exec.Command(py, "-c", "import "+module).CombinedOutput(); err != nil {
		t.Skipf("python3 cannot import %s: %s", module, out)
	}
	return py
}

// TestInstantAgainstPythonZoneinfo compares Instant with Python's zoneinfo
// (fold=0) on wall times around every transition from 1970 to 2037 and on
// random ones. Both read the system's tz database when it has one.
func TestInstantAgainstPythonZoneinfo(t *testing.T) {
	py := lookPython(t, "zoneinfo")
	type tcase struct {
		zone string
		d    civil.Date
		tod  civil.TimeOfDay
	}
	var cases []tcase
	rng := rand.New(rand.NewPCG(11, 11))
	lo, hi := int64(civil.DateOf(1970, 1, 1)), int64(civil.DateOf(2038, 1, 1))
	for _, name := range []string{"Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "Europe/Dublin", "Pacific/Apia"} {
		z := mustLoad(t, name)
		if _, err := os.Stat(filepath.Join("/usr/share/zoneinfo", name)); err != nil {
			if out, err := exec.Command(py, "-c", "import zoneinfo; zoneinfo.ZoneInfo('"+name+"')").CombinedOutput(); err != nil {
				t.Logf("python has no %s: %s", name, out)
				continue
			}
		}
		for _, w := range wallTimesNear(z) {
			if d := floorDiv(w, 86400); d >= lo && d < hi {
				cases = append(cases, tcase{name, civil.Date(d), civil.TimeOfDay(w - d*86400)})
			}
		}
		for range 200 {
			cases = append(cases, tcase{name, civil.Date(lo + rng.Int64N(hi-lo)), civil.TimeOfDay(rng.IntN(86401))})
		}
	}
	if len(cases) == 0 {
		t.Skip("python3 knows none of the zones")
	}
	in := make([][5]any, len(cases))
	for i, c := range cases {
		y, m, d := c.d.YMD()
		in[i] = [5]any{c.zone, y, int(m), d, int(c.tod)}
	}
	var got []int64
	runPython(t, py, zoneinfoScript, in, &got)
	if len(got) != len(cases) {
		t.Fatalf("python returned %d results for %d cases", len(got), len(cases))
	}
	for i, c := range cases {
		if ours := mustLoad(t, c.zone).Instant(c.d, c.tod); ours != got[i] {
			t.Errorf("%s %s %s: Instant %d, python zoneinfo %d", c.zone, c.d, c.tod, ours, got[i])
		}
	}
	t.Logf("%d wall times compared", len(cases))
}

// runPython runs script once on in (as a JSON file) and decodes its JSON
// output into out.
func runPython(t *testing.T, py, script string, in, out any) {
	t.Helper()
	dir := t.TempDir()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	inPath := filepath.Join(dir, "in.json")
	if err := os.WriteFile(inPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", script, inPath)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("decoding python output: %v", err)
	}
}
