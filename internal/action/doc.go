// Package action implements quickcheck, deepcheck, restore, remove, recover and pollsite
// exactly as numbered in SPEC.md (Q1.., D1.., R1..R8, M1..M6, C1..C4). It is the only
// package that knows the SPEC's steps and event IDs; it owns every retry and wait, bounded
// by the action's deadline and driven by an injected clock.
package action
