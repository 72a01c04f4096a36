// Assist API: the tasks the architecture still needs, and applying a fix.
import type { Rest } from '../api/rest';
import type { Diagram } from '../schema/types';

export interface TaskFix {
  place?: string;
  as?: 'parent' | 'connected' | 'anywhere';
  around?: string;
  protocol?: string;
  direction?: 'in' | 'out';
}

export interface Task {
  /** id is "rule@element". */
  id: string;
  rule: string;
  element: string;
  elementType: string;
  elementName?: string;
  text: string;
  status: 'open' | 'completed';
  fix?: TaskFix;
}

export interface TaskList {
  revision: number;
  open: number;
  completed: number;
  items: Task[];
}

const enc = encodeURIComponent;

/** assistApi calls the task routes through the app's Rest client. */
export function assistApi(rest: Rest) {
  return {
    listTasks: async (modelId: string): Promise<TaskList> => {
      const r = (await rest<TaskList>('GET', `/models/${enc(modelId)}/tasks`)).body;
      return { ...r, items: r.items ?? [] };
    },
    /** applyTask carries out a task's fix on the saved revision; the answer is the new diagram. */
    applyTask: async (modelId: string, revision: number, task: string): Promise<{ diagram: Diagram; revision: number }> => {
      const r = await rest<{ diagram: Diagram; revision: number }>('POST', `/models/${enc(modelId)}/tasks/apply`, { body: { task }, revision });
      return { diagram: r.body.diagram, revision: r.body.revision ?? r.revision ?? revision + 1 };
    },
  };
}
