// The editor's History: every saved version of the model (who, when, what
// changed, its name and review state, the baseline), opened read-only,
// restored, named, submitted, approved or rejected, and compared.
import { useCallback, useEffect, useState } from 'react';
import { useRestApi } from '../api/context';
import { errorText } from '../api/rest';
import { useAuth } from '../auth/session';
import { useApp, useAppStore } from '../store';
import { historyApi, type DiffRef, type HistoryApi, type ReviewAction, type Version } from './api';
import { DiffView } from './DiffView';
import { fileSide, type FileSide } from './fileSide';
import { interopApi } from '../importer/api';
import { Docked } from '../editor/PanelDock';
import { baselineRevision, editAllowed, refLabel, restoreAllowed, reviewAllowed, reviewText, versionTitle } from './logic';
import { NameDialog } from './NameDialog';
import { ReviewDialog } from './ReviewDialog';
import { VersionView } from './VersionView';
import './history.css';

/** HistoryToggle is the editor-head button that opens the History panel. */
export function HistoryToggle() {
  const modelId = useApp((s) => s.modelId);
  const [open, setOpen] = useState(false);
  const client = useRestApi(historyApi);
  if (!modelId) return null;
  return (
    <>
      <button type="button" onClick={() => setOpen(!open)} aria-pressed={open} aria-expanded={open} title="History: saved versions, review and comparison">History</button>
      {open && <Docked><HistoryPanel api={client} modelId={modelId} onClose={() => setOpen(false)} /></Docked>}
    </>
  );
}

const ACTION_TEXT: Record<ReviewAction, string> = { submit: 'Submit for review', approve: 'Approve', reject: 'Reject' };

/** HistoryPanel lists the versions of model modelId, newest first, with their actions. */
export function HistoryPanel({ api, modelId, onClose }: { api: HistoryApi; modelId: string; onClose: () => void }) {
  const store = useAppStore();
  const interop = useRestApi(interopApi);
  const revision = useApp((s) => s.revision);
  const dirty = useApp((s) => s.dirty);
  const role = useAuth().session?.role as string | undefined;
  const [versions, setVersions] = useState<Version[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [viewing, setViewing] = useState<Version | null>(null);
  const [naming, setNaming] = useState<Version | null>(null);
  const [deciding, setDeciding] = useState<{ v: Version; action: 'approve' | 'reject' } | null>(null);
  const [comparing, setComparing] = useState<{ from: DiffRef; to: DiffRef | FileSide } | null>(null);
  const [from, setFrom] = useState<string>('baseline');
  const [to, setTo] = useState<string>('current');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const p = await api.list(modelId);
      setVersions(p.items);
      setNext(p.nextToken);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [api, modelId]);
  // Every save is a version: list again when the editor's revision moves.
  useEffect(() => {
    void load();
  }, [load, revision]);

  const more = async () => {
    if (!next) return;
    try {
      const p = await api.list(modelId, next);
      setVersions((vs) => [...vs, ...p.items]);
      setNext(p.nextToken);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const replace = (v: Version) => setVersions((vs) => vs.map((x) => (x.revision === v.revision ? v : x)));
  const baseline = baselineRevision(versions);
  const editBlocked = editAllowed(role).reason;

  const review = async (v: Version, action: ReviewAction) => {
    try {
      replace(await api.review(modelId, v.revision, action));
      setError(null);
    } catch (e) {
      setError(`${ACTION_TEXT[action]} failed: ${errorText(e)}`);
      void load();
    }
  };
  // Approving and rejecting are confirmed in a dialog, with a comment; its errors stay in the dialog.
  const decide = async (v: Version, action: ReviewAction, comment: string) => {
    try {
      replace(await api.review(modelId, v.revision, action, comment || undefined));
    } catch (e) {
      void load();
      throw e;
    }
  };

  const name = async (v: Version, n: string) => replace(await api.name(modelId, v.revision, n));

  const restore = async (v: Version) => {
    const s = store.getState();
    await api.restore(modelId, v.revision, s.revision);
    // The editor opens the restored content at its new revision.
    await store.getState().openModel(modelId);
    setViewing(null);
    await load();
  };

  const compareFile = async (f: File | undefined) => {
    if (!f) return;
    try {
      const side = await fileSide(f.name, await f.text(), interop.importPreview);
      setError(null);
      setComparing({ from: ref(from), to: side });
    } catch (e) {
      setError(`Cannot compare with ${f.name}: ${errorText(e)}`);
    }
  };

  const ref = (s: string): DiffRef => (s === 'baseline' || s === 'current' ? s : Number(s));
  const options = (
    <>
      <option value="current">{refLabel('current')}</option>
      <option value="baseline" disabled={baseline === undefined}>{refLabel('baseline')}{baseline === undefined ? ' — none approved yet' : ` — version ${baseline}`}</option>
      {versions.map((v) => <option key={v.revision} value={String(v.revision)}>{versionTitle(v)}</option>)}
    </>
  );

  return (
    <aside className="history-panel" aria-label="History">
      <div className="history-head">
        <h2>History</h2>
        <span className="grow" />
        <button type="button" className="small" onClick={() => void load()} disabled={loading}>Refresh</button>
        <button type="button" className="small" onClick={onClose} aria-label="Close the History">×</button>
      </div>
      <form className="history-compare" onSubmit={(e) => { e.preventDefault(); setComparing({ from: ref(from), to: ref(to) }); }}>
        <label>From <select aria-label="Compare from" value={from} onChange={(e) => setFrom(e.target.value)}>{options}</select></label>
        <label>To <select aria-label="Compare to" value={to} onChange={(e) => setTo(e.target.value)}>{options}</select></label>
        <button type="submit" className="small" disabled={from === to || (from === 'baseline' && baseline === undefined) || (to === 'baseline' && baseline === undefined)}>Compare</button>
      </form>
      <label className="history-file" title={editBlocked ?? 'A Bulwark model (JSON) or a file the importer reads: CloudFormation, Terraform plan, OTM, Threat Dragon, Threat Composer'}>
        Compare “From” with a file
        <input type="file" accept=".json,.yaml,.yml,.template,.tf.json" disabled={!!editBlocked} onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; void compareFile(f); }} />
      </label>
      {baseline === undefined && !loading && <p className="hint">No baseline yet: a version becomes the baseline when a reviewer approves it.</p>}
      {error && <div className="banner error small" role="alert">{error}</div>}
      {loading && versions.length === 0 && <p className="hint">Loading versions…</p>}
      {!loading && versions.length === 0 && !error && <p className="hint">No saved versions yet.</p>}
      <ol className="history-list" aria-label="Versions">
        {versions.map((v) => {
          const submit = reviewAllowed(v, 'submit', role);
          const approve = reviewAllowed(v, 'approve', role);
          const reject = reviewAllowed(v, 'reject', role);
          const reason = v.review?.state === 'submitted' ? approve.reason : !v.review || v.review.state === 'rejected' ? submit.reason : undefined;
          return (
            <li key={v.revision} aria-label={versionTitle(v)} data-revision={v.revision} data-review={v.review?.state ?? ''} className={v.revision === baseline ? 'baseline' : undefined}>
              <div className="history-item-head">
                <b>Version {v.revision}</b>
                {v.name && <span className="version-name">{v.name}</span>}
                {v.revision === revision && <span className="badge">current</span>}
                {v.revision === baseline && <span className="badge baseline" title="The newest approved version: what the CI gate compares with">Baseline</span>}
                {v.review && <span className={`badge review-${v.review.state}`}>{v.review.state}</span>}
              </div>
              <div className="hint">{v.author || 'unknown'} · <time dateTime={v.savedAt}>{new Date(v.savedAt).toLocaleString()}</time></div>
              <div className="history-summary">{v.summary}</div>
              {v.review && <div className="hint">{reviewText(v)}</div>}
              <div className="history-actions">
                <button type="button" className="small" onClick={() => setViewing(v)} aria-label={`Open version ${v.revision}`}>Open</button>
                <button type="button" className="small" onClick={() => setNaming(v)} disabled={!!editBlocked} title={editBlocked} aria-label={`Name version ${v.revision}`}>Name</button>
                {(!v.review || v.review.state === 'rejected') && (
                  <button type="button" className="small" onClick={() => void review(v, 'submit')} disabled={!submit.ok} title={submit.reason} aria-label={`Submit version ${v.revision} for review`}>Submit for review</button>
                )}
                {v.review?.state === 'submitted' && (
                  <>
                    <button type="button" className="small primary" onClick={() => setDeciding({ v, action: 'approve' })} disabled={!approve.ok} title={approve.reason} aria-label={`Approve version ${v.revision}`}>Approve</button>
                    <button type="button" className="small" onClick={() => setDeciding({ v, action: 'reject' })} disabled={!reject.ok} title={reject.reason} aria-label={`Reject version ${v.revision}`}>Reject</button>
                  </>
                )}
              </div>
              {reason && <div className="hint history-reason">{reason}</div>}
            </li>
          );
        })}
      </ol>
      {next && <button type="button" className="small" onClick={() => void more()}>Older versions</button>}
      {viewing && (
        <VersionView
          api={api}
          modelId={modelId}
          version={versions.find((x) => x.revision === viewing.revision) ?? viewing}
          restoreBlocked={restoreAllowed(role, dirty, viewing.revision === revision).reason}
          nameBlocked={editBlocked}
          onRestore={() => restore(viewing)}
          onName={(n) => name(viewing, n)}
          onClose={() => setViewing(null)}
        />
      )}
      {deciding && <ReviewDialog version={deciding.v} action={deciding.action} onSave={(c) => decide(deciding.v, deciding.action, c)} onClose={() => setDeciding(null)} />}
      {naming && <NameDialog version={naming} onSave={(n) => name(naming, n)} onClose={() => setNaming(null)} />}
      {comparing && <DiffView api={api} modelId={modelId} from={comparing.from} to={comparing.to} onClose={() => setComparing(null)} />}
    </aside>
  );
}
