package compliance

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

type testFindings struct {
	fs  []Finding
	err error
}

func (s testFindings) Findings(_ context.Context, page func([]Finding) error) error {
	if s.err != nil {
		return s.err
	}
	return page(s.fs)
}

type testEvaluations []Evaluation

func (s testEvaluations) Evaluations(_ context.Context, page func([]Evaluation) error) error {
	return page(s)
}

// TestPullAccount: only the pulled account's evidence is stored; the
// evaluations are read although the findings failed; pulling again stores
// nothing new.
func TestPullAccount(t *testing.T) {
	ctx := context.Background()
	repo := Repo{Store: newMemStore()}
	at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	eval := func(account, region, id string) Evaluation {
		return Evaluation{ConfigRuleName: "s3-bucket-ssl-requests-only", ResourceType: "AWS::S3::Bucket", ResourceID: id,
			AccountID: account, Region: region, ComplianceType: "NON_COMPLIANT", ResultRecordedTime: at}
	}
	evals := testEvaluations{eval("111111111111", "eu-west-1", "a"), eval("222222222222", "eu-west-1", "b"), eval("111111111111", "us-east-1", "c")}
	denied := testFindings{err: errs.E(errs.Forbidden, "Security Hub GetFindings: not subscribed")}

	got, err := PullAccount(ctx, repo, "acme", "111111111111", nil, denied, evals)
	if !errs.Is(err, errs.Forbidden) || !strings.Contains(err.Error(), "pull Security Hub findings") {
		t.Errorf("error %v, want the findings' Forbidden", err)
	}
	if got.Created != 2 || got.Foreign != 1 {
		t.Errorf("pull %+v, want 2 created and 1 foreign", got)
	}
	again, err := PullAccount(ctx, repo, "acme", "111111111111", nil, nil, evals)
	if err != nil || again.Unchanged != 2 || again.Created+again.Updated != 0 {
		t.Errorf("second pull %+v, %v", again, err)
	}
	if evs, _ := repo.ForAccounts(ctx, "acme", []string{"222222222222"}); len(evs) != 0 {
		t.Errorf("evidence of an account the pull was not for: %+v", evs)
	}
	evs, _ := repo.ForAccounts(ctx, "acme", []string{"111111111111"})
	regions := map[string]string{}
	for _, e := range evs {
		regions[e.ResourceID] = e.Region
	}
	if len(evs) != 2 || regions["a"] != "eu-west-1" || regions["c"] != "us-east-1" {
		t.Errorf("stored %+v", evs)
	}
	if _, err := PullAccount(ctx, repo, "acme", "", nil, nil, evals); !errs.Is(err, errs.Invalid) {
		t.Errorf("no account: %v", err)
	}
}
