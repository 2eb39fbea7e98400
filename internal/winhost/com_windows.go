//go:build windows

package winhost

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"

	ole "github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
)

// comSession holds the COM objects of one request so they are released together.
type comSession struct {
	unknowns []*ole.IUnknown
	vars     []*ole.VARIANT
}

// maxStuckCOM bounds the OS threads that calls abandoned at their deadline may hold: a
// COM call cannot be cancelled, so each abandoned one keeps its thread until the
// provider returns. Past this many, new calls fail at once instead of adding threads
// (a watch daemon meeting a hung IIS every few seconds would otherwise grow without
// limit). One action makes one COM call at a time, so it never meets the bound alone.
const maxStuckCOM = 4

// comRunner runs COM requests on their own threads and counts the ones still running
// after their caller gave up.
type comRunner struct {
	stuck atomic.Int32
}

var errTooManyStuck = errors.New("earlier IIS calls abandoned at their deadline have still not returned: IIS's configuration system is hung; restart it (iisreset) or the node")

// run runs fn on a fresh OS thread initialised for COM and waits for it until ctx ends.
// A hung provider leaves that one thread behind (at most maxStuckCOM of them), but the
// caller always gets its answer by its deadline.
func (r *comRunner) run(ctx context.Context, what string, fn func(c *comSession) error) error {
	if n := r.stuck.Load(); n >= maxStuckCOM {
		return fmt.Errorf("%s: %w (%d calls)", what, errTooManyStuck, n)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	done := make(chan error, 1)
	// state: 0 running, 1 returned to a waiting caller, 2 abandoned by its caller.
	var state atomic.Int32
	go func() {
		// The thread stays locked and so ends with the goroutine: no later goroutine
		// inherits its COM apartment.
		runtime.LockOSThread()
		var err error
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%s: COM call panicked: %v", what, p)
			}
			if !state.CompareAndSwap(0, 1) {
				r.stuck.Add(-1) // abandoned: it was counted as stuck
			}
			done <- err
		}()
		if e := ole.CoInitializeEx(0, ole.COINIT_APARTMENTTHREADED); e != nil {
			var oe *ole.OleError
			if !errors.As(e, &oe) || oe.Code() != 1 { // 1 is S_FALSE: already initialised
				err = fmt.Errorf("%s: initialise COM: %w", what, e)
				return
			}
		}
		defer ole.CoUninitialize()
		c := &comSession{}
		defer c.release()
		err = fn(c)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		// Count the thread as stuck before marking it abandoned: it uncounts itself
		// when the call returns, and only if it sees the mark.
		r.stuck.Add(1)
		if !state.CompareAndSwap(0, 2) { // it returned in between: not stuck after all
			r.stuck.Add(-1)
			return <-done
		}
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
}

func (c *comSession) release() {
	for i := len(c.vars) - 1; i >= 0; i-- {
		_ = c.vars[i].Clear()
	}
	for i := len(c.unknowns) - 1; i >= 0; i-- {
		c.unknowns[i].Release()
	}
}

// create makes an automation object by its ProgID.
func (c *comSession) create(progID string) (*ole.IDispatch, error) {
	unk, err := oleutil.CreateObject(progID)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", progID, comError(err))
	}
	c.unknowns = append(c.unknowns, unk)
	d, err := unk.QueryInterface(ole.IID_IDispatch)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", progID, err)
	}
	c.unknowns = append(c.unknowns, &d.IUnknown)
	return d, nil
}

// get reads a property that takes no arguments.
func (c *comSession) get(d *ole.IDispatch, name string) (*ole.VARIANT, error) {
	v, err := oleutil.GetProperty(d, name)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", name, comError(err))
	}
	c.vars = append(c.vars, v)
	return v, nil
}

// call invokes a method.
func (c *comSession) call(d *ole.IDispatch, name string, args ...any) (*ole.VARIANT, error) {
	v, err := oleutil.CallMethod(d, name, args...)
	if err != nil {
		return nil, fmt.Errorf("call %s: %w", name, comError(err))
	}
	c.vars = append(c.vars, v)
	return v, nil
}

// memberFlags is how parameterised members (Item(i)) and DISPID_NEWENUM are invoked:
// as a method and a property get at once. A type library's ITypeInfo::Invoke (real
// IIS, real WMI) matches the propget among them; a script object (JScript, as in the
// Wine stand-ins) calls the function only when DISPATCH_METHOD is set, and returns the
// function object itself for a plain property get. JScript sends these same flags for
// a call with arguments.
const memberFlags = ole.DISPATCH_METHOD | ole.DISPATCH_PROPERTYGET

// dispidNewEnum is DISPID_NEWENUM, the member an automation collection is enumerated by.
const dispidNewEnum = -4

// item reads a parameterised member such as Item(index or name): the one way every
// collection of AHADMIN and WMI is indexed here.
func (c *comSession) item(d *ole.IDispatch, name string, args ...any) (*ole.IDispatch, error) {
	v, err := d.InvokeWithOptionalArgs(name, memberFlags, args)
	if err != nil {
		return nil, fmt.Errorf("get %s%v: %w", name, args, comError(err))
	}
	c.vars = append(c.vars, v)
	return asObject(v, name, nil)
}

// each calls fn for every object of an automation collection, enumerated by invoking
// DISPID_NEWENUM with memberFlags (oleutil.ForEach's plain property get of _NewEnum
// fails where _NewEnum is declared a method).
func (c *comSession) each(d *ole.IDispatch, fn func(*ole.IDispatch) error) error {
	v, err := d.Invoke(dispidNewEnum, memberFlags)
	if err != nil {
		return fmt.Errorf("enumerate: %w", comError(err))
	}
	c.vars = append(c.vars, v)
	unk := v.ToIUnknown()
	if unk == nil {
		return fmt.Errorf("enumerate: DISPID_NEWENUM gave variant type %d, want an object", v.VT)
	}
	enum, err := unk.IEnumVARIANT(ole.IID_IEnumVariant)
	if err != nil {
		return fmt.Errorf("enumerate: %w", err)
	}
	c.unknowns = append(c.unknowns, &enum.IUnknown)
	for {
		item, n, err := enum.Next(1)
		if n == 0 {
			return nil
		}
		if err != nil {
			return fmt.Errorf("enumerate: %w", err)
		}
		e := item
		c.vars = append(c.vars, &e)
		o := e.ToIDispatch()
		if e.VT != ole.VT_DISPATCH || o == nil {
			return fmt.Errorf("enumerate: an element has variant type %d, want an object", e.VT)
		}
		if err := fn(o); err != nil {
			return err
		}
	}
}

// getObj and callObj are get and call for results that must be objects.
func (c *comSession) getObj(d *ole.IDispatch, name string) (*ole.IDispatch, error) {
	v, err := c.get(d, name)
	return asObject(v, name, err)
}

func (c *comSession) callObj(d *ole.IDispatch, name string, args ...any) (*ole.IDispatch, error) {
	v, err := c.call(d, name, args...)
	return asObject(v, name, err)
}

func asObject(v *ole.VARIANT, name string, err error) (*ole.IDispatch, error) {
	if err != nil {
		return nil, err
	}
	if v.VT != ole.VT_DISPATCH || v.ToIDispatch() == nil {
		return nil, fmt.Errorf("%s: got variant type %d, want an object", name, v.VT)
	}
	return v.ToIDispatch(), nil
}

// hresult returns the HRESULT a COM error carries: the exception's own code when the
// object raised one (DISP_E_EXCEPTION with an EXCEPINFO, as script and many providers
// report), the call's otherwise.
func hresult(err error) (uint32, bool) {
	var oe *ole.OleError
	if !errors.As(err, &oe) {
		return 0, false
	}
	if uint32(oe.Code()) == 0x80020009 { // DISP_E_EXCEPTION
		if ei, ok := oe.SubError().(ole.EXCEPINFO); ok && ei.SCODE() != 0 {
			return ei.SCODE(), true
		}
	}
	return uint32(oe.Code()), true
}

// hrError shows a COM error with its HRESULT in hex, the form Microsoft's documents and
// administrators search for (go-ole prints it in decimal); errors.As still finds the
// *ole.OleError under it.
type hrError struct {
	hr  uint32
	err error
}

func (e hrError) Error() string {
	var oe *ole.OleError
	if errors.As(e.err, &oe) && oe.Description() != "" && oe.Description() != "<nil>" {
		return fmt.Sprintf("HRESULT 0x%08X: %s", e.hr, oe.Description())
	}
	return fmt.Sprintf("HRESULT 0x%08X", e.hr)
}

func (e hrError) Unwrap() error { return e.err }

func comError(err error) error {
	if hr, ok := hresult(err); ok {
		return hrError{hr, err}
	}
	return err
}

// toString and toInt convert scalar values whatever integer width the provider chose.
func toString(v *ole.VARIANT) (string, error) {
	switch x := v.Value().(type) {
	case string:
		return x, nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("variant type %d is not a string", v.VT)
}

func toInt(v *ole.VARIANT) (int64, error) {
	switch x := v.Value().(type) {
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		return int64(x), nil
	case int:
		return int64(x), nil
	case uint:
		return int64(x), nil
	case float64: // JScript numbers that do not fit VT_I4
		if x == float64(int64(x)) {
			return int64(x), nil
		}
	}
	return 0, fmt.Errorf("variant type %d is not an integer", v.VT)
}
