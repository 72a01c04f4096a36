import { describe, expect, it } from 'vitest';
import { DEFAULT_STATUS_MAP, describeRule, emptyInstanceForm, instanceInput, resultKeys, safeIssueUrl, validateInstance } from './logic';

describe('jira logic', () => {
  it('validates an instance form by deployment', () => {
    const f = { ...emptyInstanceForm(), name: 'Acme', baseUrl: 'https://acme.atlassian.net' };
    expect(Object.keys(validateInstance(f, true)).sort()).toEqual(['email', 'token']);
    expect(validateInstance({ ...f, deployment: 'datacenter', token: 'pat' }, true)).toEqual({});
    expect(validateInstance({ ...f, deployment: 'datacenter' }, false)).toEqual({});
    expect(validateInstance({ ...f, baseUrl: 'acme' , email: 'a@b', token: 't', webhookSecret: 'short' }, true)).toHaveProperty('baseUrl');
    expect(validateInstance({ ...f, email: 'a@b', token: 't', webhookSecret: 'short' }, true)).toHaveProperty('webhookSecret');
  });
  it('sends secrets only when typed, and the email only for Cloud', () => {
    const f = { ...emptyInstanceForm(), name: ' Acme ', baseUrl: 'https://x', deployment: 'datacenter' as const, email: 'old@x' };
    expect(instanceInput(f)).toEqual({ name: 'Acme', baseUrl: 'https://x', deployment: 'datacenter' });
    expect(instanceInput({ ...f, deployment: 'cloud', token: 't', webhookSecret: 's' })).toEqual({ name: 'Acme', baseUrl: 'https://x', deployment: 'cloud', email: 'old@x', token: 't', webhookSecret: 's' });
  });
  it('describes the default status map', () => {
    expect(DEFAULT_STATUS_MAP.at(-1)).toEqual({ category: 'done', threat: 'Mitigated', requirement: 'Implemented' });
    expect(describeRule(DEFAULT_STATUS_MAP[0])).toBe('category done and resolution “Won\'t Do”');
    expect(describeRule({ threat: 'Open', requirement: 'Open' })).toBe('any issue');
  });
  it('splits issue results into links and failures', () => {
    expect(resultKeys([
      { item: 'a', outcome: 'created', key: 'SEC-1', url: 'u' },
      { item: 'b', outcome: 'existing', key: 'SEC-2' },
      { item: 'c', outcome: 'failed', error: 'Jira refused', problems: [{ field: 'summary', message: 'too long' }], retryAfter: 3 },
    ])).toEqual({ links: { a: { key: 'SEC-1', url: 'u' }, b: { key: 'SEC-2', url: undefined } }, failed: { c: 'Jira refused; summary: too long (retry after 3 s)' } });
  });
  it('links an issue only to an http(s) BASE/browse/KEY address', () => {
    expect(safeIssueUrl('https://acme.atlassian.net/browse/SEC-1', 'SEC-1')).toBe('https://acme.atlassian.net/browse/SEC-1');
    expect(safeIssueUrl('http://127.0.0.1:2990/jira/browse/SEC-12', 'SEC-12')).toBe('http://127.0.0.1:2990/jira/browse/SEC-12');
    expect(safeIssueUrl('javascript:alert(1)//browse/SEC-1', 'SEC-1')).toBeUndefined();
    expect(safeIssueUrl('JavaScript:alert(document.domain)', 'SEC-1')).toBeUndefined();
    expect(safeIssueUrl('data:text/html,<script>alert(1)</script>', 'SEC-1')).toBeUndefined();
    expect(safeIssueUrl('https://evil.example/login', 'SEC-1')).toBeUndefined();
    expect(safeIssueUrl('https://acme.atlassian.net/browse/SEC-1?next=//evil', 'SEC-1')).toBeUndefined();
    expect(safeIssueUrl('https://acme.atlassian.net/browse/SEC-1', 'javascript:x')).toBeUndefined();
    expect(safeIssueUrl(undefined, 'SEC-1')).toBeUndefined();
  });
});
