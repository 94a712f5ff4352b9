// Command server serves crossagenda queries over HTTP as JSON: agent agendas
// as a FullCalendar event feed, free slots and next availability (see package
// httpapi and the README for the endpoints).
//
//	server -data FILE [-addr 127.0.0.1:8080] [flags]
//	server -scale small|departement|region [-seed N] [flags]
//
// It logs JSON records to stderr (one per request unless -quiet) and shuts
// down gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
	_ "time/tzdata"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/examples/server/httpapi"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

type config struct {
	data, scale     string
	seed            uint64
	addr            string
	timeout         time.Duration
	maxInflight     int
	admitWait       time.Duration
	maxWindow       time.Duration
	maxResults      int
	shutdownTimeout time.Duration
	quiet           bool
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.data, "data", "", "JSON dataset file")
	fs.StringVar(&c.scale, "scale", "", "generated dataset scale: small, departement or region")
	fs.Uint64Var(&c.seed, "seed", 1, "generator seed")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address")
	fs.DurationVar(&c.timeout, "timeout", httpapi.DefaultTimeout, "deadline of each query request")
	fs.IntVar(&c.maxInflight, "max-inflight", 2*runtime.GOMAXPROCS(0), "queries computed at once; more get 503")
	fs.DurationVar(&c.admitWait, "admit-wait", httpapi.DefaultAdmitWait, "longest wait for a query slot before 503 (negative: none)")
	fs.DurationVar(&c.maxWindow, "max-window", 93*24*time.Hour, "longest query window (agenda.Limits.MaxWindow)")
	fs.IntVar(&c.maxResults, "max-results", 50_000, "most slots or events one query returns (agenda.Limits.MaxResults)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long shutdown waits for requests in flight")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log each request")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.maxInflight < 1 {
		return c, fmt.Errorf("-max-inflight %d: need at least 1", c.maxInflight)
	}
	return c, nil
}

// run serves until ctx is cancelled, then shuts down gracefully. ready, if
// not nil, is told the listening address once the server accepts
// connections.
func run(ctx context.Context, args []string, stderr io.Writer, ready func(net.Addr)) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	t0 := time.Now()
	ds, err := gen.Load(c.data, c.scale, c.seed)
	if err != nil {
		return err
	}
	// A Live index: queries read consistent snapshots while bookings
	// (POST /services/{id}/bookings) update it in place.
	live, err := agenda.NewLive(ds, agenda.WithLimits(agenda.Limits{MaxWindow: c.maxWindow, MaxResults: c.maxResults}))
	if err != nil {
		return err
	}
	logger.Info("index built", "agents", len(ds.Agents), "appointments", len(ds.Appointments),
		"duration_ms", time.Since(t0).Milliseconds())
	ds = nil // the index keeps no reference to it; let it go

	// Pushed changes: GET /agents/{id}/events streams the live index's
	// changes to the open pages; Close ends the streams at shutdown.
	events := httpapi.NewEvents(live, httpapi.EventsConfig{})
	cfg := httpapi.Config{Timeout: c.timeout, MaxInflight: c.maxInflight, AdmitWait: c.admitWait, Events: events}
	if !c.quiet {
		cfg.Logger = logger
	}
	srv := &http.Server{
		Handler:           httpapi.New(live, cfg),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		// A query stops at its deadline; the rest is writing the response.
		WriteTimeout:   c.timeout + 10*time.Second,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(events.Close)
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	logger.Info("listening", "addr", ln.Addr().String(), "timeout", c.timeout.String(),
		"max_inflight", c.maxInflight, "max_window", c.maxWindow.String())
	if ready != nil {
		ready(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", c.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}
