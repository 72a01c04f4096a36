import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../store';
import { DRIFT_LABEL, filterDrift, highlightCss, SYNC_LABEL, syncColour, type DriftFilter } from './logic';
import type { Contradiction } from '../evidence/types';
import { Docked } from '../editor/PanelDock';
import type { HandDrawnItem } from './types';
import './accelerator.css';

/** isAcceleratorModel tells whether a model was built from a VPC. */
export function isAcceleratorModel(props: Record<string, string> | undefined): boolean {
  return !!props?.['aws.vpcId'];
}

/** DriftToggle is the editor's button for the Drift Log of an Accelerator model; it shows the sync status. */
export function DriftToggle() {
  const modelId = useApp((s) => s.modelId);
  const accel = useApp((s) => isAcceleratorModel(s.model?.properties));
  const status = useApp((s) => s.drift?.syncStatus);
  const loadDrift = useApp((s) => s.loadDrift);
  const clearDrift = useApp((s) => s.clearDrift);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!accel || !modelId) return;
    void loadDrift(modelId);
    return () => clearDrift();
  }, [accel, modelId, loadDrift, clearDrift]);
  if (!accel) return null;
  const c = status ? syncColour(status) : 'grey';
  return (
    <>
      <button type="button" onClick={() => setOpen(!open)} aria-pressed={open} data-testid="btn-drift" title="Drift Log: this model against its VPC">
        Drift Log <span className={`sync-badge sync-${c}`} data-testid="drift-status" data-colour={c} data-status={status ?? ''}>{status ? SYNC_LABEL[status] : '…'}</span>
      </button>
      {open && <Docked><DriftPanel onClose={() => setOpen(false)} /></Docked>}
    </>
  );
}

/**
 * HandDrawn lists the elements a user drew in the model: Sync keeps them,
 * so they are not drift, but the log names them so nothing is unaccounted for.
 */
function HandDrawn({ items, count }: { items: HandDrawnItem[]; count: number }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="drift-hand-drawn">
      <h3 id="drift-hand-drawn">Added by hand — kept by Sync</h3>
      <ul data-testid="drift-hand-drawn">
        {items.map((c) => (
          <li key={`${c.element}:${c.id}`} data-kind="hand-drawn">
            <span className="drift-kind hand-drawn">{c.element}</span>
            <span className="drift-text"><b>{c.name || c.id}</b></span>
          </li>
        ))}
      </ul>
      {count > items.length && <p className="hint">and {count - items.length} more.</p>}
    </section>
  );
}

/**
 * EvidenceDisagrees lists the properties Security Hub or AWS Config
 * findings contradict ("Security Hub says public, the model says private"),
 * each with a button that sets the property to what the evidence shows.
 */
function EvidenceDisagrees({ items, busy, onApply }: { items: Contradiction[]; busy: boolean; onApply: (c: Contradiction) => void }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="drift-contradictions">
      <h3 id="drift-contradictions">Evidence disagrees with the model</h3>
      <ul data-testid="drift-contradictions">
        {items.map((c) => (
          <li key={`${c.element}:${c.property}`} data-kind="contradiction" data-element={c.element} data-property={c.property}>
            <span className="drift-kind contradiction">{c.elementKind}</span>
            <span className="drift-text">
              <b>{c.elementName || c.element}</b>: {c.message} <span className="hint">({c.property})</span>{' '}
              <button type="button" className="small" disabled={busy} onClick={() => onApply(c)}>
                Set {c.property} to {String(c.evidence)}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** DriftPanel lists what differs between the model and its VPC, highlights the filtered items on the diagram, and syncs. */
export function DriftPanel({ onClose }: { onClose: () => void }) {
  const link = useApp((s) => s.drift);
  const error = useApp((s) => s.driftError);
  const busy = useApp((s) => s.driftBusy);
  const filter = useApp((s) => s.driftFilter);
  const setFilter = useApp((s) => s.setDriftFilter);
  const check = useApp((s) => s.checkDrift);
  const sync = useApp((s) => s.syncDrift);
  const applyContradiction = useApp((s) => s.applyContradiction);
  const shown = useMemo(() => filterDrift(link?.drift?.changes, filter), [link, filter]);
  const css = useMemo(() => (filter === 'all' ? '' : highlightCss(shown)), [filter, shown]);
  const pending = link?.pending ?? [];
  const contradictions = link?.contradictions ?? [];
  return (
    <aside className="drift-panel" data-testid="drift-panel" aria-label="Drift Log">
      {css && <style data-testid="drift-highlight">{css}</style>}
      <div className="drift-actions">
        <b>Drift Log</b>
        <span className="grow" style={{ flex: 1 }} />
        <button type="button" className="small" onClick={onClose} aria-label="Close the Drift Log">×</button>
      </div>
      {link && (
        <p className="hint">
          VPC {link.vpcId} · {link.accountId} · {link.region}
          {link.lastCheck && <> · checked {new Date(link.lastCheck).toLocaleString()}</>}
        </p>
      )}
      <div className="drift-actions">
        <select value={filter} onChange={(e) => setFilter(e.target.value as DriftFilter)} data-testid="drift-filter" aria-label="Show">
          <option value="all">All differences</option>
          <option value="only-in-model">{DRIFT_LABEL['only-in-model']} ({link?.counts.onlyInModel ?? 0})</option>
          <option value="only-in-vpc">{DRIFT_LABEL['only-in-vpc']} ({link?.counts.onlyInVpc ?? 0})</option>
          <option value="changed">{DRIFT_LABEL.changed} ({link?.counts.changed ?? 0})</option>
        </select>
        <button type="button" className="small" onClick={() => void check()} disabled={!!busy} data-testid="drift-check">{busy === 'check' ? 'Checking…' : 'Check now'}</button>
        <button type="button" className="small primary" onClick={() => void sync()} disabled={!!busy || link?.syncStatus === 'in-sync'} data-testid="drift-sync" title="Apply the VPC's current state to the model">
          {busy === 'sync' ? 'Syncing…' : 'Sync'}
        </button>
      </div>
      {error && <div className="banner error small" role="alert" data-testid="drift-error">{error}</div>}
      {link?.checkError && <div className="banner error small">Last check failed: {link.checkError}</div>}
      {shown.length === 0 && pending.length === 0 && contradictions.length === 0 && <p className="hint" data-testid="drift-empty">No differences.</p>}
      <ul data-testid="drift-list">
        {shown.map((c) => (
          <li key={`${c.kind}:${c.id}`} data-testid={`drift-item-${c.id}`} data-kind={c.kind}>
            <span className={`drift-kind ${c.kind}`}>{DRIFT_LABEL[c.kind]}</span>
            <span className="drift-text">
              {c.element} <b>{c.name || c.id}</b>
              {c.resourceType && <span className="hint"> {c.resourceType}</span>}
              {c.attributes?.map((a) => <div key={a.name} className="hint">{a.name}: {a.model ?? '–'} → {a.vpc ?? '–'}</div>)}
            </span>
          </li>
        ))}
      </ul>
      {link?.truncated && <p className="hint">The list is truncated.</p>}
      <EvidenceDisagrees items={contradictions} busy={!!busy} onApply={(c) => void applyContradiction(c.element, c.property)} />
      <HandDrawn items={link?.drift?.handDrawn ?? []} count={link?.drift?.handDrawnCount ?? 0} />
      {pending.length > 0 && (
        <>
          <h3>Changes reported since the last check</h3>
          <ul data-testid="drift-pending">
            {pending.map((p) => (
              <li key={p.key ?? `${p.resourceId}${p.captureTime}`}>
                <span className="drift-kind">{p.changeType}</span> <span className="drift-text">{p.resourceType} {p.resourceId}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
