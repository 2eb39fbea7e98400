// Package ocf is iiskit as an OCF resource agent (ocf:iiskit:iis), for Pacemaker and any
// other OCF cluster manager. It is a thin layer over the actions: it turns the OCF
// environment (OCF_RESKEY_* parameters, OCF_CHECK_LEVEL, OCF_RESKEY_CRM_meta_timeout) into
// a request that package invocation resolves once (the same resolution as the command
// line's), and the action's outcome (its exit status and cause) into an OCF exit code and
// one ocf-exit-reason line. It decides nothing the SPEC decides and reads no event
// numbers; package invocation runs the action (Main is the `iiskit ocf` command).
package ocf
