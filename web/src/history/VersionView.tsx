// One old version of the model, shown read-only over the editor with what
// can be done with it: restore it as a new version, or name it.
import { useEffect, useState } from 'react';
import { errorText } from '../api/rest';
import { useApp } from '../store';
import type { ThreatModel } from '../schema/types';
import type { HistoryApi, Version } from './api';
import { versionTitle } from './logic';
import { NameDialog } from './NameDialog';
import { Overlay } from './Overlay';
import { ReadOnlyDiagram } from './ReadOnlyDiagram';

export interface VersionViewProps {
  api: HistoryApi;
  modelId: string;
  version: Version;
  /** restoreBlocked is why restoring is not possible now (no editor role, unsaved changes), if it is not. */
  restoreBlocked?: string;
  nameBlocked?: string;
  onRestore: () => Promise<void>;
  onName: (name: string) => Promise<void>;
  onClose: () => void;
}

/** VersionView shows version read-only, with a banner saying so, and its Restore and Name actions. */
export function VersionView({ api, modelId, version, restoreBlocked, nameBlocked, onRestore, onName, onClose }: VersionViewProps) {
  const catalog = useApp((s) => s.catalog);
  const [doc, setDoc] = useState<ThreatModel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [naming, setNaming] = useState(false);
  useEffect(() => {
    let live = true;
    setDoc(null);
    api.get(modelId, version.revision).then((d) => live && setDoc(d), (e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [api, modelId, version.revision]);

  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      await onRestore();
    } catch (e) {
      setError(`Restore failed: ${errorText(e)}`);
      setBusy(false);
    }
  };

  const title = `Version ${version.revision} — read-only`;
  return (
    <Overlay label={title} onClose={onClose} testId="version-view">
      <div className="history-bar readonly-banner">
        <h2>{title}</h2>
        <span className="hint">
          {version.name && <b>{version.name} · </b>}saved by {version.author || 'unknown'} {new Date(version.savedAt).toLocaleString()} · {version.summary}
        </span>
        <span className="grow" />
        <button type="button" onClick={() => setNaming(true)} disabled={!!nameBlocked} title={nameBlocked}>Name this version</button>
        <button type="button" className="primary" onClick={() => void restore()} disabled={busy || !!restoreBlocked} title={restoreBlocked ?? 'Make this version the model’s content again, as a new version; nothing is lost'}>
          {busy ? 'Restoring…' : 'Restore as new version'}
        </button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      {restoreBlocked && <p className="hint history-reason">{restoreBlocked}</p>}
      {error && <div className="banner error" role="alert">{error}</div>}
      {doc ? (
        <ReadOnlyDiagram doc={doc} catalog={catalog} label={`Diagram of version ${version.revision}, read-only`} testId="version-diagram" />
      ) : (
        !error && <div className="canvas loading">Loading {versionTitle(version)}…</div>
      )}
      {naming && <NameDialog version={version} onSave={onName} onClose={() => setNaming(false)} />}
    </Overlay>
  );
}
