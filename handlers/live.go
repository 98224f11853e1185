package handlers

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// Live updates: an in-process broker tells open server-sent-event streams that something they show
// has changed; each stream then reads the fresh state from the store and sends it as HTML for the
// htmx SSE extension to swap in. A signal carries no data, so signals can be merged: a subscriber
// holds at most one pending wake-up, and a publisher never waits for a slow reader.

// broker fans change signals out to subscribers by topic. It knows nothing of the store.
type broker struct {
	mu     sync.Mutex
	topics map[string]map[*subscriber]struct{}
	closed bool
}

// subscriber is one open stream.
type subscriber struct {
	wake    chan struct{} // capacity 1: one pending wake-up absorbs every later one until read
	end     chan struct{} // closed when the stream must stop (logout, shutdown)
	session string
	topics  []string
	once    sync.Once
}

func newBroker() *broker { return &broker{topics: map[string]map[*subscriber]struct{}{}} }

func (s *subscriber) stop() { s.once.Do(func() { close(s.end) }) }

// subscribe opens a subscription for a login session to the topics. After close it returns a
// subscriber that has already ended.
func (b *broker) subscribe(session string, topics ...string) *subscriber {
	s := &subscriber{wake: make(chan struct{}, 1), end: make(chan struct{}), session: session, topics: topics}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.stop()
		return s
	}
	for _, t := range topics {
		if b.topics[t] == nil {
			b.topics[t] = map[*subscriber]struct{}{}
		}
		b.topics[t][s] = struct{}{}
	}
	return s
}

// unsubscribe forgets a subscriber (its stream ended).
func (b *broker) unsubscribe(s *subscriber) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range s.topics {
		delete(b.topics[t], s)
		if len(b.topics[t]) == 0 {
			delete(b.topics, t)
		}
	}
}

// publish wakes every subscriber of the topics. It never blocks: a subscriber that has not yet
// taken its last wake-up simply keeps that one.
func (b *broker) publish(topics ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range topics {
		for s := range b.topics[t] {
			select {
			case s.wake <- struct{}{}:
			default:
			}
		}
	}
}

// endSession stops every stream of a login session (logout).
func (b *broker) endSession(session string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, subs := range b.topics {
		for s := range subs {
			if s.session == session {
				s.stop()
			}
		}
	}
}

// close stops every stream and refuses new ones (server shutdown).
func (b *broker) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for _, subs := range b.topics {
		for s := range subs {
			s.stop()
		}
	}
}

// subscribers counts open subscriptions (tests).
func (b *broker) subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	seen := map[*subscriber]bool{}
	for _, subs := range b.topics {
		for s := range subs {
			seen[s] = true
		}
	}
	return len(seen)
}

// The broker's topics: a verifier inbox (level and scope), a PNS's tracking view, one submission's
// review page.
func inboxTopic(level int, scope string) string { return fmt.Sprintf("masuk/%d/%s", level, scope) }
func pnsTopic(nip string) string                { return "pns/" + nip }
func subTopic(id uint64) string                 { return fmt.Sprintf("usulan/%d", id) }

// publishMove tells the inbox the submission left (level, scope of the verifier or of where it was),
// the inbox it is in now, and its PNS, that it changed.
func (h *Handler) publishMove(s store.Submission, fromLevel int, fromScope string) {
	topics := []string{pnsTopic(s.NIP), subTopic(s.ID)}
	if fromLevel > 0 {
		topics = append(topics, inboxTopic(fromLevel, fromScope))
	}
	if lv := s.State.Level(); lv > 0 {
		topics = append(topics, inboxTopic(lv, s.InboxScope()))
	}
	h.live.publish(topics...)
}

// liveEvent is one named event ready to send: its HTML and the hash of it.
type liveEvent struct {
	name string
	html []byte
	hash string
}

// renderEvent renders the components that make up an event's data.
func renderEvent(name string, comps ...templ.Component) (liveEvent, error) {
	var buf bytes.Buffer
	for _, c := range comps {
		if err := c.Render(context.Background(), &buf); err != nil {
			return liveEvent{}, err
		}
	}
	return liveEvent{name: name, html: buf.Bytes(), hash: htmlHash(buf.Bytes())}, nil
}

// htmlHash identifies a fragment's HTML: a page puts the hash of what it shows into its stream's
// URL (v.<event>=hash), so the stream sends only what differs from the page.
func htmlHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// fragmentHash is htmlHash of the components' HTML ("" if they fail to render: the stream then sends).
func fragmentHash(comps ...templ.Component) string {
	ev, err := renderEvent("", comps...)
	if err != nil {
		return ""
	}
	return ev.hash
}

// writeEvent writes one server-sent event, one "data:" line per line of its HTML, and flushes it.
func writeEvent(w *bufio.Writer, ev liveEvent) error {
	// A bufio.Writer keeps its first error and returns it from Flush, so only Flush is checked.
	_, _ = fmt.Fprintf(w, "event: %s\n", ev.name)
	for _, line := range strings.Split(string(ev.html), "\n") {
		_, _ = w.WriteString("data: ")
		_, _ = w.WriteString(line)
		_ = w.WriteByte('\n')
	}
	_ = w.WriteByte('\n')
	return w.Flush()
}

// stream answers with a server-sent-event stream. It renders the events at once and on every
// wake-up of the topics, and sends each one whose HTML differs from what the client last got (at
// first: what the page showed, from the v.<event> query values), so a page is never swapped for
// nothing; at most one update per LiveGap. Between, a heartbeat comment. It stops when the client
// goes away, when the session logs out (the event "tutup" tells the page not to reconnect) or when
// the server shuts down. Each write pushes the connection's write deadline forward, so the
// server's WriteTimeout bounds a stalled client, not a long-lived stream.
func (h *Handler) stream(c *fiber.Ctx, topics []string, events func() ([]liveEvent, error)) error {
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no") // a reverse proxy must pass events on at once
	session := ""
	if rs := sessionOf(c); rs.sess != nil {
		session = rs.sess.ID()
	}
	ls := &liveStream{
		events: events,
		last:   map[string]string{},
		sub:    h.live.subscribe(session, topics...),
		done:   c.Context().Done(), // closed when the server shuts down (nil under app.Test)
		conn:   c.Context().Conn(),
		beat:   h.cfg.Heartbeat,
		gap:    h.cfg.LiveGap,
	}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if name, ok := strings.CutPrefix(string(k), "v."); ok {
			ls.last[name] = string(v)
		}
	})
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer h.live.unsubscribe(ls.sub)
		ls.w = w
		ls.run()
	})
	return nil
}

// liveStream is one open event stream: what it renders, what the client last got, and when.
type liveStream struct {
	w        *bufio.Writer
	events   func() ([]liveEvent, error)
	last     map[string]string // event name → hash of the HTML the client has
	sub      *subscriber
	done     <-chan struct{}
	conn     net.Conn
	beat     time.Duration
	gap      time.Duration
	lastSend time.Time
}

// run writes the stream until the client goes away, the session logs out or the server stops.
func (ls *liveStream) run() {
	ls.extend()
	// A comment at once, so the answer's headers leave now and the browser sees the stream open
	// even when nothing differs from the page yet.
	if ls.comment("tersambung") != nil || ls.send() != nil {
		return
	}
	tick := time.NewTicker(ls.beat)
	defer tick.Stop()
	for {
		select {
		case <-ls.done:
			return
		case <-ls.sub.end:
			ls.tutup()
			return
		case <-ls.sub.wake:
			if !ls.waitGap() {
				return
			}
			ls.extend()
			if ls.send() != nil {
				return
			}
		case <-tick.C:
			ls.extend()
			if ls.comment("detak") != nil {
				return
			}
		}
	}
}

// waitGap holds an update until LiveGap has passed since the last one: a busy inbox is read and
// rendered for this stream a few times a second, not once per change; changes in between merge
// into the next. It is false when the stream must end meanwhile.
func (ls *liveStream) waitGap() bool {
	wait := ls.gap - time.Since(ls.lastSend)
	if wait <= 0 {
		return true
	}
	t := time.NewTimer(wait)
	select {
	case <-t.C:
	case <-ls.done:
		t.Stop()
		return false
	case <-ls.sub.end:
		t.Stop()
		ls.tutup()
		return false
	}
	select { // take a wake-up that came while waiting: this send covers it
	case <-ls.sub.wake:
	default:
	}
	return true
}

// send renders the events and writes each one whose HTML the client does not have yet.
func (ls *liveStream) send() error {
	evs, err := ls.events()
	if err != nil {
		return err
	}
	for _, ev := range evs {
		if ls.last[ev.name] == ev.hash {
			continue
		}
		if err := writeEvent(ls.w, ev); err != nil {
			return err
		}
		ls.last[ev.name] = ev.hash
	}
	ls.lastSend = time.Now()
	return nil
}

// extend pushes the connection's write deadline past the next heartbeat.
func (ls *liveStream) extend() {
	_ = ls.conn.SetWriteDeadline(time.Now().Add(ls.beat + 10*time.Second))
}

// comment writes an SSE comment (the browser ignores it) and flushes it.
func (ls *liveStream) comment(text string) error {
	_, _ = ls.w.WriteString(": " + text + "\n\n")
	return ls.w.Flush()
}

// tutup tells the page that this login logged out, so it stops reconnecting.
func (ls *liveStream) tutup() {
	_, _ = ls.w.WriteString("event: tutup\ndata: \n\n")
	_ = ls.w.Flush()
}
