package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/builder"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// KindVPCList is the record kind of an account's VPC list (VPCList, by
// account id).
const KindVPCList = store.KindVPCList

// VPC is one VPC of an account, as the Accelerator dashboard lists it.
type VPC struct {
	ID        string `json:"vpcId"`
	Name      string `json:"name"`
	AccountID string `json:"accountId"`
	Region    string `json:"region"`
	CIDR      string `json:"cidrBlock,omitempty"`
}

// VPCList is an account's VPCs as AWS Config last listed them. It is
// listed when the account is registered from files or verified
// (RegisterDir, VerifyAccount), again after a change event about a VPC,
// and by every scheduled drift check; the dashboard only reads it, never
// AWS Config.
type VPCList struct {
	AccountID string `json:"accountId"`
	VPCs      []VPC  `json:"vpcs"`
	// ReadAt is when AWS Config listed VPCs; zero when it never did for
	// this account: not yet, or it could not be read (Error).
	ReadAt time.Time `json:"readAt"`
	// Error and ErrorKind say why AWS Config could not be read when no
	// list was ever read (a list read once is kept through later
	// failures).
	Error     string    `json:"error,omitempty"`
	ErrorKind errs.Kind `json:"errorKind,omitempty"`
}

// Listed reports whether AWS Config listed the account's VPCs.
func (l *VPCList) Listed() bool { return !l.ReadAt.IsZero() }

// Unreachable reports whether AWS Config could not be read for an
// account whose VPCs were never listed.
func (l *VPCList) Unreachable() bool { return !l.Listed() && l.Error != "" }

// err is the failure an unreachable list records.
func (l *VPCList) err() error {
	return errs.E(l.ErrorKind, "list the VPCs of account %s: %s", l.AccountID, l.Error)
}

// AccountVPCs returns the stored VPC list of a tenant's usable account; an
// account whose VPCs were never listed gets an empty list that says so
// (Listed false). It never reads AWS Config.
func (e *Engine) AccountVPCs(ctx context.Context, tenant string, acct *accounts.Account) (*VPCList, error) {
	rec, err := e.Store.Get(ctx, tenant, KindVPCList, acct.ID)
	switch {
	case errs.Is(err, errs.NotFound):
		return &VPCList{AccountID: acct.ID, VPCs: []VPC{}}, nil
	case err != nil:
		return nil, fmt.Errorf("VPC list of account %s: %w", acct.ID, err)
	}
	var l VPCList
	if err := json.Unmarshal(rec.Body, &l); err != nil {
		return nil, fmt.Errorf("decode VPC list of account %s: %w", acct.ID, err)
	}
	if l.VPCs == nil {
		l.VPCs = []VPC{}
	}
	return &l, nil
}

// RefreshVPCs lists the account's VPCs in AWS Config and stores the list.
// When AWS Config cannot be read, the error is returned as the source gave
// it; a list read before is kept, and an account never listed records the
// failure (VPCList.Unreachable).
func (e *Engine) RefreshVPCs(ctx context.Context, tenant string, acct *accounts.Account) (*VPCList, error) {
	return e.refreshVPCs(ctx, tenant, acct, true)
}

// refreshVPCs is RefreshVPCs; keep false drops a list read before when
// AWS Config cannot be read (it is known to be out of date).
func (e *Engine) refreshVPCs(ctx context.Context, tenant string, acct *accounts.Account, keep bool) (*VPCList, error) {
	l := &VPCList{AccountID: acct.ID, VPCs: []VPC{}, ReadAt: e.now()}
	inv, err := e.Source.Collect(ctx, accounts.Scope{Account: acct, Types: []string{"AWS::EC2::VPC"}})
	if err != nil {
		failed := &VPCList{AccountID: acct.ID, VPCs: []VPC{}, Error: err.Error(), ErrorKind: errs.KindOf(err)}
		if serr := e.putVPCs(ctx, tenant, failed, func(old *VPCList) bool { return !keep || !old.Listed() }); serr != nil {
			e.logger().WarnContext(ctx, "accelerator: cannot record a failed VPC listing", "tenant", tenant, "account", acct.ID, "error", serr)
		}
		return nil, err
	}
	for _, v := range builder.VPCs(inv) {
		var conf struct {
			CIDR string `json:"cidrBlock"`
		}
		_ = json.Unmarshal(v.Configuration, &conf)
		l.VPCs = append(l.VPCs, VPC{ID: v.ID, Name: v.DisplayName(), AccountID: v.AccountID, Region: v.Region, CIDR: conf.CIDR})
	}
	if err := e.putVPCs(ctx, tenant, l, nil); err != nil {
		return nil, err
	}
	return l, nil
}

// putVPCs stores l as the account's list, over the stored one when over
// (nil: always) says so. Another writer storing a list at the same time
// wins: either is current.
func (e *Engine) putVPCs(ctx context.Context, tenant string, l *VPCList, over func(old *VPCList) bool) error {
	body, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("encode VPC list of account %s: %w", l.AccountID, err)
	}
	rec := &store.Record{Tenant: tenant, Kind: KindVPCList, ID: l.AccountID, Body: body}
	old, err := e.Store.Get(ctx, tenant, KindVPCList, l.AccountID)
	switch {
	case errs.Is(err, errs.NotFound):
		err = e.Store.Create(ctx, rec)
	case err == nil:
		var o VPCList
		if over != nil && json.Unmarshal(old.Body, &o) == nil && !over(&o) {
			return nil
		}
		err = e.Store.Update(ctx, rec, old.Revision)
	}
	if err != nil && !errs.Is(err, errs.Conflict) {
		return fmt.Errorf("store VPC list of account %s: %w", l.AccountID, err)
	}
	return nil
}

// relistVPCs lists the VPCs of the tenant's account again after a change
// event about one of its VPCs. When the account is not usable, or AWS
// Config cannot be read, the stored list, now out of date, is dropped (and
// the failure recorded).
func (e *Engine) relistVPCs(ctx context.Context, tenant, accountID string) error {
	acct, err := e.Accounts.Usable(ctx, tenant, accountID)
	if err != nil {
		return e.forgetVPCs(ctx, tenant, accountID)
	}
	if _, err := e.refreshVPCs(ctx, tenant, acct, false); err != nil {
		e.logger().WarnContext(ctx, "accelerator: cannot list VPCs after a VPC change", "tenant", tenant, "account", accountID, "error", err)
	}
	return nil
}

// forgetVPCs drops an account's stored VPC list.
func (e *Engine) forgetVPCs(ctx context.Context, tenant, accountID string) error {
	rec, err := e.Store.Get(ctx, tenant, KindVPCList, accountID)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err == nil {
		err = e.Store.Delete(ctx, tenant, KindVPCList, accountID, rec.Revision)
	}
	if err != nil && !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Conflict) {
		return fmt.Errorf("forget VPC list of account %s: %w", accountID, err)
	}
	return nil
}

// VerifyAccount verifies the tenant's account as accounts.Registry.Verify
// does and, when the account is usable after, lists its VPCs and stores
// the list, so that the dashboard has it without reading AWS Config. A
// listing that fails is logged and recorded (VPCList.Unreachable); the
// verification stands, and the scheduled check lists the VPCs again.
func (e *Engine) VerifyAccount(ctx context.Context, tenant, id string, v accounts.Verifier) (*accounts.Account, error) {
	acct, err := e.Accounts.Verify(ctx, tenant, id, v)
	if acct == nil {
		return nil, err
	}
	if usable, uerr := e.Accounts.Usable(ctx, tenant, id); uerr == nil {
		if _, lerr := e.RefreshVPCs(ctx, tenant, usable); lerr != nil {
			e.logger().WarnContext(ctx, "accelerator: cannot list VPCs of a verified account", "tenant", tenant, "account", id, "error", lerr)
		}
	}
	return acct, err
}

// RegisterDir registers the accounts in d's files for tenant, as
// accounts.Registry.RegisterDir does, and lists the VPCs of every usable
// account of the tenant whose VPCs were never listed. It returns how many
// accounts it added.
func (e *Engine) RegisterDir(ctx context.Context, tenant string, d *accounts.DirSource) (int, error) {
	n, err := e.Accounts.RegisterDir(ctx, tenant, d)
	if err != nil {
		return n, err
	}
	list, err := e.Accounts.List(ctx, tenant)
	if err != nil {
		return n, err
	}
	for _, a := range list {
		acct, err := e.Accounts.Usable(ctx, tenant, a.ID)
		if err != nil {
			continue
		}
		l, err := e.AccountVPCs(ctx, tenant, acct)
		if err != nil {
			return n, err
		}
		if l.Listed() {
			continue
		}
		if _, err := e.RefreshVPCs(ctx, tenant, acct); err != nil {
			e.logger().WarnContext(ctx, "accelerator: cannot list VPCs", "tenant", tenant, "account", acct.ID, "error", err)
		}
	}
	return n, nil
}

// refreshAllVPCs lists the VPCs of every usable account of tenant again;
// an account that cannot be read is logged and keeps its stored list.
func (e *Engine) refreshAllVPCs(ctx context.Context, tenant string) error {
	list, err := e.Accounts.List(ctx, tenant)
	if err != nil {
		return err
	}
	for _, a := range list {
		acct, err := e.Accounts.Usable(ctx, tenant, a.ID)
		if err != nil {
			continue // not verified: its VPCs are not read
		}
		if _, err := e.RefreshVPCs(ctx, tenant, acct); err != nil {
			e.logger().WarnContext(ctx, "accelerator: cannot list VPCs", "tenant", tenant, "account", acct.ID, "error", err)
		}
	}
	return nil
}

// VPCRow is one row of an account's VPC table: a VPC and the threat models
// built from it.
type VPCRow struct {
	VPC
	ModelCount int `json:"modelCount"`
	// SyncStatus is "none" without models, "out-of-sync" when any model
	// drifted, "unknown" when one was not checked yet, else "in-sync".
	SyncStatus string     `json:"syncStatus"`
	Models     []VPCModel `json:"models"`
}

// VPCModel is one model of a VPC row.
type VPCModel struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Version    string      `json:"version,omitempty"`
	SyncStatus SyncStatus  `json:"syncStatus"`
	LastCheck  time.Time   `json:"lastCheck,omitzero"`
	Counts     DriftCounts `json:"counts"`
}

// VPCTable is an account's VPC table.
type VPCTable struct {
	VPCs []VPCRow `json:"vpcs"`
	// Listed is false while the account's VPCs were never listed (VPCs is
	// empty then, not because the account has none).
	Listed bool `json:"listed"`
}

// VPCRows lists the VPCs of a tenant's usable account with their models
// and sync status, from the stored VPC list and links; it never reads AWS
// Config. An account whose listing failed and was never listed gets the
// failure.
func (e *Engine) VPCRows(ctx context.Context, tenant string, acct *accounts.Account) (*VPCTable, error) {
	l, err := e.AccountVPCs(ctx, tenant, acct)
	if err != nil {
		return nil, err
	}
	if l.Unreachable() {
		return nil, l.err()
	}
	links, names, err := e.linkedModels(ctx, tenant)
	if err != nil {
		return nil, err
	}
	rows := []VPCRow{}
	for _, v := range l.VPCs {
		row := VPCRow{VPC: v, SyncStatus: "none", Models: []VPCModel{}}
		for _, s := range links {
			if s.AccountID != v.AccountID || s.Region != v.Region || s.VPC != v.ID {
				continue
			}
			sum := names[s.ModelID]
			row.Models = append(row.Models, VPCModel{ID: s.ModelID, Name: sum.Name, Version: sum.Version, SyncStatus: s.Status, LastCheck: s.LastCheck, Counts: s.Counts})
		}
		row.ModelCount = len(row.Models)
		row.SyncStatus = rowStatus(row.Models)
		rows = append(rows, row)
	}
	return &VPCTable{VPCs: rows, Listed: l.Listed()}, nil
}

// rowStatus is a VPC's sync status from its models': out of sync when any
// is, else unknown when any was not checked, else in sync; "none" without
// models.
func rowStatus(ms []VPCModel) string {
	status := "none"
	for _, m := range ms {
		switch {
		case m.SyncStatus == SyncOutOfSync:
			status = string(SyncOutOfSync)
		case m.SyncStatus == SyncUnknown && status != string(SyncOutOfSync):
			status = string(SyncUnknown)
		case status == "none":
			status = string(SyncInSync)
		}
	}
	return status
}

// linkedModels returns the tenant's links whose model still exists, and
// the models' summaries by id.
func (e *Engine) linkedModels(ctx context.Context, tenant string) ([]LinkSummary, map[string]model.Summary, error) {
	links, err := e.Links(ctx, tenant)
	if err != nil {
		return nil, nil, err
	}
	sums, err := e.models().List(ctx, tenant)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]model.Summary{}
	for _, m := range sums {
		names[m.ID] = m
	}
	links = slices.DeleteFunc(links, func(l LinkSummary) bool { _, ok := names[l.ModelID]; return !ok })
	return links, names, nil
}

// Summary is the Accelerator dashboard's counters.
type Summary struct {
	Accounts        int `json:"accounts"`
	VPCs            int `json:"vpcs"`
	ThreatModels    int `json:"threatModels"`
	OutOfSyncModels int `json:"outOfSyncModels"`
	// Unreachable lists accounts whose VPCs could not be listed.
	Unreachable []string `json:"unreachable"`
	// Unlisted lists usable accounts whose VPCs were not listed yet; the
	// scheduled check lists them.
	Unlisted []string `json:"unlisted"`
	// Unverified lists registered accounts not verified yet; their VPCs
	// are not read.
	Unverified []string `json:"unverified"`
}

// Summarize counts the tenant's accounts, their VPCs (from the stored VPC
// lists, never from AWS Config) and the models built from them.
func (e *Engine) Summarize(ctx context.Context, tenant string) (*Summary, error) {
	list, err := e.Accounts.List(ctx, tenant)
	if err != nil {
		return nil, err
	}
	links, _, err := e.linkedModels(ctx, tenant)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Accounts: len(list), ThreatModels: len(links), Unreachable: []string{}, Unlisted: []string{}, Unverified: []string{}}
	for _, l := range links {
		if l.Status == SyncOutOfSync {
			sum.OutOfSyncModels++
		}
	}
	for _, a := range list {
		acct, err := e.Accounts.Usable(ctx, tenant, a.ID)
		if err != nil {
			sum.Unverified = append(sum.Unverified, a.ID)
			continue
		}
		l, err := e.AccountVPCs(ctx, tenant, acct)
		if err != nil {
			return nil, err
		}
		switch {
		case l.Unreachable():
			sum.Unreachable = append(sum.Unreachable, a.ID)
		case !l.Listed():
			sum.Unlisted = append(sum.Unlisted, a.ID)
		}
		sum.VPCs += len(l.VPCs)
	}
	return sum, nil
}
