import { useEffect, useState } from 'react';
import { useRestApi } from '../api/context';
import { errorText } from '../api/rest';
import { Dialog } from '../ui/Dialog';
import { jiraApi } from './api';
import { DEFAULT_STATUS_MAP, describeRule } from './logic';
import type { JiraInstance, JiraLink, RequirementStatus, StatusRule, ThreatStatus } from './types';

const THREAT: ThreatStatus[] = ['Open', 'In Progress', 'Mitigated', 'Not Applicable', 'Risk Accepted'];
const REQUIREMENT: RequirementStatus[] = ['Open', 'In Progress', 'Implemented', 'Not Applicable', 'Risk Accepted'];

/** JiraLinkDialog is a model's Integrations switch and Jira link: instance, project, issue types and status mapping. */
export function JiraLinkDialog({ modelId, onClose, onSaved }: { modelId: string; onClose: () => void; onSaved?: (l: JiraLink) => void }) {
  const api = useRestApi(jiraApi);
  const [instances, setInstances] = useState<JiraInstance[] | null>(null);
  const [link, setLink] = useState<JiraLink | null>(null);
  const [types, setTypes] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    Promise.all([api.instances(), api.link(modelId)])
      .then(([is, l]) => {
        setInstances(is);
        setLink({ ...l, instance: l.instance || is[0]?.id, statusMap: l.statusMap?.length ? l.statusMap : DEFAULT_STATUS_MAP });
      })
      .catch((e) => setError(errorText(e)));
  }, [api, modelId]);
  const instance = link?.instance;
  const project = link?.project?.trim();
  useEffect(() => {
    if (!instance || !project) return setTypes([]);
    const t = setTimeout(() => {
      api.issueTypes(instance, project).then((xs) => setTypes(xs.filter((x) => !x.subtask).map((x) => x.name)), () => setTypes([]));
    }, 300);
    return () => clearTimeout(t);
  }, [api, instance, project]);
  if (!link || !instances) {
    return <Dialog title="Integrations" onClose={onClose} testId="jira-link-dialog">{error ? <div className="banner error">{error}</div> : <p className="loading">Loading…</p>}</Dialog>;
  }
  const set = (p: Partial<JiraLink>) => setLink({ ...link, ...p });
  const setRule = (i: number, p: Partial<StatusRule>) => set({ statusMap: (link.statusMap ?? []).map((r, j) => (j === i ? { ...r, ...p } : r)) });
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const { revision, model: _model, ...body } = link;
      void _model;
      const saved = await api.saveLink(modelId, revision ?? 0, { ...body, project: body.project?.trim() });
      onSaved?.(saved);
      onClose();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const typeField = (key: 'threatIssueType' | 'requirementIssueType', testId: string) => (
    <>
      <input list={`${testId}-list`} value={link[key] ?? ''} onChange={(e) => set({ [key]: e.target.value })} data-testid={testId} placeholder="e.g. Task" />
      <datalist id={`${testId}-list`}>{types.map((t) => <option key={t} value={t} />)}</datalist>
    </>
  );
  return (
    <Dialog title="Integrations" onClose={onClose} testId="jira-link-dialog" wide>
      <div className="form">
        <label className="inline">
          <input type="checkbox" checked={link.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="jira-link-enabled" /> Jira integration for this threat model
        </label>
        {instances.length === 0 && <p className="hint">No Jira instance yet: an administrator adds one in Settings → Integrations.</p>}
        <fieldset disabled={!link.enabled}>
          <legend>Jira link</legend>
          <label>Instance
            <select value={link.instance ?? ''} onChange={(e) => set({ instance: e.target.value })} data-testid="jira-link-instance">
              {instances.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
            </select>
          </label>
          <label>Project key<input value={link.project ?? ''} onChange={(e) => set({ project: e.target.value.toUpperCase() })} placeholder="SEC" data-testid="jira-link-project" /></label>
          <label>Issue type for threats{typeField('threatIssueType', 'jira-link-threat-type')}</label>
          <label>Issue type for security requirements{typeField('requirementIssueType', 'jira-link-requirement-type')}</label>
          {types.length > 0 && <span className="hint" data-testid="jira-link-types">Issue types in {project}: {types.join(', ')}</span>}
          <h3>Status mapping (first matching rule wins)</h3>
          <table className="models" data-testid="jira-status-map">
            <thead><tr><th>When the issue has</th><th>Threat becomes</th><th>Requirement becomes</th></tr></thead>
            <tbody>
              {(link.statusMap ?? []).map((r, i) => (
                <tr key={i}>
                  <td>{describeRule(r)}</td>
                  <td><select value={r.threat} onChange={(e) => setRule(i, { threat: e.target.value as ThreatStatus })} aria-label="Threat status">{THREAT.map((s) => <option key={s}>{s}</option>)}</select></td>
                  <td><select value={r.requirement} onChange={(e) => setRule(i, { requirement: e.target.value as RequirementStatus })} aria-label="Requirement status">{REQUIREMENT.map((s) => <option key={s}>{s}</option>)}</select></td>
                </tr>
              ))}
            </tbody>
          </table>
          <div><button type="button" className="small" onClick={() => set({ statusMap: DEFAULT_STATUS_MAP })} data-testid="jira-status-defaults">Reset to defaults</button></div>
        </fieldset>
        {error && <div className="banner error" role="alert" data-testid="jira-link-error">{error}</div>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="button" className="primary" disabled={busy} onClick={() => void save()} data-testid="jira-link-save">Save</button>
        </div>
      </div>
    </Dialog>
  );
}
