import { useState } from 'react';
import { ApiError } from '../api/client';
import { useRestApi } from '../api/context';
import { useApp, useAppStore } from '../store';
import { assistApi, type Task } from './api';
import { replaceDiagram } from './insert';
import { NestedModelSection } from './NestedModelSection';
import { sortTasks } from './track';
import { useTasks } from './useTasks';
import './assist.css';

function TaskRow({ task, fresh, done, busy, onApply }: { task: Task; fresh: boolean; done: boolean; busy: boolean; onApply: () => void }) {
  const completed = task.status === 'completed';
  return (
    <li
      className={`task${completed ? ' completed' : ''}${fresh ? ' fresh' : ''}${done ? ' just-done' : ''}`}
      data-testid="assist-task" data-task={task.id} data-status={task.status}
    >
      <span className="task-tick" aria-label={completed ? 'completed' : 'open'}>{completed ? '✓' : '○'}</span>
      <span className="task-text">
        {task.text}
        <span className="hint"> — {task.elementName || task.element}</span>
        {fresh && <span className="task-new">new</span>}
      </span>
      {!completed && task.fix && (
        <button type="button" className="small" disabled={busy} onClick={onApply} data-testid={`assist-apply-${task.id}`} title="Add what this task asks for to the diagram">
          Add it
        </button>
      )}
    </li>
  );
}

/** AssistPanel lists what the architecture still needs; it follows the saved model and applies fixes. */
export function AssistPanel() {
  const store = useAppStore();
  const api = useRestApi(assistApi);
  const modelId = useApp((s) => s.modelId);
  const revision = useApp((s) => s.revision);
  const dirty = useApp((s) => s.dirty);
  const { tasks, changes, error, reload } = useTasks(modelId, revision);
  const [busy, setBusy] = useState(false);
  const [applyError, setApplyError] = useState<string | null>(null);
  const [showDone, setShowDone] = useState(true);

  const apply = async (t: Task) => {
    if (!modelId) return;
    setBusy(true);
    setApplyError(null);
    try {
      // The fix applies to the saved diagram: save pending edits first.
      if (store.getState().dirty) await store.getState().save();
      const s = store.getState();
      if (s.dirty || s.conflict) throw new Error('Save your changes first.');
      const r = await api.applyTask(modelId, s.revision, t.id);
      replaceDiagram(store, r.diagram, r.revision);
    } catch (e) {
      setApplyError(e instanceof ApiError && e.status === 409 ? 'The model changed meanwhile; try again.' : (e as Error).message);
      reload();
    } finally {
      setBusy(false);
    }
  };

  const list = tasks ? sortTasks(tasks) : [];
  const open = list.filter((t) => t.status === 'open').length;
  const shown = showDone ? list : list.filter((t) => t.status === 'open');
  return (
    <aside className="assist" data-testid="assist-panel" aria-label="Assist">
      <NestedModelSection />
      <div className="assist-head">
        <h3>Assist</h3>
        <span className="hint" data-testid="assist-counts">{tasks ? `${open} open · ${list.length - open} done` : ''}</span>
      </div>
      {dirty && <p className="hint" data-testid="assist-updating">Updates when your changes are saved…</p>}
      {error && <div className="banner error small" role="alert">{error}</div>}
      {applyError && <div className="banner error small" role="alert" data-testid="assist-error">{applyError}</div>}
      {tasks && list.length === 0 && <p className="hint">Nothing to do: add components to get suggestions.</p>}
      <label className="inline hint"><input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} data-testid="assist-show-done" /> Show completed</label>
      <ul className="tasks">
        {shown.map((t) => (
          <TaskRow key={t.id} task={t} fresh={changes.fresh.has(t.id)} done={changes.justCompleted.has(t.id)} busy={busy} onApply={() => void apply(t)} />
        ))}
      </ul>
    </aside>
  );
}
