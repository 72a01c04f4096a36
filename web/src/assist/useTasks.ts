import { useCallback, useEffect, useRef, useState } from 'react';
import { useRestApi } from '../api/context';
import { assistApi, type Task } from './api';
import { trackTasks, type TaskChanges } from './track';

export interface TasksState {
  tasks: Task[] | null;
  changes: TaskChanges;
  error: string | null;
  /** revision is the saved revision the list was computed from. */
  revision: number;
  reload(): void;
}

const none: TaskChanges = { fresh: new Set(), justCompleted: new Set() };

/**
 * useTasks keeps the Assist list of the saved model: it is fetched again
 * every time a save gives the model a new revision, so the list follows the
 * user's edits a moment after autosave.
 */
export function useTasks(modelId: string | null, revision: number): TasksState {
  const [state, setState] = useState<{ tasks: Task[] | null; changes: TaskChanges; error: string | null; revision: number }>({ tasks: null, changes: none, error: null, revision: 0 });
  const prev = useRef<{ id: string | null; tasks: Task[] | null }>({ id: null, tasks: null });
  const [tick, setTick] = useState(0);
  const api = useRestApi(assistApi);
  useEffect(() => {
    if (!modelId || revision <= 0) return;
    let live = true;
    api.listTasks(modelId).then(
      (r) => {
        if (!live) return;
        const before = prev.current.id === modelId ? prev.current.tasks : null;
        prev.current = { id: modelId, tasks: r.items };
        setState({ tasks: r.items, changes: trackTasks(before, r.items), error: null, revision: r.revision });
      },
      (e: Error) => live && setState((s) => ({ ...s, error: e.message })),
    );
    return () => {
      live = false;
    };
  }, [api, modelId, revision, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
