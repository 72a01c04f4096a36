// A diagram shown read-only: the editor's own node and edge renderers on a
// store of its own that nothing saves (no Api writes, no drafts, no
// autosave), with dragging, connecting, selecting and deleting switched off.
import { Background, Controls, ReactFlow, ReactFlowProvider, type NodeChange } from '@xyflow/react';
import { useCallback, useMemo } from 'react';
import { ApiError, type Api } from '../api/client';
import type { Rest } from '../api/rest';
import { fromDiagram } from '../editor/mapping';
import { VIRTUALIZE_ABOVE } from '../editor/Canvas';
import { edgeTypes, nodeTypes } from '../editor/nodes';
import { GroupMenuContext } from '../editor/nodes/GroupNode';
import type { DiagramNode, FlowEdge } from '../editor/types';
import { createAppStore, StoreContext, useApp, type AppStore } from '../store';
import { memoryDrafts } from '../store/drafts';
import type { IndexedCatalog } from '../schema/catalog';
import type { ThreatModel } from '../schema/types';

const refuse = async (): Promise<never> => {
  throw new ApiError(405, { title: 'Read-only', detail: 'This is an old version, shown read-only.' });
};

/** readOnlyApi and readOnlyRest answer every call with an error: a version view never reads or writes through the editor's clients. */
const readOnlyApi: Api = {
  catalog: refuse, listModels: refuse, createModel: refuse, getModel: refuse, patchModel: refuse,
  deleteModel: refuse, getDiagram: refuse, putDiagram: refuse,
};
const readOnlyRest: Rest = refuse;

/** readOnlyStore is an application store holding doc's diagram and nothing that saves it. */
export function readOnlyStore(doc: ThreatModel, catalog: IndexedCatalog | null): AppStore {
  const store = createAppStore({ api: readOnlyApi, rest: readOnlyRest, drafts: memoryDrafts(), autosaveMs: 0, draftMs: 0 });
  const g = fromDiagram(doc.diagram ?? { components: [], flows: [], groups: [] });
  store.setState({ catalog, model: doc, modelId: doc.id, revision: doc.revision, nodes: g.nodes, edges: g.edges, saveStatus: 'saved' });
  return store;
}

// A group's context menu would act on the editor's model: none here.
const noMenu = () => {};

const FIT = { maxZoom: 1, padding: 0.15, includeHiddenNodes: true };

function Surface() {
  const nodes = useApp((s) => s.nodes);
  const edges = useApp((s) => s.edges);
  const onNodesChange = useApp((s) => s.onNodesChange);
  // Only React Flow's measurements reach the store: nothing the user does changes the graph.
  const measure = useCallback((cs: NodeChange<DiagramNode>[]) => {
    const dims = cs.filter((c) => c.type === 'dimensions' && !c.resizing);
    if (dims.length) onNodesChange(dims);
  }, [onNodesChange]);
  return (
    <ReactFlow<DiagramNode, FlowEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={measure}
      nodesDraggable={false}
      nodesConnectable={false}
      nodesFocusable={false}
      edgesFocusable={false}
      elementsSelectable={false}
      onlyRenderVisibleElements={nodes.length > VIRTUALIZE_ABOVE}
      deleteKeyCode={null}
      selectionKeyCode={null}
      multiSelectionKeyCode={null}
      minZoom={0.05}
      maxZoom={3}
      fitView
      fitViewOptions={FIT}
    >
      <Background gap={16} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

/**
 * ReadOnlyDiagram draws doc's diagram without any way to change it. label
 * names the region for assistive technology ("Version 12, read-only").
 */
export function ReadOnlyDiagram({ doc, catalog, label, testId }: { doc: ThreatModel; catalog: IndexedCatalog | null; label: string; testId?: string }) {
  const store = useMemo(() => readOnlyStore(doc, catalog), [doc, catalog]);
  return (
    <StoreContext.Provider value={store}>
      <GroupMenuContext.Provider value={noMenu}>
      <ReactFlowProvider>
        <div className="canvas history-canvas" role="region" aria-label={label} data-testid={testId} data-readonly="true">
          <Surface />
        </div>
      </ReactFlowProvider>
      </GroupMenuContext.Provider>
    </StoreContext.Provider>
  );
}
