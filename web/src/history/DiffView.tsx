// A comparison of two versions (or the current model against the approved
// baseline): both diagrams side by side with what was added, removed and
// changed outlined, and the threats, requirements and compliance results
// that appear, disappear or change.
import { useEffect, useMemo, useState } from 'react';
import { errorText } from '../api/rest';
import { useApp } from '../store';
import type { ThreatModel } from '../schema/types';
import type { Diff, DiffElement, DiffElements, DiffItem, DiffItems, DiffRef, HistoryApi } from './api';
import { diffHeadline, diffMarks, elementNames, overlayDiagram, overlayMarks, highlightCss, itemWhere, MARK_COLOUR, refLabel, statusChange, type DiffSide } from './logic';
import type { FileSide } from './fileSide';
import { Overlay } from './Overlay';
import { ReadOnlyDiagram } from './ReadOnlyDiagram';

const KIND_TEXT = { added: 'Added', removed: 'Removed', changed: 'Changed' } as const;
type Kind = keyof typeof KIND_TEXT;

function ElementList({ title, e }: { title: string; e: DiffElements }) {
  const rows = (['added', 'removed', 'changed'] as Kind[]).flatMap((k) => (e?.[k] ?? []).map((x: DiffElement) => ({ k, x })));
  return (
    <section aria-label={title}>
      <h3>{title} <span className="hint">({rows.length})</span></h3>
      {rows.length === 0 ? <p className="hint">No change.</p> : (
        <ul>
          {rows.map(({ k, x }) => (
            <li key={`${k}:${x.id}`} data-kind={k}>
              <span className={`diff-kind ${k}`} style={{ borderColor: MARK_COLOUR[k] }}>{KIND_TEXT[k]}</span> {x.name || x.id} <span className="hint">{x.type}</span>
              {k === 'changed' && x.changes && x.changes.length > 0 && (
                <span className="hint"> — {x.changes.map((c) => c.field).join(', ')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ItemList({ title, items, noun }: { title: string; items: DiffItems; noun: string }) {
  const rows = (['added', 'removed', 'changed'] as Kind[]).flatMap((k) => (items?.[k] ?? []).map((x: DiffItem) => ({ k, x })));
  const verb = { added: `New ${noun}`, removed: `${noun[0].toUpperCase()}${noun.slice(1)} gone`, changed: 'Status changed' } as const;
  return (
    <section aria-label={title}>
      <h3>{title} <span className="hint">({rows.length})</span></h3>
      {rows.length === 0 ? <p className="hint">No change.</p> : (
        <ul>
          {rows.map(({ k, x }) => (
            <li key={`${k}:${x.id}`} data-kind={k}>
              <span className={`diff-kind ${k}`} style={{ borderColor: MARK_COLOUR[k] }}>{verb[k]}</span>{' '}
              {x.severity && <span className={`sev sev-${x.severity.toLowerCase()}`}>{x.severity}</span>} {x.title}
              <span className="hint"> on {itemWhere(x)}{k === 'changed' ? ` · ${statusChange(x)}` : x.status ? ` · ${x.status}` : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Side({ side, doc, diff, title }: { side: DiffSide | 'overlay'; doc: ThreatModel | null; diff: Diff; title: string }) {
  const catalog = useApp((s) => s.catalog);
  const scope = `[data-testid="diff-${side}"]`;
  const css = useMemo(() => highlightCss(scope, side === 'overlay' ? overlayMarks(diff) : diffMarks(diff, side)), [scope, diff, side]);
  return (
    <div className="diff-side">
      <h3>{title}</h3>
      {css && <style data-testid={`diff-highlight-${side}`}>{css}</style>}
      {doc ? <ReadOnlyDiagram doc={doc} catalog={catalog} label={`${title}, read-only`} testId={`diff-${side}`} /> : <div className="canvas loading">Loading…</div>}
    </div>
  );
}

/** DiffView compares from with to (a revision, the baseline, the current model, or a file) of model modelId. */
export function DiffView({ api, modelId, from, to, onClose }: { api: HistoryApi; modelId: string; from: DiffRef; to: DiffRef | FileSide; onClose: () => void }) {
  const [diff, setDiff] = useState<Diff | null>(null);
  const [docs, setDocs] = useState<{ from: ThreatModel | null; to: ThreatModel | null }>({ from: null, to: null });
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    (async () => {
      const d = typeof to === 'object' ? await api.diffDocument(modelId, from, to.doc) : await api.diff(modelId, from, to);
      if (!live) return;
      setDiff(d);
      const [a, b] = await Promise.all([api.at(modelId, from, d.from.revision), typeof to === 'object' ? to.doc : api.at(modelId, to, d.to.revision)]);
      if (live) setDocs({ from: a, to: b });
    })().catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [api, modelId, from, to]);

  const names = useMemo(() => elementNames(docs.from, docs.to), [docs]);
  const [mode, setMode] = useState<'side' | 'overlay'>('side');
  const overlay = useMemo(
    () => (diff && docs.from && docs.to ? { ...docs.to, diagram: overlayDiagram(docs.from.diagram, docs.to.diagram, diff) } : null),
    [diff, docs],
  );
  const name = (ref: DiffRef | FileSide, rev?: number) => {
    if (typeof ref === 'object') return `File ${ref.file}`;
    return typeof ref === 'number' || rev === undefined ? refLabel(ref) : `${refLabel(ref)} — version ${rev}`;
  };
  const title = `Compare ${refLabel(from)} with ${typeof to === 'object' ? `file ${to.file}` : refLabel(to)}`;
  return (
    <Overlay label={title} onClose={onClose} testId="diff-view">
      <div className="history-bar">
        <h2>{title}</h2>
        {diff && <span className="hint" data-testid="diff-headline">{diffHeadline(diff)}</span>}
        <span className="grow" />
        <span className="diff-mode" role="group" aria-label="View">
          <button type="button" className="small" aria-pressed={mode === 'side'} onClick={() => setMode('side')}>Side by side</button>
          <button type="button" className="small" aria-pressed={mode === 'overlay'} onClick={() => setMode('overlay')} title="One diagram: the newer one, with what was removed put back and outlined">Overlay</button>
        </span>
        <span className="diff-legend">
          {(['added', 'removed', 'changed'] as Kind[]).map((k) => <span key={k} className={`diff-kind ${k}`} style={{ borderColor: MARK_COLOUR[k] }}>{KIND_TEXT[k]}</span>)}
        </span>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      {error && <div className="banner error" role="alert">Could not compare: {error}</div>}
      {typeof to === 'object' && to.format !== 'bulwark' && (
        <p className="hint history-reason">
          {to.file} was converted from {to.format}{to.warnings.length > 0 ? ` with ${to.warnings.length} warning${to.warnings.length === 1 ? '' : 's'}: ${to.warnings.slice(0, 3).join('; ')}${to.warnings.length > 3 ? '…' : ''}` : ''}.
        </p>
      )}
      {diff && (
        <div className="diff-body">
          <div className="diff-sides">
            {mode === 'side' ? (
              <>
                <Side side="from" doc={docs.from} diff={diff} title={name(from, diff.from.revision)} />
                <Side side="to" doc={docs.to} diff={diff} title={name(to, diff.to.revision)} />
              </>
            ) : (
              <Side side="overlay" doc={overlay} diff={diff} title={`${name(to, diff.to.revision)} over ${name(from, diff.from.revision)}`} />
            )}
          </div>
          <div className="diff-lists" data-testid="diff-lists">
            <ItemList title="Threats" items={diff.threats} noun="threat" />
            <ItemList title="Requirements" items={diff.requirements} noun="requirement" />
            <section aria-label="Compliance">
              <h3>Compliance <span className="hint">({diff.compliance?.changed?.length ?? 0})</span></h3>
              {(diff.compliance?.changed ?? []).length === 0 ? <p className="hint">No change.</p> : (
                <ul>
                  {(diff.compliance.changed ?? []).map((c) => (
                    <li key={`${c.id}:${c.elementId}`}>{c.title} <span className="hint">on {names.get(c.elementId) ?? c.elementId} · {c.from || 'none'} → {c.to || 'none'}</span></li>
                  ))}
                </ul>
              )}
            </section>
            <ElementList title="Components" e={diff.components} />
            <ElementList title="Flows" e={diff.flows} />
            <ElementList title="Groups" e={diff.groups} />
          </div>
        </div>
      )}
    </Overlay>
  );
}
