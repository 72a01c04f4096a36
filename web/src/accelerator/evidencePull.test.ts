import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { Rest } from '../api/rest';
import type { AppState, Deps } from '../store/types';
import { absoluteTime, foreignText, nextTry, pullErrors, pullState, relativeTime, storedText } from './evidencePull';
import { EvidencePullStatus } from './EvidencePullStatus';
import { acceleratorSlice } from './slice';
import type { Account, EvidencePull } from './types';

const NOW = new Date('2026-12-06T12:00:00Z');
const ago = (min: number) => new Date(NOW.getTime() - min * 60_000).toISOString();

const account = (p: Partial<Account>): Account => ({
  id: '444444444444', name: 'Shop production', externalId: 'bulwark-x', access: 'role', verified: true, verifiedAt: ago(600), status: 'verified', revision: 2, ...p,
});

const pull = (p: Partial<EvidencePull>): EvidencePull => ({
  accountId: '444444444444', regions: ['eu-west-1', 'us-east-1'], started: ago(121), ended: ago(120), succeeded: ago(120),
  stored: { created: 100, updated: 5, unchanged: 60 }, ...p,
});

/** render is the markup of the account's evidence pull at NOW. */
const render = (a: Account) => renderToStaticMarkup(createElement(EvidencePullStatus, { account: a, now: NOW }));
/** text is what the markup says, without its tags and entities. */
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const attr = (html: string, testId: string, name: string) => html.match(new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`))?.[0].match(new RegExp(` ${name}="([^"]*)"`, 'i'))?.[1];

describe('where an account’s evidence pull stands', () => {
  const cases: { name: string; a: Partial<Account>; want: ReturnType<typeof pullState> }[] = [
    { name: 'read from files: no pull', a: { access: 'files', evidencePull: pull({}) }, want: 'off' },
    { name: 'registered, not verified', a: { status: 'pending', verified: false, verifiedAt: undefined }, want: 'unverified' },
    { name: 'verification failed', a: { status: 'failed', verified: false }, want: 'unverified' },
    { name: 'verified, not pulled yet', a: {}, want: 'never' },
    { name: 'pulled', a: { evidencePull: pull({}) }, want: 'pulled' },
    { name: 'failed', a: { evidencePull: pull({ error: 'eu-west-1: AccessDenied', failures: 2 }) }, want: 'failed' },
  ];
  for (const c of cases) it(c.name, () => expect(pullState(account(c.a))).toBe(c.want));
});

describe('the evidence pull of an account, as the page shows it', () => {
  it('pulled: when, where and what it stored, the time in words with the absolute time on hover and focus', () => {
    const html = render(account({ evidencePull: pull({ foreign: 3 }) }));
    expect(attr(html, 'evidence-pull', 'data-state')).toBe('pulled');
    expect(text(html)).toBe('Evidence: pulled 2 h ago in eu-west-1, us-east-1 · 165 observations (100 new, 5 updated, 60 unchanged) · 3 observations about other accounts skipped');
    expect(attr(html, 'evidence-pull-when', 'datetime')).toBe(ago(120));
    expect(attr(html, 'evidence-pull-when', 'title')).toBe(absoluteTime(ago(120)));
    expect(attr(html, 'evidence-pull-when', 'tabindex')).toBe('0');
    expect(html).not.toContain('failed');
  });
  it('pulled before a later verification: says the next run pulls again', () => {
    const html = render(account({ verifiedAt: ago(30), evidencePull: pull({ foreign: 0 }) }));
    expect(text(html)).toContain('verified since: the next scheduled run pulls again');
    expect(html).not.toContain('other accounts');
  });
  it('failed: how often, the error of each region on its own line, the last success and the next try', () => {
    const error = 'eu-west-1: list findings: operation error SecurityHub: GetFindings, https response error StatusCode: 400, InvalidAccessException: Account 444444444444 is not subscribed to AWS Security Hub; us-east-1: the run\'s time budget ran out; the next run pulls again: context deadline exceeded';
    const html = render(account({ evidencePull: pull({ started: ago(31), ended: ago(30), succeeded: ago(3 * 24 * 60), stored: { created: 2, updated: 0, unchanged: 0 }, error, failures: 3, next: ago(-10) }) }));
    expect(attr(html, 'evidence-pull', 'data-state')).toBe('failed');
    const t = text(html);
    expect(t).toMatch(/^Evidence pull failed 3 times \(last 30 min ago in eu-west-1, us-east-1\) · last success 3 days ago · next try in 10 min/);
    // The server's next pull (3rd failure: 40 minutes after the pull that failed).
    expect(attr(html, 'evidence-pull-next', 'datetime')).toBe(ago(-10));
    const items = [...html.matchAll(/<li>(.*?)<\/li>/g)].map((m) => text(m[1]));
    expect(items).toEqual([
      'eu-west-1: list findings: operation error SecurityHub: GetFindings, https response error StatusCode: 400, InvalidAccessException: Account 444444444444 is not subscribed to AWS Security Hub',
      'us-east-1: the run\'s time budget ran out; the next run pulls again: context deadline exceeded',
    ]);
    // The list of errors can be scrolled from the keyboard.
    expect(attr(html, 'evidence-pull-error', 'tabindex')).toBe('0');
    expect(t).toContain('Before failing it stored 2 observations (2 new).');
  });
  it('failed the first time, never succeeded, retry due: the next scheduled run', () => {
    const html = render(account({ evidencePull: pull({ started: ago(16), ended: ago(15), succeeded: undefined, stored: { created: 0, updated: 0, unchanged: 0 }, error: 'the default region: AccessDenied', failures: 1, next: ago(5) }) }));
    const t = text(html);
    expect(t).toMatch(/^Evidence pull failed \(last 15 min ago in eu-west-1, us-east-1\) · never succeeded · next try with the next scheduled run/);
    expect(t).not.toContain('Before failing');
  });
  it('never pulled: the scheduled run pulls it within 15 minutes of verification', () => {
    const html = render(account({ verifiedAt: ago(5) }));
    expect(attr(html, 'evidence-pull', 'data-state')).toBe('never');
    expect(text(html)).toBe('Evidence: not pulled yet. The scheduled run pulls it within 15 minutes of verification (verified 5 min ago).');
  });
  it('not verified: pulled once it is', () => {
    expect(text(render(account({ status: 'pending', verified: false, verifiedAt: undefined })))).toBe('Evidence: pulled once the account is verified.');
  });
  it('read from files: nothing', () => {
    expect(render(account({ access: 'files' }))).toBe('');
  });
});

describe('evidence pull helpers', () => {
  it('says times in words', () => {
    const cases: [number, string][] = [[0.5, 'just now'], [5, '5 min ago'], [59, '59 min ago'], [120, '2 h ago'], [47 * 60, '47 h ago'], [3 * 24 * 60, '3 days ago'], [-20, 'in 20 min'], [-0.5, 'in a moment']];
    for (const [min, want] of cases) expect(relativeTime(ago(min), NOW), `${min} min`).toBe(want);
    expect(relativeTime(ago(-2), NOW, true), 'a past time a little ahead').toBe('just now');
  });
  it('retries a failed pull when the server says, or at once when verified since', () => {
    expect(nextTry(pull({ ended: ago(0), error: 'x', failures: 2, next: ago(-20) }))?.toISOString()).toBe(ago(-20));
    expect(nextTry(pull({ ended: ago(60), error: 'x', failures: 9, next: ago(-600) }), ago(5))?.toISOString()).toBe(ago(5));
    expect(nextTry(pull({ ended: ago(30), error: 'x', failures: 1 }))?.toISOString(), 'a record without next: the next run').toBe(ago(30));
    expect(nextTry(pull({}))).toBeNull();
  });
  it('counts what was stored and skipped', () => {
    expect(storedText({ created: 0, updated: 0, unchanged: 0 })).toBe('no observations');
    expect(storedText({ created: 1, updated: 0, unchanged: 0 })).toBe('1 observation (1 new)');
    expect(storedText({ created: 0, updated: 2, unchanged: 3 })).toBe('5 observations (2 updated, 3 unchanged)');
    expect(foreignText(0)).toBe('');
    expect(foreignText(1)).toBe('1 observation about other accounts skipped');
  });
  it('splits an error by region only where a region starts', () => {
    expect(pullErrors('eu-west-1: a; b; us-gov-west-1: c')).toEqual(['eu-west-1: a; b', 'us-gov-west-1: c']);
    expect(pullErrors('plain message; with a semicolon')).toEqual(['plain message; with a semicolon']);
  });
});

describe('verifying an account again', () => {
  it('keeps the last evidence pull, which the verification does not answer', async () => {
    const last = pull({});
    const rest = (async (method: string, path: string) => {
      if (method === 'GET' && path === '/accelerator/accounts') return { body: { accounts: [account({ evidencePull: last })] } };
      if (path === '/accelerator/accounts/444444444444/verify') return { body: account({ verifiedAt: ago(0) }) };
      if (path === '/accelerator/organization') return { body: { root: { id: 'r', name: 'Root', type: 'root' }, registered: [], source: 'registered' } };
      if (path === '/accelerator/summary') return { body: { accounts: 1, vpcs: 0, threatModels: 0, outOfSyncModels: 0, unreachable: [] } };
      throw new Error(`unexpected ${method} ${path}`);
    }) as Rest;
    const store = createStore<AppState>()((...a) => acceleratorSlice({ rest, pollMs: 1 } as unknown as Deps)(...a) as AppState);
    await store.getState().loadAccounts();
    await store.getState().verifyAccount('444444444444');
    const a = store.getState().accelAccounts[0];
    expect(a.verifiedAt).toBe(ago(0));
    expect(a.evidencePull).toEqual(last);
  });
});
