import { describe, expect, it } from 'vitest';
import type { Task } from './api';
import { sortTasks, trackTasks } from './track';

const task = (id: string, status: Task['status'] = 'open', elementName = 'Web'): Task => ({
  id, rule: id.split('@')[0], element: 'e1', elementType: 'aws.ec2', elementName, text: `do ${id}`, status,
});

describe('trackTasks', () => {
  it('marks nothing on the first list', () => {
    const c = trackTasks(null, [task('a@e1')]);
    expect(c.fresh.size + c.justCompleted.size).toBe(0);
  });
  it('finds new open tasks and newly completed ones', () => {
    const c = trackTasks([task('a@e1'), task('b@e1')], [task('a@e1', 'completed'), task('b@e1'), task('c@e2')]);
    expect([...c.fresh]).toEqual(['c@e2']);
    expect([...c.justCompleted]).toEqual(['a@e1']);
  });
  it('sorts open tasks first', () => {
    expect(sortTasks([task('z@e1', 'completed', 'A'), task('b@e1', 'open', 'B'), task('a@e1', 'open', 'A')]).map((t) => t.id))
      .toEqual(['a@e1', 'b@e1', 'z@e1']);
  });
});
