// The shape of the one application store. Each slice lives in its own file.
import type { Api, ModelPatch } from '../api/client';
import type { Rest } from '../api/rest';
import type { Clipboard } from '../editor/commands';
import type { Change } from '../editor/merge';
import type { DiagramNode, FlowData, FlowEdge, Graph, GroupData, ComponentData } from '../editor/types';
import type { NodeChange, EdgeChange } from '@xyflow/react';
import type { IndexedCatalog } from '../schema/catalog';
import type { Diagram, GroupKind, NewThreatModel, Summary, ThreatModel } from '../schema/types';
import type { DraftStore } from './drafts';
import type { AcceleratorSlice } from '../accelerator/slice';

export interface Deps {
  api: Api;
  /** rest is the app's one HTTP client (main.tsx builds api over it too, httpApi(rest)); components get the same one from RestContext. */
  rest: Rest;
  drafts: DraftStore;
  /** autosaveMs is the quiet time before an edit is saved; 0 turns autosave off. */
  autosaveMs: number;
  /** draftMs is the quiet time before an edit is written to the draft store. */
  draftMs: number;
}

export type Facet = 'type' | 'label' | 'priority';
export interface Filter {
  facet: Facet;
  value: string;
}

export interface CatalogSlice {
  catalog: IndexedCatalog | null;
  catalogError: string | null;
  loadCatalog(): Promise<void>;
}

export interface LibrarySlice {
  models: Summary[];
  modelsNext: string;
  modelsLoading: boolean;
  modelsError: string | null;
  search: string;
  filters: Filter[];
  sort: string;
  setSearch(q: string): void;
  addFilter(f: Filter): void;
  removeFilter(f: Filter): void;
  setSort(s: string): void;
  loadModels(more?: boolean): Promise<void>;
  deleteModel(id: string): Promise<void>;
  createModel(m: NewThreatModel): Promise<ThreatModel>;
  /**
   * updateDetails changes a model's details (name, version, type, priority,
   * exposure, labels, description) with PATCH. An open model saves its
   * diagram edits first and takes the new revision; the library row follows.
   */
  updateDetails(id: string, patch: ModelPatch): Promise<ThreatModel>;
}

export type SaveStatus = 'idle' | 'loading' | 'dirty' | 'saving' | 'saved' | 'error' | 'invalid' | 'conflict';

export interface Conflict {
  mine: Diagram;
  base: Diagram;
  theirs: Diagram;
  revision: number;
  mineChanges: Change[];
  theirChanges: Change[];
}

export interface EditorSlice extends Graph {
  modelId: string | null;
  model: ThreatModel | null;
  revision: number;
  base: Diagram;
  past: Graph[];
  future: Graph[];
  clipboard: Clipboard | null;
  dirty: boolean;
  editSeq: number;
  saveStatus: SaveStatus;
  saveMessage: string | null;
  problems: { field: string; message: string }[];
  conflict: Conflict | null;
  activeProtocol: string | null;
  snapToGrid: boolean;
  helpOpen: boolean;

  openModel(id: string): Promise<void>;
  closeModel(): void;
  onNodesChange(changes: NodeChange<DiagramNode>[]): void;
  onEdgesChange(changes: EdgeChange<FlowEdge>[]): void;
  /** checkpoint records an undo step before a gesture (drag, resize) changes the graph. */
  checkpoint(): void;
  dropNodes(ids: string[]): void;
  addComponent(typeId: string, at: { x: number; y: number }): void;
  groupSelection(at: { x: number; y: number }): void;
  makeContainer(groupId: string, typeId: string): void;
  setGroupKind(groupId: string, kind: Exclude<GroupKind, 'container'>): void;
  ungroup(groupId: string): void;
  deleteSelection(): void;
  copy(): void;
  cut(): void;
  paste(): void;
  selectAll(): void;
  connect(source: string, target: string): void;
  updateNode(id: string, patch: Partial<ComponentData> | Partial<GroupData>, coalesceKey?: string): void;
  updateEdge(id: string, patch: Partial<FlowData>, coalesceKey?: string): void;
  undo(): void;
  redo(): void;
  save(): Promise<void>;
  resolveConflict(choice: 'reload' | 'keepMine'): Promise<void>;
  flushDraft(): void;
  /** setActiveProtocol sets the protocol of flows drawn from now on; existing flows keep theirs. */
  setActiveProtocol(id: string): void;
  toggleSnap(): void;
  setHelp(open: boolean): void;
}

export type AppState = CatalogSlice & LibrarySlice & EditorSlice & AcceleratorSlice;
