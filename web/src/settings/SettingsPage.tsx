import { lazy, Suspense, type ComponentType, type LazyExoticComponent, type MouseEvent } from 'react';
import { isAdmin, useAuth } from '../auth/session';
import { navigate } from '../router';
import './settings.css';

export interface SettingsTab {
  id: string;
  label: string;
  component: LazyExoticComponent<ComponentType>;
}

/** SETTINGS_TABS are the tabs of Settings (admin only); features add theirs here. */
export const SETTINGS_TABS: SettingsTab[] = [
  { id: 'integrations', label: 'Integrations', component: lazy(() => import('./IntegrationsTab')) },
  { id: 'users', label: 'Users', component: lazy(() => import('../users/UsersTab')) },
];

/** SETTINGS_LINKS are settings screens with routes of their own (templates/), listed beside the tabs. */
export const SETTINGS_LINKS: { path: string; label: string }[] = [{ path: '/settings/templates', label: 'Templates' }];

/** SettingsPage shows one settings tab; tenant settings are for admins. */
export default function SettingsPage({ tab }: { tab: string }) {
  const { session } = useAuth();
  if (!isAdmin(session)) return <div className="empty" data-testid="settings-forbidden">Settings are for administrators.</div>;
  const current = SETTINGS_TABS.find((t) => t.id === tab) ?? SETTINGS_TABS[0];
  const Tab = current.component;
  const go = (id: string) => (e: MouseEvent) => {
    e.preventDefault();
    navigate(id.startsWith('/') ? id : `/settings/${id}`);
  };
  return (
    <div className="settings" data-testid="settings">
      <h1>Settings</h1>
      <div className="tabs" role="tablist">
        {SETTINGS_TABS.map((t) => (
          <a key={t.id} href={`/settings/${t.id}`} role="tab" aria-selected={t.id === current.id} className={`tab${t.id === current.id ? ' active' : ''}`} onClick={go(t.id)} data-testid={`settings-tab-${t.id}`}>
            {t.label}
          </a>
        ))}
        {SETTINGS_LINKS.map((l) => (
          <a key={l.path} href={l.path} role="tab" aria-selected={false} className="tab" onClick={go(l.path)} data-testid={`settings-link-${l.label.toLowerCase()}`}>{l.label}</a>
        ))}
      </div>
      <Suspense fallback={<div className="loading">Loading…</div>}>
        <Tab />
      </Suspense>
    </div>
  );
}
