import { useState } from 'react';
import { DriftToggle } from '../accelerator/DriftPanel';
import { ReportsMenu } from '../evidence/ReportsMenu';
import { JiraLinkDialog } from '../jira/JiraLinkDialog';
import { useApp } from '../store';

/**
 * ModelTools are the editor-head controls of the integrations: the Drift
 * Log of an Accelerator model, the model's Integrations (Jira link) and
 * the reports.
 */
export function ModelTools() {
  const modelId = useApp((s) => s.modelId);
  const [linking, setLinking] = useState(false);
  if (!modelId) return null;
  return (
    <div className="toolbar" style={{ flex: '0 0 auto' }}>
      <DriftToggle />
      <button type="button" onClick={() => setLinking(true)} data-testid="btn-integrations">Integrations</button>
      <ReportsMenu modelId={modelId} />
      {linking && <JiraLinkDialog modelId={modelId} onClose={() => setLinking(false)} />}
    </div>
  );
}
