import { useEffect, useState } from 'react';
import { useRestApi } from '../api/context';
import { errorText } from '../api/rest';
import { Dialog } from '../ui/Dialog';
import { jiraApi } from './api';
import { resultKeys, safeIssueUrl } from './logic';
import type { JiraDraft } from './types';

export function IssueKeyLink({ issue, testId }: { issue: { key: string; url?: string }; testId?: string }) {
  const href = safeIssueUrl(issue.url, issue.key);
  return href ? <a href={href} target="_blank" rel="noreferrer" data-testid={testId}>{issue.key}</a> : <span data-testid={testId}>{issue.key}</span>;
}

/** CreateIssueDialog reviews prefilled Jira issues for threats or requirements and creates them. */
export function CreateIssueDialog({ modelId, items, onClose, onCreated }: { modelId: string; items: string[]; onClose: () => void; onCreated?: () => void }) {
  const api = useRestApi(jiraApi);
  const [drafts, setDrafts] = useState<JiraDraft[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [links, setLinks] = useState<Record<string, { key: string; url?: string }>>({});
  const [failed, setFailed] = useState<Record<string, string>>({});
  useEffect(() => {
    api.drafts(modelId, items).then(setDrafts, (e) => setError(errorText(e)));
  }, [api, modelId, items]);
  const edit = (i: number, p: Partial<JiraDraft>) => setDrafts((ds) => ds && ds.map((d, j) => (j === i ? { ...d, ...p } : d)));
  const todo = (drafts ?? []).filter((d) => !d.existing && !links[d.item]);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = resultKeys(await api.createIssues(modelId, todo.map((d) => ({ item: d.item, summary: d.summary, description: d.description }))));
      setLinks((l) => ({ ...l, ...r.links }));
      setFailed(r.failed);
      onCreated?.();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={items.length === 1 ? 'Create Jira issue' : `Create ${items.length} Jira issues`} onClose={onClose} testId="jira-create-dialog" wide>
      {!drafts && !error && <p className="loading">Preparing…</p>}
      <div className="form">
        {drafts?.map((d, i) => {
          const done = d.existing ?? links[d.item];
          return (
            <fieldset key={d.item} data-testid={`jira-draft-${i}`} data-item={d.item}>
              <legend>{d.kind === 'threat' ? 'Threat' : 'Security requirement'} → {d.project} / {d.issueType}</legend>
              {done ? (
                <p>Issue <IssueKeyLink issue={done} testId={`jira-issue-link-${i}`} /> {d.existing ? 'already exists' : 'created'}: {d.summary}</p>
              ) : (
                <>
                  <label>Summary<input value={d.summary} maxLength={255} onChange={(e) => edit(i, { summary: e.target.value })} data-testid={`jira-draft-summary-${i}`} /></label>
                  <label>Description (Markdown)<textarea rows={items.length > 1 ? 4 : 10} value={d.description} onChange={(e) => edit(i, { description: e.target.value })} data-testid={`jira-draft-description-${i}`} /></label>
                  {failed[d.item] && <div className="banner error small" role="alert">{failed[d.item]}</div>}
                </>
              )}
            </fieldset>
          );
        })}
        {error && <div className="banner error" role="alert" data-testid="jira-create-error">{error}</div>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose} data-testid="jira-create-close">{todo.length ? 'Cancel' : 'Close'}</button>
          {todo.length > 0 && <button type="button" className="primary" disabled={busy || !drafts} onClick={() => void save()} data-testid="jira-create-save">{busy ? 'Creating…' : 'Save'}</button>}
        </div>
      </div>
    </Dialog>
  );
}
