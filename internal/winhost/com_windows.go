//go:build windows

package winhost

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	ole "github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
)

// comSession holds the COM objects of one request so they are released together.
type comSession struct {
	unknowns []*ole.IUnknown
	vars     []*ole.VARIANT
}

// onCOMThread runs fn on a fresh OS thread initialised for COM and waits for it until
// ctx ends. COM calls cannot be cancelled, so a hung provider leaves that one thread
// behind, but the caller always gets its answer by its deadline.
func onCOMThread[T any](ctx context.Context, what string, fn func(c *comSession) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		// The thread stays locked and so ends with the goroutine: no later goroutine
		// inherits its COM apartment.
		runtime.LockOSThread()
		var r result
		defer func() {
			if p := recover(); p != nil {
				r.err = fmt.Errorf("%s: COM call panicked: %v", what, p)
			}
			done <- r
		}()
		if err := ole.CoInitializeEx(0, ole.COINIT_APARTMENTTHREADED); err != nil {
			var oe *ole.OleError
			if !errors.As(err, &oe) || oe.Code() != 1 { // 1 is S_FALSE: already initialised
				r.err = fmt.Errorf("%s: initialise COM: %w", what, err)
				return
			}
		}
		defer ole.CoUninitialize()
		c := &comSession{}
		defer c.release()
		r.v, r.err = fn(c)
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("%s: %w", what, ctx.Err())
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
		return nil, fmt.Errorf("create %s: %w", progID, err)
	}
	c.unknowns = append(c.unknowns, unk)
	d, err := unk.QueryInterface(ole.IID_IDispatch)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", progID, err)
	}
	c.unknowns = append(c.unknowns, &d.IUnknown)
	return d, nil
}

// get reads a property (with optional index arguments).
func (c *comSession) get(d *ole.IDispatch, name string, args ...any) (*ole.VARIANT, error) {
	v, err := oleutil.GetProperty(d, name, args...)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", name, err)
	}
	c.vars = append(c.vars, v)
	return v, nil
}

// call invokes a method.
func (c *comSession) call(d *ole.IDispatch, name string, args ...any) (*ole.VARIANT, error) {
	v, err := oleutil.CallMethod(d, name, args...)
	if err != nil {
		return nil, fmt.Errorf("call %s: %w", name, err)
	}
	c.vars = append(c.vars, v)
	return v, nil
}

// getObj and callObj are get and call for results that must be objects.
func (c *comSession) getObj(d *ole.IDispatch, name string, args ...any) (*ole.IDispatch, error) {
	v, err := c.get(d, name, args...)
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
	}
	return 0, fmt.Errorf("variant type %d is not an integer", v.VT)
}
