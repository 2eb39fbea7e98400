package resource

import "fmt"

func fmtV(v any) string     { return fmt.Sprintf("%v %s", v, v) }
func fmtPlusV(v any) string { return fmt.Sprintf("%+v", v) }
func fmtGoV(v any) string   { return fmt.Sprintf("%#v", v) }
