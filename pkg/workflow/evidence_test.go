package workflow_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
	"github.com/bulwark-tm/bulwark/pkg/workflow/workflowtest"
)

// clock is the engine's clock in these tests; the fake sources move it
// on, as reading AWS takes time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fakeSources is a counting workflow.EvidenceSources: each account's
// sources read one evaluation per region of that account, and one about a
// foreign account (as a member that is an administrator would return),
// and fail for the accounts in fail.
type fakeSources struct {
	clock *clock
	took  time.Duration // added to the clock by each Open

	mu     sync.Mutex
	opened []string // "account region"
	fail   map[string]bool
	why    string // the failure's message, when not the AccessDenied of AWS Config
	status string // the evaluations' ComplianceType; default NON_COMPLIANT
}

func (f *fakeSources) Open(_ context.Context, a *accounts.Account, region string) (compliance.FindingsSource, compliance.EvaluationsSource, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened = append(f.opened, a.ID+" "+region)
	f.clock.add(f.took)
	if region == "" {
		region = "us-east-1" // the sources' default region
	}
	status := f.status
	if status == "" {
		status = "NON_COMPLIANT"
	}
	at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	evs := []compliance.Evaluation{
		{ConfigRuleName: "s3-bucket-ssl-requests-only", ResourceType: "AWS::S3::Bucket", ResourceID: "logs-" + a.ID, AccountID: a.ID, Region: region, ComplianceType: status, ResultRecordedTime: at},
		{ConfigRuleName: "s3-bucket-ssl-requests-only", ResourceType: "AWS::S3::Bucket", ResourceID: "not-mine", AccountID: "999999999999", Region: region, ComplianceType: status, ResultRecordedTime: at},
	}
	return nil, fakeEvaluations{evs: evs, err: f.fail[a.ID], why: f.why}, nil
}

func (f *fakeSources) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.opened
	f.opened = nil
	slices.Sort(out)
	return out
}

type fakeEvaluations struct {
	evs []compliance.Evaluation
	err bool
	why string
}

func (f fakeEvaluations) Evaluations(_ context.Context, page func([]compliance.Evaluation) error) error {
	if err := page(f.evs); err != nil {
		return err
	}
	if f.err && f.why != "" {
		return errs.E(errs.Unavailable, "%s", f.why)
	}
	if f.err {
		return errs.E(errs.Forbidden, "AWS Config GetComplianceDetailsByConfigRule: AccessDenied")
	}
	return nil
}

type evidenceEnv struct {
	*workflowtest.Env
	clock *clock
	src   *fakeSources
}

// newEvidenceEnv: the demo organization's accounts (read from files:
// nothing to pull) for "acme", which also registered and verified role
// accounts 666666666666 (two regions) and 777777777777 (the default
// region), and registered 555555555555 without verifying it; "globex"
// registered 444444444444, unverified.
func newEvidenceEnv(t *testing.T) *evidenceEnv {
	t.Helper()
	e := &evidenceEnv{Env: workflowtest.New(t, "acme"), clock: &clock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}}
	e.src = &fakeSources{clock: e.clock, fail: map[string]bool{}}
	e.Registry.Now = e.clock.Now
	e.Engine.Now = e.clock.Now
	e.Engine.Evidence = &workflow.EvidencePull{Sources: e.src}
	for _, r := range []struct {
		tenant, id string
		regions    []string
		verify     bool
	}{
		{"acme", "666666666666", []string{"eu-west-1", "us-east-1"}, true},
		{"acme", "777777777777", nil, true},
		{"acme", "555555555555", nil, false},
		{"globex", "444444444444", nil, false},
	} {
		e.register(t, r.tenant, r.id, r.regions, r.verify)
	}
	return e
}

func (e *evidenceEnv) register(t *testing.T, tenant, id string, regions []string, verify bool) {
	t.Helper()
	ctx := context.Background()
	if err := e.Registry.Register(ctx, tenant, &accounts.Account{ID: id, Name: id, Access: accounts.AccessRole, Regions: regions}); err != nil {
		t.Fatal(err)
	}
	if verify {
		e.verify(t, tenant, id)
	}
}

func (e *evidenceEnv) verify(t *testing.T, tenant, id string) {
	t.Helper()
	if _, err := e.Registry.Verify(context.Background(), tenant, id, accounts.AllowList{tenant: {id}}); err != nil {
		t.Fatal(err)
	}
}

// run runs the scheduled job at the clock's time plus after.
func (e *evidenceEnv) run(t *testing.T, after time.Duration) workflow.EvidenceSummary {
	t.Helper()
	e.clock.add(after)
	res, err := e.Engine.RunScheduled(context.Background(), nil)
	if err != nil {
		t.Fatalf("RunScheduled: %v", err)
	}
	return res.Evidence
}

func (e *evidenceEnv) last(t *testing.T, tenant, id string) *workflow.EvidencePullRecord {
	t.Helper()
	rec, err := e.Engine.LastEvidencePull(context.Background(), tenant, id)
	if err != nil {
		t.Fatalf("last pull of %s for %s: %v", id, tenant, err)
	}
	return rec
}

func (e *evidenceEnv) evidence(t *testing.T, tenant string, ids ...string) []compliance.Evidence {
	t.Helper()
	evs, err := compliance.Repo{Store: e.Store}.ForAccounts(context.Background(), tenant, ids)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestPullEvidenceOnlyDueAccounts(t *testing.T) {
	e := newEvidenceEnv(t)

	// First run: the verified role accounts, in each of their regions.
	sum := e.run(t, 0)
	want := []string{"666666666666 eu-west-1", "666666666666 us-east-1", "777777777777 "}
	if got := e.src.take(); !slices.Equal(got, want) {
		t.Errorf("first run opened %q, want %q (verified role accounts only)", got, want)
	}
	if sum.Due != 2 || sum.Pulled != 2 || sum.Failed != 0 || sum.Deferred != 0 || sum.Stored.Created != 3 {
		t.Errorf("first run %+v, want 2 pulled and 3 observations created", sum)
	}
	rec := e.last(t, "acme", "666666666666")
	if rec.Error != "" || !rec.Succeeded.Equal(e.clock.Now()) || rec.Stored.Created != 2 || rec.Foreign != 2 ||
		!slices.Equal(rec.Regions, []string{"eu-west-1", "us-east-1"}) {
		t.Errorf("record of 666666666666 %+v", rec)
	}
	// Evidence stays in its account and region; the foreign account's is
	// stored for nobody.
	evs := e.evidence(t, "acme", "666666666666", "777777777777")
	var where []string
	for _, ev := range evs {
		where = append(where, ev.AccountID+" "+ev.Region)
	}
	slices.Sort(where)
	if !slices.Equal(where, []string{"666666666666 eu-west-1", "666666666666 us-east-1", "777777777777 us-east-1"}) {
		t.Errorf("evidence stored in %q", where)
	}
	if n := len(e.evidence(t, "acme", "999999999999")); n != 0 {
		t.Errorf("%d observations of an account acme does not own stored for it", n)
	}
	for _, other := range []string{"globex", "local"} {
		if n := len(e.evidence(t, other, "666666666666", "777777777777", "999999999999")); n != 0 {
			t.Errorf("%d observations stored for %s", n, other)
		}
	}
	if _, err := e.Engine.LastEvidencePull(context.Background(), "acme", "555555555555"); !errs.Is(err, errs.NotFound) {
		t.Errorf("the unverified account has a pull record: %v", err)
	}

	// Within the period nothing is due: no AWS call at all.
	if sum := e.run(t, 15*time.Minute); sum.Due != 0 || len(e.src.take()) != 0 {
		t.Errorf("15 minutes later: %+v", sum)
	}

	// A newly verified account is pulled by the next run, alone.
	e.verify(t, "globex", "444444444444")
	sum = e.run(t, 15*time.Minute)
	if got := e.src.take(); !slices.Equal(got, []string{"444444444444 "}) || sum.Pulled != 1 {
		t.Errorf("after globex verified its account: opened %q, %+v", got, sum)
	}
	if n := len(e.evidence(t, "globex", "444444444444")); n != 1 {
		t.Errorf("globex has %d observations of its account, want 1", n)
	}
	// Re-verifying an account pulls it again.
	e.clock.add(time.Minute)
	e.verify(t, "acme", "777777777777")
	if e.run(t, 15*time.Minute); !slices.Equal(e.src.take(), []string{"777777777777 "}) {
		t.Error("a re-verified account was not pulled again")
	}

	// A day after: the daily reconciliation pulls everything again and
	// stores nothing new (the same observations).
	sum = e.run(t, 24*time.Hour)
	if got := e.src.take(); len(got) != 4 || sum.Pulled != 3 || sum.Stored.Created+sum.Stored.Updated != 0 || sum.Stored.Unchanged != 4 {
		t.Errorf("daily pull: opened %q, %+v; want 3 accounts, all unchanged", got, sum)
	}
}

func TestPullEvidenceFailureRetried(t *testing.T) {
	e := newEvidenceEnv(t)
	e.src.fail["777777777777"] = true
	sum := e.run(t, 0)
	e.src.take()
	if sum.Pulled != 2 || sum.Failed != 1 {
		t.Errorf("run %+v, want 2 pulled, 1 failed", sum)
	}
	rec := e.last(t, "acme", "777777777777")
	if !strings.Contains(rec.Error, "AccessDenied") || rec.Failures != 1 || !rec.Succeeded.IsZero() || rec.Stored.Created != 1 {
		t.Errorf("failed pull recorded as %+v; want the error, 1 failure, and what it stored before failing", rec)
	}
	if !rec.Next.Equal(rec.Ended.Add(workflow.EvidenceRetry)) {
		t.Errorf("after a first failure the next pull is %v, want %s after it", rec.Next, workflow.EvidenceRetry)
	}

	// The next run retries the failed account only, and again after a
	// second failure.
	sum = e.run(t, 15*time.Minute)
	if got := e.src.take(); !slices.Equal(got, []string{"777777777777 "}) || sum.Failed != 1 {
		t.Errorf("retry: opened %q, %+v", got, sum)
	}
	if rec := e.last(t, "acme", "777777777777"); rec.Failures != 2 || !rec.Next.Equal(rec.Ended.Add(2*workflow.EvidenceRetry)) {
		t.Errorf("second failure: %+v; want the next pull %s after it", rec, 2*workflow.EvidenceRetry)
	}
	// After two failures in a row it waits twice as long (20 minutes).
	delete(e.src.fail, "777777777777")
	if sum := e.run(t, 15*time.Minute); sum.Due != 0 {
		t.Errorf("retried 15 minutes after a second failure: %+v", sum)
	}
	sum = e.run(t, 15*time.Minute)
	rec = e.last(t, "acme", "777777777777")
	if e.src.take(); sum.Failed != 0 || rec.Error != "" || rec.Failures != 0 || !rec.Succeeded.Equal(e.clock.Now()) {
		t.Errorf("after recovery: %+v, record %+v", sum, rec)
	}
	if !rec.Next.Equal(rec.Succeeded.Add(workflow.DefaultEvidenceEvery)) {
		t.Errorf("after a success the next pull is %v, want a day later", rec.Next)
	}
	if sum := e.run(t, 15*time.Minute); sum.Due != 0 {
		t.Errorf("a recovered account is due again at once: %+v", sum)
	}

	// An account that keeps failing is tried less and less often, at
	// least daily; verifying it again pulls it at the next run.
	e.src.fail["777777777777"] = true
	e.verify(t, "acme", "777777777777") // due at once
	var pulls []int
	for run := 1; run <= 4*24*3; run++ { // three days of runs every 15 minutes
		e.run(t, 15*time.Minute)
		if slices.Contains(e.src.take(), "777777777777 ") {
			pulls = append(pulls, run)
		}
	}
	// Waits of 10, 20, 40, ... minutes, then a day.
	if want := []int{1, 2, 4, 7, 13, 24, 46, 89, 175, 271}; !slices.Equal(pulls, want) {
		t.Errorf("a failing account was pulled at runs %v, want %v: the next run, then less and less often, then daily", pulls, want)
	}
	e.verify(t, "acme", "777777777777")
	if sum := e.run(t, 15*time.Minute); sum.Pulled != 1 {
		t.Errorf("a re-verified failing account was not pulled: %+v", sum)
	}
}

func TestPullEvidenceBudget(t *testing.T) {
	e := newEvidenceEnv(t)
	e.verify(t, "globex", "444444444444")
	e.verify(t, "acme", "555555555555")
	// Each Open takes 3 minutes; the budget is 10: acme's 666666666666
	// (two regions: 6 minutes), 777777777777 (9) and 555555555555 start
	// within it, then it is spent before globex's 444444444444 starts.
	e.src.took = 3 * time.Minute
	e.Engine.Evidence.Budget = 10 * time.Minute
	sum := e.run(t, 0)
	if got := e.src.take(); len(got) != 4 || sum.Due != 4 || sum.Pulled != 3 || sum.Deferred != 1 {
		t.Errorf("run with a budget: opened %q, %+v; want 3 pulled, 1 deferred", got, sum)
	}
	// The deferred account waits longest: the next run pulls it first.
	sum = e.run(t, 15*time.Minute)
	if got := e.src.take(); !slices.Equal(got, []string{"444444444444 "}) || sum.Pulled != 1 || sum.Deferred != 0 {
		t.Errorf("next run: opened %q, %+v", got, sum)
	}

	// The wall clock bounds a pull that is running: a source that blocks
	// is cut short when the budget ends, recorded as failed and retried.
	e.src.took = 0
	e.Engine.Evidence.Budget = 50 * time.Millisecond
	e.Engine.Evidence.Sources = blockingSources{}
	start := time.Now()
	sum = e.run(t, 48*time.Hour)
	if time.Since(start) > 5*time.Second || sum.Failed == 0 || sum.Pulled != 1 || sum.Deferred != sum.Due-1 {
		t.Errorf("blocking source: %+v after %v", sum, time.Since(start))
	}

	// The Lambda's deadline bounds the budget too, leaving two minutes to
	// record, pull Jira and return.
	e.Engine.Evidence.Budget = 0 // the default, 4 minutes
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute+100*time.Millisecond)
	defer cancel()
	e.clock.add(48 * time.Hour)
	start = time.Now()
	sum, err := e.Engine.PullEvidence(ctx)
	if err != nil || time.Since(start) > 5*time.Second || sum.Pulled != 1 || sum.Failed != 1 {
		t.Errorf("under a deadline: %+v, %v after %v", sum, err, time.Since(start))
	}
	cut := 0
	for _, a := range []struct{ tenant, id string }{{"acme", "666666666666"}, {"acme", "777777777777"}, {"acme", "555555555555"}, {"globex", "444444444444"}} {
		if rec := e.last(t, a.tenant, a.id); rec.Ended.Equal(e.clock.Now()) {
			cut++
			if !strings.Contains(rec.Error, "time budget") || rec.Failures == 0 {
				t.Errorf("a pull cut short is recorded as %+v", rec)
			}
		}
	}
	if cut != 1 {
		t.Errorf("%d pulls recorded by the run under a deadline, want 1", cut)
	}
}

// blockingSources read evaluations until the context ends.
type blockingSources struct{}

func (blockingSources) Open(context.Context, *accounts.Account, string) (compliance.FindingsSource, compliance.EvaluationsSource, error) {
	return nil, blockingEvaluations{}, nil
}

type blockingEvaluations struct{}

func (blockingEvaluations) Evaluations(ctx context.Context, _ func([]compliance.Evaluation) error) error {
	<-ctx.Done()
	return errs.E(errs.Unavailable, "AWS Config: %w", ctx.Err())
}

// TestPullEvidenceOff: without e.Evidence the scheduled run pulls nothing.
func TestPullEvidenceOff(t *testing.T) {
	e := newEvidenceEnv(t)
	e.Engine.Evidence = nil
	if sum := e.run(t, 0); sum != (workflow.EvidenceSummary{}) || len(e.src.take()) != 0 {
		t.Errorf("evidence pulled with the pull off: %+v", sum)
	}
}

// TestPullEvidenceErrorClipped: a long error (AWS messages may hold any
// text) is kept cut to the record's bound on a character boundary, so the
// record and the API answer stay valid UTF-8.
func TestPullEvidenceErrorClipped(t *testing.T) {
	e := newEvidenceEnv(t)
	e.src.fail["777777777777"] = true
	e.src.why = "x" + strings.Repeat("é", 5000) // a byte cut would split an é
	e.run(t, 0)
	rec := e.last(t, "acme", "777777777777")
	if !utf8.ValidString(rec.Error) || !strings.HasSuffix(rec.Error, "…") || utf8.RuneCountInString(rec.Error) != 2000 {
		t.Errorf("long error kept as %d bytes, valid UTF-8 %v, ending %q; want 2,000 characters ending with …",
			len(rec.Error), utf8.ValidString(rec.Error), rec.Error[max(len(rec.Error)-8, 0):])
	}
}
