package probe

import (
	"context"
	"net"
	"syscall"
	"testing"
	"time"
)

// answerOK answers one HTTP request with 200 and closes.
func answerOK(c net.Conn, _ <-chan struct{}) {
	c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
}

// TestHardening7_DeadlineAfterConnectIsNoAnswer: a deadline that comes once the probe is
// connected is "no answer" (6, 9759); one that came before it could connect is "no
// connection" (4, 9757), and then no connection is made behind the report's back (net/http
// would otherwise go on dialing on a context detached from the request's).
func TestHardening7_DeadlineAfterConnectIsNoAnswer(t *testing.T) {
	checkLeaks(t)
	silentSrv := newServer(t, silent(""))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	r := withinBound(t, func() Result { return HTTP(ctx, HTTPTarget{Addr: silentSrv.addr(), Timeout: time.Minute}) })
	cancel()
	if r.Code != HTTPNoAnswer {
		t.Errorf("deadline after connecting: %v (%v), want HTTPNoAnswer", r.Code, r.Err)
	}

	srv := newServer(t, afterRequest(answerOK))
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	if r := HTTP(expired, HTTPTarget{Addr: srv.addr(), Timeout: time.Minute}); r.Code != HTTPNoConnect {
		t.Errorf("deadline before connecting: %v (%v), want HTTPNoConnect", r.Code, r.Err)
	}
	// A probe that connects and is answered: the server then has seen exactly its
	// connection, not also one the first probe left dialing.
	if r := HTTP(context.Background(), HTTPTarget{Addr: srv.addr(), Timeout: time.Minute}); r.Code != OK {
		t.Fatalf("ordinary probe: %v (%v)", r.Code, r.Err)
	}
	if n := srv.accepted(); n != 1 {
		t.Errorf("the server accepted %d connections, want 1 (the probe that reported no connection dialed anyway)", n)
	}
}

// TestDialTrackerSettleWaitsForTheDial: settle reports the outcome of a dial in flight
// (here one that connects), never the state before it ended: the race that made a
// connection made just before the deadline a "no connection".
func TestDialTrackerSettleWaitsForTheDial(t *testing.T) {
	checkLeaks(t)
	srv := newServer(t, silent(""))
	inControl, release := make(chan struct{}), make(chan struct{})
	d := &dialTracker{ctx: context.Background(), addr: srv.addr(), dialer: net.Dialer{
		Timeout: time.Minute,
		Control: func(string, string, syscall.RawConn) error {
			close(inControl)
			<-release // the socket exists; connect has not been called yet
			return nil
		},
	}}
	dialed := make(chan net.Conn, 1)
	go func() {
		c, err := d.dial(context.Background(), "tcp", "")
		if err != nil {
			t.Errorf("dial: %v", err)
		}
		dialed <- c
	}()
	<-inControl
	settled := make(chan bool, 1)
	go func() { settled <- d.settle() }()
	close(release)
	if !<-settled {
		t.Error("settle reported no connection for a dial that connected")
	}
	if c := <-dialed; c != nil {
		c.Close()
	}
	if _, err := d.dial(context.Background(), "tcp", ""); err == nil {
		t.Error("a dial after settle was made")
	}
}
