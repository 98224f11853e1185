// Package control is the server's local command socket: while `pupns serve` holds the data file
// (bbolt locks it for one process), the `pupns user` commands reach the store through the server
// instead. The socket is a unix socket in the data folder, mode 0600, so only the account that
// runs the server (and root) may connect: the same people who could open the data file. The
// protocol is one JSON Request line in, one JSON Response line out, one command per connection.
// The package also holds what operating a running server needs beside the web app (serving.go):
// the address file, the in-flight count and graceful shutdown, the sweeper.
package control

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// SocketName is the socket's file name in the data folder.
const SocketName = "pupns.sock"

// maxRequest bounds one request line; a staff account's fields are far smaller.
const maxRequest = 64 << 10

// timeout bounds reading a request and writing its response, and a client's wait for an ordinary
// command: a client that stalls cannot hold a server goroutine. A command that takes long (a
// backup) is waited for with CallWithin.
const timeout = 30 * time.Second

// Request is one command: Cmd (e.g. "user add") and its named arguments.
type Request struct {
	Cmd  string            `json:"cmd"`
	Args map[string]string `json:"args,omitempty"`
}

// Response is what the command printed and, when it failed, its error sentence.
type Response struct {
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
}

// Handler runs one command, printing to out what the command line would print.
type Handler func(req Request, out io.Writer) error

// Server serves the socket until Close.
type Server struct {
	ln   net.Listener
	path string
	run  Handler
	wg   sync.WaitGroup
}

// Listen opens the socket at path with mode 0600 and serves each connection with run. A file left
// at path by a process that is gone is removed first: the caller holds the data folder's lock, so
// no other server can be using it.
func Listen(path string, run Handler) (*Server, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	s := &Server{ln: ln, path: path, run: run}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(c)
		}()
	}
}

// serve answers one connection: one request, one response.
func (s *Server) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(timeout))
	var req Request
	line, err := bufio.NewReader(io.LimitReader(c, maxRequest)).ReadBytes('\n')
	var resp Response
	if err != nil && !errors.Is(err, io.EOF) {
		resp.Error = "permintaan tidak terbaca: " + err.Error()
	} else if err := json.Unmarshal(line, &req); err != nil {
		resp.Error = "permintaan tidak terbaca: " + err.Error()
	} else {
		var out bytes.Buffer
		if err := s.run(req, &out); err != nil {
			resp.Error = err.Error()
		}
		resp.Output = out.String()
	}
	_ = c.SetWriteDeadline(time.Now().Add(timeout)) // counted from the command's end: a backup may take minutes
	_ = json.NewEncoder(c).Encode(resp)
}

// Close stops accepting, waits for the commands under way and removes the socket file.
func (s *Server) Close() error {
	err := s.ln.Close()
	s.wg.Wait()
	_ = os.Remove(s.path)
	return err
}

// Call sends one request to the socket at path and returns the server's response. An error means
// the server could not be reached or did not answer; a command's own failure is Response.Error.
func Call(path string, req Request) (Response, error) {
	return CallWithin(path, req, timeout)
}

// CallWithin is Call for a command that may take up to wait, such as a backup of a large file.
func CallWithin(path string, req Request, wait time.Duration) (Response, error) {
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		return Response{}, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(wait))
	b, err := json.Marshal(req)
	if err != nil {
		return Response{}, err
	}
	if _, err := c.Write(append(b, '\n')); err != nil {
		return Response{}, err
	}
	var resp Response
	if err := json.NewDecoder(c).Decode(&resp); err != nil {
		return Response{}, fmt.Errorf("server tidak menjawab: %w", err)
	}
	return resp, nil
}
