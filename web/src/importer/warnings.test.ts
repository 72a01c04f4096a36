import { describe, expect, it } from 'vitest';
import { groupWarnings, warningKind } from './warnings';

describe('import warnings', () => {
  it('classifies warnings the importers write', () => {
    const cases: [string, string][] = [
      ['Threat Dragon actor cells have no Bulwark catalog type; they are imported as generic.browser (the source type is kept in property "sourceType")', 'types'],
      ['component code-class: type "code-class" has no Bulwark catalog type; imported as generic.component', 'types'],
      ['/detail/diagrams/0/cells/17: flow "49a9" (no name) is not connected to an element at both ends; it is not imported', 'dropped'],
      ['threat T-12 (/threats/11): the text is longer than 400 characters; the title is shortened and the whole text is kept in the description', 'shortened'],
      ['flow "f1": protocol "ISO 8583" is not in the catalog; TLS assumed from isEncrypted', 'flows'],
      ['threat threat:1 has different states on its elements; its status is the first (Open)', 'threats'],
      ['Threat Composer has no diagram: components, groups and flows are not exported', 'dropped'],
      ['something else entirely', 'other'],
    ];
    for (const [w, kind] of cases) expect(warningKind(w), w).toBe(kind);
  });

  it('groups in display order with counts and keeps the order inside a group', () => {
    const groups = groupWarnings([
      'flow "a": protocol "X" is not in the catalog; TCP assumed',
      'Threat Dragon process cells have no Bulwark catalog type; they are imported as generic.web-server',
      'flow "b" is bidirectional; Bulwark analyses it in its source → target direction only',
      'cell "t" is not imported',
    ]);
    expect(groups.map((g) => [g.kind, g.items.length])).toEqual([['dropped', 1], ['types', 1], ['flows', 2]]);
    expect(groups[2].items[0]).toMatch(/flow "a"/);
    expect(groupWarnings([])).toEqual([]);
  });
});
