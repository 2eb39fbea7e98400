package event

import (
	"strings"
	"testing"
)

// TestTextSinkNamesTheCause: the readable line of the event that decided a failed action
// keeps the original's text and ends with the cause, so a reader learns which binding or
// host failed without --verbose; every other event is the text alone.
func TestTextSinkNamesTheCause(t *testing.T) {
	var b strings.Builder
	sink := NewTextSink(&b)
	e := Event{ID: PollHTTPNoAnswer, Severity: Error, Message: "The W3 site failed to respond to the http request.",
		Cause: "the HTTP request of binding 127.0.0.1:8080: failed"}
	plain := Event{ID: DeepNoIPAddress, Severity: Warning, Message: "Checking ..."}
	if err := sink.Emit(e); err != nil {
		t.Fatal(err)
	}
	if err := sink.Emit(plain); err != nil {
		t.Fatal(err)
	}
	want := "Error 9759: The W3 site failed to respond to the http request. [cause: the HTTP request of binding 127.0.0.1:8080: failed]\n" +
		"Warning 9773: Checking ...\n"
	if b.String() != want {
		t.Errorf("text sink wrote\n%q\nwant\n%q", b.String(), want)
	}
}
