package handlers

import (
	"bufio"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"pupns/static"
	"pupns/store"
	"pupns/views"
)

// TestBrokerNeverBlocksPublisher: a subscriber that never reads (a stalled browser) must not hold
// up the verifier whose decision publishes: publishing only ever leaves one pending wake-up.
func TestBrokerNeverBlocksPublisher(t *testing.T) {
	b := newBroker()
	stalled := b.subscribe("s1", "masuk/1/U01")
	other := b.subscribe("s2", "masuk/1/U01", "pns/x")
	done := make(chan struct{})
	go func() {
		for range 100_000 {
			b.publish("masuk/1/U01")
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("publish blocked on a subscriber that does not read")
	}
	if len(stalled.wake) != 1 || len(other.wake) != 1 {
		t.Fatalf("pending wake-ups %d and %d, want 1 each (merged)", len(stalled.wake), len(other.wake))
	}
	<-other.wake
	b.publish("pns/x")
	if len(other.wake) != 1 {
		t.Fatal("a read subscriber is not woken again")
	}
	b.publish("masuk/2/P33") // nobody listens: nothing happens
	b.unsubscribe(stalled)
	b.unsubscribe(other)
	if n := b.subscribers(); n != 0 {
		t.Fatalf("%d subscribers left", n)
	}
}

// TestBrokerEndsSessionsAndCloses: logout ends exactly that login's streams; close ends all and
// refuses new ones.
func TestBrokerEndsSessionsAndCloses(t *testing.T) {
	b := newBroker()
	a1, a2, c := b.subscribe("a", "t1"), b.subscribe("a", "t2"), b.subscribe("c", "t1")
	b.endSession("a")
	for i, s := range []*subscriber{a1, a2} {
		select {
		case <-s.end:
		default:
			t.Fatalf("stream %d of the logged-out session still runs", i)
		}
	}
	select {
	case <-c.end:
		t.Fatal("another session's stream ended")
	default:
	}
	b.endSession("a") // twice is harmless
	b.close()
	select {
	case <-c.end:
	default:
		t.Fatal("close left a stream running")
	}
	select {
	case <-b.subscribe("d", "t1").end:
	default:
		t.Fatal("a stream opened after close runs")
	}
}

// liveWorld is the handler world served on a real loopback port, since event streams never end
// and app.Test waits for the end of the body.
type liveWorld struct {
	*world
	h      *Handler
	base   string
	served chan error
}

// liveWait bounds every wait for something a stream must send. It only decides how long a broken
// stream takes to fail, so it is generous: a loaded machine (-race, a busy core) must not fail a
// working one.
const liveWait = 20 * time.Second

func newLiveWorld(t *testing.T, heartbeat time.Duration, gap ...time.Duration) *liveWorld {
	t.Helper()
	w := newWorld(t)
	cfg := Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Heartbeat: heartbeat, LiveGap: time.Millisecond}
	if len(gap) > 0 {
		cfg.LiveGap = gap[0]
	}
	h := New(w.st, cfg)
	w.app = h.App()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lw := &liveWorld{world: w, h: h, base: "http://" + ln.Addr().String(), served: make(chan error, 1)}
	go func() { lw.served <- w.app.Listener(ln) }()
	t.Cleanup(func() { _ = w.app.ShutdownWithTimeout(5 * time.Second) })
	return lw
}

// sse is one open event stream as a browser's EventSource sees it.
type sse struct {
	t      *testing.T
	body   io.Closer
	events chan sseMsg
}

type sseMsg struct{ event, data string }

// open connects to a stream with the client's cookies and reads its events in the background;
// comments (the heartbeat) arrive as event ":".
func (lw *liveWorld) open(c *client, path string) *sse {
	lw.t.Helper()
	req, _ := http.NewRequest("GET", lw.base+path, nil)
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		lw.t.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		lw.t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &sse{t: lw.t, body: res.Body, events: make(chan sseMsg, 64)}
	lw.t.Cleanup(func() { res.Body.Close() })
	go func() {
		defer close(s.events)
		r := bufio.NewReader(res.Body)
		var m sseMsg
		var data []string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "":
				if m.event != "" {
					m.data = strings.Join(data, "\n")
					s.events <- m
				}
				m, data = sseMsg{}, nil
			case strings.HasPrefix(line, ":"):
				s.events <- sseMsg{event: ":", data: line}
			case strings.HasPrefix(line, "event: "):
				m.event = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				data = append(data, line[len("data: "):])
			}
		}
	}()
	return s
}

// expect reads events until one named event contains want; it fails after a few seconds.
func (s *sse) expect(event, want string) sseMsg {
	s.t.Helper()
	deadline := time.After(liveWait)
	for {
		select {
		case m, ok := <-s.events:
			if !ok {
				s.t.Fatalf("stream ended while waiting for %s containing %q", event, want)
			}
			if m.event == event && strings.Contains(m.data, want) {
				return m
			}
		case <-deadline:
			s.t.Fatalf("no %s event containing %q", event, want)
		}
	}
}

// ended waits for the end of the stream.
func (s *sse) ended(what string) {
	s.t.Helper()
	deadline := time.After(liveWait)
	for {
		select {
		case _, ok := <-s.events:
			if !ok {
				return
			}
		case <-deadline:
			s.t.Fatalf("%s: the stream did not end", what)
		}
	}
}

// TestInboxStreamShowsArrivalsAndDepartures: a verifier's open inbox receives the count and the
// list when a PNS sends, when a colleague opens the submission, and when it leaves the inbox.
func TestInboxStreamShowsArrivalsAndDepartures(t *testing.T) {
	lw := newLiveWorld(t, time.Hour)
	v1 := lw.as("v1-didik")
	page := v1.get("/verifikasi")
	contains(t, "inbox page", page.body, `sse-connect="/verifikasi/langsung?v.daftar=`, `id="nav-jumlah" sse-swap="jumlah">0<`, `sse-swap="daftar"`, `src="`+views.StaticURL("sse.min.js")+`"`)
	s := lw.open(v1, "/verifikasi/langsung?")
	s.expect("jumlah", "0")
	s.expect("daftar", "Tidak ada usulan")

	id := kirimBudi(t, lw.world)
	s.expect("jumlah", "1")
	s.expect("daftar", fmt.Sprintf(`id="usulan-%d"`, id))

	colleague := lw.as("v1-didik")
	colleague.get(fmt.Sprintf("/verifikasi/%d", id))
	s.expect("daftar", fmt.Sprintf(`id="dibuka-%d"`, id))

	decide(t, colleague, id, "nama", "setuju", "")
	decide(t, colleague, id, "npwp", "setuju", "")
	forward(t, colleague, id)
	s.expect("jumlah", "0")
	s.expect("daftar", "Tidak ada usulan")

	// Level 2's count (on any page) heard the arrival.
	v2 := lw.as("v2")
	contains(t, "level 2 nav", v2.get("/ringkasan").body, `sse-connect="/verifikasi/langsung?hanya=jumlah&amp;v.jumlah=`, `id="nav-jumlah" sse-swap="jumlah">1<`)
	n := lw.open(v2, "/verifikasi/langsung?hanya=jumlah")
	n.expect("jumlah", "1")
}

// TestStatusStreamShowsEachDecision: the PNS's open tracking view receives the decision with its
// note as soon as the verifier saves it, and the new state when it moves.
func TestStatusStreamShowsEachDecision(t *testing.T) {
	lw := newLiveWorld(t, time.Hour)
	id := kirimBudi(t, lw.world)
	pns := lw.as(nipBudi)
	contains(t, "status page", pns.get("/status").body, `sse-connect="/status/langsung?v.status=`, `sse-swap="status"`)
	s := lw.open(pns, "/status/langsung")
	s.expect("status", "Verifikasi Level 1")
	v1 := lw.as("v1-didik")
	decide(t, v1, id, "npwp", "tms", "kartu NPWP tidak terbaca")
	s.expect("status", "kartu NPWP tidak terbaca")
	decide(t, v1, id, "nama", "setuju", "")
	forward(t, v1, id)
	s.expect("status", "Verifikasi Level 2 (BKD)")
}

// TestStreamEndsOnLogout: logging out ends that login's open streams with the event that tells the
// page not to reconnect; another login's stream stays open.
func TestStreamEndsOnLogout(t *testing.T) {
	lw := newLiveWorld(t, time.Hour)
	v1, other := lw.as("v1-didik"), lw.as("v1-didik")
	s := lw.open(v1, "/verifikasi/langsung?hanya=jumlah")
	keep := lw.open(other, "/verifikasi/langsung?hanya=jumlah")
	s.expect("jumlah", "0")
	keep.expect("jumlah", "0")
	if r := v1.post("/keluar", nil); r.status != 303 {
		t.Fatalf("logout: %d", r.status)
	}
	s.expect("tutup", "")
	s.ended("after logout")
	kirimBudi(t, lw.world)
	keep.expect("jumlah", "1")
}

// TestHeartbeatKeepsIdleStreamsAlive: an idle stream sends a comment every heartbeat, which keeps
// proxies from closing it and lets the server notice a client that went away. A stream opened with
// the hashes of what the page shows sends nothing else until something changes, so the page is
// not swapped for nothing right after loading.
func TestHeartbeatKeepsIdleStreamsAlive(t *testing.T) {
	lw := newLiveWorld(t, 30*time.Millisecond)
	for _, c := range []struct{ login, page string }{{nipBudi, "/status"}, {"v1-didik", "/verifikasi"}, {"v2", "/ringkasan"}} {
		cl := lw.as(c.login)
		s := lw.open(cl, sseConnectOf(t, cl.get(c.page).body))
		if m := <-s.events; m.data != ": tersambung" {
			t.Fatalf("%s: the stream opened with %q %q, want the connection comment", c.page, m.event, m.data)
		}
		for range 3 {
			select {
			case m := <-s.events:
				if m.event != ":" || m.data != ": detak" {
					t.Fatalf("%s: stream of an unchanged page sent %q %q, want only the heartbeat", c.page, m.event, m.data)
				}
			case <-time.After(liveWait):
				t.Fatalf("%s: no heartbeat", c.page)
			}
		}
	}
}

// sseConnectOf is the stream URL a page connects to.
func sseConnectOf(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `sse-connect="`)
	if i < 0 {
		t.Fatalf("page has no sse-connect:\n%s", body)
	}
	rest := body[i+len(`sse-connect="`):]
	return html.UnescapeString(rest[:strings.IndexByte(rest, '"')])
}

// TestShutdownDoesNotHangOnStreams: open streams end when the server shuts down, so a graceful
// shutdown finishes well within its deadline instead of waiting for browsers to leave.
func TestShutdownDoesNotHangOnStreams(t *testing.T) {
	lw := newLiveWorld(t, time.Hour)
	var streams []*sse
	for _, login := range []string{"v1-didik", "v2", nipBudi} {
		c := lw.as(login)
		path := "/verifikasi/langsung?"
		if login == nipBudi {
			path = "/status/langsung"
		}
		s := lw.open(c, path)
		streams = append(streams, s)
	}
	for _, s := range streams {
		select {
		case <-s.events:
		case <-time.After(liveWait):
			t.Fatal("stream sent nothing")
		}
	}
	if n := lw.h.live.subscribers(); n != 3 {
		t.Fatalf("%d subscribers, want 3", n)
	}
	if err := lw.app.ShutdownWithTimeout(5 * time.Second); err != nil {
		t.Fatalf("shutdown with open streams: %v (it waited for them)", err)
	}
	for _, s := range streams {
		s.ended("after shutdown")
	}
	if err := <-lw.served; err != nil && !errors.Is(err, net.ErrClosed) {
		t.Fatalf("server stopped with %v", err)
	}
	if n := lw.h.live.subscribers(); n != 0 {
		t.Fatalf("%d subscribers after shutdown", n)
	}
}

// TestStreamUpdatesAtMostOncePerGap: a stream whose view changes thirty times in a third of a second
// renders and sends it a few times, not thirty: changes in between merge into the next update, so a
// busy inbox costs each open page a bounded amount of work.
func TestStreamUpdatesAtMostOncePerGap(t *testing.T) {
	lw := newLiveWorld(t, time.Hour, time.Second)
	id := kirimBudi(t, lw.world)
	pns := lw.as(nipBudi)
	s := lw.open(pns, "/status/langsung")
	s.expect("status", "Verifikasi Level 1")
	v := store.Actor{Login: "v1-didik", Role: store.RoleV1, ScopeID: "U01"}
	start := time.Now()
	for i := range 30 {
		sub, err := lw.st.Submission(v, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lw.st.Decide(v, id, sub.Rev, "npwp", store.TMS, fmt.Sprintf("catatan ke-%d", i)); err != nil {
			t.Fatal(err)
		}
		lw.h.live.publish(pnsTopic(nipBudi))
		time.Sleep(10 * time.Millisecond)
	}
	// At most 3 updates when the changes take a third of a second, as they do on an idle machine;
	// a loaded machine that needs longer may send one more per gap it took.
	took := time.Since(start)
	allowed := 3 + int(took/time.Second)
	// Every status update the thirty changes caused, up to the one with the last note (which must come).
	sent := 0
	deadline := time.After(liveWait)
	for {
		select {
		case m, ok := <-s.events:
			if !ok {
				t.Fatal("stream ended")
			}
			if m.event != "status" {
				continue
			}
			sent++
			if strings.Contains(m.data, "catatan ke-29") {
				if sent > allowed {
					t.Fatalf("%d updates for 30 changes in %s with a 1 s gap, want at most %d", sent, took.Round(time.Millisecond), allowed)
				}
				return
			}
		case <-deadline:
			t.Fatalf("the last change never arrived (%d updates)", sent)
		}
	}
}

// TestReviewStreamTellsOfColleague: a verifier's open review page is told, live, when a colleague
// decides on the same submission (with a link to the fresh view), but not about their own
// decisions; and when the submission leaves their level.
func TestReviewStreamTellsOfColleague(t *testing.T) {
	lw := newLiveWorld(t, time.Hour)
	if err := lw.st.PutUsers([]store.User{{Login: "v1-didik-2", Role: store.RoleV1, Name: "Verifikator Disdik 2", ScopeID: "U01", Hash: store.HashPassword(pw)}}); err != nil {
		t.Fatal(err)
	}
	id := kirimBudi(t, lw.world)
	me, colleague := lw.as("v1-didik"), lw.as("v1-didik-2")
	page := me.get(fmt.Sprintf("/verifikasi/%d", id))
	contains(t, "review page", page.body, `sse-swap="kabar"`, fmt.Sprintf(`sse-connect="/verifikasi/%d/langsung?rev=`, id))
	s := lw.open(me, sseConnectOf(t, page.body))

	decide(t, me, id, "nama", "setuju", "") // my own decision: nothing to tell
	decide(t, colleague, id, "npwp", "tms", "kartu tidak terbaca")
	m := s.expect("kabar", "")
	if !strings.Contains(m.data, "baru saja diubah oleh v1-didik-2") {
		t.Fatalf("the first notice is %q: the verifier's own decision must not raise one", m.data)
	}
	if !strings.Contains(m.data, fmt.Sprintf(`href="/verifikasi/%d"`, id)) {
		t.Fatalf("notice without a link to the fresh view: %s", m.data)
	}
	forward(t, colleague, id)
	s.expect("kabar", "sudah tidak menunggu di level Anda")
}
