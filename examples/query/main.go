// Command query answers crossagenda queries over a JSON dataset and prints
// JSON. Errors go to stderr with a non-zero exit status.
//
//	query -data FILE agenda -agent ID -from T -to T
//	query -data FILE slots -service ID [-place ID,ID] [-agent ID,ID] -from T -to T -now T [-view agent|user]
//	query -data FILE next -service ID [-place ID,ID] [-agent ID,ID] -now T [-from T] [-view agent|user]
//	query -data FILE common -agent ID,ID,... -from T -to T [-min-minutes N] [-quorum K]
//	query -data FILE explain -service ID -agent ID [-place ID] -start T -now T [-view agent|user] [-organisation ID]
//	query gen -scale small|departement|region [-seed N] [-o FILE]
//
// Times are RFC 3339. Instead of -data FILE, -scale NAME [-seed N] queries
// a generated dataset.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
	_ "time/tzdata"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "query:", err)
		os.Exit(1)
	}
}

const usage = `usage: query [-data FILE | -scale NAME [-seed N]] COMMAND [flags]
commands:
  agenda -agent ID -from T -to T
  slots  -service ID [-place ID,ID] [-agent ID,ID] -from T -to T -now T [-view agent|user]
  next   -service ID [-place ID,ID] [-agent ID,ID] -now T [-from T] [-view agent|user]
  common -agent ID,ID,... -from T -to T [-min-minutes N] [-quorum K]
  explain -service ID -agent ID [-place ID] -start T -now T [-view agent|user] [-organisation ID]
  gen    -scale NAME [-seed N] [-o FILE]
times are RFC 3339`

func run(args []string, stdout io.Writer) error {
	global := flag.NewFlagSet("query", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	data := global.String("data", "", "JSON dataset file")
	scale := global.String("scale", "", "generated dataset scale: small, departement or region")
	seed := global.Uint64("seed", 1, "generator seed")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) { // -h asks for the usage: not an error
			return printUsage(stdout, global)
		}
		return fmt.Errorf("%w\n%s", err, usage)
	}
	rest := global.Args()
	if len(rest) == 0 {
		return errors.New(usage)
	}
	cmd, cmdArgs := rest[0], rest[1:]
	if cmd == "gen" {
		return runGen(cmdArgs, stdout)
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var q queryFlags
	q.register(fs, cmd)
	if err := fs.Parse(cmdArgs); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return printUsage(stdout, fs)
		}
		return fmt.Errorf("%s: %w\n%s", cmd, err, usage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", cmd, fs.Arg(0))
	}
	ds, err := gen.Load(*data, *scale, *seed)
	if errors.Is(err, gen.ErrNoDataset) {
		err = fmt.Errorf("%w\n%s", err, usage)
	}
	if err != nil {
		return err
	}
	ix, err := agenda.New(ds)
	if err != nil {
		return err
	}
	ctx := context.Background()
	var result any
	switch cmd {
	case "agenda":
		from, to, err := q.window(true)
		if err != nil {
			return err
		}
		if q.agents == "" || strings.Contains(q.agents, ",") {
			return errors.New("agenda: -agent takes exactly one agent id")
		}
		result, err = ix.Agenda(ctx, q.agents, from, to)
		if err != nil {
			return err
		}
	case "slots":
		sq, err := q.slotQuery(true)
		if err != nil {
			return err
		}
		result, err = ix.Slots(ctx, sq)
		if err != nil {
			return err
		}
	case "explain":
		start, err1 := time.Parse(time.RFC3339, q.start)
		now, err2 := time.Parse(time.RFC3339, q.now)
		if err := errors.Join(err1, err2); err != nil {
			return fmt.Errorf("explain: -start and -now must be RFC 3339 times: %w", err)
		}
		view, err := agenda.ParseView(q.view)
		if err != nil {
			return err
		}
		result, err = ix.Explain(ctx, agenda.ExplainQuery{ServiceID: q.service, AgentID: q.agents, PlaceID: q.places,
			Start: start, Now: now, View: view, OrganisationID: q.org})
		if err != nil {
			return err
		}
	case "next":
		sq, err := q.slotQuery(false)
		if err != nil {
			return err
		}
		slot, ok, err := ix.NextAvailable(ctx, sq)
		if err != nil {
			return err
		}
		if ok {
			result = slot
		}
	case "common":
		from, to, err := q.window(true)
		if err != nil {
			return err
		}
		spans, err := ix.Common(ctx, agenda.CommonQuery{AgentIDs: splitIDs(q.agents), From: from, To: to,
			Quorum: q.quorum, MinLength: time.Duration(q.minMinutes) * time.Minute})
		if err != nil {
			return err
		}
		result = spans
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(result)
}

type queryFlags struct {
	service, places, agents, view string
	from, to, now                 string
	quorum, minMinutes            int
	start, org                    string
}

func (q *queryFlags) register(fs *flag.FlagSet, cmd string) {
	fs.StringVar(&q.agents, "agent", "", "agent id (agenda) or comma-separated agent ids")
	fs.StringVar(&q.from, "from", "", "window start, RFC 3339")
	fs.StringVar(&q.to, "to", "", "window end, RFC 3339")
	switch cmd {
	case "slots", "next":
		fs.StringVar(&q.service, "service", "", "service id")
		fs.StringVar(&q.places, "place", "", "comma-separated place ids")
		fs.StringVar(&q.now, "now", "", "current time, RFC 3339")
		fs.StringVar(&q.view, "view", "user", "user or agent")
	case "explain":
		fs.StringVar(&q.service, "service", "", "service id")
		fs.StringVar(&q.places, "place", "", "place id (empty: openings without a place)")
		fs.StringVar(&q.start, "start", "", "the start to explain, RFC 3339")
		fs.StringVar(&q.now, "now", "", "current time, RFC 3339")
		fs.StringVar(&q.view, "view", "user", "user or agent")
		fs.StringVar(&q.org, "organisation", "", "the viewer's organisation: other organisations' records as kind and time only")
	case "common":
		fs.IntVar(&q.quorum, "quorum", 0, "how many agents must be free at once (default all)")
		fs.IntVar(&q.minMinutes, "min-minutes", 0, "shortest interval kept, in minutes")
	}
}

func parseTime(name, s string, required bool) (time.Time, error) {
	if s == "" {
		if required {
			return time.Time{}, fmt.Errorf("-%s is required", name)
		}
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("-%s %q is not an RFC 3339 time", name, s)
	}
	return t, nil
}

func (q *queryFlags) window(required bool) (time.Time, time.Time, error) {
	from, err := parseTime("from", q.from, required)
	if err != nil {
		return from, from, err
	}
	to, err := parseTime("to", q.to, required)
	return from, to, err
}

func (q *queryFlags) slotQuery(needTo bool) (agenda.SlotQuery, error) {
	var sq agenda.SlotQuery
	if q.service == "" {
		return sq, errors.New("-service is required")
	}
	from, err := parseTime("from", q.from, needTo)
	if err != nil {
		return sq, err
	}
	to, err := parseTime("to", q.to, needTo)
	if err != nil {
		return sq, err
	}
	now, err := parseTime("now", q.now, true)
	if err != nil {
		return sq, err
	}
	view, err := agenda.ParseView(q.view)
	if err != nil {
		return sq, err
	}
	return agenda.SlotQuery{ServiceID: q.service, PlaceIDs: splitIDs(q.places), AgentIDs: splitIDs(q.agents),
		From: from, To: to, Now: now, View: view}, nil
}

// printUsage writes the usage and the flags of fs to w, for -h.
func printUsage(w io.Writer, fs *flag.FlagSet) error {
	fmt.Fprintln(w, usage)
	fmt.Fprintf(w, "flags of %s:\n", fs.Name())
	fs.SetOutput(w)
	fs.PrintDefaults()
	return nil
}

func splitIDs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func runGen(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	scale := fs.String("scale", "small", "small, departement or region")
	seed := fs.Uint64("seed", 1, "generator seed: the same seed gives the same bytes")
	out := fs.String("o", "", "output file (default stdout)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return printUsage(stdout, fs)
		}
		return fmt.Errorf("gen: %w\n%s", err, usage)
	}
	ds, err := gen.GenerateByName(*scale, *seed)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	return ds.WriteJSON(w)
}
