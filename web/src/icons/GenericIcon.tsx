// Clear, simple icons for generic (non-AWS) components, drawn here. The
// catalog names them "generic/<name>"; unknown names fall back by keyword.
import type { ReactElement } from 'react';

const stroke = { fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

const ICONS: Record<string, ReactElement> = {
  user: (
    <g {...stroke}><circle cx="24" cy="16" r="7" /><path d="M10 40c0-8 6-13 14-13s14 5 14 13" /></g>
  ),
  browser: (
    <g {...stroke}><rect x="6" y="9" width="36" height="30" rx="3" /><path d="M6 17h36" /><circle cx="11" cy="13" r="1" /><circle cx="15" cy="13" r="1" /><circle cx="24" cy="28" r="6" /><path d="M18 28h12M24 22c2 2 2 10 0 12M24 22c-2 2-2 10 0 12" /></g>
  ),
  mobile: (
    <g {...stroke}><rect x="14" y="5" width="20" height="38" rx="3" /><path d="M21 9h6" /><circle cx="24" cy="37" r="1.5" /></g>
  ),
  external: (
    <g {...stroke}><path d="M15 34h20a8 8 0 0 0 0-16 11 11 0 0 0-21-2 8 8 0 0 0 1 18z" /><path d="M24 22v8M20 26l4 4 4-4" transform="rotate(180 24 26)" /></g>
  ),
  datacenter: (
    <g {...stroke}><path d="M6 42V16l12-7v33M18 42V20h24v22M4 42h40" /><path d="M23 25h4M31 25h4M23 31h4M31 31h4M23 37h4M31 37h4M10 20h4M10 26h4M10 32h4" /></g>
  ),
  server: (
    <g {...stroke}><rect x="9" y="7" width="30" height="10" rx="2" /><rect x="9" y="19" width="30" height="10" rx="2" /><rect x="9" y="31" width="30" height="10" rx="2" /><path d="M14 12h2M14 24h2M14 36h2M26 12h8M26 24h8M26 36h8" /></g>
  ),
  database: (
    <g {...stroke}><ellipse cx="24" cy="11" rx="14" ry="5" /><path d="M10 11v26c0 3 6 5 14 5s14-2 14-5V11" /><path d="M10 20c0 3 6 5 14 5s14-2 14-5M10 28c0 3 6 5 14 5s14-2 14-5" /></g>
  ),
  queue: (
    <g {...stroke}><rect x="5" y="16" width="38" height="16" rx="3" /><path d="M13 16v16M21 16v16M29 16v16" /><path d="M36 21l3 3-3 3" /></g>
  ),
  identity: (
    <g {...stroke}><path d="M24 5l15 6v11c0 10-7 17-15 21-8-4-15-11-15-21V11z" /><circle cx="24" cy="20" r="4" /><path d="M17 32c1-4 4-6 7-6s6 2 7 6" /></g>
  ),
  'threat-model': (
    <g {...stroke}><rect x="6" y="8" width="36" height="32" rx="3" /><rect x="11" y="14" width="9" height="7" /><rect x="28" y="14" width="9" height="7" /><rect x="19" y="29" width="10" height="7" /><path d="M20 17.5h8M15.5 21v5.5h8.5V29M32.5 21v5.5H24" /></g>
  ),
  component: (
    <g {...stroke}><rect x="8" y="8" width="32" height="32" rx="4" /><path d="M16 20h16M16 28h10" /></g>
  ),
};

const KEYWORDS: [RegExp, string][] = [
  [/threat-?model|nested/, 'threat-model'],
  [/user|person|actor/, 'user'],
  [/browser|web-?client/, 'browser'],
  [/mobile|phone|app$/, 'mobile'],
  [/external|third|saas|cloud/, 'external'],
  [/on-?prem|data-?cent|dc/, 'datacenter'],
  [/web-?server|server|host/, 'server'],
  [/database|db|sql|store/, 'database'],
  [/queue|mq|broker|bus|kafka/, 'queue'],
  [/identity|idp|auth|sso|oidc/, 'identity'],
];

export function genericIconKey(icon: string): string {
  const name = icon.replace(/^generic\//, '').toLowerCase();
  if (ICONS[name]) return name;
  return KEYWORDS.find(([re]) => re.test(name))?.[1] ?? 'component';
}

export function GenericIcon({ icon, size = 48 }: { icon: string; size?: number }) {
  return (
    <svg className="generic-icon" viewBox="0 0 48 48" width={size} height={size} role="img" aria-label={icon}>
      {ICONS[genericIconKey(icon)]}
    </svg>
  );
}
