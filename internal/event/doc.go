// Package event holds iiskit's numbered event catalogue (SPEC §3) and the sinks that
// record events: readable lines, JSON lines, and on Windows the Application event log.
package event
