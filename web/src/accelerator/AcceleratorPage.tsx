import { useEffect, useState } from 'react';
import { isAdmin, useAuth } from '../auth/session';
import { useApp } from '../store';
import { AddAccountDialog, PendingAccounts } from './AddAccountDialog';
import { OrgTree } from './OrgTree';
import { SummaryCards } from './SummaryCards';
import { VpcTable } from './VpcTable';
import { EvidenceImport } from '../evidence/EvidenceImport';
import type { Account } from './types';
import './accelerator.css';

/** AcceleratorPage is the Accelerator dashboard: counts, the organization tree and the VPC table. */
export default function AcceleratorPage() {
  const load = useApp((s) => s.loadAccelerator);
  const error = useApp((s) => s.accelError);
  const loading = useApp((s) => s.accelLoading);
  const { session } = useAuth();
  // null: closed; 'new': a new account; an account: resume its steps.
  const [adding, setAdding] = useState<Account | 'new' | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="accel" data-testid="accelerator">
      <div className="accel-head">
        <h1>Accelerator</h1>
        <div className="drift-actions">
          {isAdmin(session) && <button type="button" onClick={() => setAdding('new')} data-testid="accel-add-account">Add account</button>}
          <EvidenceImport />
          <button type="button" onClick={() => void load()} disabled={loading} data-testid="accel-refresh">Refresh</button>
        </div>
      </div>
      {error && <div className="banner error" role="alert" data-testid="accel-error">{error}</div>}
      {isAdmin(session) && <PendingAccounts onResume={(a) => setAdding(a)} />}
      <SummaryCards />
      <div className="accel-body">
        <OrgTree />
        <VpcTable />
      </div>
      {adding && <AddAccountDialog account={adding === 'new' ? undefined : adding} onClose={() => setAdding(null)} />}
    </div>
  );
}
