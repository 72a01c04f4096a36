package api

import (
	"net/http"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// Accelerator is what the Accelerator routes need; the composition root
// builds it. Without it (Deps.Accelerator nil) those routes answer 503.
type Accelerator struct {
	Engine  *workflow.Engine
	Starter workflow.Starter
	// Org reads the AWS Organizations tree; nil shows the registered
	// accounts under one root.
	Org accounts.OrgReader
	// PlatformAccountID and EventBus fill the member stack's deploy
	// command.
	PlatformAccountID string
	EventBus          string
	// PlatformRegion is the platform's region, where member accounts in
	// other regions forward their events; empty leaves the member stack's
	// default (its own region).
	PlatformRegion string
	// Verifier proves access to a registered account (POST
	// .../accounts/{accountId}/verify): the member role with the
	// account's ExternalId, or the aggregator allow list. Nil: accounts
	// cannot be verified on this server (files mode, whose accounts need
	// none).
	Verifier accounts.Verifier
}

var acceleratorRoutes = []route{
	{"GET", "/api/v1/accelerator/summary", auth.RoleViewer, (*server).acceleratorSummary},
	{"GET", "/api/v1/accelerator/organization", auth.RoleViewer, (*server).acceleratorOrganization},
	{"GET", "/api/v1/accelerator/accounts", auth.RoleViewer, (*server).listAccounts},
	{"POST", "/api/v1/accelerator/accounts", auth.RoleAdmin, (*server).registerAccount},
	{"GET", "/api/v1/accelerator/accounts/{accountId}", auth.RoleViewer, (*server).getAccount},
	{"DELETE", "/api/v1/accelerator/accounts/{accountId}", auth.RoleAdmin, (*server).deleteAccount},
	{"POST", "/api/v1/accelerator/accounts/{accountId}/verify", auth.RoleAdmin, (*server).verifyAccount},
	{"GET", "/api/v1/accelerator/accounts/{accountId}/vpcs", auth.RoleViewer, (*server).listVPCs},
	{"POST", "/api/v1/accelerator/builds", auth.RoleEditor, (*server).startBuild},
	{"GET", "/api/v1/accelerator/runs/{id}", auth.RoleViewer, (*server).getRun},
	{"GET", "/api/v1/accelerator/models/{id}/drift", auth.RoleViewer, (*server).getDrift},
	{"POST", "/api/v1/accelerator/models/{id}/check", auth.RoleEditor, (*server).checkDrift},
	{"POST", "/api/v1/accelerator/models/{id}/sync", auth.RoleEditor, (*server).syncModel},
	{"POST", "/api/v1/accelerator/events", auth.RoleEditor, (*server).configEvent},
}

func (s *server) accel() (*Accelerator, error) {
	if s.Accelerator == nil || s.Accelerator.Engine == nil {
		return nil, errs.E(errs.Unavailable, "the AWS Accelerator is not configured on this server")
	}
	return s.Accelerator, nil
}

// accountView is an account as the API shows it: with the deploy command
// of its member stack and where it stands (Status).
type accountView struct {
	*accounts.Account
	DeployCommand string `json:"deployCommand,omitempty"`
	// Status is "verified" (usable), "failed" (the last verification
	// failed) or "pending" (registered, not verified yet).
	Status string `json:"status"`
	// EvidencePull is the scheduled run's last pull of the account's
	// findings and rule evaluations (aws mode), read from the store:
	// showing it never calls AWS.
	EvidencePull *workflow.EvidencePullRecord `json:"evidencePull,omitempty"`
}

// viewWithPull is view with the account's last evidence pull, when the
// schedule recorded one.
func (s *server) viewWithPull(r *http.Request, a *Accelerator, acct *accounts.Account) (accountView, error) {
	v := s.view(a, acct)
	p, err := a.Engine.LastEvidencePull(r.Context(), principal(r).Tenant, acct.ID)
	switch {
	case err == nil:
		v.EvidencePull = p
	case !errs.Is(err, errs.NotFound):
		return v, err
	}
	return v, nil
}

func (s *server) view(a *Accelerator, acct *accounts.Account) accountView {
	v := accountView{Account: acct, Status: "pending"}
	if acct.Access == accounts.AccessRole {
		v.DeployCommand = accounts.DeployCommand(a.PlatformAccountID, acct.ExternalID, a.EventBus, a.PlatformRegion)
	}
	switch {
	case acct.Access == accounts.AccessFiles || acct.Verified:
		v.Status = "verified"
	case acct.VerifyError != "":
		v.Status = "failed"
	}
	return v
}

func (s *server) listAccounts(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	list, err := a.Engine.Accounts.List(r.Context(), principal(r).Tenant)
	if err != nil {
		return err
	}
	out := make([]accountView, len(list))
	for i, acct := range list {
		if out[i], err = s.viewWithPull(r, a, acct); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": out})
	return nil
}

// registration is the body of POST /accelerator/accounts: the account id
// and, optionally, a name and regions. The role is the member stack's
// (accounts.RoleARNFor) and the ExternalId Bulwark's: neither is asked for.
type registration struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Regions []string `json:"regions"`
}

func (s *server) registerAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	var reg registration
	if err := decodeSmallBody(w, r, &reg); err != nil {
		return err
	}
	if reg.Name == "" {
		reg.Name = "Account " + reg.ID
	}
	acct := &accounts.Account{ID: reg.ID, Name: reg.Name, Regions: reg.Regions, Access: accounts.AccessRole}
	if err := a.Engine.Accounts.Register(r.Context(), principal(r).Tenant, acct); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/accelerator/accounts/"+acct.ID)
	w.Header().Set("ETag", etag(acct.Revision))
	writeJSON(w, http.StatusCreated, s.view(a, acct))
	return nil
}

func (s *server) getAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	acct, err := a.Engine.Accounts.Get(r.Context(), principal(r).Tenant, r.PathValue("accountId"))
	if err != nil {
		return err
	}
	v, err := s.viewWithPull(r, a, acct)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(acct.Revision))
	writeJSON(w, http.StatusOK, v)
	return nil
}

// verifyAccount tries the account's access once (the member role with its
// ExternalId, or the allow list) and answers the account as it stands
// after: verified, or with the reason in verifyError (an AssumeRole that
// was refused, a dependency that failed). A verified account's VPCs are
// listed here, so that the dashboard's reads find them stored.
func (s *server) verifyAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	acct, err := a.Engine.VerifyAccount(r.Context(), principal(r).Tenant, r.PathValue("accountId"), a.Verifier)
	if acct == nil {
		return err
	}
	if err != nil {
		s.Logger.InfoContext(r.Context(), "accelerator: account not verified", "account", acct.ID, "error", err)
	}
	v, err := s.viewWithPull(r, a, acct)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(acct.Revision))
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *server) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	if err := a.Engine.Accounts.Delete(r.Context(), principal(r).Tenant, r.PathValue("accountId"), expected); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// orgView is the organization tree with the accounts the tenant
// registered.
type orgView struct {
	Root       *accounts.OrgNode `json:"root"`
	Registered []string          `json:"registered"`
	// Source is "organizations" when read from AWS Organizations (or the
	// demo data), "registered" when built from the registered accounts.
	Source string `json:"source"`
}

func (s *server) acceleratorOrganization(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	list, err := a.Engine.Accounts.List(r.Context(), principal(r).Tenant)
	if err != nil {
		return err
	}
	v := orgView{Registered: []string{}, Source: "organizations"}
	usable := map[string]bool{}
	for _, acct := range list {
		v.Registered = append(v.Registered, acct.ID)
		if _, err := a.Engine.Accounts.Usable(r.Context(), principal(r).Tenant, acct.ID); err == nil {
			usable[acct.ID] = true
		}
	}
	if a.Org != nil {
		root, err := a.Org.Organization(r.Context())
		if err != nil {
			return err
		}
		// The platform's organization holds other tenants' accounts: show
		// the path to this tenant's usable accounts only.
		v.Root = prune(root, usable)
		if v.Root == nil {
			v.Root = &accounts.OrgNode{ID: root.ID, Name: root.Name, Type: root.Type}
		}
	} else {
		v.Source = "registered"
		v.Root = &accounts.OrgNode{ID: "registered", Name: "Registered accounts", Type: accounts.NodeRoot}
		for _, acct := range list {
			v.Root.Children = append(v.Root.Children, &accounts.OrgNode{ID: acct.ID, Name: acct.Name, Type: accounts.NodeAccount})
		}
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// prune returns a copy of n holding only the accounts in keep and the
// organizational units above them; nil when none is below n.
func prune(n *accounts.OrgNode, keep map[string]bool) *accounts.OrgNode {
	if n.Type == accounts.NodeAccount {
		if !keep[n.ID] {
			return nil
		}
		c := *n
		return &c
	}
	c := *n
	c.Children = nil
	for _, ch := range n.Children {
		if p := prune(ch, keep); p != nil {
			c.Children = append(c.Children, p)
		}
	}
	if len(c.Children) == 0 && n.Type != accounts.NodeRoot {
		return nil
	}
	return &c
}

// vpcRow is one row of an account's VPC table.
type vpcRow = workflow.VPCRow

func (s *server) listVPCs(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	acct, err := a.Engine.Accounts.Usable(r.Context(), principal(r).Tenant, r.PathValue("accountId"))
	if err != nil {
		return err
	}
	table, err := a.Engine.VPCRows(r.Context(), principal(r).Tenant, acct)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, table)
	return nil
}

// dashboardSummary is the Accelerator dashboard's counters.
type dashboardSummary = workflow.Summary

func (s *server) acceleratorSummary(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	sum, err := a.Engine.Summarize(r.Context(), principal(r).Tenant)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

func (s *server) startBuild(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	var req workflow.Request
	if err := decodeSmallBody(w, r, &req); err != nil {
		return err
	}
	p := principal(r)
	req.Owner = p.User
	if req.ModelID != "" {
		// Rebuilding an existing model needs it to be an Accelerator
		// model of the same VPC; persist checks that too.
		if _, err := a.Engine.Link(r.Context(), p.Tenant, req.ModelID); err != nil {
			if errs.Is(err, errs.NotFound) {
				return errs.Field("/modelId", "model %s was not built by the Accelerator", req.ModelID)
			}
			return err
		}
	}
	run, st, err := a.Engine.NewRun(r.Context(), p.Tenant, req)
	if err != nil {
		return err
	}
	return s.startRun(w, r, a, run, st)
}

func (s *server) getRun(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	run, err := a.Engine.Run(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	if run.Status == workflow.StatusPending || run.Status == workflow.StatusRunning {
		w.Header().Set("Retry-After", "1")
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, run)
	return nil
}

func (s *server) getDrift(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	l, cs, err := a.Engine.DriftLog(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	v := *l
	v.Contradictions = nil // the stored log; the answer lists its items
	writeJSON(w, http.StatusOK, driftLog{Link: &v, Contradictions: cs})
	return nil
}

// driftLog is a model's VPC link with what current evidence says against
// the model: drift between the model and the VPC's configuration, and
// properties Security Hub or AWS Config findings contradict.
type driftLog struct {
	*workflow.Link
	Contradictions []compliance.Contradiction `json:"contradictions"`
}

// checkDrift starts a drift check and answers 202 with its run, which the
// client polls (GET /accelerator/runs/{id}). It reads only the store: the
// check collects the VPC's inventory outside the request, like a build,
// since an account's inventory may take longer than API Gateway's 29 s.
func (s *server) checkDrift(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	run, st, err := a.Engine.NewCheck(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.startRun(w, r, a, run, st)
}

// syncModel starts a sync of the model as it is at the If-Match revision
// and answers 202 with its run, like checkDrift.
func (s *server) syncModel(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	run, st, err := a.Engine.NewSync(r.Context(), principal(r).Tenant, r.PathValue("id"), expected)
	if err != nil {
		return err
	}
	return s.startRun(w, r, a, run, st)
}

// startRun starts a stored run and answers 202 with it.
func (s *server) startRun(w http.ResponseWriter, r *http.Request, a *Accelerator, run *workflow.Run, st workflow.State) error {
	if err := a.Starter.Start(r.Context(), st); err != nil {
		_ = a.Engine.Fail(r.Context(), st.Tenant, run.ID, err.Error())
		return err
	}
	w.Header().Set("Location", "/api/v1/accelerator/runs/"+run.ID)
	writeJSON(w, http.StatusAccepted, run)
	return nil
}

func (s *server) configEvent(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accel()
	if err != nil {
		return err
	}
	body, err := readBody(w, r, workflow.MaxEventSize)
	if err != nil {
		return err
	}
	res, err := a.Engine.ReceiveEvent(r.Context(), body, principal(r).Tenant)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
