import { describe, expect, it } from 'vitest';
import { complianceIndex, complianceLabel, countsLine, groupByCompliance, reportPath } from './logic';
import type { ComplianceItem, EvidenceList } from './types';

const ci = (requirement: string, status: ComplianceItem['status']): ComplianceItem => ({
  requirement, rule: 'r', title: 't', epic: 'e', severity: 'High', element: 'x', elementKind: 'component', component: 'x', implementation: 'Open', status,
  checks: { securityHub: [], config: [], cis: [] }, evidence: [],
});

describe('evidence logic', () => {
  it('labels and counts compliance like the console', () => {
    expect(complianceLabel('NON_COMPLIANT')).toBe('NON-COMPLIANT');
    expect(countsLine({ COMPLIANT: 15, NON_COMPLIANT: 52, NOT_AVAILABLE: 0 })).toBe('COMPLIANT 15 / NON-COMPLIANT 52');
  });
  it('indexes items and groups by compliance, non-compliant first, unknown as not available', () => {
    const list: EvidenceList = { revision: 1, accounts: [], total: 2, counts: {}, statuses: [], items: [], groups: [{ key: 'COMPLIANT', label: '', count: 1, items: [ci('a', 'COMPLIANT')] }, { key: 'NON_COMPLIANT', label: '', count: 1, items: [ci('b', 'NON_COMPLIANT')] }] };
    const idx = complianceIndex(list);
    expect(idx.get('b')?.status).toBe('NON_COMPLIANT');
    const g = groupByCompliance([{ id: 'a' }, { id: 'b' }, { id: 'c' }], idx);
    expect(g.map((x) => [x.key, x.items.map((i) => i.id)])).toEqual([['NON-COMPLIANT', ['b']], ['COMPLIANT', ['a']], ['NOT AVAILABLE', ['c']]]);
  });
  it('builds report paths', () => {
    expect(reportPath('tm 1', 'cis', 'html')).toBe('/models/tm%201/reports/cis?format=html');
    expect(reportPath('tm', 'policy', 'csv', true)).toBe('/models/tm/reports/policy?format=csv&download=true');
  });
});
