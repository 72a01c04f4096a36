import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { noRest } from '../api/fake';
import { memoryDrafts, NEW_TEMPLATE, templateApi } from './templateApi';

describe('templateApi', () => {
  it('opens a new template as an empty model that Save refuses with a reason', async () => {
    const seen: string[] = [];
    const api = templateApi(noRest, (t) => seen.push(t.name));
    const m = await api.getModel(NEW_TEMPLATE);
    expect(m.diagram).toEqual({ components: [], flows: [], groups: [] });
    expect(m.revision).toBe(0);
    expect(seen).toEqual(['New template']);
    const err = await api.putDiagram(NEW_TEMPLATE, 0, m.diagram).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(422);
    expect((err as ApiError).message).toMatch(/Save As/);
  });

  it('keeps drafts in memory', () => {
    const d = memoryDrafts();
    const draft = { modelId: 'x', baseRevision: 1, base: { components: [], flows: [], groups: [] }, diagram: { components: [], flows: [], groups: [] }, savedAt: '' };
    d.save(draft);
    expect(d.load('x')).toEqual(draft);
    d.remove('x');
    expect(d.load('x')).toBeNull();
  });
});
