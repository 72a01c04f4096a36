import { useMemo } from 'react';
import { useApp } from '../store';
import { flattenOrg } from './logic';

/** OrgTree is the AWS Organizations tree; selecting an account lists its VPCs. */
export function OrgTree() {
  const org = useApp((s) => s.accelOrg);
  const selected = useApp((s) => s.accelAccount);
  const select = useApp((s) => s.selectAccount);
  const rows = useMemo(() => (org ? flattenOrg(org.root, org.registered) : []), [org]);
  if (!org) return <div className="org-tree hint">Loading the organization…</div>;
  return (
    <nav className="org-tree" aria-label="AWS Organizations" data-testid="org-tree">
      <ul>
        {rows.map(({ node, depth, registered }) => (
          <li key={node.id} className={`org-row${node.id === selected ? ' selected' : ''}`} style={{ paddingLeft: 6 + depth * 14 }} data-testid={`org-node-${node.id}`}>
            <span className="kind">{node.type === 'ou' ? 'OU' : node.type}</span>
            {node.type === 'account' ? (
              <button type="button" onClick={() => void select(node.id)} data-testid={`org-account-${node.id}`} aria-current={node.id === selected}>
                {node.name} <span className="hint">{node.id}</span>
              </button>
            ) : (
              <span>{node.name}</span>
            )}
            {node.type === 'account' && !registered && <span className="hint" title="Not registered with Bulwark">(not registered)</span>}
          </li>
        ))}
      </ul>
    </nav>
  );
}
