// Pure helpers of the Jira screens: instance form validation and input,
// the default status mapping, and issue results.
import type { Deployment, JiraInstance, JiraInstanceInput, JiraIssueResult, StatusRule } from './types';

export interface InstanceForm {
  name: string;
  baseUrl: string;
  deployment: Deployment;
  email: string;
  token: string;
  webhookSecret: string;
}

export const emptyInstanceForm = (): InstanceForm => ({ name: '', baseUrl: '', deployment: 'cloud', email: '', token: '', webhookSecret: '' });

export function formOf(i: JiraInstance): InstanceForm {
  return { name: i.name, baseUrl: i.baseUrl, deployment: i.deployment, email: i.email ?? '', token: '', webhookSecret: '' };
}

/** validateInstance lists what is missing, by field. Secrets are required only for a new instance. */
export function validateInstance(f: InstanceForm, isNew: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.name.trim()) e.name = 'A name is required.';
  if (!/^https?:\/\/[^\s/]+/.test(f.baseUrl.trim())) e.baseUrl = 'The base URL starts with https://.';
  if (f.deployment === 'cloud' && !f.email.trim()) e.email = 'Jira Cloud needs the email of the API token.';
  if (isNew && !f.token) e.token = f.deployment === 'cloud' ? 'An API token is required.' : 'A personal access token is required.';
  if (f.webhookSecret && f.webhookSecret.length < 16) e.webhookSecret = 'At least 16 characters.';
  return e;
}

/** instanceInput is what to send: secrets only when typed (absent ones stay as stored). */
export function instanceInput(f: InstanceForm): JiraInstanceInput {
  const i: JiraInstanceInput = { name: f.name.trim(), baseUrl: f.baseUrl.trim(), deployment: f.deployment };
  if (f.deployment === 'cloud') i.email = f.email.trim();
  if (f.token) i.token = f.token;
  if (f.webhookSecret) i.webhookSecret = f.webhookSecret;
  return i;
}

const notApplicable = (resolution: string): StatusRule => ({ category: 'done', resolution, threat: 'Not Applicable', requirement: 'Not Applicable' });

/** DEFAULT_STATUS_MAP mirrors the server's defaults (pkg/jira/mapping.go DefaultStatusMap); used when a link has none. */
export const DEFAULT_STATUS_MAP: StatusRule[] = [
  notApplicable("Won't Do"), notApplicable("Won't Fix"), notApplicable('Declined'), notApplicable('Duplicate'),
  { status: 'Risk Accepted', threat: 'Risk Accepted', requirement: 'Risk Accepted' },
  { category: 'new', threat: 'Open', requirement: 'Open' },
  { category: 'indeterminate', threat: 'In Progress', requirement: 'In Progress' },
  { category: 'done', threat: 'Mitigated', requirement: 'Implemented' },
];

export function describeRule(r: StatusRule): string {
  const when = [r.status && `status “${r.status}”`, r.category && `category ${r.category}`, r.resolution && `resolution “${r.resolution}”`].filter(Boolean).join(' and ');
  return when || 'any issue';
}

/** resultKeys maps item ids to their issue (created, found or existing); failures carry a message. */
export function resultKeys(results: JiraIssueResult[]): { links: Record<string, { key: string; url?: string }>; failed: Record<string, string> } {
  const links: Record<string, { key: string; url?: string }> = {};
  const failed: Record<string, string> = {};
  for (const r of results) {
    if (r.outcome === 'failed' || !r.key) {
      failed[r.item] = [r.error, ...(r.problems ?? []).map((p) => `${p.field}: ${p.message}`)].filter(Boolean).join('; ') || 'failed';
      if (r.retryAfter) failed[r.item] += ` (retry after ${r.retryAfter} s)`;
    } else links[r.item] = { key: r.key, url: r.url };
  }
  return { links, failed };
}

/**
 * safeIssueUrl returns url when it can be shown as the link of issue key:
 * an http(s) address of the form BASE/browse/KEY (how the server derives
 * it from the instance). Anything else (javascript:, data:, another path)
 * is not rendered as a link.
 */
export function safeIssueUrl(url: string | undefined, key: string): string | undefined {
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || u.search || u.hash) return undefined;
  if (!/^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/.test(key) || !u.pathname.endsWith(`/browse/${key}`)) return undefined;
  return u.href;
}
