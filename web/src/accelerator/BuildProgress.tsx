import { complianceText, runError, runProgress } from './logic';
import type { StepName, WorkflowRun } from './types';

const STEP_LABEL: Record<StepName, string> = {
  collect: 'Collect AWS Config data',
  build: 'Build the diagram',
  analyze: 'Analyze threats',
  evaluate: 'Evaluate evidence',
  persist: 'Save the threat model',
  check: 'Compare the model with its VPC',
  sync: 'Apply the VPC to the model',
};

/** BuildProgress shows a build run's steps and a progress bar; the evaluate step shows what the evidence says. */
export function BuildProgress({ run }: { run: WorkflowRun }) {
  const p = runProgress(run);
  const err = runError(run);
  return (
    <div data-testid="build-progress" data-status={run.status}>
      <div className={`progress${p.failed ? ' failed' : ''}`} role="progressbar" aria-valuenow={p.percent} aria-valuemin={0} aria-valuemax={100}>
        <div style={{ width: `${p.percent}%` }} />
      </div>
      <ul className="build-steps">
        {run.steps.map((s) => (
          <li key={s.name} className={`step-${s.status}`} data-testid={`build-step-${s.name}`} data-status={s.status}>
            <span>{s.status === 'succeeded' ? '✓' : s.status === 'failed' ? '✗' : s.status === 'running' ? '…' : s.status === 'skipped' ? '–' : '○'}</span>
            <span>{STEP_LABEL[s.name] ?? s.name}</span>
            {s.durationMs > 0 && <span className="hint">{s.durationMs} ms</span>}
            {s.name === 'evaluate' && s.output?.compliance && <span className="hint" data-testid="build-compliance">{complianceText(s.output.compliance)}</span>}
            {s.status === 'skipped' && <span className="hint">skipped</span>}
          </li>
        ))}
      </ul>
      {err && <div className="banner error" role="alert">{err}</div>}
    </div>
  );
}
