import { useApp } from '../store';

const CARDS = [
  { key: 'accounts', label: 'Accounts' },
  { key: 'vpcs', label: 'VPCs' },
  { key: 'threatModels', label: 'Threat models' },
  { key: 'outOfSyncModels', label: 'Out of sync' },
] as const;

/** SummaryCards shows the dashboard counts. */
export function SummaryCards() {
  const s = useApp((st) => st.accelSummary);
  return (
    <div className="accel-cards">
      {CARDS.map((c) => (
        <div key={c.key} className={`accel-card${c.key === 'outOfSyncModels' && (s?.outOfSyncModels ?? 0) > 0 ? ' warn' : ''}`}>
          <div className="num" data-testid={`accel-count-${c.key}`}>{s ? s[c.key] : '–'}</div>
          <div className="lbl">{c.label}</div>
        </div>
      ))}
      {s && s.unreachable.length > 0 && (
        <div className="banner error small" style={{ gridColumn: '1 / -1' }} role="alert">Unreachable accounts: {s.unreachable.join(', ')}</div>
      )}
      {s && (s.unlisted?.length ?? 0) > 0 && (
        <div className="hint small" style={{ gridColumn: '1 / -1' }} data-testid="accel-unlisted">
          VPCs not listed yet: {s.unlisted!.join(', ')}. The next scheduled check lists them.
        </div>
      )}
    </div>
  );
}
