// Editor slice: the open model's diagram as React Flow state, undo/redo,
// clipboard, autosave with optimistic concurrency, drafts and conflicts.
import { applyEdgeChanges, applyNodeChanges } from './changes';
import type { StateCreator } from 'zustand';
import { ApiError } from '../api/client';
import * as cmd from '../editor/commands';
import { fromDiagram, toDiagram } from '../editor/mapping';
import { diffDiagrams, merge3 } from '../editor/merge';
import type { Graph } from '../editor/types';
import { defaultProtocol } from '../schema/catalog';
import { emptyDiagram, type Diagram } from '../schema/types';
import type { AppState, Deps, EditorSlice } from './types';

const MAX_HISTORY = 100;

const normalize = (d: Partial<Diagram> | undefined): Diagram => ({
  components: d?.components ?? [],
  flows: d?.flows ?? [],
  groups: d?.groups ?? [],
});

const initial = {
  modelId: null,
  model: null,
  revision: 0,
  base: emptyDiagram(),
  nodes: [],
  edges: [],
  past: [],
  future: [],
  dirty: false,
  editSeq: 0,
  saveStatus: 'idle' as const,
  saveMessage: null,
  problems: [],
  conflict: null,
};

export const editorSlice = (deps: Deps): StateCreator<AppState, [], [], EditorSlice> => (set, get) => {
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let draftTimer: ReturnType<typeof setTimeout> | undefined;
  let lastCoalesce: string | null = null;
  let saving: Promise<void> | null = null;

  const graph = (): Graph => ({ nodes: get().nodes, edges: get().edges });

  const writeDraft = () => {
    clearTimeout(draftTimer);
    draftTimer = undefined;
    const s = get();
    if (!s.modelId || (!s.dirty && !s.conflict)) return;
    deps.drafts.save({
      modelId: s.modelId,
      baseRevision: s.revision,
      base: s.base,
      diagram: toDiagram(graph()),
      savedAt: new Date().toISOString(),
    });
  };

  const scheduleDraft = () => {
    if (deps.draftMs <= 0) return writeDraft();
    clearTimeout(draftTimer);
    draftTimer = setTimeout(writeDraft, deps.draftMs);
  };

  const scheduleSave = () => {
    clearTimeout(saveTimer);
    if (deps.autosaveMs > 0 && !get().conflict) saveTimer = setTimeout(() => void get().save(), deps.autosaveMs);
  };

  /** edited marks the graph changed: a new draft and, later, an autosave. */
  const edited = () => {
    set({ dirty: true, editSeq: get().editSeq + 1, saveStatus: get().conflict ? 'conflict' : 'dirty' });
    scheduleDraft();
    scheduleSave();
  };

  const pushHistory = (coalesceKey?: string) => {
    if (coalesceKey && coalesceKey === lastCoalesce) return;
    lastCoalesce = coalesceKey ?? null;
    set({ past: [...get().past.slice(-(MAX_HISTORY - 1)), graph()], future: [] });
  };

  /** command runs one undoable editor command. */
  const command = (fn: (g: Graph) => Graph, coalesceKey?: string) => {
    const g = graph();
    const next = fn(g);
    if (next === g) return;
    pushHistory(coalesceKey);
    set({ nodes: next.nodes, edges: next.edges });
    edited();
  };

  const load = (d: Diagram) => {
    const g = fromDiagram(d);
    return { nodes: g.nodes, edges: g.edges };
  };

  /**
   * enterConflict handles a 409. When the newer revision did not change the
   * diagram (e.g. someone edited the model's name), the save is retried on
   * it at once; otherwise the user chooses in the conflict dialog.
   */
  const enterConflict = async (id: string, mine: Diagram) => {
    const { diagram, revision } = await deps.api.getDiagram(id);
    const theirs = normalize(diagram);
    const base = get().base;
    const theirChanges = diffDiagrams(base, theirs);
    if (theirChanges.length === 0 && revision > get().revision) {
      set({ revision, saveStatus: 'dirty' });
      return true;
    }
    set({
      conflict: { mine, base, theirs, revision, mineChanges: diffDiagrams(base, mine), theirChanges },
      saveStatus: 'conflict',
      saveMessage: 'This model was changed elsewhere.',
    });
    writeDraft();
    return false;
  };

  return {
    ...initial,
    clipboard: null,
    activeProtocol: null,
    snapToGrid: true,
    helpOpen: false,

    async openModel(id) {
      clearTimeout(saveTimer);
      lastCoalesce = null;
      set({ ...initial, modelId: id, saveStatus: 'loading' });
      let m;
      try {
        m = await deps.api.getModel(id);
      } catch (e) {
        if (get().modelId === id) set({ saveStatus: 'error', saveMessage: (e as Error).message });
        return;
      }
      if (get().modelId !== id) return;
      const server = normalize(m.diagram);
      const draft = deps.drafts.load(id);
      const mineChanges = draft ? diffDiagrams(draft.base, draft.diagram) : [];
      if (!draft || mineChanges.length === 0) {
        if (draft) deps.drafts.remove(id);
        set({ model: m, revision: m.revision, base: server, ...load(server), saveStatus: 'saved' });
      } else if (draft.baseRevision === m.revision || diffDiagrams(draft.base, server).length === 0) {
        set({ model: m, revision: m.revision, base: server, ...load(draft.diagram), dirty: true, saveStatus: 'dirty' });
        scheduleSave();
      } else {
        set({
          model: m,
          revision: draft.baseRevision,
          base: draft.base,
          ...load(draft.diagram),
          dirty: true,
          saveStatus: 'conflict',
          saveMessage: 'Unsaved changes from an earlier session meet a newer version on the server.',
          conflict: {
            mine: draft.diagram, base: draft.base, theirs: server, revision: m.revision,
            mineChanges, theirChanges: diffDiagrams(draft.base, server),
          },
        });
      }
    },

    closeModel() {
      writeDraft();
      clearTimeout(saveTimer);
      set({ ...initial });
    },

    onNodesChange(changes) {
      const content = changes.some(
        (c) => c.type === 'position' || c.type === 'add' || c.type === 'remove' || c.type === 'replace' || (c.type === 'dimensions' && c.resizing),
      );
      set({ nodes: applyNodeChanges(changes, get().nodes) });
      if (content) edited();
    },

    onEdgesChange(changes) {
      const content = changes.some((c) => c.type !== 'select');
      set({ edges: applyEdgeChanges(changes, get().edges) });
      if (content) edited();
    },

    checkpoint() {
      pushHistory();
    },

    dropNodes(ids) {
      let g = graph();
      for (const id of ids) g = cmd.reparent(g, id);
      if (g.nodes !== get().nodes) {
        set({ nodes: g.nodes });
        edited();
      }
    },

    addComponent(typeId, at) {
      const t = get().catalog?.typeById[typeId];
      if (t) command((g) => cmd.addComponent(g, t, at));
    },

    groupSelection(at) {
      command((g) => cmd.groupSelection(g, at));
    },

    makeContainer(groupId, typeId) {
      const t = get().catalog?.typeById[typeId];
      if (t) command((g) => cmd.makeContainer(g, groupId, t));
    },

    setGroupKind(groupId, kind) {
      command((g) => cmd.setGroupKind(g, groupId, kind));
    },

    ungroup(groupId) {
      command((g) => cmd.ungroup(g, groupId));
    },

    deleteSelection() {
      const g = graph();
      if (!g.nodes.some((n) => n.selected) && !g.edges.some((e) => e.selected)) return;
      command(cmd.deleteSelection);
    },

    copy() {
      const clip = cmd.copySelection(graph());
      if (clip.nodes.length) set({ clipboard: clip });
    },

    cut() {
      get().copy();
      get().deleteSelection();
    },

    paste() {
      const clip = get().clipboard;
      if (!clip) return;
      command((g) => cmd.paste(g, clip));
      // The next paste lands one step further.
      set({ clipboard: cmd.copySelection(graph()) });
    },

    selectAll() {
      set({
        nodes: get().nodes.map((n) => (n.selected ? n : { ...n, selected: true })),
        edges: get().edges.map((e) => (e.selected ? e : { ...e, selected: true })),
      });
    },

    connect(source, target) {
      const cat = get().catalog;
      const proto = (get().activeProtocol && cat?.protocolById[get().activeProtocol!]) || (cat ? defaultProtocol(cat) : defaultProtocol({ componentTypes: [], protocols: [] }));
      const data = proto.defaultPort ? { protocol: proto.id, port: proto.defaultPort } : { protocol: proto.id };
      command((g) => cmd.connect(g, source, target, data));
    },

    updateNode(id, patch, coalesceKey) {
      command((g) => cmd.updateNodeData(g, id, patch), coalesceKey && `${id}:${coalesceKey}`);
    },

    updateEdge(id, patch, coalesceKey) {
      command((g) => cmd.updateEdgeData(g, id, patch), coalesceKey && `${id}:${coalesceKey}`);
    },

    undo() {
      const { past, future } = get();
      if (!past.length) return;
      const prev = past[past.length - 1];
      lastCoalesce = null;
      set({ past: past.slice(0, -1), future: [...future, graph()], nodes: prev.nodes, edges: prev.edges });
      edited();
    },

    redo() {
      const { past, future } = get();
      if (!future.length) return;
      const next = future[future.length - 1];
      lastCoalesce = null;
      set({ future: future.slice(0, -1), past: [...past, graph()], nodes: next.nodes, edges: next.edges });
      edited();
    },

    async save() {
      const s = get();
      if (!s.modelId || s.conflict) return;
      if (saving) {
        await saving;
        if (get().dirty) return get().save();
        return;
      }
      clearTimeout(saveTimer);
      const id = s.modelId;
      const seq = s.editSeq;
      const diagram = toDiagram(graph());
      set({ saveStatus: 'saving' });
      let retry = false;
      saving = (async () => {
        try {
          const r = await deps.api.putDiagram(id, s.revision, diagram);
          if (get().modelId !== id) return;
          const clean = get().editSeq === seq;
          set({ revision: r.revision, base: diagram, dirty: !clean, saveStatus: clean ? 'saved' : 'dirty', saveMessage: null, problems: [] });
          if (clean) deps.drafts.remove(id);
          else {
            writeDraft();
            scheduleSave();
          }
        } catch (e) {
          if (get().modelId !== id) return;
          const err = e as Error;
          if (e instanceof ApiError && e.status === 409) {
            try {
              retry = await enterConflict(id, toDiagram(graph()));
            } catch (e2) {
              set({ saveStatus: 'error', saveMessage: (e2 as Error).message });
            }
          } else if (e instanceof ApiError && (e.status === 422 || e.status === 400)) {
            const p = e.problem;
            set({
              saveStatus: 'invalid',
              saveMessage: err.message,
              problems: p.problems ?? (p.field ? [{ field: p.field, message: p.detail ?? '' }] : []),
            });
            writeDraft();
          } else {
            set({ saveStatus: 'error', saveMessage: err.message });
            writeDraft();
          }
        }
      })();
      try {
        await saving;
      } finally {
        saving = null;
      }
      if (retry) await get().save();
    },

    async resolveConflict(choice) {
      const c = get().conflict;
      const id = get().modelId;
      if (!c || !id) return;
      if (choice === 'reload') {
        deps.drafts.remove(id);
        lastCoalesce = null;
        set({
          ...load(c.theirs), base: c.theirs, revision: c.revision, conflict: null, dirty: false,
          past: [], future: [], saveStatus: 'saved', saveMessage: null,
        });
        return;
      }
      const merged = merge3(c.base, toDiagram(graph()), c.theirs);
      pushHistory();
      set({ ...load(merged), base: c.theirs, revision: c.revision, conflict: null, saveMessage: null });
      edited();
      await get().save();
    },

    flushDraft() {
      writeDraft();
    },

    setActiveProtocol(id) {
      // The default for flows drawn next only: a selected (e.g. just drawn)
      // flow keeps its protocol; its properties change it (#17.6).
      set({ activeProtocol: id });
    },

    toggleSnap() {
      set({ snapToGrid: !get().snapToGrid });
    },

    setHelp(open) {
      set({ helpOpen: open });
    },
  };
};
