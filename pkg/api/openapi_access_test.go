package api

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/jira/gojira"
	"github.com/bulwark-tm/bulwark/pkg/jira/jiratest"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
	"github.com/bulwark-tm/bulwark/pkg/workflow/workflowtest"
)

// access is what a route of the OpenAPI document must allow: its least
// role and what its path names.
type access struct {
	role auth.Role // RoleNone: no authentication (public)
	// scope says what a path parameter names: "model" and "template" are
	// tenant A's model and template, "jira-instance" its Jira instance,
	// "account" its verified Accelerator account, "run" its finished
	// build run and "built-model" the model that run built; "tenant" a route on the caller's own data, "global"
	// shared data (the knowledge base), "feature" a resource of a feature
	// the test server runs without (the user directory, which needs
	// Cognito: 503 past the role check).
	scope string
}

// accessByOperation is the reviewed expectation for every operation of
// the OpenAPI document. TestAccessGeneratedFromOpenAPI fails for an
// operation missing here, so a new route cannot ship without its role and
// tenancy being tested.
var accessByOperation = map[string]access{
	// core
	"health":     {auth.RoleNone, "global"},
	"openapi":    {auth.RoleNone, "global"},
	"getSession": {auth.RoleViewer, "tenant"},
	"getCatalog": {auth.RoleViewer, "global"},
	// models
	"listModels":  {auth.RoleViewer, "tenant"},
	"createModel": {auth.RoleEditor, "tenant"},
	"getModel":    {auth.RoleViewer, "model"},
	"patchModel":  {auth.RoleEditor, "model"},
	"deleteModel": {auth.RoleEditor, "model"},
	"getDiagram":  {auth.RoleViewer, "model"},
	"putDiagram":  {auth.RoleEditor, "model"},
	// history
	"listVersions":   {auth.RoleViewer, "model"},
	"getVersion":     {auth.RoleViewer, "model"},
	"patchVersion":   {auth.RoleEditor, "model"},
	"restoreVersion": {auth.RoleEditor, "model"},
	"reviewVersion":  {auth.RoleViewer, "model"},
	"getDiff":        {auth.RoleViewer, "model"},
	"postDiff":       {auth.RoleEditor, "model"},
	// analysis
	"listTasks":        {auth.RoleViewer, "model"},
	"applyTask":        {auth.RoleEditor, "model"},
	"listThreats":      {auth.RoleViewer, "model"},
	"listRequirements": {auth.RoleViewer, "model"},
	"patchStates":      {auth.RoleEditor, "model"},
	"getRule":          {auth.RoleViewer, "global"},
	// templates
	"listTemplates":     {auth.RoleViewer, "tenant"},
	"createTemplate":    {auth.RoleAdmin, "tenant"},
	"getTemplate":       {auth.RoleViewer, "template"},
	"putTemplate":       {auth.RoleAdmin, "template"},
	"deleteTemplate":    {auth.RoleAdmin, "template"},
	"approveTemplate":   {auth.RoleAdmin, "template"},
	"duplicateTemplate": {auth.RoleAdmin, "template"},
	"templateVersions":  {auth.RoleViewer, "template"},
	"modelFromTemplate": {auth.RoleEditor, "template"},
	"saveAsTemplate":    {auth.RoleAdmin, "model"},
	// interop
	"interopFormats": {auth.RoleViewer, "global"},
	"importPreview":  {auth.RoleEditor, "tenant"},
	"exportModel":    {auth.RoleViewer, "model"},
	// evidence
	"modelEvidence":      {auth.RoleViewer, "model"},
	"importEvidence":     {auth.RoleEditor, "tenant"},
	"applyContradiction": {auth.RoleEditor, "model"},
	// reports
	"listReports": {auth.RoleViewer, "global"},
	"getReport":   {auth.RoleViewer, "model"},
	// jira
	"listJiraInstances":  {auth.RoleEditor, "tenant"},
	"createJiraInstance": {auth.RoleAdmin, "tenant"},
	"getJiraInstance":    {auth.RoleEditor, "jira-instance"},
	"patchJiraInstance":  {auth.RoleAdmin, "jira-instance"},
	"deleteJiraInstance": {auth.RoleAdmin, "jira-instance"},
	"testJiraInstance":   {auth.RoleAdmin, "jira-instance"},
	"pullJiraInstance":   {auth.RoleAdmin, "jira-instance"},
	"listJiraIssueTypes": {auth.RoleEditor, "jira-instance"},
	"getJiraLink":        {auth.RoleViewer, "model"},
	"putJiraLink":        {auth.RoleEditor, "model"},
	"draftJiraIssues":    {auth.RoleEditor, "model"},
	"createJiraIssues":   {auth.RoleEditor, "model"},
	"jiraWebhook":        {auth.RoleNone, "jira-instance"},
	// accelerator
	"acceleratorSummary":      {auth.RoleViewer, "tenant"},
	"acceleratorOrganization": {auth.RoleViewer, "tenant"},
	"listAccounts":            {auth.RoleViewer, "tenant"},
	"registerAccount":         {auth.RoleAdmin, "tenant"},
	"getAccount":              {auth.RoleViewer, "account"},
	"deleteAccount":           {auth.RoleAdmin, "account"},
	"verifyAccount":           {auth.RoleAdmin, "account"},
	"listAccountVpcs":         {auth.RoleViewer, "account"},
	"startBuild":              {auth.RoleEditor, "tenant"},
	"getRun":                  {auth.RoleViewer, "run"},
	"getDrift":                {auth.RoleViewer, "built-model"},
	"checkDrift":              {auth.RoleEditor, "built-model"},
	"syncModel":               {auth.RoleEditor, "built-model"},
	"configEvent":             {auth.RoleEditor, "tenant"},
	// users: the user directory is Cognito's, which a laptop has not,
	// so these stay 503 past the role check.
	"listUsers":   {auth.RoleAdmin, "feature"},
	"inviteUser":  {auth.RoleAdmin, "feature"},
	"setUserRole": {auth.RoleAdmin, "feature"},
	"removeUser":  {auth.RoleAdmin, "feature"},
}

// operation is one method on one path of the OpenAPI document.
type operation struct {
	method, path, id string
	body             bool
}

func openAPIOperations(t *testing.T) []operation {
	t.Helper()
	spec, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	var ops []operation
	for path, methods := range doc.Paths {
		for method, raw := range methods {
			if method == "parameters" {
				continue
			}
			var op struct {
				OperationID string          `json:"operationId"`
				RequestBody json.RawMessage `json:"requestBody"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			ops = append(ops, operation{strings.ToUpper(method), path, op.OperationID, op.RequestBody != nil})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	return ops
}

// TestAccessExpectationsCoverTheDocument: every operation has an
// expectation, every expectation an operation, and the router enforces
// the role the expectation names.
func TestAccessExpectationsCoverTheDocument(t *testing.T) {
	seen := map[string]bool{}
	for _, op := range openAPIOperations(t) {
		seen[op.id] = true
		want, ok := accessByOperation[op.id]
		if !ok {
			t.Errorf("%s %s (%s) has no entry in accessByOperation: add its least role and scope so that its access is tested", op.method, op.path, op.id)
			continue
		}
		i := slices.IndexFunc(routes, func(r route) bool { return r.method == op.method && r.pattern == op.path })
		if i < 0 && op.id != "jiraWebhook" {
			t.Errorf("%s %s is not routed", op.method, op.path)
			continue
		}
		if i >= 0 && routes[i].role != want.role {
			t.Errorf("%s %s: the router requires %s, the expectation says %s", op.method, op.path, routes[i].role, want.role)
		}
	}
	for id := range accessByOperation {
		if !seen[id] {
			t.Errorf("accessByOperation has %s, which the OpenAPI document no longer has", id)
		}
	}
}

// newAccessTestAPI serves the API with Jira (a fake Jira on loopback)
// and the Accelerator (the demo organization's snapshot files, its
// accounts registered for tenant acme, every account verifiable) on.
func newAccessTestAPI(t *testing.T) (http.Handler, *jiratest.Server, *workflow.Local) {
	t.Helper()
	e := workflowtest.New(t)
	sec, err := secrets.OpenFile(filepath.Join(t.TempDir(), "secrets.json"), bytes.Repeat([]byte{7}, secrets.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	fake := jiratest.New(t, true)
	svc := &jira.Service{Store: e.Store, Secrets: sec, HTTPClient: fake.Client(), Connect: gojira.Connect, Logger: discardLogger(), Outbound: outbound.Policy{AllowLoopback: true}}
	local := &workflow.Local{Engine: e.Engine}
	t.Cleanup(local.Wait) // before the store closes
	v := &fakeVerifier{ok: map[string]bool{accelAccount: true, "444444444444": true}}
	h := New(Deps{Store: e.Store, Auth: headerAuth{}, Version: "test", Logger: discardLogger(), Catalog: e.Catalog, Jira: svc,
		Accelerator: &Accelerator{Engine: e.Engine, Starter: local, Org: e.Source, PlatformAccountID: "999999999999", EventBus: "bulwark", PlatformRegion: "eu-central-1", Verifier: v}})
	return h, fake, local
}

// tenantA's data, which tenant B must never see or change.
type tenantA struct {
	model, template string
	secret          string // a word only tenant A's data holds
	templateDoc     []byte // the template as seeded
	// The Jira instance, the verified account with a VPC, the finished
	// build run and the model it built, as seeded.
	instance, account, run, runModel string
	instanceDoc, accountDoc, runDoc  []byte
	externalID                       string // the account's, tenant A's only
}

func seedTenantA(t *testing.T, h http.Handler, fake *jiratest.Server, local *workflow.Local) tenantA {
	t.Helper()
	const secret = "Quokkasecret"
	admin := client{t: t, h: h, who: "acme/admin/root"}
	a := tenantA{secret: secret, account: accelAccount}
	m := sampleModel()
	m["name"] = secret + " payments"
	model := create(t, admin, m)
	r := admin.do("POST", "/api/v1/templates", map[string]any{"name": secret + " tier", "category": "AWS", "diagram": sampleModel()["diagram"]})
	if r.status != http.StatusCreated {
		t.Fatalf("seed template: %d %s", r.status, r.body)
	}
	var tpl struct{ ID string }
	if err := json.Unmarshal(r.body, &tpl); err != nil {
		t.Fatal(err)
	}
	// Approved, so that every role of tenant A may read it.
	if r := admin.do("POST", "/api/v1/templates/"+tpl.ID+"/approve", nil, "If-Match", `"1"`); r.status != http.StatusOK {
		t.Fatalf("approve template: %d %s", r.status, r.body)
	}
	a.model, a.template = model.ID, tpl.ID
	a.templateDoc = admin.do("GET", "/api/v1/templates/"+tpl.ID, nil).body

	r = admin.do("POST", "/api/v1/integrations/jira/instances", map[string]any{
		"name": secret + " Jira", "baseUrl": fake.URL, "deployment": "cloud", "email": fake.Email, "token": fake.Token, "webhookSecret": rand.Text(),
	})
	if r.status != http.StatusCreated {
		t.Fatalf("seed Jira instance: %d %s", r.status, r.body)
	}
	a.instance = decode[map[string]any](t, r)["id"].(string)
	a.instanceDoc = admin.do("GET", "/api/v1/integrations/jira/instances/"+a.instance, nil).body

	// A second account, named with the secret word, registered and verified.
	if r := admin.do("POST", "/api/v1/accelerator/accounts", map[string]any{"id": "444444444444", "name": secret + "-audit", "regions": []string{accelRegion}}); r.status != http.StatusCreated {
		t.Fatalf("seed account: %d %s", r.status, r.body)
	}
	if r := admin.do("POST", "/api/v1/accelerator/accounts/444444444444/verify", nil); r.status != http.StatusOK {
		t.Fatalf("verify account: %d %s", r.status, r.body)
	}
	if r := admin.do("POST", "/api/v1/accelerator/accounts/"+a.account+"/verify", nil); r.status != http.StatusOK {
		t.Fatalf("verify account: %d %s", r.status, r.body)
	}
	r = admin.do("GET", "/api/v1/accelerator/accounts/"+a.account, nil)
	acct := decode[map[string]any](t, r)
	if r.status != http.StatusOK || acct["status"] != "verified" { // files access: usable without STS
		t.Fatalf("seed account: %d %s", r.status, r.body)
	}
	a.accountDoc, a.externalID = r.body, acct["externalId"].(string)

	r = admin.do("POST", "/api/v1/accelerator/builds", map[string]any{"accountId": a.account, "region": accelRegion, "vpcId": accelVPC, "name": secret + " shop"})
	if r.status != http.StatusAccepted {
		t.Fatalf("seed build: %d %s", r.status, r.body)
	}
	local.Wait()
	run := decode[workflow.Run](t, admin.do("GET", r.header.Get("Location"), nil))
	if run.Status != workflow.StatusSucceeded {
		t.Fatalf("seed build run: %+v", run)
	}
	a.run, a.runModel = run.ID, run.ModelID
	a.runDoc = admin.do("GET", "/api/v1/accelerator/runs/"+a.run, nil).body
	return a
}

// bodyByOperation is what an operation sends instead of {}: a request
// that names tenant A's resources.
func (a tenantA) bodyByOperation(id string) any {
	switch id {
	case "startBuild":
		return map[string]any{"accountId": a.account, "region": accelRegion, "vpcId": accelVPC}
	case "registerAccount":
		return map[string]any{"id": a.account, "name": "taken"}
	}
	return map[string]any{}
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// fill substitutes tenant A's ids for the path parameters.
func (a tenantA) fill(path string, scope string) string {
	return pathParam.ReplaceAllStringFunc(path, func(p string) string {
		switch p {
		case "{id}":
			switch scope {
			case "template":
				return a.template
			case "model":
				return a.model
			case "run":
				return a.run
			case "built-model":
				return a.runModel
			}
			return "run-x"
		case "{instance}":
			return a.instance
		case "{project}":
			return "SEC"
		case "{accountId}":
			return a.account
		case "{tenant}":
			return "acme"
		case "{kind}":
			return "executive"
		case "{rule}":
			return "no-such-rule"
		case "{rev}":
			return "1" // the model's first version
		}
		return "x-" + strings.Trim(p, "{}")
	})
}

// TestAccessGeneratedFromOpenAPI sends every operation of the OpenAPI
// document as every role (none, viewer, reviewer, editor, admin) of tenant A (own)
// and of tenant B (other), on a fresh server holding tenant A's model and
// template: a role below the least gets 401 or 403; tenant B never gets a
// success on tenant A's resources, never sees their contents, and changes
// nothing of them.
func TestAccessGeneratedFromOpenAPI(t *testing.T) {
	roles := []auth.Role{auth.RoleNone, auth.RoleViewer, auth.RoleReviewer, auth.RoleEditor, auth.RoleAdmin}
	for _, op := range openAPIOperations(t) {
		want, ok := accessByOperation[op.id]
		if !ok {
			continue // TestAccessExpectationsCoverTheDocument reports it
		}
		t.Run(op.id, func(t *testing.T) {
			h, fake, local := newAccessTestAPI(t)
			a := seedTenantA(t, h, fake, local)
			path := a.fill(op.path, want.scope)
			var body any
			if op.body {
				body = a.bodyByOperation(op.id)
			}
			call := func(tenant string, role auth.Role) response {
				c := client{t: t, h: h}
				if role != auth.RoleNone {
					c.who = tenant + "/" + role.String() + "/u-" + role.String()
				}
				r := c.do(op.method, path, body, "If-Match", `"1"`)
				local.Wait() // a run it started is done before the next call
				return r
			}
			// Tenant B first, so that tenant A's data is intact to check.
			for _, tenant := range []string{"other", "acme"} {
				for _, role := range roles {
					r := call(tenant, role)
					what := op.method + " " + path + " as " + tenant + "/" + role.String()
					switch {
					case want.role == auth.RoleNone:
						// The Jira webhook is signed with the instance's
						// secret instead: unsigned, it is 401 for anybody.
						if r.status == 403 || r.status == 401 && op.id != "jiraWebhook" {
							t.Errorf("%s: %d, but the route is public: %s", what, r.status, r.body)
						}
					case role == auth.RoleNone:
						if r.status != 401 {
							t.Errorf("%s: %d, want 401: %s", what, r.status, r.body)
						}
					case role < want.role:
						if r.status != 403 {
							t.Errorf("%s: %d, want 403 (needs %s): %s", what, r.status, want.role, r.body)
						}
					case r.status == 401 || r.status == 403:
						t.Errorf("%s: %d, but %s is enough: %s", what, r.status, want.role, r.body)
					}
					if r.status >= 500 && (r.status != 503 || want.scope != "feature") {
						t.Errorf("%s: %d: %s", what, r.status, r.body)
					}
					if testing.Verbose() && tenant == "acme" && role == auth.RoleAdmin {
						t.Logf("%s: %d", what, r.status)
					}
					if tenant == "other" {
						if want.scope != "tenant" && want.scope != "global" && want.scope != "feature" && r.status < 300 {
							t.Errorf("%s: %d on tenant acme's %s: %s", what, r.status, want.scope, r.body)
						}
						if strings.Contains(string(r.body), a.secret) || strings.Contains(string(r.body), a.externalID) ||
							strings.Contains(string(r.body), a.runModel) && want.scope != "built-model" ||
							strings.Contains(string(r.body), a.model) && want.scope != "model" {
							t.Errorf("%s: the answer shows tenant acme's data: %s", what, r.body)
						}
					}
				}
				if tenant == "other" {
					a.checkIntact(t, h, op.id)
				}
			}
		})
	}
}

// checkIntact fails unless tenant A's model, template, Jira instance,
// account and run are as seeded.
func (a tenantA) checkIntact(t *testing.T, h http.Handler, after string) {
	t.Helper()
	admin := client{t: t, h: h, who: "acme/admin/root"}
	r := admin.do("GET", "/api/v1/models/"+a.model, nil)
	var m struct {
		Revision int64
		Name     string
	}
	if r.status != 200 || json.Unmarshal(r.body, &m) != nil || m.Revision != 1 || !strings.HasPrefix(m.Name, a.secret) {
		t.Errorf("after tenant other's %s, acme's model is %d %s", after, r.status, r.body)
	}
	if r := admin.do("GET", "/api/v1/templates/"+a.template, nil); r.status != 200 || !bytes.Equal(r.body, a.templateDoc) {
		t.Errorf("after tenant other's %s, acme's template is %d %s", after, r.status, r.body)
	}
	for what, want := range map[string][]byte{
		"/api/v1/integrations/jira/instances/" + a.instance: a.instanceDoc,
		"/api/v1/accelerator/accounts/" + a.account:         a.accountDoc,
		"/api/v1/accelerator/runs/" + a.run:                 a.runDoc,
	} {
		if r := admin.do("GET", what, nil); r.status != 200 || !bytes.Equal(r.body, want) {
			t.Errorf("after tenant other's %s, acme's %s is %d %s", after, what, r.status, r.body)
		}
	}
	if r := admin.do("GET", "/api/v1/models/"+a.runModel, nil); r.status != 200 || !strings.Contains(string(r.body), `"revision":1`) {
		t.Errorf("after tenant other's %s, acme's built model is %d %s", after, r.status, r.body)
	}
}
