package watch

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestHungSiteDelaysNobody: a check that does not return (a site that accepts and never
// answers, until its deadline) keeps only its own resource waiting; the others are
// checked tick after tick, and the hung one is not started twice.
func TestHungSiteDelaysNobody(t *testing.T) {
	release := make(chan struct{})
	hung := make(chan struct{}, 1)
	fine := make(chan string, 10)
	sc := &script{}
	checks := sc.checks(action.Success)
	checks.Deep = func(ctx context.Context, env action.Env, r resource.Resource) action.Outcome {
		if r.Tag == "hung" {
			hung <- struct{}{}
			<-release
			return action.Outcome{Status: action.Success}
		}
		fine <- "deep"
		return action.Outcome{Status: action.Success}
	}
	checks.Quick = func(ctx context.Context, env action.Env, r resource.Resource) action.Outcome {
		fine <- r.Tag + " quick"
		return action.Outcome{Status: action.Success}
	}
	s := testWatch
	s.QuickInterval = 2 * time.Second
	h := newHarness(t, checks, file("w.toml", s, "hung", "fine"))
	h.clock.After(0)
	h.d.Tick(h.clock.Now()) // hung's first check starts and hangs
	<-hung
	// fine starts 1 s later (two starts spread over 2 s), then every 2 s; hung is due at
	// 2 s and 4 s but still running, so it is not started again.
	want := map[int]string{1: "deep", 3: "fine quick", 5: "fine quick"}
	for sec := 1; sec <= 5; sec++ {
		h.clock.After(time.Second)
		h.d.Tick(h.clock.Now())
		if w, ok := want[sec]; ok {
			select {
			case got := <-fine:
				if got != w {
					t.Errorf("t=%ds ran %q, want %q", sec, got, w)
				}
				h.waitIdle("fine")
			case <-time.After(10 * time.Second):
				t.Fatalf("t=%ds: fine was not checked while hung hangs", sec)
			}
		}
	}
	close(release)
	h.d.Wait()
	if len(fine) != 0 {
		t.Errorf("unexpected checks: %q", <-fine)
	}
	h.tick(time.Second) // t=6: hung is due again (fine next at 7 s)
	close(fine)
	var got []string
	for c := range fine {
		got = append(got, c)
	}
	slices.Sort(got)
	if want := []string{"hung quick"}; !slices.Equal(got, want) {
		t.Errorf("after the hung check ended: ran %v, want %v", got, want)
	}
}

// waitIdle returns once tag's check has wholly finished (its result recorded), so that
// the next tick finds it free; the hung resource keeps the daemon from a plain Wait.
func (h *harness) waitIdle(tag string) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		h.d.mu.Lock()
		busy := h.d.workers[tag].busy
		h.d.mu.Unlock()
		if !busy {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s still busy after 10 s", tag)
		}
		runtime.Gosched()
	}
}

// certProbe answers every HTTP probe with a certificate expiring at notAfter.
type certProbe struct{ notAfter time.Time }

func (p certProbe) HTTP(context.Context, probe.HTTPTarget) probe.Result {
	return probe.Result{Code: probe.OK, CertNotAfter: p.notAfter}
}
func (certProbe) FTPLogin(context.Context, probe.FTPTarget) probe.Result { return probe.Result{} }
func (certProbe) SMTP(context.Context, probe.SMTPTarget) probe.Result    { return probe.Result{} }

// TestCertificateExpiryMetric: the expiry a deepcheck's HTTPS probe saw becomes the
// resource's cert_not_after_timestamp_seconds, labelled with the probed binding.
func TestCertificateExpiryMetric(t *testing.T) {
	notAfter := epoch.Add(30 * 24 * time.Hour)
	sc := &script{}
	checks := sc.checks(action.Success)
	checks.Deep = func(ctx context.Context, env action.Env, r resource.Resource) action.Outcome {
		env.Probe.HTTP(ctx, probe.HTTPTarget{Addr: "127.0.0.9:443", TLS: true})
		return action.Outcome{Status: action.Success}
	}
	h := newHarness(t, checks, file("w.toml", testWatch, "tls"))
	h.d.env.Probe = certProbe{notAfter}
	h.tick(0)
	if got := h.series("iiskit_watch_cert_not_after_timestamp_seconds", "tag", "tls", "binding", "127.0.0.9:443"); got != float64(notAfter.Unix()) {
		t.Errorf("cert_not_after_timestamp_seconds = %v, want %d", got, notAfter.Unix())
	}
}
