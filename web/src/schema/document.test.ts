import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes, OUTPUT_PATH, SCHEMA_PATH } from '../../scripts/gen-types.mjs';
import { GROUP_KINDS, PRIORITIES } from './types';

describe('document types are generated from pkg/model/schema/threatmodel.schema.json', () => {
  it('document.gen.ts is what npm run gen:types writes', async () => {
    const committed = readFileSync(OUTPUT_PATH, 'utf8');
    // A stale file fails here: run `npm run gen:types` and commit the result.
    expect(committed).toBe(await generateTypes());
  });

  it('notices a schema change', async () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
    schema.$defs.Point.properties.z = { type: 'number' };
    expect(await generateTypes(JSON.stringify(schema))).not.toBe(readFileSync(OUTPUT_PATH, 'utf8'));
  });

  it('offers every priority and group kind the schema allows, in its order', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
    expect([...PRIORITIES]).toEqual(schema.properties.priority.enum);
    expect([...GROUP_KINDS]).toEqual(schema.$defs.Group.properties.kind.enum);
  });
});
