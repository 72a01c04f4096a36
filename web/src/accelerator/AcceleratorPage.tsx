import { useEffect } from 'react';
import { useApp } from '../store';
import { OrgTree } from './OrgTree';
import { SummaryCards } from './SummaryCards';
import { VpcTable } from './VpcTable';
import { EvidenceImport } from '../evidence/EvidenceImport';
import './accelerator.css';

/** AcceleratorPage is the Accelerator dashboard: counts, the organization tree and the VPC table. */
export default function AcceleratorPage() {
  const load = useApp((s) => s.loadAccelerator);
  const error = useApp((s) => s.accelError);
  const loading = useApp((s) => s.accelLoading);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="accel" data-testid="accelerator">
      <div className="accel-head">
        <h1>Accelerator</h1>
        <div className="drift-actions">
          <EvidenceImport />
          <button type="button" onClick={() => void load()} disabled={loading} data-testid="accel-refresh">Refresh</button>
        </div>
      </div>
      {error && <div className="banner error" role="alert" data-testid="accel-error">{error}</div>}
      <SummaryCards />
      <div className="accel-body">
        <OrgTree />
        <VpcTable />
      </div>
    </div>
  );
}
