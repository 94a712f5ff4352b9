package main

import (
	"cmp"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/examples/server/httpapi"
)

// mintsDemoToken reports whether the server mints a demo token: under
// access control with no -tokens file, for a dataset given on the command
// line (-data or -scale), or with -db alone when -demo-agent names the
// agent, since a database served as is may hold real agendas and the token
// is written to the log.
func mintsDemoToken(c config) bool {
	if c.open || c.tokens != "" {
		return false
	}
	return c.data != "" || c.scale != "" || c.demoAgent != ""
}

// mintDemoToken adds to access a random token (128 bits from crypto/rand)
// for agent, or if agent is "" for the agent of the most organisations
// among those with opening periods, with all of the agent's organisations.
// It returns the agent and the token. Cost: one pass over the catalogue.
func mintDemoToken(access *httpapi.Access, ix *agenda.Index, agent string) (httpapi.Identity, string, error) {
	if agent == "" {
		var best agenda.Agent
		bestOpen := false
		cat := ix.Catalogue()
		for _, a := range cat.Agents {
			_, open := cat.AgentServices[a.ID]
			if cmp.Or(cmp.Compare(b2i(open), b2i(bestOpen)), cmp.Compare(len(a.OrganisationIDs), len(best.OrganisationIDs)),
				-naturalCompare(a.ID, best.ID)) > 0 || best.ID == "" {
				best, bestOpen = a, open
			}
		}
		agent = best.ID
		if agent == "" {
			return httpapi.Identity{}, "", errors.New("demo token: the dataset has no agent (give -tokens FILE or -open)")
		}
	}
	orgs, ok := ix.AgentOrganisations(agent)
	if !ok {
		return httpapi.Identity{}, "", fmt.Errorf("-demo-agent %q: no such agent in the dataset", agent)
	}
	if len(orgs) == 0 {
		return httpapi.Identity{}, "", fmt.Errorf("-demo-agent %q: the agent works for no organisation", agent)
	}
	id := httpapi.Identity{AgentID: agent, OrganisationIDs: orgs}
	tok := rand.Text()
	if access.Tokens == nil {
		access.Tokens = httpapi.Tokens{}
	}
	access.Tokens[tok] = id
	return id, tok, nil
}

// pageAddress is the page's address on the listener with the token in the
// fragment; an unspecified listen address (0.0.0.0, ::) is opened on the
// loopback.
func pageAddress(addr net.Addr, token string) string {
	host := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	u := url.URL{Scheme: "http", Host: host, Path: "/", Fragment: "token=" + token}
	return u.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// naturalCompare orders ids the way the page lists them when they share a
// prefix: shorter first, so a5 comes before a37, then alphabetically.
func naturalCompare(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}
