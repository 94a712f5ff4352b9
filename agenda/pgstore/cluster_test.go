package pgstore

import (
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
)

// cluster is a throwaway PostgreSQL server in a temporary directory, for
// tests that restart the server (never the shared one).
type cluster struct {
	bin, dir, data string
	port           int
	asPostgres     bool // running as root: run the server as user postgres
}

// startCluster initialises and starts a throwaway cluster, stopped when
// the test ends. It skips (fails under CI=true) without PostgreSQL's
// server binaries.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	testURL(t) // database tests only
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		missing(t, "pgstore: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/pg_ctl): apt-get install postgresql to run this test")
	}
	sort.Strings(bins)
	c := &cluster{bin: filepath.Dir(bins[len(bins)-1]), asPostgres: os.Geteuid() == 0}
	dir, err := os.MkdirTemp("", "crossagenda-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c.dir, c.data = dir, filepath.Join(dir, "data")
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if c.asPostgres {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, PostgreSQL needs the user postgres: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	c.run(t, "initdb", "-D", c.data, "-A", "trust", "-U", "postgres", "--no-sync")
	c.run(t, "pg_ctl", "-D", c.data, "-l", filepath.Join(dir, "log"), "-w", "-o", c.options(), "start")
	t.Cleanup(func() { c.run(t, "pg_ctl", "-D", c.data, "-m", "immediate", "-w", "stop") })
	return c
}

func (c *cluster) options() string {
	return "-p " + strconv.Itoa(c.port) + " -k " + c.dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
}

// url is the cluster's database postgres.
func (c *cluster) url() string {
	return "postgres://postgres@127.0.0.1:" + strconv.Itoa(c.port) + "/postgres"
}

// restart stops the server (fast: connections are cut) and starts it.
func (c *cluster) restart(t *testing.T) {
	t.Helper()
	c.run(t, "pg_ctl", "-D", c.data, "-l", filepath.Join(c.dir, "log"), "-m", "fast", "-w", "-o", c.options(), "restart")
}

func (c *cluster) run(t *testing.T, prog string, args ...string) {
	t.Helper()
	path := filepath.Join(c.bin, prog)
	var cmd *exec.Cmd
	if c.asPostgres {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", prog, args, err, out)
	}
}
