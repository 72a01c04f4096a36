// Unsaved diagram edits, kept in localStorage until the server has them so
// that work survives a page reload or a crash.
import type { Diagram } from '../schema/types';

export interface Draft {
  modelId: string;
  /** baseRevision is the server revision the edits started from. */
  baseRevision: number;
  /** base is the diagram at baseRevision, needed to merge after a conflict. */
  base: Diagram;
  diagram: Diagram;
  savedAt: string;
}

export interface DraftStore {
  load(modelId: string): Draft | null;
  save(d: Draft): void;
  remove(modelId: string): void;
}

const key = (id: string) => `bulwark.draft.${id}`;

export function localDrafts(storage: Storage = window.localStorage): DraftStore {
  return {
    load(id) {
      try {
        const raw = storage.getItem(key(id));
        return raw ? (JSON.parse(raw) as Draft) : null;
      } catch {
        return null;
      }
    },
    save(d) {
      try {
        storage.setItem(key(d.modelId), JSON.stringify(d));
      } catch (e) {
        console.warn('bulwark: cannot keep the draft in localStorage', e);
      }
    },
    remove(id) {
      storage.removeItem(key(id));
    },
  };
}

export function memoryDrafts(): DraftStore & { all: Map<string, Draft> } {
  const all = new Map<string, Draft>();
  return {
    all,
    load: (id) => (all.has(id) ? structuredClone(all.get(id)!) : null),
    save: (d) => void all.set(d.modelId, structuredClone(d)),
    remove: (id) => void all.delete(id),
  };
}
