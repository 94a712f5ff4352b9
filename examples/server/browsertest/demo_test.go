package browsertest

import (
	"bufio"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// demoServer builds the server command and starts it as a user would, with
// -scale small and neither -tokens nor -open; it returns the address the
// server logged to open and the demo agent it names.
func demoServer(t *testing.T) (open *url.URL, agent string) {
	t.Helper()
	bin := buildServer(t)
	cmd := exec.Command(bin, "-scale", "small", "-addr", "127.0.0.1:0", "-quiet")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	found := make(chan [2]string, 1)
	var logged strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec struct {
				Msg       string `json:"msg"`
				DemoAgent string `json:"demo_agent"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) == nil {
				if a, ok := strings.CutPrefix(rec.Msg, "open "); ok {
					found <- [2]string{a, rec.DemoAgent}
					break
				}
			}
			logged.Write(sc.Bytes())
			logged.WriteByte('\n')
		}
		close(found)
		io.Copy(io.Discard, stderr) // the server never blocks on its log
	}()
	select {
	case f, ok := <-found:
		if !ok {
			t.Fatalf("the server stopped without logging an address to open:\n%s", logged.String())
		}
		u, err := url.Parse(f[0])
		if err != nil {
			t.Fatal(err)
		}
		return u, f[1]
	case <-time.After(60 * time.Second):
		t.Fatal("the server logged no address to open within 60s")
	}
	return nil, ""
}

// TestAgendaPageDemoAddress: `server -scale small`, then open the address
// it prints. The page keeps the token of the fragment in the tab's session
// storage, takes it out of the address bar, and draws the demo agent's
// week as the feed has it on behalf of the agent's first organisation.
func TestAgendaPageDemoAddress(t *testing.T) {
	chromium(t) // skip before building anything
	open, agent := demoServer(t)
	token, ok := strings.CutPrefix(open.Fragment, "token=")
	if !ok || agent == "" {
		t.Fatalf("the printed address %s names no token, or no agent (%q)", open, agent)
	}
	base := open.Scheme + "://" + open.Host
	ctx, problems := browser(t)
	step(t, ctx, "open the printed address", chromedp.Navigate(open.String()))
	poll(t, ctx, "the page loads and subscribes", `window.agendaPage && agendaPage.ready && agendaPage.subscribed`, 20*time.Second)
	if h := eval[string](t, ctx, `location.hash`); h != "" {
		t.Errorf("the token stays in the address bar: %q", h)
	}
	if got := eval[string](t, ctx, `sessionStorage.getItem('crossagenda-token')`); got != token {
		t.Errorf("session storage holds %q, not the printed token", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('#agent').value`); got != agent {
		t.Errorf("the page shows agent %q, not the demo agent %q", got, agent)
	}

	// The dataset's week (the page opened at the server's clock).
	org := eval[string](t, ctx, `document.querySelector('#org').value`)
	want := feedIDsAt(t, base, agent, token, org)
	if len(want) == 0 {
		t.Fatalf("the feed of %s on behalf of %s is empty in the week of 2026-12-07", agent, org)
	}
	eval[bool](t, ctx, `agendaPage.calendar.gotoDate('2026-12-07'), true`)
	wantJSON, _ := json.Marshal(want)
	poll(t, ctx, "the week of 2026-12-07 drawn as the feed has it", `JSON.stringify(`+drawnIDs+`) === '`+string(wantJSON)+`'`, 10*time.Second)
	kinds := map[string]int{}
	for _, id := range want {
		kinds[id[:strings.IndexByte(id, ':')]]++
	}
	if kinds["opening"] == 0 {
		t.Errorf("no opening drawn: %v", kinds)
	}
	t.Logf("demo agent %s on behalf of %s, week of 2026-12-07: %d events drawn as in the feed %v", agent, org, len(want), kinds)
	if p := problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}
