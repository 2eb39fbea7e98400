package cli

import (
	"bytes"
	"io"
	"sync"
)

// indent prefixes every line written through it, so the demo's command output stands
// apart from its narration.
type indent struct {
	mu  sync.Mutex
	w   io.Writer
	mid bool // in the middle of a line
}

func (i *indent) Write(p []byte) (int, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	var b bytes.Buffer
	for _, c := range p {
		if !i.mid {
			b.WriteString("    ")
		}
		b.WriteByte(c)
		i.mid = c != '\n'
	}
	if _, err := i.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}
