package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"
)

// errTooMuchData is a server that sent more than MaxSessionBytes on one connection.
var errTooMuchData = errors.New("server sent too much data")

// lineConn is one command/reply session (FTP, SMTP) with every read and write under a
// deadline: the stage timeout, capped by the context's deadline, and cut short when the
// context is cancelled. It records the server's reply lines for the Result.
type lineConn struct {
	ctx     context.Context
	timeout time.Duration
	raw     net.Conn
	conn    net.Conn // raw, or the TLS connection over it
	budget  *budgetReader
	br      *bufio.Reader

	mu        sync.Mutex // orders cancellation against setting a new deadline
	cancelled bool
	stop      func() bool

	replies []string
	size    int // bytes of replies, for MaxRepliesText
	cut     bool
}

// resetByPeer reports whether a dial failed because the server reset the connection it
// had just accepted: the connection was made, so this is a server that does not answer,
// not one that cannot be reached. (On loopback the reset can reach the client before its
// connect call returns.)
func resetByPeer(err error) bool { return errors.Is(err, syscall.ECONNRESET) }

// dialLine connects to addr under the timeout and the context.
func dialLine(ctx context.Context, addr string, timeout time.Duration) (*lineConn, error) {
	d := net.Dialer{Timeout: timeout}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", addr, err)
	}
	c := &lineConn{ctx: ctx, timeout: timeout, raw: raw, conn: raw}
	c.budget = &budgetReader{r: raw, n: MaxSessionBytes}
	c.br = bufio.NewReaderSize(c.budget, 4096)
	c.stop = context.AfterFunc(ctx, func() {
		c.mu.Lock()
		c.cancelled = true
		_ = raw.SetDeadline(time.Unix(1, 0)) // wakes any blocked read or write now
		c.mu.Unlock()
	})
	return c, nil
}

// arm sets the deadline of the next stage.
func (c *lineConn) arm() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancelled {
		return c.ctx.Err()
	}
	d := time.Now().Add(c.timeout)
	if cd, ok := c.ctx.Deadline(); ok && cd.Before(d) {
		d = cd
	}
	return c.raw.SetDeadline(d)
}

// cause adds the context's error to an I/O error it provoked.
func (c *lineConn) cause(err error) error {
	if ctxErr := c.ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w (%w)", err, ctxErr)
	}
	return err
}

// send writes one command line. what names it in errors, so that a password is never
// part of an error text.
func (c *lineConn) send(what, line string) error {
	if err := c.arm(); err != nil {
		return fmt.Errorf("send %s: %w", what, err)
	}
	if _, err := io.WriteString(c.conn, line+"\r\n"); err != nil {
		return fmt.Errorf("send %s: %w", what, c.cause(err))
	}
	return nil
}

// reply reads one reply and records its lines. after names what the reply answers.
func (c *lineConn) reply(after string) (Reply, error) {
	if err := c.arm(); err != nil {
		return Reply{}, fmt.Errorf("read reply to %s: %w", after, err)
	}
	rep, err := ReadReply(c.br)
	for _, l := range rep.Lines {
		c.record(l)
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = fmt.Errorf("connection closed: %w", err)
		}
		return rep, fmt.Errorf("read reply to %s: %w", after, c.cause(err))
	}
	return rep, nil
}

// cmd sends a command and reads its reply.
func (c *lineConn) cmd(what, line string) (Reply, error) {
	if err := c.send(what, line); err != nil {
		return Reply{}, err
	}
	return c.reply(what)
}

// record keeps one reply line as received, within MaxRepliesText; it is made printable
// and masked only when the transcript is rendered, so a secret split over lines or
// broken by control characters is still recognised.
func (c *lineConn) record(line string) {
	if c.cut {
		return
	}
	if c.size+len(line)+1 > MaxRepliesText {
		c.cut = true
		return
	}
	c.replies = append(c.replies, line)
	c.size += len(line) + 1
}

// transcript returns the recorded reply lines, printable, joined by LF, with every piece
// of secret masked (see maskedTranscript); "" masks nothing.
func (c *lineConn) transcript(secret string) string {
	t := maskedTranscript(c.replies, secret)
	if c.cut {
		t += "\n[replies cut]"
	}
	return t
}

// startTLS performs the client handshake after the server agreed to upgrade.
func (c *lineConn) startTLS(cfg *tls.Config) error {
	if c.br.Buffered() > 0 {
		// Bytes sent before the handshake would be read as if they came over TLS.
		return errors.New("tls: server sent data before the handshake")
	}
	if err := c.arm(); err != nil {
		return fmt.Errorf("tls handshake: %w", err)
	}
	tc := tls.Client(c.raw, cfg)
	if err := tc.HandshakeContext(c.ctx); err != nil {
		return fmt.Errorf("tls handshake: %w", c.cause(err))
	}
	c.conn = tc
	c.budget.r = tc
	return nil
}

// quit ends the session politely; its outcome does not change the probe's result.
func (c *lineConn) quit() {
	_, _ = c.cmd("QUIT", "QUIT")
}

// close releases the connection and the cancellation hook. A TLS connection first sends
// its close_notify, under the stage deadline.
func (c *lineConn) close() {
	c.stop()
	if tc, ok := c.conn.(*tls.Conn); ok {
		if c.arm() == nil {
			_ = tc.Close()
			return
		}
	}
	_ = c.raw.Close()
}

// budgetReader fails once a session has read n bytes.
type budgetReader struct {
	r io.Reader
	n int
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, errTooMuchData
	}
	if len(p) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= n
	return n, err
}
