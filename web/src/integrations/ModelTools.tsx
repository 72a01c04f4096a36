import { DriftToggle } from '../accelerator/DriftPanel';

/**
 * ModelTools are the editor-head controls of the integrations: the Drift
 * Log of an Accelerator model, the model's Jira link and the reports.
 */
export function ModelTools() {
  return (
    <div className="toolbar" style={{ flex: '0 0 auto' }}>
      <DriftToggle />
    </div>
  );
}
