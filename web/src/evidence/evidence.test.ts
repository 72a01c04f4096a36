import { describe, expect, it } from 'vitest';
import { bars, complianceIndex, complianceLabel, countsLine, groupByCompliance, reportFilename, reportPath } from './logic';
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
    expect(reportPath('tm', 'executive', 'pdf', true)).toBe('/models/tm/reports/executive?format=pdf&download=true');
    expect(reportPath('tm', 'cis', 'html', false, { cis: '1.2.0' })).toBe('/models/tm/reports/cis?format=html&cis=1.2.0');
    // Sections go in the server's order; other kinds ignore them.
    expect(reportPath('tm', 'custom', 'html', false, { sections: ['cis', 'summary'] })).toBe('/models/tm/reports/custom?format=html&sections=summary%2Ccis');
    expect(reportPath('tm', 'custom', 'json', false, { sections: [] })).toBe('/models/tm/reports/custom?format=json');
    expect(reportPath('tm', 'policy', 'html', false, { sections: ['cis'] })).toBe('/models/tm/reports/policy?format=html');
    expect(reportFilename('custom', 'pdf')).toBe('custom.pdf');
  });
  it('lays out bar charts scaled to the largest count', () => {
    const b = bars([{ label: 'Critical', count: 5 }, { label: 'High', count: 20 }, { label: 'Low', count: 0 }, { label: 'Medium', count: 1 }], 200, 20);
    expect(b.map((x) => [x.label, x.y, x.width])).toEqual([['Critical', 0, 50], ['High', 20, 200], ['Low', 40, 0], ['Medium', 60, 10]]);
    expect(bars([{ label: 'a', count: 1 }, { label: 'b', count: 1000 }], 100)[0].width).toBe(2);
    expect(bars([{ label: 'a', count: 0 }], 100)[0].width).toBe(0);
  });
});
