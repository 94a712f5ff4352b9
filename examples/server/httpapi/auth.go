package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/crossagenda/crossagenda/agenda"
)

// Identity is an agent authenticated by a bearer token. A request without
// one comes from the public.
type Identity struct {
	AgentID         string   `json:"agent_id"`
	OrganisationIDs []string `json:"organisation_ids"`
}

// Tokens maps bearer tokens to the agents they authenticate.
type Tokens map[string]Identity

// ReadTokens reads a JSON object of tokens: {"TOKEN": {"agent_id": "a1",
// "organisation_ids": ["o1"]}, ...}. A token shorter than 16 bytes or
// holding anything but visible ASCII, a token given twice, an identity
// without organisations, or anything after the object is an error.
// [Tokens.Check] checks the identities against a dataset.
func ReadTokens(r io.Reader) (Tokens, error) {
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("httpapi: reading tokens: want a JSON object of tokens (%v)", cmp.Or(err, errors.New("not an object")))
	}
	t := Tokens{}
	for n := 1; dec.More(); n++ {
		key, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("httpapi: reading tokens: %w", err)
		}
		tok := key.(string) // an object's keys are strings
		var msg json.RawMessage
		if err := dec.Decode(&msg); err != nil {
			return nil, fmt.Errorf("httpapi: reading tokens: token %d: %w", n, err)
		}
		var id Identity
		idec := json.NewDecoder(bytes.NewReader(msg))
		idec.DisallowUnknownFields()
		if err := idec.Decode(&id); err != nil {
			return nil, fmt.Errorf("httpapi: reading tokens: token %d: %w", n, err)
		}
		_, twice := t[tok]
		switch { // the token itself is a secret: errors name its place and agent
		case twice:
			return nil, fmt.Errorf("httpapi: token %d (agent %q): the same token is given earlier", n, id.AgentID)
		case len(tok) < 16:
			return nil, fmt.Errorf("httpapi: token %d (agent %q): shorter than 16 bytes", n, id.AgentID)
		case strings.IndexFunc(tok, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0:
			return nil, fmt.Errorf("httpapi: token %d (agent %q): only visible ASCII may make a bearer token", n, id.AgentID)
		case id.AgentID == "":
			return nil, fmt.Errorf("httpapi: token %d: no agent_id", n)
		case len(id.OrganisationIDs) == 0:
			return nil, fmt.Errorf("httpapi: token %d (agent %q): no organisation_ids", n, id.AgentID)
		}
		t[tok] = id
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, fmt.Errorf("httpapi: reading tokens: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("httpapi: reading tokens: more after the JSON object")
	}
	return t, nil
}

// Check refuses identities the dataset of snap contradicts: an unknown
// agent, or an organisation the agent does not work for. A token file is
// checked when the server starts; the dataset of a database may change
// afterwards, and access is then decided on the identity as given.
func (t Tokens) Check(snap *agenda.Index) error {
	var errs []error
	for _, id := range t {
		orgs, ok := snap.AgentOrganisations(id.AgentID)
		if !ok {
			errs = append(errs, fmt.Errorf("httpapi: token of agent %q: no such agent", id.AgentID))
			continue
		}
		for _, o := range id.OrganisationIDs {
			if !slices.Contains(orgs, o) {
				errs = append(errs, fmt.Errorf("httpapi: token of agent %q: the agent does not work for organisation %q", id.AgentID, o))
			}
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// Access is the access control of the API ([Config.Access]):
//
//   - A request without credentials comes from the public: slots, next
//     availability and bookings in the user view only, with the server's
//     clock as now (the service's notice rules apply); no agent's agenda.
//   - A request with a bearer token of [Access.Tokens] comes from that
//     agent, who may use the agent view (and a now parameter) for the
//     services of their organisations, and read the agenda of any agent
//     who works for one of them. An unknown token is refused (401).
//
// The engine must also be a [Snapshotter], to look up whose services and
// agents are whose.
type Access struct {
	Tokens Tokens
}

// Snapshotter gives the current index: *agenda.Live and pgstore.Store do.
type Snapshotter interface {
	Snapshot() *agenda.Index
}

// errForbidden is a request its sender may not make (403).
type errForbidden struct{ msg string }

func (e *errForbidden) Error() string { return "httpapi: " + e.msg }

// errUnauthorized is a bad bearer token (401).
var errUnauthorized = errors.New("httpapi: unknown bearer token")

type identityKey struct{}

// identity returns the agent who sent r, nil for the public.
func identity(r *http.Request) *Identity {
	id, _ := r.Context().Value(identityKey{}).(*Identity)
	return id
}

// guard authenticates each request and keeps agents' agendas (every path
// under /agents/{id}/) to agents of the agent's organisations. It names
// the route first, so that the log and the metrics count what it refuses
// under the route asked for.
func (s *server) guard(next *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := next.Handler(r); pattern != "" {
			r.Pattern = pattern
		}
		var id *Identity
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, tok, ok := strings.Cut(h, " ")
			ok = ok && strings.EqualFold(scheme, "Bearer") // a scheme's case does not matter (RFC 9110)
			found, known := s.access.Tokens[strings.TrimSpace(tok)]
			if !ok || !known {
				w.Header().Set("WWW-Authenticate", `Bearer realm="crossagenda"`)
				writeError(w, http.StatusUnauthorized, errUnauthorized.Error(), "")
				return
			}
			id = &found
			orig := r
			r = r.WithContext(context.WithValue(r.Context(), identityKey{}, id))
			// The mux names the route on the request it serves; the log
			// and the metrics read it on the original.
			defer func() { orig.Pattern = r.Pattern }()
		}
		if rest, ok := strings.CutPrefix(r.URL.Path, "/services/"); ok && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			svc, _, _ := strings.Cut(rest, "/")
			q := r.URL.Query()
			view := agenda.ViewUser
			if q.Get("view") == "agent" {
				view = agenda.ViewAgent
			}
			if err := s.checkView(r, svc, view, q.Get("now") != ""); err != nil {
				s.fail(w, err)
				return
			}
		}
		if rest, ok := strings.CutPrefix(r.URL.Path, "/agents/"); ok {
			agent, _, _ := strings.Cut(rest, "/")
			if err := s.mayReadAgent(id, agent); err != nil {
				s.fail(w, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (s *server) mayReadAgent(id *Identity, agent string) error {
	if id == nil {
		w := &errForbidden{"an agent's agenda is not public: send the bearer token of an agent of one of their organisations"}
		return w
	}
	orgs, ok := s.snapshot().AgentOrganisations(agent)
	if !ok {
		return fmt.Errorf("httpapi: agent %q: %w", agent, agenda.ErrNotFound)
	}
	if !slices.ContainsFunc(orgs, func(o string) bool { return slices.Contains(id.OrganisationIDs, o) }) {
		return &errForbidden{fmt.Sprintf("agent %q works for none of your organisations", agent)}
	}
	return nil
}

// checkView refuses what the sender may not ask of a service's slots: the
// agent view, or a now of its own, from the public or from an agent of
// another organisation. Without access control, everything is allowed.
func (s *server) checkView(r *http.Request, serviceID string, view agenda.View, ownNow bool) error {
	if s.access == nil || (view != agenda.ViewAgent && !ownNow) {
		return nil
	}
	id := identity(r)
	if id == nil {
		return &errForbidden{"the public sees the user view at the server's clock: the agent view and the now parameter need an agent's bearer token"}
	}
	org, ok := s.snapshot().ServiceOrganisation(serviceID)
	if !ok {
		return fmt.Errorf("httpapi: service %q: %w", serviceID, agenda.ErrNotFound)
	}
	if !slices.Contains(id.OrganisationIDs, org) {
		return &errForbidden{fmt.Sprintf("service %q belongs to organisation %q, not one of yours", serviceID, org)}
	}
	return nil
}

// mayCancel: the public cancels as excused; revoking is an agent's.
func (s *server) mayCancel(r *http.Request, status agenda.Status) error {
	if s.access == nil || status != agenda.StatusRevoked || identity(r) != nil {
		return nil
	}
	return &errForbidden{"revoking an appointment needs an agent's bearer token; the public cancels as excused"}
}

// MinPublicIDLength is the shortest appointment or hold id the public may
// cancel, confirm or release. The public has no account: knowing a
// booking's id is what makes it theirs, so the id must be one nobody
// guesses (a client books with, say, 128 random bits in hex); a short id
// ("ap12") may have been made by anyone, and only an agent of its
// organisation may touch it.
const MinPublicIDLength = 32

// RecordOwner is an engine that says whose an appointment or a hold is:
// *agenda.Live and pgstore.Store are. With it and access control, an agent
// cancels, confirms and releases only the records of their organisations.
type RecordOwner interface {
	RecordOrganisation(id string) (org string, seats bool, ok bool)
}

// mayTouch refuses a cancellation, confirmation or release of the record
// id (an appointment or a hold) to whom it is not: the public without an
// unguessable id, or of a session with seats whose id slots publish (403),
// an agent of none of the record's organisation
// (404, as if it did not exist: another organisation's ids stay unknown).
// A record the index does not know yet goes on to the engine, which
// refuses an unknown id.
func (s *server) mayTouch(r *http.Request, kind, id string) error {
	if s.access == nil {
		return nil
	}
	who := identity(r)
	ro, _ := s.eng.(RecordOwner)
	if who == nil {
		if len(id) < MinPublicIDLength {
			return &errForbidden{fmt.Sprintf("%s %q: the public cancels, confirms or releases only what it booked with an id of %d characters or more (random, so that nobody else can guess it); ask the organisation otherwise", kind, id, MinPublicIDLength)}
		}
		if ro != nil {
			if _, seats, found := ro.RecordOrganisation(id); found && seats {
				return &errForbidden{fmt.Sprintf("%s %q has seats: its id is public, and only its organisation cancels it", kind, id)}
			}
		}
		return nil
	}
	if ro != nil {
		if org, _, found := ro.RecordOrganisation(id); found && !slices.Contains(who.OrganisationIDs, org) {
			return notFound(kind, id)
		}
	}
	return nil
}

func (s *server) snapshot() *agenda.Index { return s.eng.(Snapshotter).Snapshot() }

// newStrictDecoder decodes JSON bodies, refusing unknown fields.
func newStrictDecoder(r io.Reader) *json.Decoder {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	return dec
}
