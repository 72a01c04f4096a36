import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { Rest } from '../api/rest';
import { usersApi } from './api';
import { blockedBy, fieldOf, hasErrors, inviteErrors, isSelf, notAdmin, problemErrors, statusLabel, upsertUser, validateInvite, type User } from './logic';

const user = (email: string, role = 'viewer'): User => ({ username: `u-${email}`, email, role, status: 'CONFIRMED', enabled: true });

describe('users: problem → field errors', () => {
  it('reads JSON Pointers and names as form fields', () => {
    expect(fieldOf('/email', ['email', 'role'])).toBe('email');
    expect(fieldOf('role', ['email', 'role'])).toBe('role');
    expect(fieldOf('/name', ['email', 'role'])).toBeUndefined();
    expect(fieldOf(undefined, ['email'])).toBeUndefined();
  });
  it('puts a 422 with field /email next to the email field', () => {
    const e = new ApiError(422, { status: 422, title: 'Unprocessable Entity', field: '/email', detail: '"bob" is not an email address' });
    expect(inviteErrors(e, 'bob')).toEqual({ fields: { email: '"bob" is not an email address' } });
  });
  it('maps problems[] by field, the rest to the form', () => {
    const e = new ApiError(422, { status: 422, detail: 'invalid input', problems: [{ field: '/role', message: 'unknown role' }, { field: '/tenant', message: 'nope' }] });
    expect(problemErrors(e, ['email', 'role'] as const)).toEqual({ fields: { role: 'unknown role' }, form: '/tenant: nope' });
  });
  it('shows an error without a field on the form', () => {
    const e = new ApiError(500, { status: 500, detail: 'internal error; quote the request id r1' });
    expect(problemErrors(e, ['email'] as const)).toEqual({ fields: {}, form: 'internal error; quote the request id r1' });
    expect(problemErrors(new Error('boom'), ['email'] as const)).toEqual({ fields: {}, form: 'boom' });
  });
  it('reads a 409 on invite as an address that exists', () => {
    const e = new ApiError(409, { status: 409, detail: 'invite ann@example.com: UsernameExistsException' });
    expect(inviteErrors(e, ' ann@example.com ').fields.email).toMatch(/^ann@example\.com already has an account/);
  });
  it('validates what the browser can', () => {
    expect(validateInvite({ email: ' ', role: 'viewer' }).fields).toEqual({ email: 'An email address is required.' });
    expect(hasErrors(validateInvite({ email: 'x@example.com', role: 'admin' }))).toBe(false);
    expect(validateInvite({ email: 'x', role: 'owner' as never }).fields.role).toMatch(/viewer, reviewer, editor, admin/);
  });
});

describe('users: why the page is closed', () => {
  it('explains a 503 (laptop) with the server detail, and a 403', () => {
    const detail = "users are managed in the deployed platform's Cognito user pool; this server (auth mode local) has a single local admin";
    expect(blockedBy(new ApiError(503, { status: 503, detail }))).toEqual({ kind: 'unavailable', message: detail });
    expect(blockedBy(new ApiError(403, { status: 403 }))?.kind).toBe('forbidden');
    expect(blockedBy(new ApiError(422, { status: 422 }))).toBeUndefined();
    expect(blockedBy(new Error('x'))).toBeUndefined();
  });
  it('explains to a non-admin from the session', () => {
    expect(notAdmin({ authMode: 'jwt', user: 'bob', tenant: 'acme', role: 'editor' })?.message).toMatch(/bob has the editor role\. Only admins .* \(acme\)/);
    expect(notAdmin({ authMode: 'jwt', role: 'admin' })).toBeUndefined();
    expect(notAdmin({ authMode: 'local', user: 'local', role: 'admin' })).toBeUndefined();
    expect(notAdmin(null)).toBeUndefined();
  });
  it('knows the signed-in user by username or email', () => {
    expect(isSelf(user('ann@example.com'), { authMode: 'jwt', user: 'ann@example.com' })).toBe(true);
    expect(isSelf(user('ann@example.com'), { authMode: 'jwt', user: 'u-ann@example.com' })).toBe(true);
    expect(isSelf(user('ann@example.com'), { authMode: 'jwt', user: 'bob' })).toBe(false);
  });
});

describe('users: list', () => {
  it('labels statuses and keeps the list sorted', () => {
    expect(statusLabel('FORCE_CHANGE_PASSWORD')).toBe('Invited');
    expect(statusLabel('CONFIRMED')).toBe('Active');
    expect(statusLabel('SOMETHING_NEW')).toBe('Something new');
    const xs = upsertUser([user('bob@example.com')], user('ann@example.com'));
    expect(xs.map((u) => u.email)).toEqual(['ann@example.com', 'bob@example.com']);
    expect(upsertUser(xs, user('bob@example.com', 'admin')).map((u) => u.role)).toEqual(['viewer', 'admin']);
  });
  it('calls the Users API routes', async () => {
    const calls: unknown[] = [];
    const rest: Rest = async <T,>(method: string, path: string, o?: { body?: unknown }) => {
      calls.push([method, path, o?.body]);
      return { body: (method === 'GET' ? { items: null } : {}) as T };
    };
    const api = usersApi(rest);
    expect(await api.list()).toEqual({ items: [], roles: ['viewer', 'reviewer', 'editor', 'admin'] });
    await api.invite(' ann@example.com ', 'editor');
    await api.setRole('a/b', 'admin');
    await api.remove('a/b');
    expect(calls).toEqual([
      ['GET', '/users', undefined],
      ['POST', '/users', { email: 'ann@example.com', role: 'editor' }],
      ['PUT', '/users/a%2Fb/role', { role: 'admin' }],
      ['DELETE', '/users/a%2Fb', undefined],
    ]);
  });
});
