// Unsaved diagram edits, kept in localStorage until the server has them so
// that work survives a page reload or a crash. Each browser tab keeps its
// own draft of a model (its tab id lives in sessionStorage, which a reload
// keeps and a new tab does not), so two tabs editing one model never
// overwrite each other's unsaved work.
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
  /** load returns this tab's draft of the model, else the newest one another (closed) tab left, which becomes this tab's. */
  load(modelId: string): Draft | null;
  save(d: Draft): void;
  /** remove drops this tab's draft (the server has the edits). */
  remove(modelId: string): void;
  /** discard drops every tab's draft of the model (it was deleted). */
  discard(modelId: string): void;
}

const prefix = (id: string) => `bulwark.draft.${id}`;
const TAB_KEY = 'bulwark.tab';

/** tabId returns this tab's id, kept in session storage. */
function tabId(session: Storage | null): string {
  try {
    let id = session?.getItem(TAB_KEY);
    if (!id) {
      id = crypto.randomUUID();
      session?.setItem(TAB_KEY, id);
    }
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

/** keysOf lists the storage keys holding drafts of the model: this tab's and other tabs' (and the single key of older versions). */
function keysOf(storage: Storage, id: string): string[] {
  const p = prefix(id);
  const out: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (k !== null && (k === p || k.startsWith(`${p}#`))) out.push(k);
  }
  return out;
}

function parse(raw: string | null): Draft | null {
  try {
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch {
    return null;
  }
}

export function localDrafts(storage: Storage = window.localStorage, session: Storage | null = window.sessionStorage): DraftStore {
  const tab = tabId(session);
  const own = (id: string) => `${prefix(id)}#${tab}`;
  const write = (d: Draft) => {
    try {
      storage.setItem(own(d.modelId), JSON.stringify(d));
    } catch (e) {
      console.warn('bulwark: cannot keep the draft in localStorage', e);
    }
  };
  return {
    load(id) {
      const mine = parse(storage.getItem(own(id)));
      if (mine) return mine;
      let newest: { key: string; draft: Draft } | null = null;
      for (const k of keysOf(storage, id)) {
        const d = parse(storage.getItem(k));
        if (d && (!newest || d.savedAt > newest.draft.savedAt)) newest = { key: k, draft: d };
      }
      if (!newest) return null;
      write(newest.draft);
      storage.removeItem(newest.key);
      return newest.draft;
    },
    save: write,
    remove(id) {
      storage.removeItem(own(id));
    },
    discard(id) {
      for (const k of keysOf(storage, id)) storage.removeItem(k);
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
    discard: (id) => void all.delete(id),
  };
}
