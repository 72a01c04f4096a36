import { useState, type FormEvent } from 'react';
import { errorText } from '../api/rest';
import { navigate } from '../router';
import { PRIORITIES, type Priority } from '../schema/types';
import { useApp } from '../store';
import { Chip } from '../ui/Chip';
import { Dialog } from '../ui/Dialog';
import { BuildProgress } from './BuildProgress';
import { presetFor, type NewAccelModel } from './logic';
import type { VpcRow } from './types';

/** NewAcceleratorModelDialog creates an Accelerator-enabled threat model of a VPC and shows the build's progress. */
export function NewAcceleratorModelDialog({ vpc, onClose }: { vpc: VpcRow; onClose: () => void }) {
  const startBuild = useApp((s) => s.startBuild);
  const run = useApp((s) => s.accelRuns[vpc.vpcId]);
  const [form, setForm] = useState<NewAccelModel>(() => presetFor(vpc, new Date()));
  const [labelText, setLabelText] = useState('');
  const [started, setStarted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (p: Partial<NewAccelModel>) => setForm((f) => ({ ...f, ...p }));

  const addLabel = () => {
    const l = labelText.trim();
    if (l && !form.labels.includes(l)) set({ labels: [...form.labels, l] });
    setLabelText('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.name.trim()) return setError('A name is required.');
    const labels = labelText.trim() && !form.labels.includes(labelText.trim()) ? [...form.labels, labelText.trim()] : form.labels;
    setError(null);
    setStarted(true);
    try {
      await startBuild(vpc, { ...form, labels });
    } catch (err) {
      setError(errorText(err));
      setStarted(false);
    }
  };

  const shown = started ? run : undefined;
  return (
    <Dialog title="New Accelerator threat model" onClose={onClose} testId="accel-new-dialog">
      {!shown ? (
        <form onSubmit={submit} className="form">
          <label>Project type<span className="fixed-field" data-testid="accel-type">AWS Cloud Application</span></label>
          <label>VPC<span className="fixed-field" data-testid="accel-vpc">{vpc.name} ({vpc.vpcId}, {vpc.region}{vpc.cidrBlock ? `, ${vpc.cidrBlock}` : ''})</span></label>
          <label>AWS account<span className="fixed-field" data-testid="accel-account">{vpc.accountId}</span></label>
          <label>Name<input value={form.name} onChange={(e) => set({ name: e.target.value })} required maxLength={200} data-testid="accel-name" /></label>
          <label>Version<input value={form.version} onChange={(e) => set({ version: e.target.value })} maxLength={200} data-testid="accel-version" /></label>
          <label>
            Priority
            <select value={form.priority} onChange={(e) => set({ priority: e.target.value as Priority })} data-testid="accel-priority">
              {PRIORITIES.map((p) => <option key={p}>{p}</option>)}
            </select>
          </label>
          <fieldset>
            <legend>Exposure</legend>
            <label className="inline"><input type="radio" name="accel-facing" checked={form.facing === 'internal'} onChange={() => set({ facing: 'internal' })} data-testid="accel-facing-internal" /> Internal</label>
            <label className="inline"><input type="radio" name="accel-facing" checked={form.facing === 'public'} onChange={() => set({ facing: 'public' })} data-testid="accel-facing-public" /> Public facing</label>
          </fieldset>
          <label>
            Labels
            <input
              value={labelText} placeholder="type a label, press Enter" data-testid="accel-labels"
              onChange={(e) => setLabelText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') { e.preventDefault(); addLabel(); }
              }}
            />
          </label>
          {form.labels.length > 0 && (
            <div className="chips">{form.labels.map((l) => <Chip key={l} label={l} testId={`accel-label-${l}`} onRemove={() => set({ labels: form.labels.filter((x) => x !== l) })} />)}</div>
          )}
          {error && <div className="banner error" role="alert">{error}</div>}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>Cancel</button>
            <button type="submit" className="primary" disabled={started} data-testid="accel-create">Create and build</button>
          </div>
        </form>
      ) : (
        <div className="form">
          <p>Building <b>{form.name}</b> from {vpc.vpcId}…</p>
          <BuildProgress run={shown} />
          <div className="dialog-actions">
            <button type="button" onClick={onClose} data-testid="accel-close">Close</button>
            <button type="button" className="primary" disabled={shown.status !== 'succeeded'} onClick={() => navigate(`/models/${encodeURIComponent(shown.modelId)}`)} data-testid="build-open">Open diagram</button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
