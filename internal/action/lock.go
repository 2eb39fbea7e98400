package action

import (
	"context"

	"github.com/iiskit/iiskit/internal/event"
)

// Locker keeps two actions on one tag from running at once, across processes (SPEC S4);
// package lock's Locker implements it. Every action takes the lock first, so every
// caller of the action functions (the command line, the cluster adapters, the watch
// daemon) gets S4 by setting Env.Locker.
type Locker interface {
	// TryLock takes tag's lock if it is free; ok is false when another action holds it.
	TryLock(tag string) (release func(), ok bool, err error)
	// Lock takes tag's lock, waiting until ctx ends.
	Lock(ctx context.Context, tag string) (release func(), err error)
}

// hold takes the resource's lock for the whole action. When another action holds it,
// hold says so with 9804 and waits for it up to the action's deadline. ok is false when
// the lock could not be had: a lock that cannot be taken at all (an unsafe or unusable
// lock folder) is event 9805 [ext]; a lock still busy at the deadline was announced by
// 9804 already. Either way the outcome names the cause; the action must end then.
func (r *run) hold() (release func(), ok bool) {
	if r.env.Locker == nil {
		return func() {}, true
	}
	release, free, err := r.env.Locker.TryLock(r.res.Tag)
	if err != nil {
		r.log.Info("could not take the resource's lock", "err", err)
		o := Outcome{Cause: CauseLockUnusable, Step: "S4", Err: err}
		r.decide(event.LockUnusable, func(f *event.Fields) { f.Reason = err.Error() }, o)
		return nil, false
	}
	if free {
		return release, true
	}
	r.emit(event.ResourceBusy, nil)
	release, err = r.env.Locker.Lock(r.ctx, r.res.Tag)
	if err != nil {
		r.log.Info("gave up waiting for the resource's lock", "err", err)
		c := CauseLockBusy
		if r.ctx.Err() == nil {
			c = CauseLockUnusable // the wait did not end at the deadline: the lock itself failed
		}
		r.failWithout(Outcome{Cause: c, Step: "S4", Err: err})
		return nil, false
	}
	return release, true
}

// busy ends an action that could not take its lock: restore closes with 9408 as every
// failed restore does (R8); the other actions end without a further event, as their
// failures do when no step has a message for them.
func (r *run) busy() Outcome {
	if r.action == NameRestore {
		r.decide(event.RestoreFailed, nil, Outcome{})
	}
	return r.outcome(false)
}
