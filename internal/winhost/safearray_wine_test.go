//go:build windows

package winhost

import (
	"context"
	"testing"
	"unsafe"

	ole "github.com/go-ole/go-ole"
)

var (
	procSafeArrayCreateVector = oleaut32.NewProc("SafeArrayCreateVector")
	procSafeArrayPutElement   = oleaut32.NewProc("SafeArrayPutElement")
	procSafeArrayDestroy      = oleaut32.NewProc("SafeArrayDestroy")
)

// TestObjectsOfDispatchArrays: an array of VT_DISPATCH (as some providers hand embedded
// objects over) gives its objects; an array of another type, or holding a null object,
// is an error.
func TestObjectsOfDispatchArrays(t *testing.T) {
	needWine(t)
	err := (&comRunner{}).run(context.Background(), "test", func(c *comSession) error {
		obj, err := c.create("Scripting.Dictionary")
		if err != nil {
			return err
		}
		array := func(vt ole.VT, put func(sa uintptr, i int32)) *ole.VARIANT {
			sa, _, _ := procSafeArrayCreateVector.Call(uintptr(vt), 0, 2)
			if sa == 0 {
				t.Fatal("SafeArrayCreateVector failed")
			}
			t.Cleanup(func() { procSafeArrayDestroy.Call(sa) })
			for i := int32(0); i < 2; i++ {
				put(sa, i)
			}
			v := &ole.VARIANT{VT: ole.VT_ARRAY | vt}
			*(*uintptr)(unsafe.Pointer(&v.Val)) = sa
			return v
		}
		disp := array(ole.VT_DISPATCH, func(sa uintptr, i int32) {
			if hr, _, _ := procSafeArrayPutElement.Call(sa, uintptr(unsafe.Pointer(&i)), uintptr(unsafe.Pointer(obj))); hr != 0 {
				t.Fatalf("SafeArrayPutElement: %#x", hr)
			}
		})
		objs, err := c.objects(disp)
		if err != nil || len(objs) != 2 {
			t.Errorf("VT_DISPATCH array: %d objects, %v", len(objs), err)
		}
		ints := array(ole.VT_I4, func(sa uintptr, i int32) {
			n := i
			procSafeArrayPutElement.Call(sa, uintptr(unsafe.Pointer(&i)), uintptr(unsafe.Pointer(&n)))
		})
		if _, err := c.objects(ints); err == nil {
			t.Error("an array of integers gave objects")
		}
		nulls := array(ole.VT_DISPATCH, func(uintptr, int32) {})
		if _, err := c.objects(nulls); err == nil {
			t.Error("an array of null objects gave objects")
		}
		vars := array(ole.VT_VARIANT, func(sa uintptr, i int32) {
			v := ole.NewVariant(ole.VT_I4, 1)
			procSafeArrayPutElement.Call(sa, uintptr(unsafe.Pointer(&i)), uintptr(unsafe.Pointer(&v)))
		})
		if _, err := c.objects(vars); err == nil {
			t.Error("an array of integer variants gave objects")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
