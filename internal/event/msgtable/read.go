package msgtable

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
)

// rtMessageTable is the resource type of message tables (RT_MESSAGETABLE).
const rtMessageTable = 11

// Read returns the messages of every message table in a PE image or a COFF object
// (.syso), by ID, with their text as stored (line end included).
func Read(r io.ReaderAt) (map[uint32]string, error) {
	f, err := pe.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("read PE/COFF: %w", err)
	}
	defer f.Close()
	sec := f.Section(".rsrc")
	if sec == nil {
		return nil, errors.New("no .rsrc section")
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("read .rsrc: %w", err)
	}
	// In an image, data entries hold RVAs; in an object, offsets into the section (the
	// relocations add the section's address at link time).
	base := uint32(0)
	if _, ok := f.OptionalHeader.(*pe.OptionalHeader64); ok {
		base = sec.VirtualAddress
	}
	if _, ok := f.OptionalHeader.(*pe.OptionalHeader32); ok {
		base = sec.VirtualAddress
	}
	rd := rsrc{data: data, base: base}
	typ, err := rd.dir(0)
	if err != nil {
		return nil, err
	}
	out := map[uint32]string{}
	for _, t := range typ {
		if t.id != rtMessageTable || !t.sub {
			continue
		}
		names, err := rd.dir(t.off)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			langs, err := rd.dir(n.off)
			if err != nil {
				return nil, err
			}
			for _, l := range langs {
				blob, err := rd.leaf(l.off)
				if err != nil {
					return nil, err
				}
				if err := parseTable(blob, out); err != nil {
					return nil, err
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no message table resource")
	}
	return out, nil
}

type rsrc struct {
	data []byte
	base uint32
}

type entry struct {
	id  uint32
	off uint32
	sub bool
}

// dir reads the IMAGE_RESOURCE_DIRECTORY at off and its entries.
func (r rsrc) dir(off uint32) ([]entry, error) {
	if int(off)+16 > len(r.data) {
		return nil, fmt.Errorf("resource directory at %#x is out of bounds", off)
	}
	le := binary.LittleEndian
	n := int(le.Uint16(r.data[off+12:])) + int(le.Uint16(r.data[off+14:]))
	var out []entry
	for i := range n {
		p := int(off) + 16 + 8*i
		if p+8 > len(r.data) {
			return nil, fmt.Errorf("resource entry at %#x is out of bounds", p)
		}
		name, to := le.Uint32(r.data[p:]), le.Uint32(r.data[p+4:])
		out = append(out, entry{id: name, off: to &^ (1 << 31), sub: to&(1<<31) != 0})
	}
	return out, nil
}

// leaf reads the IMAGE_RESOURCE_DATA_ENTRY at off and returns its bytes.
func (r rsrc) leaf(off uint32) ([]byte, error) {
	if int(off)+16 > len(r.data) {
		return nil, fmt.Errorf("resource data entry at %#x is out of bounds", off)
	}
	le := binary.LittleEndian
	at, size := le.Uint32(r.data[off:])-r.base, le.Uint32(r.data[off+4:])
	if uint64(at)+uint64(size) > uint64(len(r.data)) {
		return nil, fmt.Errorf("resource data at %#x+%d is out of bounds", at, size)
	}
	return r.data[at : at+size], nil
}

// parseTable reads MESSAGE_RESOURCE_DATA: blocks of consecutive IDs, each entry a
// length, flags (1 = UTF-16) and the text.
func parseTable(b []byte, out map[uint32]string) error {
	le := binary.LittleEndian
	if len(b) < 4 {
		return errors.New("message table too short")
	}
	n := le.Uint32(b)
	if uint64(n)*12+4 > uint64(len(b)) {
		return errors.New("message table blocks out of bounds")
	}
	for i := range n {
		p := 4 + 12*i
		lo, hi, at := le.Uint32(b[p:]), le.Uint32(b[p+4:]), le.Uint32(b[p+8:])
		for id := lo; id <= hi; id++ {
			if int(at)+4 > len(b) {
				return fmt.Errorf("message %d out of bounds", id)
			}
			length, flags := int(le.Uint16(b[at:])), le.Uint16(b[at+2:])
			if length < 4 || int(at)+length > len(b) {
				return fmt.Errorf("message %d has a bad length %d", id, length)
			}
			text := b[at+4 : int(at)+length]
			if flags&1 != 0 {
				u := make([]uint16, len(text)/2)
				for j := range u {
					u[j] = le.Uint16(text[2*j:])
				}
				out[id] = strings.TrimRight(string(utf16.Decode(u)), "\x00")
			} else {
				out[id] = strings.TrimRight(string(text), "\x00")
			}
			at += uint32(length)
		}
	}
	return nil
}
