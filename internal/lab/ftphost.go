package lab

import (
	"bytes"
	"net"
	"strings"
	"sync"
)

// maxHostLine bounds a command line the HOST filter holds while it waits for the line's
// end; a longer one goes to the FTP library as it is, which refuses it.
const maxHostLine = 4096

// hostListener gives each FTP connection a hostConn, which answers the HOST command
// (RFC 7151) that the FTP library does not know.
type hostListener struct {
	net.Listener
	d *ftpDriver
}

// Accept wraps the next connection and registers it by the client's address, the key
// AuthUser has.
func (l *hostListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	hc := &hostConn{Conn: c, d: l.d, key: c.RemoteAddr().String()}
	l.d.hosts.Store(hc.key, hc)
	return hc, nil
}

// hostConn answers HOST commands sent before the login and passes every other line to
// the FTP library unchanged. From the first USER or AUTH on, it passes everything: HOST
// belongs before the login (RFC 7151), and after AUTH TLS the bytes are not commands.
type hostConn struct {
	net.Conn
	d   *ftpDriver
	key string

	mu   sync.Mutex
	host string

	in      []byte // read from the client, not yet a whole line
	out     []byte // lines for the library
	rerr    error  // the read error to return once out is drained
	through bool
	once    sync.Once
}

// hostName is the host the last HOST command named.
func (c *hostConn) hostName() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.host
}

// Read is only called by the library's one command-reading goroutine.
func (c *hostConn) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.rerr != nil {
			return 0, c.rerr
		}
		if c.through && len(c.in) == 0 {
			return c.Conn.Read(p)
		}
		buf := make([]byte, 512)
		n, err := c.Conn.Read(buf)
		c.in = append(c.in, buf[:n]...)
		c.lines()
		if err != nil {
			c.out, c.in = append(c.out, c.in...), nil
			c.rerr = err
		}
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// lines moves the whole lines of c.in to c.out, answering HOST lines instead.
func (c *hostConn) lines() {
	for !c.through {
		end := bytes.IndexByte(c.in, '\n')
		if end < 0 {
			if len(c.in) > maxHostLine {
				c.through = true
			}
			break
		}
		line := c.in[:end+1]
		verb, arg, _ := strings.Cut(strings.TrimRight(string(line), "\r\n"), " ")
		switch strings.ToUpper(verb) {
		case "HOST":
			c.answerHost(strings.TrimSpace(arg))
		case "USER", "AUTH":
			c.through = true
			c.out = append(c.out, line...)
		default:
			c.out = append(c.out, line...)
		}
		c.in = c.in[end+1:]
	}
	if c.through {
		c.out, c.in = append(c.out, c.in...), nil
	}
}

// answerHost is RFC 7151's HOST: 220 when a site here is bound to that host name, else
// 504 (the lab's choice among the RFC's codes) and the host stays as it was.
func (c *hostConn) answerHost(host string) {
	if host == "" || c.d.ep.siteFor(host) == nil {
		_, _ = c.Conn.Write([]byte("504 Unknown virtual host.\r\n"))
		return
	}
	c.mu.Lock()
	c.host = host
	c.mu.Unlock()
	_, _ = c.Conn.Write([]byte("220 Host accepted.\r\n"))
}

// Close forgets the connection and closes it.
func (c *hostConn) Close() error {
	c.once.Do(func() { c.d.hosts.Delete(c.key) })
	return c.Conn.Close()
}
