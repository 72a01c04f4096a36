import { useMemo, useState, type FormEvent } from 'react';
import { errorText } from '../api/rest';
import { useApp } from '../store';
import { Dialog } from '../ui/Dialog';
import { EvidencePullStatus } from './EvidencePullStatus';
import { addAccountSteps, validAccountId, type AddStepState } from './logic';
import type { Account } from './types';

const STEP_MARK: Record<AddStepState, string> = { done: '✓', current: '●', todo: '○', failed: '✗' };

/**
 * AddAccountDialog connects a member account in three steps: register its id (Bulwark generates the
 * ExternalId), deploy the member stack with the command shown, then verify (Bulwark assumes the role).
 * Given a registered account it resumes at the deploy step.
 */
export function AddAccountDialog({ account: initial, onClose }: { account?: Account; onClose: () => void }) {
  const register = useApp((s) => s.registerAccount);
  const verify = useApp((s) => s.verifyAccount);
  const [account, setAccount] = useState<Account | null>(initial ?? null);
  // The store's copy keeps the last evidence pull, which a verification does not answer.
  const stored = useApp((s) => (account ? s.accelAccounts.find((a) => a.id === account.id) : undefined));
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState<'register' | 'verify' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const steps = addAccountSteps(account, busy === 'verify');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!validAccountId(id)) return setError('An AWS account id is 12 digits.');
    setError(null);
    setBusy('register');
    try {
      setAccount(await register(id, name));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  const check = async () => {
    if (!account) return;
    setError(null);
    setBusy('verify');
    try {
      setAccount(await verify(account.id));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  const copy = async () => {
    if (!account?.deployCommand) return;
    try {
      await navigator.clipboard.writeText(account.deployCommand);
      setCopied(true);
    } catch {
      setError('The browser did not allow copying; select the command and copy it.');
    }
  };

  return (
    <Dialog title="Add an AWS account" onClose={onClose} testId="add-account-dialog" wide>
      <ol className="add-steps">
        <li data-testid="add-step-register" data-state={steps[0]}><span>{STEP_MARK[steps[0]]}</span> Register the account</li>
        <li data-testid="add-step-deploy" data-state={steps[1]}><span>{STEP_MARK[steps[1]]}</span> Deploy the member stack in it</li>
        <li data-testid="add-step-verify" data-state={steps[2]}><span>{STEP_MARK[steps[2]]}</span> Verify access</li>
      </ol>
      {!account ? (
        <form onSubmit={submit} className="form">
          <label>
            AWS account id
            <input value={id} onChange={(e) => setId(e.target.value)} inputMode="numeric" placeholder="123456789012" autoFocus required data-testid="add-account-id" />
          </label>
          <label>
            Name <span className="hint">(optional)</span>
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} data-testid="add-account-name" />
          </label>
          <p className="hint">Bulwark needs no keys and no role ARN: it generates an ExternalId for the account and reads it through the read-only role the member stack creates.</p>
          {error && <div className="banner error" role="alert" data-testid="add-account-error">{error}</div>}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>Cancel</button>
            <button type="submit" className="primary" disabled={busy !== null} data-testid="add-account-register">{busy ? 'Registering…' : 'Register'}</button>
          </div>
        </form>
      ) : (
        <div className="form">
          <p>
            Account <b data-testid="add-account-registered">{account.id}</b> ({account.name}) is registered.
          </p>
          {account.deployCommand && (
            <>
              <p>Run this with credentials of account {account.id} (for example in AWS CloudShell, from a folder with Bulwark's <code>cdk.out</code>). It creates the read-only role <code>bulwark/BulwarkReadOnly</code>, which trusts this platform only with the account's ExternalId.</p>
              <pre className="deploy-command" data-testid="add-account-command">{account.deployCommand}</pre>
              <div className="drift-actions">
                <button type="button" className="small" onClick={() => void copy()} data-testid="add-account-copy" data-copied={copied}>{copied ? 'Copied' : 'Copy command'}</button>
              </div>
            </>
          )}
          <p data-testid="add-account-state" data-state={account.status}>
            {account.status === 'verified' ? 'Connected: Bulwark reads this account.' : account.status === 'failed' ? 'Not connected yet: the last verification failed.' : 'Not connected yet: deploy the stack, then verify.'}
          </p>
          {account.status === 'verified' && <EvidencePullStatus account={{ ...account, evidencePull: account.evidencePull ?? stored?.evidencePull }} />}
          {account.status === 'failed' && account.verifyError && <div className="banner error" role="alert" data-testid="add-account-verify-error">{account.verifyError}</div>}
          {error && <div className="banner error" role="alert" data-testid="add-account-error">{error}</div>}
          <div className="dialog-actions">
            <button type="button" onClick={onClose} data-testid="add-account-close">{account.status === 'verified' ? 'Done' : 'Close'}</button>
            {account.status !== 'verified' && (
              <button type="button" className="primary" onClick={() => void check()} disabled={busy !== null} data-testid="add-account-verify">{busy === 'verify' ? 'Verifying…' : 'Verify'}</button>
            )}
          </div>
        </div>
      )}
    </Dialog>
  );
}

/** PendingAccounts lists registered accounts that are not connected yet, each resumable in the dialog. */
export function PendingAccounts({ onResume }: { onResume: (a: Account) => void }) {
  const accounts = useApp((s) => s.accelAccounts);
  const pending = useMemo(() => accounts.filter((a) => a.status !== 'verified'), [accounts]);
  if (pending.length === 0) return null;
  return (
    <div className="banner small" data-testid="pending-accounts">
      Not connected yet:{' '}
      {pending.map((a) => (
        <button key={a.id} type="button" className="small" onClick={() => onResume(a)} data-testid={`pending-account-${a.id}`} data-status={a.status}>
          {a.name} ({a.id})
        </button>
      ))}
    </div>
  );
}
