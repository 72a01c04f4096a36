// Who is signed in, as GET /session answers, shared by the app shell
// (header, admin-only screens). Set once by bootstrap.
import { useSyncExternalStore } from 'react';

export type Role = 'viewer' | 'reviewer' | 'editor' | 'admin';

export interface Session {
  authMode: 'local' | 'jwt';
  user?: string;
  tenant?: string;
  role?: Role;
}

export interface AuthState {
  session: Session | null;
  /** signOut is set in jwt mode. */
  signOut?: () => void;
  error?: string;
}

let state: AuthState = { session: null };
const listeners = new Set<() => void>();

export function setAuthState(s: AuthState): void {
  state = s;
  listeners.forEach((l) => l());
}

export function getAuthState(): AuthState {
  return state;
}

/** useAuth returns the current sign-in state. */
export function useAuth(): AuthState {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => state,
  );
}

/** isAdmin tells whether the session may change tenant settings. */
export function isAdmin(s: Session | null): boolean {
  return s?.role === 'admin';
}
