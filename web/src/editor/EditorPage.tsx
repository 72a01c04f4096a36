import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useContext, useMemo, useState } from 'react';
import { useApp, useAppStore } from '../store';
import { Canvas, FIT } from './Canvas';
import { ConflictDialog } from './ConflictDialog';
import { download, renderDiagram, safeFilename } from './exportImage';
import { GroupMenu, type MenuAt } from './GroupMenu';
import { HelpOverlay } from './HelpOverlay';
import { InferredToggle } from './InferredToggle';
import { DockContext } from './PanelDock';
import { GroupMenuContext } from './nodes/GroupNode';
import { PropertiesPanel } from './PropertiesPanel';
import { SidePanel } from './SidePanel';
import { useShortcuts } from './shortcuts';
import { Toolbar } from './Toolbar';
import { Toolbox } from './Toolbox';
import './editor.css';
import { AssistPanel } from '../assist/AssistPanel';
import { EditorExtras } from '../assist/EditorExtras';
import { BuilderContext } from '../templates/BuilderContext';
import { useLibraryInsert } from '../templates/useLibraryInsert';
import { ModelTools } from '../integrations/ModelTools';
import { EditDetailsDialog } from '../library/EditDetailsDialog';
import { HistoryToggle } from '../history/HistoryPanel';

const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

/** allRendered waits until React Flow has drawn and measured every node and their icons have loaded (at most 10 s). */
async function allRendered(): Promise<void> {
  const deadline = Date.now() + 10_000;
  await frame();
  await frame();
  while (Date.now() < deadline) {
    const hidden = document.querySelector('.react-flow__node[style*="visibility: hidden"]');
    const loading = [...document.querySelectorAll<HTMLImageElement>('.react-flow__node img')].some((i) => !i.complete);
    if (!hidden && !loading) return;
    await frame();
  }
}

function Editor() {
  const store = useAppStore();
  const catalogError = useApp((s) => s.catalogError);
  const status = useApp((s) => s.saveStatus);
  const message = useApp((s) => s.saveMessage);
  const problems = useApp((s) => s.problems);
  const name = useApp((s) => s.model?.name);
  const model = useApp((s) => s.model);
  const [editingDetails, setEditingDetails] = useState(false);
  const loaded = useApp((s) => s.model !== null && s.catalog !== null);
  const groupSelection = useApp((s) => s.groupSelection);
  const { fitView, screenToFlowPosition } = useReactFlow();
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const builder = useContext(BuilderContext);
  const libraryDrop = useLibraryInsert();

  const centre = useCallback(() => {
    const r = document.querySelector('.canvas')?.getBoundingClientRect();
    const p = screenToFlowPosition({ x: (r?.left ?? 0) + (r?.width ?? 0) / 2, y: (r?.top ?? 0) + (r?.height ?? 0) / 2 });
    return { x: Math.round(p.x - 160), y: Math.round(p.y - 110) };
  }, [screenToFlowPosition]);
  const actions = useMemo(() => ({ fitView: () => void fitView({ ...FIT, duration: 200 }), groupAt: centre }), [fitView, centre]);
  useShortcuts(store, actions);

  const onExport = useCallback(
    async (format: 'png' | 'svg') => {
      try {
        setExportError(null);
        // A big diagram renders only what is on screen: draw everything first.
        setExporting(true);
        await allRendered();
        const { nodes, edges, catalog } = store.getState();
        const url = await renderDiagram(nodes, format, edges, catalog);
        download(url, `${safeFilename(name ?? 'diagram')}.${format}`);
      } catch (e) {
        setExportError(`Export failed: ${(e as Error).message}`);
      } finally {
        setExporting(false);
      }
    },
    [store, name],
  );
  const openMenu = useCallback((id: string, x: number, y: number) => setMenu({ id, x, y }), []);
  // The dock of the head's panels (Drift Log, History): they render into it, stacked (PanelDock.tsx).
  const [dock, setDock] = useState<HTMLDivElement | null>(null);

  return (
    <GroupMenuContext.Provider value={openMenu}>
    <DockContext.Provider value={dock}>
      <div className="editor" data-testid="editor">
        <div className="editor-head">
          <h1 data-testid="model-name">
            {model ? (
              <button type="button" className="title-button" onClick={() => setEditingDetails(true)} aria-label={`Edit details of ${name}`} title="Edit details: name, version, type, priority, exposure, labels">
                {name}
              </button>
            ) : '…'}
          </h1>
          <Toolbar onGroup={() => groupSelection(centre())} onFit={actions.fitView} onExport={(f) => void onExport(f)} />
          <InferredToggle />
          <EditorExtras />
          <ModelTools />
          {!builder && <HistoryToggle />}
        </div>
        {catalogError && <div className="banner error" role="alert">Could not load the component catalog: {catalogError}</div>}
        {(status === 'error' || status === 'invalid') && message && (
          <div className="banner error" role="alert" data-testid="save-error">
            {message} Your changes are kept in this browser.
            {problems.length > 0 && <ul>{problems.map((p, i) => <li key={i}><code>{p.field}</code> {p.message}</li>)}</ul>}
          </div>
        )}
        {exportError && <div className="banner error" role="alert">{exportError}</div>}
        <div className={builder ? 'editor-body' : 'editor-body with-assist'} onDragOver={libraryDrop.onDragOver} onDrop={libraryDrop.onDrop}>
          <SidePanel name="toolbox" title="Components" side="left"><Toolbox /></SidePanel>
          <div className="canvas-area">
            {loaded ? <Canvas renderAll={exporting} /> : <div className="canvas loading">{status === 'error' ? message : 'Loading diagram…'}</div>}
            <div className="panel-dock" ref={setDock} data-testid="panel-dock" />
          </div>
          {/* Properties share the right column with Assist, so selecting does not
              resize the canvas; with the column folded they show on their own (#17.13). */}
          {builder ? <PropertiesPanel /> : (
            <SidePanel name="assist" title="Properties and Assist" side="right" whenFolded={<PropertiesPanel />}>
              <div className="inspector"><PropertiesPanel /><AssistPanel /></div>
            </SidePanel>
          )}
        </div>
        {editingDetails && model && <EditDetailsDialog model={model} onClose={() => setEditingDetails(false)} />}
        {menu && <GroupMenu at={menu} onClose={() => setMenu(null)} />}
        <ConflictDialog />
        <HelpOverlay />
      </div>
    </DockContext.Provider>
    </GroupMenuContext.Provider>
  );
}

/** EditorPage is the diagram editor of the open model (App's EditorRoute opens it). */
export default function EditorPage() {
  return (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  );
}
