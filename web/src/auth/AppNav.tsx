import './auth.css';
import type { MouseEvent } from 'react';
import { navigate, useRoute } from '../router';
import { isAdmin, useAuth } from './session';

const link = (path: string) => (e: MouseEvent) => {
  e.preventDefault();
  navigate(path);
};

/** AppNav is the header's navigation (Library, Accelerator, Settings) and the signed-in user with sign-out. */
export function AppNav() {
  const route = useRoute();
  const { session, signOut, error } = useAuth();
  return (
    <nav className="app-nav" aria-label="Main">
      <a href="/" onClick={link('/')} className={route.page === 'library' ? 'active' : ''} data-testid="nav-library">Threat models</a>
      <a href="/accelerator" onClick={link('/accelerator')} className={route.page === 'accelerator' ? 'active' : ''} data-testid="nav-accelerator">Accelerator</a>
      {isAdmin(session) && (
        <a href="/settings/integrations" onClick={link('/settings/integrations')} className={route.page === 'settings' ? 'active' : ''} data-testid="nav-settings">Settings</a>
      )}
      <span className="app-nav-grow" />
      {error && <span className="app-nav-error" role="alert" data-testid="auth-error">{error}</span>}
      {session?.user && <span className="app-nav-user" data-testid="nav-user" title={session.tenant ? `Tenant ${session.tenant}` : undefined}>{session.user}{session.role ? ` (${session.role})` : ''}</span>}
      {signOut && <button type="button" className="small" onClick={signOut} data-testid="sign-out">Sign out</button>}
    </nav>
  );
}
