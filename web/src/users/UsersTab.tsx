import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useRestApi } from '../api/context';
import { errorText } from '../api/rest';
import { useAuth } from '../auth/session';
import { ConfirmDialog, Dialog } from '../ui/Dialog';
import { usersApi, type UsersApi } from './api';
import {
  blockedBy, hasErrors, inviteErrors, isSelf, notAdmin, problemErrors, ROLE_HINT, ROLES, sortUsers, statusLabel, upsertUser, validateInvite,
  type Blocked, type FormErrors, type InviteField, type InviteForm, type User, type UserRole,
} from './logic';
import './users.css';

/** UsersTab is Settings → Users: the tenant's users, invite, role per user, remove. */
export default function UsersTab() {
  const api = useRestApi(usersApi);
  const { session } = useAuth();
  const closed = notAdmin(session);
  const [users, setUsers] = useState<User[] | null>(null);
  const [roles, setRoles] = useState<string[]>(ROLES);
  const [blocked, setBlocked] = useState<Blocked | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<User | null>(null);
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const r = await api.list();
      setUsers(sortUsers(r.items));
      setRoles(r.roles);
      setBlocked(null);
      setError(null);
    } catch (e) {
      const b = blockedBy(e);
      if (b) setBlocked(b);
      else setError(errorText(e));
    }
  }, [api]);
  useEffect(() => {
    if (!closed) void load();
  }, [closed, load]);

  const setRole = async (u: User, role: string) => {
    setBusy((b) => ({ ...b, [u.username]: true }));
    setRowErrors(({ [u.username]: _, ...rest }) => rest);
    try {
      const saved = await api.setRole(u.username, role);
      setUsers((xs) => upsertUser(xs ?? [], { ...u, ...saved }));
      setNotice(`${u.email || u.username} is now ${role === 'admin' ? 'an' : 'a'} ${role}.`);
    } catch (e) {
      const b = blockedBy(e);
      if (b) setBlocked(b);
      else {
        const fe = problemErrors(e, ['role'] as const);
        setRowErrors((r) => ({ ...r, [u.username]: fe.fields.role ?? fe.form ?? errorText(e) }));
      }
    } finally {
      setBusy(({ [u.username]: _, ...rest }) => rest);
    }
  };

  const remove = async (u: User) => {
    setRemoving(null);
    setBusy((b) => ({ ...b, [u.username]: true }));
    try {
      await api.remove(u.username);
      setNotice(`${u.email || u.username} was removed: the account is disabled and has no role.`);
      await load();
    } catch (e) {
      const b = blockedBy(e);
      if (b) setBlocked(b);
      else setRowErrors((r) => ({ ...r, [u.username]: errorText(e) }));
    } finally {
      setBusy(({ [u.username]: _, ...rest }) => rest);
    }
  };

  if (closed) return <Explanation blocked={closed} />;
  return (
    <section className="users" data-testid="users">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2>Users</h2>
        {!blocked && (
          <button type="button" className="primary" onClick={() => setInviting(true)} disabled={!users} data-testid="users-invite">Invite user</button>
        )}
      </div>
      {blocked && <Explanation blocked={blocked} />}
      {error && <div className="banner error" role="alert" data-testid="users-error">{error}</div>}
      {notice && !blocked && <div className="users-notice" role="status" data-testid="users-notice">{notice}</div>}
      {!blocked && !users && !error && <p className="hint">Loading users…</p>}
      {!blocked && users && users.length === 0 && <p className="hint" data-testid="users-empty">No users yet. Invite someone: the directory emails them a temporary password.</p>}
      {!blocked && users && users.length > 0 && (
        <table className="models users-table" data-testid="users-table">
          <thead><tr><th>Email</th><th>Role</th><th>Status</th><th>Enabled</th><th /></tr></thead>
          <tbody>
            {users.map((u) => {
              const self = isSelf(u, session);
              const removed = !u.enabled && !u.role;
              return (
                <tr key={u.username} data-testid={`user-row-${u.email || u.username}`} data-role={u.role} data-enabled={u.enabled}>
                  <td><b>{u.email || u.username}</b>{self && <span className="hint"> (you)</span>}</td>
                  <td>
                    <select
                      value={u.role}
                      onChange={(e) => void setRole(u, e.target.value)}
                      disabled={self || removed || busy[u.username]}
                      title={self ? 'You cannot change your own role; ask another admin.' : removed ? 'Removed: the account is disabled and has no role.' : undefined}
                      aria-label={`Role of ${u.email || u.username}`}
                      data-testid={`user-role-${u.email || u.username}`}
                    >
                      {!u.role && <option value="">no role</option>}
                      {roles.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                    {rowErrors[u.username] && <div className="field-error" role="alert" data-testid={`user-error-${u.email || u.username}`}>{rowErrors[u.username]}</div>}
                  </td>
                  <td title={u.status}>{statusLabel(u.status)}</td>
                  <td>{u.enabled ? 'Yes' : 'No'}</td>
                  <td>
                    {removed ? <span className="hint" data-testid={`user-removed-${u.email || u.username}`}>Removed</span> : <button
                      type="button"
                      className="small danger"
                      onClick={() => setRemoving(u)}
                      disabled={self || busy[u.username]}
                      title={self ? 'You cannot remove yourself; ask another admin.' : undefined}
                      data-testid={`user-remove-${u.email || u.username}`}
                    >Remove</button>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {inviting && (
        <InviteDialog
          api={api}
          roles={roles}
          onClose={() => setInviting(false)}
          onInvited={(u) => {
            setInviting(false);
            setUsers((xs) => upsertUser(xs ?? [], u));
            setNotice(`Invited ${u.email}: the directory emails a temporary password.`);
            void load();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title="Remove user"
          message={`Remove ${removing.email || removing.username}? The account is disabled and loses its role; they can no longer sign in.`}
          confirm="Remove"
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </section>
  );
}

function Explanation({ blocked }: { blocked: Blocked }) {
  return (
    <div className="users-blocked" data-testid={`users-${blocked.kind}`} role="note">
      <b>{blocked.kind === 'unavailable' ? 'Users are not managed here' : 'Only admins manage users'}</b>
      <p>{blocked.message}</p>
    </div>
  );
}

function InviteDialog({ api, roles, onClose, onInvited }: { api: UsersApi; roles: string[]; onClose: () => void; onInvited: (u: User) => void }) {
  const [f, setF] = useState<InviteForm>({ email: '', role: 'viewer' });
  const [errors, setErrors] = useState<FormErrors<InviteField>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = validateInvite(f, roles);
    setErrors(v);
    if (hasErrors(v)) return;
    setBusy(true);
    try {
      onInvited(await api.invite(f.email, f.role));
    } catch (err) {
      setErrors(inviteErrors(err, f.email));
      setBusy(false);
    }
  };
  const err = (k: InviteField) => errors.fields[k] && <span className="field-error" role="alert" data-testid={`invite-${k}-error`}>{errors.fields[k]}</span>;
  return (
    <Dialog title="Invite user" onClose={onClose} testId="invite-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <label>
          Email
          <input type="email" value={f.email} autoFocus onChange={(e) => setF((x) => ({ ...x, email: e.target.value }))} aria-invalid={!!errors.fields.email} data-testid="invite-email" />
          {err('email')}
        </label>
        <label>
          Role
          <select value={f.role} onChange={(e) => setF((x) => ({ ...x, role: e.target.value as UserRole }))} aria-invalid={!!errors.fields.role} data-testid="invite-role">
            {roles.map((r) => <option key={r} value={r}>{r}{ROLE_HINT[r] ? ` — ${ROLE_HINT[r]}` : ''}</option>)}
          </select>
          {err('role')}
        </label>
        <p className="hint">The directory emails a temporary password; the first sign-in asks for a new one.</p>
        {errors.form && <div className="banner error" role="alert" data-testid="invite-error">{errors.form}</div>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy} data-testid="invite-submit">Invite</button>
        </div>
      </form>
    </Dialog>
  );
}
