import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useRestApi } from '../api/context';
import { errorText } from '../api/rest';
import { ConfirmDialog, Dialog } from '../ui/Dialog';
import { jiraApi } from './api';
import { emptyInstanceForm, formOf, instanceInput, validateInstance, type InstanceForm } from './logic';
import type { JiraConnection, JiraInstance } from './types';

/** JiraInstances is the admin list of the tenant's Jira instances: add, edit, test connection, remove. Secrets are never shown back. */
export function JiraInstances() {
  const api = useRestApi(jiraApi);
  const [items, setItems] = useState<JiraInstance[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<JiraInstance | 'new' | null>(null);
  const [removing, setRemoving] = useState<JiraInstance | null>(null);
  const [tests, setTests] = useState<Record<string, JiraConnection | 'testing'>>({});
  const load = useCallback(async () => {
    try {
      setItems(await api.instances());
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api]);
  useEffect(() => void load(), [load]);
  const test = async (i: JiraInstance) => {
    setTests((t) => ({ ...t, [i.id]: 'testing' }));
    try {
      const r = await api.test(i.id);
      setTests((t) => ({ ...t, [i.id]: r }));
    } catch (e) {
      setTests((t) => ({ ...t, [i.id]: { ok: false, error: errorText(e) } }));
    }
  };
  const remove = async (i: JiraInstance) => {
    setRemoving(null);
    try {
      await api.deleteInstance(i.id, i.revision);
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section data-testid="jira-instances">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2>Jira instances</h2>
        <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="jira-add">Add Jira instance</button>
      </div>
      {error && <div className="banner error" role="alert">{error}</div>}
      {items && items.length === 0 && <p className="hint">No Jira instance yet.</p>}
      {items && items.length > 0 && (
        <table className="models">
          <thead><tr><th>Name</th><th>Base URL</th><th>Auth</th><th>Secrets</th><th>Webhook URL</th><th /></tr></thead>
          <tbody>
            {items.map((i) => {
              const t = tests[i.id];
              return (
                <tr key={i.id} data-testid={`jira-instance-${i.id}`}>
                  <td><b>{i.name}</b></td>
                  <td>{i.baseUrl}</td>
                  <td>{i.deployment === 'cloud' ? `Cloud (${i.email})` : 'Data Center (PAT)'}</td>
                  <td data-testid={`jira-secrets-${i.id}`}>{i.hasToken ? 'token ✓' : 'no token'}{' · '}{i.hasWebhookSecret ? 'webhook secret ✓' : 'no webhook'}</td>
                  <td className="hint">{i.webhookPath}</td>
                  <td>
                    <div className="row">
                      <button type="button" className="small" onClick={() => void test(i)} disabled={t === 'testing'} data-testid={`jira-test-${i.id}`}>Test connection</button>
                      <button type="button" className="small" onClick={() => setEditing(i)} data-testid={`jira-edit-${i.id}`}>Edit</button>
                      <button type="button" className="small danger" onClick={() => setRemoving(i)} data-testid={`jira-remove-${i.id}`}>Remove</button>
                    </div>
                    {t && t !== 'testing' && (
                      <div className={t.ok ? 'conn-ok' : 'conn-fail'} data-testid={`jira-test-result-${i.id}`} data-ok={t.ok}>
                        {t.ok ? `Connected to ${t.serverTitle ?? 'Jira'} ${t.version ?? ''} as ${t.user ?? '?'}` : `Failed: ${t.error ?? 'unknown error'}`}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {editing && <InstanceDialog instance={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void load(); }} />}
      {removing && (
        <ConfirmDialog title="Remove Jira instance" message={`Remove ${removing.name} and its secrets? Linked issues stay in Jira.`} confirm="Remove" onConfirm={() => void remove(removing)} onCancel={() => setRemoving(null)} />
      )}
    </section>
  );
}

function InstanceDialog({ instance, onClose, onSaved }: { instance: JiraInstance | null; onClose: () => void; onSaved: () => void }) {
  const api = useRestApi(jiraApi);
  const [f, setF] = useState<InstanceForm>(() => (instance ? formOf(instance) : emptyInstanceForm()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (p: Partial<InstanceForm>) => setF((x) => ({ ...x, ...p }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = validateInstance(f, !instance);
    setErrors(v);
    if (Object.keys(v).length) return;
    setBusy(true);
    try {
      if (instance) await api.patchInstance(instance.id, instance.revision, instanceInput(f));
      else await api.createInstance(instanceInput(f));
      onSaved();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  const err = (k: string) => errors[k] && <span className="banner error small">{errors[k]}</span>;
  const cloud = f.deployment === 'cloud';
  return (
    <Dialog title={instance ? `Edit ${instance.name}` : 'Add Jira instance'} onClose={onClose} testId="jira-instance-dialog">
      <form className="form" onSubmit={submit}>
        <label>Name<input value={f.name} onChange={(e) => set({ name: e.target.value })} maxLength={100} data-testid="jira-name" />{err('name')}</label>
        <label>Base URL<input value={f.baseUrl} placeholder="https://example.atlassian.net" onChange={(e) => set({ baseUrl: e.target.value })} data-testid="jira-url" />{err('baseUrl')}</label>
        <fieldset>
          <legend>Deployment</legend>
          <label className="inline"><input type="radio" name="jira-dep" checked={cloud} onChange={() => set({ deployment: 'cloud' })} data-testid="jira-cloud" /> Cloud (email + API token)</label>
          <label className="inline"><input type="radio" name="jira-dep" checked={!cloud} onChange={() => set({ deployment: 'datacenter' })} data-testid="jira-datacenter" /> Data Center (personal access token)</label>
        </fieldset>
        {cloud && <label>Email<input type="email" value={f.email} onChange={(e) => set({ email: e.target.value })} data-testid="jira-email" />{err('email')}</label>}
        <label>
          {cloud ? 'API token' : 'Personal access token'}
          <input type="password" autoComplete="new-password" value={f.token} placeholder={instance?.hasToken ? 'stored — type to replace' : ''} onChange={(e) => set({ token: e.target.value })} data-testid="jira-token" />
          {err('token')}
        </label>
        <label>
          Webhook secret
          <input type="password" autoComplete="new-password" value={f.webhookSecret} placeholder={instance?.hasWebhookSecret ? 'stored — type to replace' : '16+ characters'} onChange={(e) => set({ webhookSecret: e.target.value })} data-testid="jira-webhook-secret" />
          {err('webhookSecret')}
        </label>
        {error && <div className="banner error" role="alert" data-testid="jira-instance-error">{error}</div>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy} data-testid="jira-save">Save</button>
        </div>
      </form>
    </Dialog>
  );
}
