import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIELDS, REQUIRED, STORE_OWNED } from './fields';
import { GROUP_KINDS, PRIORITIES, PROJECT_TYPES } from './types';

const goSource = readFileSync(fileURLToPath(new URL('../../../pkg/model/model.go', import.meta.url)), 'utf8');

/** goStructs maps each Go struct in model.go to its json keys, in order. */
function goStructs(src: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const re = /type (\w+) struct \{([\s\S]*?)\n\}/g;
  for (const m of src.matchAll(re)) {
    const keys = [...m[2].matchAll(/`json:"([^",]+)/g)].map((k) => k[1]).filter((k) => k !== '-');
    out.set(m[1], keys);
  }
  return out;
}

describe('document types agree with pkg/model', () => {
  const structs = goStructs(goSource);
  for (const [name, keys] of Object.entries(FIELDS)) {
    it(`${name} has the Go json keys`, () => {
      expect(structs.has(name), `struct ${name} in model.go`).toBe(true);
      expect([...keys]).toEqual(structs.get(name));
    });
  }
  it('covers every Go struct', () => {
    expect([...structs.keys()].sort()).toEqual(Object.keys(FIELDS).sort());
  });
  it('has the same priorities, group kinds and project types', () => {
    const strs = (block: RegExp) => [...(goSource.match(block)?.[0] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(strs(/PriorityVeryHigh Priority = [\s\S]*?\n\)/)).toEqual([...PRIORITIES]);
    expect(strs(/var ProjectTypes = .*/)).toEqual([...PROJECT_TYPES]);
    expect([...goSource.matchAll(/Kind\w+\s+GroupKind = "(\w+)"/g)].map((m) => m[1])).toEqual([...GROUP_KINDS]);
  });
});

describe('document types agree with pkg/model/schema/threatmodel.schema.json', () => {
  type Obj = { properties?: Record<string, unknown>; required?: string[] };
  const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../../pkg/model/schema/threatmodel.schema.json', import.meta.url)), 'utf8')) as Obj & { $defs: Record<string, Obj> };
  const def = (name: string): Obj => (name === 'ThreatModel' ? schema : schema.$defs[name]);
  for (const name of Object.keys(FIELDS) as (keyof typeof FIELDS)[]) {
    it(`${name}: same properties and required fields`, () => {
      const d = def(name);
      expect(d, `$defs.${name}`).toBeDefined();
      expect(Object.keys(d.properties ?? {})).toEqual([...FIELDS[name]]);
      const schemaRequired = [...(d.required ?? [])].sort();
      const tsRequired = [...REQUIRED[name]].filter((k) => !(name === 'ThreatModel' && STORE_OWNED.includes(k))).sort();
      expect(tsRequired).toEqual(schemaRequired);
    });
  }
});
