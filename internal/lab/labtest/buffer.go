package labtest

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer that a lab host's output goroutine (or process) and the test
// may use at once: the test reads what was written so far while the host keeps writing.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
