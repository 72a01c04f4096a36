// Tracking the Assist list between two analyses: which tasks are new since
// the previous list, and which were completed since.
import type { Task } from './api';

export interface TaskChanges {
  fresh: Set<string>;
  justCompleted: Set<string>;
}

export function trackTasks(prev: Task[] | null, next: Task[]): TaskChanges {
  const fresh = new Set<string>();
  const justCompleted = new Set<string>();
  if (!prev) return { fresh, justCompleted };
  const before = new Map(prev.map((t) => [t.id, t.status]));
  for (const t of next) {
    const was = before.get(t.id);
    if (was === undefined && t.status === 'open') fresh.add(t.id);
    if (t.status === 'completed' && was !== 'completed') justCompleted.add(t.id);
  }
  return { fresh, justCompleted };
}

/** sortTasks lists open tasks first, each group by element then text. */
export function sortTasks(tasks: Task[]): Task[] {
  const key = (t: Task) => `${t.status === 'open' ? 0 : 1}\u0000${t.elementName ?? t.element}\u0000${t.text}`;
  return [...tasks].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
