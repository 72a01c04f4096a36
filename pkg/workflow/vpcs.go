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

// VPCList is an account's VPCs as AWS Config last listed them. The
// dashboard reads it from the store instead of asking AWS Config on every
// request; it is read again when it is missing (a newly verified account,
// one AWS Config could not be read for, or after a change event about a
// VPC) and by every scheduled drift check.
type VPCList struct {
	AccountID string    `json:"accountId"`
	VPCs      []VPC     `json:"vpcs"`
	ReadAt    time.Time `json:"readAt"`
}

// AccountVPCs returns the VPC list of a tenant's usable account: the stored
// one, or, when none is stored, one read from AWS Config now and stored.
func (e *Engine) AccountVPCs(ctx context.Context, tenant string, acct *accounts.Account) (*VPCList, error) {
	rec, err := e.Store.Get(ctx, tenant, KindVPCList, acct.ID)
	switch {
	case errs.Is(err, errs.NotFound):
		return e.RefreshVPCs(ctx, tenant, acct)
	case err != nil:
		return nil, fmt.Errorf("VPC list of account %s: %w", acct.ID, err)
	}
	var l VPCList
	if err := json.Unmarshal(rec.Body, &l); err != nil {
		return nil, errs.E(errs.Other, "decode VPC list of account %s: %w", acct.ID, err)
	}
	return &l, nil
}

// RefreshVPCs lists the account's VPCs in AWS Config and stores the list.
// When AWS Config cannot be read, nothing is stored and the error is
// returned as the source gave it.
func (e *Engine) RefreshVPCs(ctx context.Context, tenant string, acct *accounts.Account) (*VPCList, error) {
	l := &VPCList{AccountID: acct.ID, VPCs: []VPC{}, ReadAt: e.now()}
	inv, err := e.Source.Collect(ctx, accounts.Scope{Account: acct, Types: []string{"AWS::EC2::VPC"}})
	if err != nil {
		return nil, err
	}
	for _, v := range builder.VPCs(inv) {
		var conf struct {
			CIDR string `json:"cidrBlock"`
		}
		_ = json.Unmarshal(v.Configuration, &conf)
		l.VPCs = append(l.VPCs, VPC{ID: v.ID, Name: v.DisplayName(), AccountID: v.AccountID, Region: v.Region, CIDR: conf.CIDR})
	}
	body, err := json.Marshal(l)
	if err != nil {
		return nil, errs.E(errs.Other, "encode VPC list of account %s: %w", acct.ID, err)
	}
	rec := &store.Record{Tenant: tenant, Kind: KindVPCList, ID: acct.ID, Body: body}
	old, err := e.Store.Get(ctx, tenant, KindVPCList, acct.ID)
	switch {
	case errs.Is(err, errs.NotFound):
		err = e.Store.Create(ctx, rec)
	case err == nil:
		err = e.Store.Update(ctx, rec, old.Revision)
	}
	// Another reader stored a list at the same time: either is current.
	if err != nil && !errs.Is(err, errs.Conflict) {
		return nil, fmt.Errorf("store VPC list of account %s: %w", acct.ID, err)
	}
	return l, nil
}

// forgetVPCs drops an account's stored VPC list, so that the next reader
// lists the VPCs again (a VPC was created or deleted).
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

// VPCRows lists the VPCs of a tenant's usable account with their models
// and sync status, from the stored VPC list and links.
func (e *Engine) VPCRows(ctx context.Context, tenant string, acct *accounts.Account) ([]VPCRow, error) {
	l, err := e.AccountVPCs(ctx, tenant, acct)
	if err != nil {
		return nil, err
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
	return rows, nil
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
	// Unverified lists registered accounts not verified yet; their VPCs
	// are not read.
	Unverified []string `json:"unverified"`
}

// Summarize counts the tenant's accounts, their VPCs (from the stored VPC
// lists) and the models built from them.
func (e *Engine) Summarize(ctx context.Context, tenant string) (*Summary, error) {
	list, err := e.Accounts.List(ctx, tenant)
	if err != nil {
		return nil, err
	}
	links, _, err := e.linkedModels(ctx, tenant)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Accounts: len(list), ThreatModels: len(links), Unreachable: []string{}, Unverified: []string{}}
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
			e.logger().WarnContext(ctx, "accelerator: cannot list VPCs", "tenant", tenant, "account", acct.ID, "error", err)
			sum.Unreachable = append(sum.Unreachable, a.ID)
			continue
		}
		sum.VPCs += len(l.VPCs)
	}
	return sum, nil
}
