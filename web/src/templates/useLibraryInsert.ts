import { useReactFlow } from '@xyflow/react';
import { useCallback, type DragEvent } from 'react';
import { useRestApi } from '../api/context';
import { newId } from '../editor/ids';
import { insertFragment } from '../assist/insert';
import { useAppStore } from '../store';
import type { Point } from '../schema/types';
import { templatesApi } from './api';
import { nestedFragment, templateFragment } from './fragment';

export const TEMPLATE_MIME = 'application/x-bulwark-template';
export const MODEL_MIME = 'application/x-bulwark-model';

/** useLibraryInsert drops templates (as a group) and threat models (nested) into the open diagram. */
export function useLibraryInsert() {
  const store = useAppStore();
  const api = useRestApi(templatesApi);
  const { screenToFlowPosition } = useReactFlow();
  const centre = useCallback((): Point => {
    const r = document.querySelector('.canvas')?.getBoundingClientRect();
    return screenToFlowPosition({ x: (r?.left ?? 0) + (r?.width ?? 0) / 2, y: (r?.top ?? 0) + (r?.height ?? 0) / 2 });
  }, [screenToFlowPosition]);

  const insertTemplate = useCallback(async (id: string, at: Point) => {
    const t = await api.getTemplate(id);
    insertFragment(store, templateFragment(t.diagram, t.name, at, newId));
  }, [api, store]);

  const insertModel = useCallback((id: string, name: string, at: Point) => {
    insertFragment(store, nestedFragment(id, name, at, newId));
  }, [store]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(TEMPLATE_MIME) || e.dataTransfer.types.includes(MODEL_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);
  const onDrop = useCallback((e: DragEvent) => {
    const tpl = e.dataTransfer.getData(TEMPLATE_MIME);
    const model = e.dataTransfer.getData(MODEL_MIME);
    if (!tpl && !model) return;
    e.preventDefault();
    const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
    if (tpl) void insertTemplate(tpl, at);
    else {
      const { id, name } = JSON.parse(model) as { id: string; name: string };
      insertModel(id, name, { x: at.x - 48, y: at.y - 32 });
    }
  }, [screenToFlowPosition, insertTemplate, insertModel]);

  return { centre, insertTemplate, insertModel, onDragOver, onDrop };
}
