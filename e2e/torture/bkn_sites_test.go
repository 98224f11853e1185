//go:build torture

package torture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// site is one pupns process of the kill loop (the hub or an office) on its own data folder,
// started again with the same arguments after each kill. Its HTTP port is picked anew at each
// start (its URL changes); the hub's NATS ports are fixed, so the offices find it again.
type site struct {
	t    *testing.T
	name string
	dir  string
	args []string

	mu    sync.Mutex
	srv   *server
	past  strings.Builder             // the logs of the processes that ended
	armed map[moveEvent]chan struct{} // set by the killer: signalled at the next move's event
}

func newSite(t *testing.T, name, dir string, args ...string) *site {
	return &site{t: t, name: name, dir: dir, args: args}
}

// start starts the process and waits for its ready line (the test goroutine only: it may fail
// the test). The processes of a site are the test's; a restart registers the new one.
func (s *site) start() {
	srv := startServer(s.t, s.dir, s.args...)
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
}

// url is the running process's base URL, "" while it is down.
func (s *site) url() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return ""
	}
	return s.srv.URL
}

// kill9 kills the running process with SIGKILL.
func (s *site) kill9() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	srv.kill9()
	s.keepLog(srv)
}

// keepLog keeps an ended process's log.
func (s *site) keepLog(srv *server) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.past.WriteString(srv.Output())
}

// logCount counts the lines of every ended process's log that hold part.
func (s *site) logCount(part string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(s.past.String(), part)
}

// stop sends SIGTERM and waits for a clean exit.
func (s *site) stop() error {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	took, ok, err := srv.term(30 * time.Second)
	s.keepLog(srv)
	if !ok {
		return fmt.Errorf("%s did not stop within %v", s.name, took)
	}
	return err
}

// moveEvent is a moment of a move that queues a relay row (a Teruskan): its request written, or
// its 303 received.
type moveEvent int

const (
	moveSent  moveEvent = iota // the Teruskan request was written; the answer has not come
	moveAcked                  // the Teruskan was acknowledged (303): its transaction committed
)

// arm returns a channel that receives once at the next event ev of a move at this site (moved).
func (s *site) arm(ev moveEvent) <-chan struct{} {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	if s.armed == nil {
		s.armed = map[moveEvent]chan struct{}{}
	}
	s.armed[ev] = ch
	s.mu.Unlock()
	return ch
}

// disarm forgets what arm set.
func (s *site) disarm(ev moveEvent) {
	s.mu.Lock()
	delete(s.armed, ev)
	s.mu.Unlock()
}

// moved tells an armed killer that a move reached ev.
func (s *site) moved(ev moveEvent) {
	s.mu.Lock()
	ch := s.armed[ev]
	delete(s.armed, ev)
	s.mu.Unlock()
	if ch != nil {
		ch <- struct{}{}
	}
}

// errDown is a request made while the site's process is down, or cut by its death.
var errDown = errors.New("site down")

// person is one account logged in at a site, in their browser: cookies survive the site's
// restarts (sessions live in its data file), the URL follows the site.
type person struct {
	site     *site
	login    string
	web      *webClient
	loggedIn bool
}

func newPerson(s *site, login string) *person {
	return &person{site: s, login: login, web: newWebClient("")}
}

// ensure logs in when the person is not (first use, or a session the site lost).
func (p *person) ensure() error {
	if p.loggedIn {
		return nil
	}
	if p.web.base = p.site.url(); p.web.base == "" {
		return errDown
	}
	if _, _, err := p.web.page("/masuk"); err != nil {
		return errDown
	}
	st, err := p.web.post("/masuk", url.Values{"login": {p.login}, "password": {killPassword}})
	if err != nil {
		return errDown
	}
	if st != http.StatusSeeOther {
		return fmt.Errorf("login %s at %s: HTTP %d", p.login, p.site.name, st)
	}
	p.loggedIn = true
	return nil
}

// get loads a page; a redirect (to the login page) logs in again and reloads.
func (p *person) get(path string) (int, string, error) {
	for try := 0; ; try++ {
		if err := p.ensure(); err != nil {
			return 0, "", err
		}
		if p.web.base = p.site.url(); p.web.base == "" {
			return 0, "", errDown
		}
		st, body, err := p.web.page(path)
		if err != nil {
			return 0, "", errDown
		}
		if st == http.StatusSeeOther && try == 0 { // to the login page: the session is gone
			p.loggedIn = false
			continue
		}
		return st, body, nil
	}
}

// post sends a form with the token of the last page; 0 and errDown when no answer came. A
// Teruskan tells the site when its request is written (moveSent).
func (p *person) post(path string, form url.Values) (int, error) {
	if p.web.base = p.site.url(); p.web.base == "" {
		return 0, errDown
	}
	form.Set("_csrf", p.web.csrf)
	ctx := context.Background()
	if strings.HasSuffix(path, "/teruskan") {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			WroteRequest: func(httptrace.WroteRequestInfo) { p.site.moved(moveSent) },
		})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.web.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := p.web.hc.Do(req)
	if err != nil {
		return 0, errDown
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

var revField = regexp.MustCompile(`name="rev" value="(\d+)"`)

// pageRev is the submission revision a review page shows.
func pageRev(body string) (string, error) {
	m := revField.FindStringSubmatch(body)
	if m == nil {
		return "", errors.New("review page without a revision")
	}
	return m[1], nil
}

// decideAndForward is a verifier's work on one submission over HTTP: open it, decide its one
// line (the name) with verdict unless the page shows it decided, open it again, Teruskan. done is true when Teruskan answered 303
// (the forward committed); gone when the submission is no longer at the verifier's level (a
// forward whose answer was lost, or another's). Any error leaves it for the next try.
func decideAndForward(p *person, id uint64, verdict string) (done, gone bool, err error) {
	path := "/verifikasi/" + strconv.FormatUint(id, 10)
	st, body, err := p.get(path)
	if err != nil {
		return false, false, err
	}
	if st == http.StatusForbidden || st == http.StatusNotFound {
		return false, true, nil
	}
	rev, err := pageRev(body)
	if st != http.StatusOK || err != nil {
		return false, false, fmt.Errorf("%s %s: HTTP %d %v", p.site.name, path, st, err)
	}
	if strings.Contains(body, `id="sisa-baris"`) { // undecided: a decision whose answer was lost shows as made
		form := url.Values{"putusan": {verdict}, "rev": {rev}}
		if verdict != "setuju" {
			form.Set("catatan", "tidak sesuai SK")
		}
		if st, err := p.post(path+"/baris/nama", form); err != nil || st != http.StatusSeeOther {
			return false, false, fmt.Errorf("decide %s: HTTP %d: %w", path, st, err)
		}
		st, body, err = p.get(path)
		if err != nil {
			return false, false, err
		}
		if rev, err = pageRev(body); st != http.StatusOK || err != nil {
			return false, false, fmt.Errorf("%s %s after deciding: HTTP %d %v", p.site.name, path, st, err)
		}
	}
	st, err = p.post(path+"/teruskan", url.Values{"rev": {rev}})
	if err != nil || st != http.StatusSeeOther {
		return false, false, fmt.Errorf("teruskan %s: HTTP %d: %w", path, st, err)
	}
	p.site.moved(moveAcked)
	return true, false, nil
}
