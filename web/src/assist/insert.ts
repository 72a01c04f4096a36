// Putting a diagram fragment (a template, a nested model) into the open
// model through the store's public actions: one undo step, then autosave.
import { settle } from '../editor/layout/settle';
import { fromDiagram } from '../editor/mapping';
import type { AppStore } from '../store';
import type { Diagram } from '../schema/types';

export function insertFragment(store: AppStore, fragment: Diagram): void {
  const s = store.getState();
  const g = fromDiagram(fragment);
  if (!g.nodes.length) return;
  s.checkpoint();
  // Deselect what was selected, then add the fragment selected.
  s.onNodesChange([
    ...s.nodes.filter((n) => n.selected).map((n) => ({ type: 'select' as const, id: n.id, selected: false })),
    ...g.nodes.map((n) => ({ type: 'add' as const, item: { ...n, selected: !n.parentId } })),
  ]);
  if (g.edges.length) s.onEdgesChange(g.edges.map((e) => ({ type: 'add' as const, item: e })));
}

/**
 * replaceDiagram loads a diagram the server saved (e.g. after applying an
 * Assist task) into the editor as the new saved state; the previous graph
 * stays one undo step away. What the server added is settled into free
 * space (see settle); when that moved anything, the moves are an edit that
 * autosaves.
 */
export function replaceDiagram(store: AppStore, diagram: Diagram, revision: number): void {
  const s = store.getState();
  const g = fromDiagram(diagram);
  const settled = fromDiagram(settle(s.base, diagram));
  store.setState({
    nodes: g.nodes, edges: g.edges, base: diagram, revision,
    past: [...s.past, { nodes: s.nodes, edges: s.edges }], future: [],
    dirty: false, saveStatus: 'saved', saveMessage: null, problems: [],
  });
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const moved = settled.nodes.filter((n) => {
    const o = byId.get(n.id);
    return !o || o.position.x !== n.position.x || o.position.y !== n.position.y || o.width !== n.width || o.height !== n.height;
  });
  if (moved.length) store.getState().onNodesChange(moved.map((n) => ({ type: 'replace' as const, id: n.id, item: n })));
}
