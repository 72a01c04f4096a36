// What the Accelerator says about an account's scheduled evidence pull
// (pkg/workflow EvidencePull): pure helpers of EvidencePullStatus.
import type { Account, EvidencePull } from './types';

/**
 * PullState is where an account's evidence pull stands: 'off' (read from
 * files: nothing is pulled, nothing is shown), 'unverified' (pulled once
 * verified), 'never' (verified, waiting for the scheduled run), 'pulled' (the
 * last pull succeeded) or 'failed' (the last pull failed).
 */
export type PullState = 'off' | 'unverified' | 'never' | 'pulled' | 'failed';

/** pullState is where a's evidence pull stands. */
export function pullState(a: Pick<Account, 'access' | 'status' | 'evidencePull'>): PullState {
  if (a.access === 'files') return 'off';
  const p = a.evidencePull;
  if (p) return p.error ? 'failed' : 'pulled';
  return a.status === 'verified' ? 'never' : 'unverified';
}

/** SCHEDULE_MINUTES is the period of the scheduled run that pulls (the drift Lambda's). */
export const SCHEDULE_MINUTES = 15;

/**
 * nextTry is when the scheduled run pulls a failed account again: the time
 * the server worked out when it recorded the pull (`next`: 10 minutes after
 * the failed pull, doubling with each further failure, at most its
 * --evidence-every), or the next run when the account was verified since
 * (or the record predates `next`). null when the pull did not fail.
 */
export function nextTry(p: EvidencePull, verifiedAt?: string): Date | null {
  if (!p.error) return null;
  const ended = Date.parse(p.ended);
  if (verifiedAt && Date.parse(verifiedAt) > ended) return new Date(Date.parse(verifiedAt));
  return new Date(p.next ? Date.parse(p.next) : ended);
}

/**
 * relativeTime says how far iso is from now in words: "just now", "5 min
 * ago", "2 h ago", "3 days ago", "in 20 min". Under a minute either way is
 * "just now" ("in a moment" ahead). A time that past says is over (a pull,
 * a verification) is never ahead: a server clock a little ahead of the
 * browser's gives "just now".
 */
export function relativeTime(iso: string | Date, now: Date, past = false): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  const diff = past ? Math.min(t - now.getTime(), 0) : t - now.getTime();
  const abs = Math.abs(diff);
  const ahead = diff > 0;
  const say = (s: string) => (ahead ? `in ${s}` : `${s} ago`);
  if (abs < 60_000) return ahead ? 'in a moment' : 'just now';
  const min = Math.round(abs / 60_000);
  if (min < 60) return say(`${min} min`);
  const h = Math.round(abs / 3600_000);
  if (h < 48) return say(`${h} h`);
  const d = Math.round(abs / 86_400_000);
  return say(`${d} days`);
}

/** absoluteTime is the local date and time of iso, shown on hover and focus. */
export function absoluteTime(iso: string | Date): string {
  return (typeof iso === 'string' ? new Date(iso) : iso).toLocaleString();
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * storedText sums up what a pull stored: "120 observations (5 new, 2
 * updated, 113 unchanged)"; the parts that are 0 are left out.
 */
export function storedText(s: EvidencePull['stored']): string {
  const total = s.created + s.updated + s.unchanged;
  if (total === 0) return 'no observations';
  const parts = [s.created && `${s.created} new`, s.updated && `${s.updated} updated`, s.unchanged && `${s.unchanged} unchanged`].filter(Boolean);
  return `${plural(total, 'observation')} (${parts.join(', ')})`;
}

/** foreignText says how many observations about other accounts were skipped; "" for none. */
export function foreignText(n: number | undefined): string {
  return n ? `${plural(n, 'observation')} about other accounts skipped` : '';
}

/**
 * pullErrors splits the error of a failed pull into its regions' errors
 * (pkg/workflow joins them with "; ", each starting with its region), so that
 * each reads on a line of its own; a message that does not split stays whole.
 */
export function pullErrors(error: string): string[] {
  return error
    .split(/; (?=(?:[a-z]{2}(?:-[a-z]+)+-\d+|the default region): )/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** failedText heads a failed pull: "Evidence pull failed" or "Evidence pull failed 3 times". */
export function failedText(failures: number | undefined): string {
  return (failures ?? 1) > 1 ? `Evidence pull failed ${failures} times` : 'Evidence pull failed';
}
