// Package probe makes one network check of one binding and reports what it saw, as a
// pollsite result code (SPEC D4.6). It never retries, sleeps between attempts or emits
// events; every stage runs under a deadline, so a silent server gives a code, not a hang.
package probe
