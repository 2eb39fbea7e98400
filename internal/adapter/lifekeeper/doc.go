// Package lifekeeper writes the action scripts SIOS LifeKeeper runs for one iiskit
// resource: restore, remove, quickCheck, deepCheck and recover, each a few lines that
// run iiskit for the resource's tag and exit with its status (0 = success, LifeKeeper's
// convention).
//
// Two forms are written, the same commands in two shells: Korn shell scripts (.ksh,
// what LifeKeeper for Windows runs for a recovery kit's actions) and POSIX sh scripts for
// the Generic Application kit, which calls its scripts with -t TAG -i ID. Every value is a
// single-quoted shell word, and a resource defined inline gets its own resource file, so
// the site name never appears in a script at all (SPEC S1).
package lifekeeper
