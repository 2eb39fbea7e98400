package lab

import (
	"net"
	"sync"
	"time"
)

// trackingListener wraps a listener so that closing it also closes every connection it
// accepted (a stopped site answers nothing any more, and no goroutine outlives the host),
// and so that a site set to respond hang has its connections accepted and then held in
// silence, before any protocol server sees them.
type trackingListener struct {
	net.Listener
	hold    func() bool // nil, or reports whether to hold new connections
	maxHold time.Duration

	mu     sync.Mutex
	conns  map[*trackedConn]struct{}
	closed bool
}

func newTrackingListener(l net.Listener, hold func() bool, maxHold time.Duration) *trackingListener {
	return &trackingListener{Listener: l, hold: hold, maxHold: maxHold, conns: map[*trackedConn]struct{}{}}
}

// Accept returns the next connection that is not held.
func (l *trackingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		tc := &trackedConn{Conn: c, l: l}
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			c.Close()
			return nil, net.ErrClosed
		}
		l.conns[tc] = struct{}{}
		l.mu.Unlock()
		if l.hold != nil && l.hold() {
			// Held: nobody reads or writes; the connection ends when the site stops, the
			// host closes, or maxHold passes, whichever comes first.
			time.AfterFunc(l.maxHold, func() { tc.Close() })
			continue
		}
		return tc, nil
	}
}

// Close closes the listener and every connection it accepted.
func (l *trackingListener) Close() error {
	l.mu.Lock()
	l.closed = true
	conns := l.conns
	l.conns = map[*trackedConn]struct{}{}
	l.mu.Unlock()
	err := l.Listener.Close()
	for c := range conns {
		c.Conn.Close()
	}
	return err
}

type trackedConn struct {
	net.Conn
	l    *trackingListener
	once sync.Once
}

func (c *trackedConn) Close() error {
	var err error
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
		err = c.Conn.Close()
	})
	return err
}
