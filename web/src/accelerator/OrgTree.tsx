import { useMemo } from 'react';
import { useApp } from '../store';
import { failedText, pullState } from './evidencePull';
import { accountName, flattenOrg } from './logic';

/**
 * OrgTree is the AWS Organizations tree. Every node can be selected: an
 * account lists its VPCs, the Root or an OU the VPCs of all registered
 * accounts below it. An account shows its name once and its id beside it,
 * and a mark when its last evidence pull failed.
 */
export function OrgTree() {
  const org = useApp((s) => s.accelOrg);
  const selected = useApp((s) => s.accelAccount);
  const select = useApp((s) => s.selectAccount);
  const accounts = useApp((s) => s.accelAccounts);
  const rows = useMemo(() => (org ? flattenOrg(org.root, org.registered) : []), [org]);
  // Accounts whose last evidence pull failed are marked; their details say why.
  const failing = useMemo(() => new Map(accounts.filter((a) => pullState(a) === 'failed').map((a) => [a.id, failedText(a.evidencePull?.failures)])), [accounts]);
  if (!org) return <div className="org-tree hint">Loading the organization…</div>;
  return (
    <nav className="org-tree" aria-label="AWS Organizations" data-testid="org-tree">
      <ul>
        {rows.map(({ node, depth, registered }) => {
          const isAccount = node.type === 'account';
          const name = isAccount ? accountName(node.name, node.id) : node.name;
          return (
            <li key={node.id} className={`org-row${node.id === selected ? ' selected' : ''}`} style={{ paddingLeft: 6 + depth * 14 }} data-testid={`org-node-${node.id}`}>
              <span className="kind">{node.type === 'ou' ? 'OU' : node.type}</span>
              <button
                type="button" onClick={() => void select(node.id)} aria-current={node.id === selected}
                data-testid={isAccount ? `org-account-${node.id}` : `org-select-${node.id}`}
                title={isAccount ? `VPCs of account ${node.id}` : `VPCs of every registered account in ${node.name}`}
              >
                {isAccount ? <>{name && <>{name} </>}<span className="hint">{node.id}</span></> : node.name}
              </button>
              {isAccount && !registered && <span className="hint" title="Not registered with Bulwark">(not registered)</span>}
              {isAccount && failing.has(node.id) && (
                <span className="pull-mark" role="img" aria-label={failing.get(node.id)} title={`${failing.get(node.id)}: select the account to see why`} data-testid={`org-pull-failed-${node.id}`}>⚠</span>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
