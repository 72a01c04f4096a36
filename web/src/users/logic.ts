// Pure helpers of Settings → Users: the Users API's answers turned into what
// the page shows (problem → field errors, 503/403 → an explanation), and
// list updates after invite, role change and removal.
import { ApiError } from '../api/client';
import type { Session } from '../auth/session';

export type UserRole = 'viewer' | 'reviewer' | 'editor' | 'admin';

/** ROLES are the roles (Cognito groups), least privileged first; GET /users answers the server's list. */
export const ROLES: UserRole[] = ['viewer', 'reviewer', 'editor', 'admin'];

export const ROLE_HINT: Record<string, string> = {
  viewer: 'reads threat models',
  reviewer: 'reads threat models, approves or rejects their versions',
  editor: 'edits threat models',
  admin: 'edits, and manages settings and users',
};

/** User is one member of the tenant (pkg/users.User). */
export interface User {
  username: string;
  email: string;
  /** role is "" when the user is in no role group (e.g. removed). */
  role: string;
  status: string;
  enabled: boolean;
  created?: string;
}

export interface UserList {
  items: User[];
  roles: string[];
}

export interface InviteForm {
  email: string;
  role: UserRole;
}

export type InviteField = keyof InviteForm;

/** FormErrors are messages by form field, and one for the form as a whole. */
export interface FormErrors<F extends string = string> {
  fields: Partial<Record<F, string>>;
  form?: string;
}

/** fieldOf turns a problem's JSON Pointer ("/email") or name ("email") into a form field, if the form has it. */
export function fieldOf<F extends string>(pointer: string | undefined, fields: readonly F[]): F | undefined {
  if (!pointer) return undefined;
  const key = pointer.replace(/^#?\//, '').split('/')[0];
  return fields.find((f) => f === key);
}

/**
 * problemErrors maps an API error to messages next to the form's fields:
 * the problem's field and every entry of problems[] that names one; what
 * names no field of the form goes to the form as a whole.
 */
export function problemErrors<F extends string>(e: unknown, fields: readonly F[]): FormErrors<F> {
  const out: FormErrors<F> = { fields: {} };
  if (!(e instanceof ApiError)) {
    out.form = (e as Error)?.message ?? String(e);
    return out;
  }
  const p = e.problem;
  const rest: string[] = [];
  const f = fieldOf(p.field, fields);
  if (f) out.fields[f] = p.detail || p.title || e.message;
  for (const q of p.problems ?? []) {
    const g = fieldOf(q.field, fields);
    if (g && !out.fields[g]) out.fields[g] = q.message;
    else if (!g) rest.push(q.field ? `${q.field}: ${q.message}` : q.message);
  }
  if (!f && !Object.keys(out.fields).length) rest.unshift(e.message);
  if (rest.length) out.form = rest.join('; ');
  return out;
}

/** inviteErrors: problemErrors for the invite form; a 409 is an address that already has an account. */
export function inviteErrors(e: unknown, email: string): FormErrors<InviteField> {
  if (e instanceof ApiError && e.status === 409) {
    return { fields: { email: `${email.trim()} already has an account in this tenant (or another one); change its role in the list instead.` } };
  }
  return problemErrors(e, ['email', 'role'] as const);
}

/** validateInvite checks what the browser can: an address and a role. The server checks the address's form. */
export function validateInvite(f: InviteForm, roles: readonly string[] = ROLES): FormErrors<InviteField> {
  const out: FormErrors<InviteField> = { fields: {} };
  if (!f.email.trim()) out.fields.email = 'An email address is required.';
  if (!roles.includes(f.role)) out.fields.role = `Pick one of ${roles.join(', ')}.`;
  return out;
}

export const hasErrors = (e: FormErrors): boolean => !!e.form || Object.values(e.fields).some(Boolean);

/** Blocked says why the page cannot manage users: the server has no user directory (503), or the caller is no admin. */
export interface Blocked {
  kind: 'unavailable' | 'forbidden';
  message: string;
}

/** blockedBy reads a 503 or 403 answer as an explanation rather than an error. */
export function blockedBy(e: unknown): Blocked | undefined {
  if (!(e instanceof ApiError)) return undefined;
  if (e.status === 503) return { kind: 'unavailable', message: e.problem.detail || e.message };
  if (e.status === 403) return { kind: 'forbidden', message: e.problem.detail || 'Only admins can manage users.' };
  return undefined;
}

/** notAdmin explains, from GET /session, why the page is closed to the caller; undefined for an admin. */
export function notAdmin(s: Session | null): Blocked | undefined {
  if (!s) return undefined;
  if (s.role === 'admin') return undefined;
  const who = s.user ? `${s.user} has` : 'You have';
  return {
    kind: 'forbidden',
    message: `${who} the ${s.role ?? 'no'} role. Only admins can invite users and change their roles; ask an admin of your tenant${s.tenant ? ` (${s.tenant})` : ''}.`,
  };
}

/** isSelf: admins cannot change their own role or remove themselves (the server refuses). */
export function isSelf(u: User, s: Session | null): boolean {
  return !!s?.user && (s.user === u.username || s.user === u.email);
}

const STATUS: Record<string, string> = {
  FORCE_CHANGE_PASSWORD: 'Invited',
  CONFIRMED: 'Active',
  UNCONFIRMED: 'Unconfirmed',
  RESET_REQUIRED: 'Password reset required',
  ARCHIVED: 'Archived',
  COMPROMISED: 'Compromised',
  EXTERNAL_PROVIDER: 'Federated',
};

/** statusLabel is a readable form of the directory's account status. */
export function statusLabel(status: string): string {
  return STATUS[status] ?? (status ? status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ') : '—');
}

export const sortUsers = (xs: User[]): User[] => [...xs].sort((a, b) => (a.email || a.username).localeCompare(b.email || b.username));

/** upsertUser puts u in the list (by username), replacing the old entry. */
export function upsertUser(xs: User[], u: User): User[] {
  return sortUsers([...xs.filter((x) => x.username !== u.username), u]);
}
