import { describe, expect, it } from 'vitest';
import { localDrafts, type Draft } from './drafts';

/** MapStorage is a Storage backed by a Map, as the browser's behaves. */
class MapStorage implements Storage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.has(k) ? this.m.get(k)! : null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    this.m.set(k, String(v));
  }
}

const draft = (modelId: string, name: string, savedAt: string): Draft => ({
  modelId,
  baseRevision: 3,
  base: { components: [], flows: [], groups: [] },
  diagram: { components: [{ id: 'c1', type: 'aws.ec2', name, position: { x: 0, y: 0 } }], flows: [], groups: [] },
  savedAt,
});
const nameOf = (d: Draft | null) => d?.diagram.components[0]?.name;

describe('localDrafts', () => {
  it('keeps one draft per tab: two tabs editing one model never overwrite each other', () => {
    const local = new MapStorage();
    const tabA = localDrafts(local, new MapStorage());
    const tabB = localDrafts(local, new MapStorage());
    tabA.save(draft('tm-1', 'from A', '2026-11-26T01:00:00Z'));
    tabB.save(draft('tm-1', 'from B', '2026-11-26T01:00:01Z'));
    expect(nameOf(tabA.load('tm-1'))).toBe('from A');
    expect(nameOf(tabB.load('tm-1'))).toBe('from B');
    tabB.remove('tm-1'); // B saved to the server
    expect(nameOf(tabA.load('tm-1'))).toBe('from A');
  });

  it('a reload (same session) finds its own draft', () => {
    const local = new MapStorage();
    const session = new MapStorage();
    localDrafts(local, session).save(draft('tm-1', 'mine', '2026-11-26T01:00:00Z'));
    expect(nameOf(localDrafts(local, session).load('tm-1'))).toBe('mine');
  });

  it('a new tab takes over the newest draft another tab left, which moves to it', () => {
    const local = new MapStorage();
    localDrafts(local, new MapStorage()).save(draft('tm-1', 'older', '2026-11-26T01:00:00Z'));
    localDrafts(local, new MapStorage()).save(draft('tm-1', 'newer', '2026-11-26T02:00:00Z'));
    local.setItem('bulwark.draft.tm-10', JSON.stringify(draft('tm-10', 'another model', '2026-11-26T03:00:00Z')));
    const session = new MapStorage();
    expect(nameOf(localDrafts(local, session).load('tm-1'))).toBe('newer');
    // It is this tab's now (a reload finds it) and no longer the other's:
    // taking over moves a draft, so a stale one does not come back.
    expect(nameOf(localDrafts(local, session).load('tm-1'))).toBe('newer');
    expect(Array.from({ length: local.length }, (_, i) => local.key(i)).filter((k) => k?.startsWith('bulwark.draft.tm-1#')).length).toBe(2);
    // A new tab takes the newest draft there is (a live tab that loses its
    // draft this way still has the edits on screen and writes its draft
    // again at its next change). Once the server has those edits, the
    // older draft comes next, then none.
    const tabD = localDrafts(local, new MapStorage());
    expect(nameOf(tabD.load('tm-1'))).toBe('newer');
    tabD.remove('tm-1');
    const tabE = localDrafts(local, new MapStorage());
    expect(nameOf(tabE.load('tm-1'))).toBe('older');
    tabE.remove('tm-1');
    expect(localDrafts(local, new MapStorage()).load('tm-1')).toBeNull();
    expect(nameOf(localDrafts(local, new MapStorage()).load('tm-10'))).toBe('another model');
  });

  it('reads the single draft key of earlier versions', () => {
    const local = new MapStorage();
    local.setItem('bulwark.draft.tm-1', JSON.stringify(draft('tm-1', 'legacy', '2026-11-26T01:00:00Z')));
    const tab = localDrafts(local, new MapStorage());
    expect(nameOf(tab.load('tm-1'))).toBe('legacy');
    expect(local.getItem('bulwark.draft.tm-1')).toBeNull();
  });

  it('discard drops every tab draft of the model, and only of that model', () => {
    const local = new MapStorage();
    localDrafts(local, new MapStorage()).save(draft('tm-1', 'a', '2026-11-26T01:00:00Z'));
    localDrafts(local, new MapStorage()).save(draft('tm-1', 'b', '2026-11-26T01:00:00Z'));
    localDrafts(local, new MapStorage()).save(draft('tm-10', 'c', '2026-11-26T01:00:00Z'));
    localDrafts(local, new MapStorage()).discard('tm-1');
    expect(localDrafts(local, new MapStorage()).load('tm-1')).toBeNull();
    expect(nameOf(localDrafts(local, new MapStorage()).load('tm-10'))).toBe('c');
  });

  it('ignores a draft that does not parse', () => {
    const local = new MapStorage();
    local.setItem('bulwark.draft.tm-1#x', '{not json');
    expect(localDrafts(local, new MapStorage()).load('tm-1')).toBeNull();
  });
});
