//go:build windows

package winhost

import (
	"fmt"
	"unsafe"

	ole "github.com/go-ole/go-ole"
	"golang.org/x/sys/windows"
)

// go-ole's SafeArrayConversion drops object elements (and, for arrays of variants,
// releases the objects it hands back), so arrays of embedded WMI objects such as
// ServerBindings are read here with oleaut32 directly.
var (
	oleaut32            = windows.NewLazySystemDLL("oleaut32.dll")
	procSafeArrayGetElt = oleaut32.NewProc("SafeArrayGetElement")
	procSafeArrayLBound = oleaut32.NewProc("SafeArrayGetLBound")
	procSafeArrayUBound = oleaut32.NewProc("SafeArrayGetUBound")
	procSafeArrayGetVT  = oleaut32.NewProc("SafeArrayGetVartype")
)

// objects returns the objects of a one-dimensional array of VT_DISPATCH or of
// VT_VARIANT holding objects. Each is owned by the session and released with it.
func (c *comSession) objects(v *ole.VARIANT) ([]*ole.IDispatch, error) {
	if v.VT&ole.VT_ARRAY == 0 {
		return nil, fmt.Errorf("variant type %d is not an array", v.VT)
	}
	sa := *(**ole.SafeArray)(unsafe.Pointer(&v.Val))
	if sa == nil {
		return nil, nil
	}
	var vt uint16
	if hr, _, _ := procSafeArrayGetVT.Call(uintptr(unsafe.Pointer(sa)), uintptr(unsafe.Pointer(&vt))); hr != 0 {
		return nil, fmt.Errorf("SafeArrayGetVartype: %w", ole.NewError(hr))
	}
	var lo, hi int32
	if hr, _, _ := procSafeArrayLBound.Call(uintptr(unsafe.Pointer(sa)), 1, uintptr(unsafe.Pointer(&lo))); hr != 0 {
		return nil, fmt.Errorf("SafeArrayGetLBound: %w", ole.NewError(hr))
	}
	if hr, _, _ := procSafeArrayUBound.Call(uintptr(unsafe.Pointer(sa)), 1, uintptr(unsafe.Pointer(&hi))); hr != 0 {
		return nil, fmt.Errorf("SafeArrayGetUBound: %w", ole.NewError(hr))
	}
	var out []*ole.IDispatch
	for i := lo; i <= hi; i++ {
		idx := i
		switch ole.VT(vt) {
		case ole.VT_DISPATCH:
			var d *ole.IDispatch
			if hr, _, _ := procSafeArrayGetElt.Call(uintptr(unsafe.Pointer(sa)), uintptr(unsafe.Pointer(&idx)), uintptr(unsafe.Pointer(&d))); hr != 0 {
				return nil, fmt.Errorf("SafeArrayGetElement: %w", ole.NewError(hr))
			}
			if d == nil {
				return nil, fmt.Errorf("array element %d is a null object", i)
			}
			c.unknowns = append(c.unknowns, &d.IUnknown)
			out = append(out, d)
		case ole.VT_VARIANT:
			e := new(ole.VARIANT)
			if hr, _, _ := procSafeArrayGetElt.Call(uintptr(unsafe.Pointer(sa)), uintptr(unsafe.Pointer(&idx)), uintptr(unsafe.Pointer(e))); hr != 0 {
				return nil, fmt.Errorf("SafeArrayGetElement: %w", ole.NewError(hr))
			}
			c.vars = append(c.vars, e)
			if e.VT != ole.VT_DISPATCH || e.ToIDispatch() == nil {
				return nil, fmt.Errorf("array element %d has variant type %d, want an object", i, e.VT)
			}
			out = append(out, e.ToIDispatch())
		default:
			return nil, fmt.Errorf("array of variant type %d, want objects", vt)
		}
	}
	return out, nil
}
