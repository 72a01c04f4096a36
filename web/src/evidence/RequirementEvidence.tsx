import { useEffect, useState } from 'react';
import { useRestApi } from '../api/context';
import { errorText } from '../api/rest';
import { evidenceApi } from './api';
import { complianceLabel } from './logic';
import { Contradictions } from './Contradictions';
import type { ComplianceItem } from './types';

/** RequirementEvidence is a requirement's compliance and the evidence behind it (Security Hub findings, Config rule evaluations). */
export function RequirementEvidence({ modelId, requirement }: { modelId: string; requirement: string }) {
  const api = useRestApi(evidenceApi);
  const [item, setItem] = useState<ComplianceItem | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setItem(undefined);
    api.forRequirement(modelId, requirement).then((l) => setItem(l.items?.[0] ?? null), (e) => setError(errorText(e)));
  }, [api, modelId, requirement]);
  if (error) return <div className="banner error small">{error}</div>;
  if (item === undefined) return <p className="hint">Loading evidence…</p>;
  if (item === null) return <p className="hint">No compliance data for this requirement.</p>;
  const ev = item.evidence ?? [];
  return (
    <div data-testid="requirement-evidence" data-status={item.status}>
      {item.elementKind === 'component' && <Contradictions modelId={modelId} component={item.component} />}
      {item.onlyByEvidence && <p className="hint" data-testid="only-by-evidence">The model's properties do not raise this requirement; the evidence does.</p>}
      <p>
        <span className={`compliance-tag compliance-${item.status.toLowerCase()}`} data-testid="requirement-compliance">{complianceLabel(item.status)}</span>
        {item.sourceName && <> · Source Name <b data-testid="requirement-source-name">{item.sourceName}</b></>}
      </p>
      {ev.length === 0 ? (
        <p className="hint">No current evidence. Checks: {[...(item.checks.securityHub ?? []), ...(item.checks.config ?? [])].join(', ') || 'none'}.</p>
      ) : (
        <table className="models evidence-table">
          <thead><tr><th>Source</th><th>Check</th><th>Resource</th><th>Result</th><th>Observed</th></tr></thead>
          <tbody>
            {ev.map((e) => (
              <tr key={e.id} data-testid="evidence-row" className={e.superseded || !e.active ? 'hint' : ''}>
                <td>{e.source === 'securityhub' ? 'Security Hub' : 'AWS Config'}</td>
                <td title={e.title}>{e.control || e.configRule || e.check}</td>
                <td>{e.via ?? e.resourceId ?? (e.resourceArn ? e.resourceArn.split(/[/:]/).pop() : e.accountLevel ? `account ${e.accountId}` : '')}</td>
                <td><span className={`compliance-tag compliance-${e.status.toLowerCase()}`}>{e.result}</span>{e.superseded ? ' (superseded)' : ''}</td>
                <td>{new Date(e.observedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
