import { Fragment, useState } from 'react';
import { navigate } from '../router';
import { useApp } from '../store';
import { EvidencePullStatus } from './EvidencePullStatus';
import { accountName, findNode, SYNC_LABEL, syncColour } from './logic';
import { NewAcceleratorModelDialog } from './NewAcceleratorModelDialog';
import type { VpcRow, VpcSync } from './types';

export function SyncBar({ status, testId }: { status: VpcSync; testId?: string }) {
  const c = syncColour(status);
  return (
    <span data-testid={testId} data-colour={c} title={SYNC_LABEL[status]}>
      <span className={`sync-bar sync-${c}`} aria-hidden />
      <span className="hint">{SYNC_LABEL[status]}</span>
    </span>
  );
}

/** VpcTable lists the selected account's VPCs with their threat models and sync status. */
export function VpcTable() {
  const vpcs = useApp((s) => s.accelVpcs);
  const account = useApp((s) => s.accelAccount);
  const org = useApp((s) => s.accelOrg);
  const accounts = useApp((s) => s.accelAccounts);
  const node = account && org ? findNode(org.root, account) : undefined;
  // The Root or an OU lists the VPCs of several accounts: say whose each is.
  const several = !!node && node.type !== 'account';
  const heading = !node ? account : node.type === 'account' ? [accountName(node.name, node.id), node.id].filter(Boolean).join(' · ') : node.name;
  // One account selected: its details (the evidence pull) head its VPCs.
  const details = several ? undefined : accounts.find((a) => a.id === account);
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [creating, setCreating] = useState<VpcRow | null>(null);
  if (!account) return <div className="empty">Select an account.</div>;
  return (
    <div>
      <h2>VPCs of {heading}</h2>
      {details && <EvidencePullStatus account={details} />}
      <table className="models" data-testid="vpc-table">
        <thead>
          <tr><th /><th>VPC</th>{several && <th>Account</th>}<th>Region</th><th>CIDR</th><th className="num">Threat models</th><th>Sync status</th><th /></tr>
        </thead>
        <tbody>
          {vpcs.length === 0 && <tr><td colSpan={several ? 8 : 7} className="hint">{several ? 'No VPCs in the registered accounts here.' : 'No VPCs in this account.'}</td></tr>}
          {vpcs.map((v) => (
            <Fragment key={v.vpcId}>
              <tr data-testid={`vpc-row-${v.vpcId}`}>
                <td>
                  <button type="button" className="small" disabled={v.modelCount === 0} aria-expanded={!!open[v.vpcId]} onClick={() => setOpen({ ...open, [v.vpcId]: !open[v.vpcId] })} data-testid={`vpc-expand-${v.vpcId}`}>
                    {open[v.vpcId] ? '▾' : '▸'}
                  </button>
                </td>
                <td><b>{v.name || v.vpcId}</b> <span className="hint">{v.vpcId}</span></td>
                {several && <td>{v.accountId}</td>}
                <td>{v.region}</td>
                <td>{v.cidrBlock}</td>
                <td className="num" data-testid={`vpc-count-${v.vpcId}`}>{v.modelCount}</td>
                <td><SyncBar status={v.syncStatus} testId={`vpc-status-${v.vpcId}`} /></td>
                <td>
                  <button type="button" className="small primary" title="New Accelerator threat model of this VPC" aria-label={`New threat model of ${v.name}`} onClick={() => setCreating(v)} data-testid={`vpc-new-${v.vpcId}`}>+</button>
                </td>
              </tr>
              {open[v.vpcId] && (
                <tr className="vpc-models" data-testid={`vpc-models-${v.vpcId}`}>
                  <td />
                  <td colSpan={several ? 7 : 6}>
                    <ul>
                      {v.models.map((m) => (
                        <li key={m.id}>
                          <a href={`/models/${encodeURIComponent(m.id)}`} onClick={(e) => { e.preventDefault(); navigate(`/models/${encodeURIComponent(m.id)}`); }} data-testid={`vpc-model-${m.id}`}>{m.name}</a>
                          {m.version && <span className="hint"> v{m.version}</span>}{' '}
                          <SyncBar status={m.syncStatus} testId={`model-status-${m.id}`} />
                          {m.syncStatus === 'out-of-sync' && (
                            <span className="hint"> {m.counts.onlyInModel} only in model, {m.counts.onlyInVpc} only in VPC, {m.counts.changed} changed</span>
                          )}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      {creating && <NewAcceleratorModelDialog vpc={creating} onClose={() => setCreating(null)} />}
    </div>
  );
}
