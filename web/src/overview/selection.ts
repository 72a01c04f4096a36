// The Overview's row selection (the checkboxes): toggle one, a Shift range
// from the last clicked row as in Gmail or Jira, select or clear all shown,
// and prune to the shown rows. Pure functions over a Set of item ids; each
// returns the same Set when nothing changes, so React can skip a render.

export type Selection = ReadonlySet<string>;

/** toggle adds or removes one id. */
export function toggle(sel: Selection, id: string): Selection {
  const out = new Set(sel);
  if (out.has(id)) out.delete(id);
  else out.add(id);
  return out;
}

/**
 * clickRow applies a click on a row's checkbox. Without shift, or without an
 * anchor among the rows, it toggles the row. With shift, every row from the
 * anchor to the clicked one (in the shown order) takes the clicked row's new
 * state. The clicked row becomes the next anchor.
 */
export function clickRow(sel: Selection, order: readonly string[], anchor: string | null, id: string, shift: boolean): { selection: Selection; anchor: string } {
  const to = order.indexOf(id);
  const from = anchor === null ? -1 : order.indexOf(anchor);
  if (!shift || from < 0 || to < 0) return { selection: toggle(sel, id), anchor: id };
  const on = !sel.has(id);
  const out = new Set(sel);
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
    if (on) out.add(order[i]);
    else out.delete(order[i]);
  }
  return { selection: same(sel, out) ? sel : out, anchor: id };
}

export type AllState = 'none' | 'some' | 'all';

/** allState tells whether none, some or all of the shown ids are selected (none when nothing is shown). */
export function allState(sel: Selection, shown: readonly string[]): AllState {
  let n = 0;
  for (const id of shown) if (sel.has(id)) n++;
  return n === 0 ? 'none' : n === shown.length ? 'all' : 'some';
}

/** toggleAll selects every shown id, or clears them when all are selected already. */
export function toggleAll(sel: Selection, shown: readonly string[]): Selection {
  const all = allState(sel, shown) === 'all';
  const out = new Set(sel);
  for (const id of shown) {
    if (all) out.delete(id);
    else out.add(id);
  }
  return same(sel, out) ? sel : out;
}

/** prune keeps only the ids still shown. */
export function prune(sel: Selection, shown: Iterable<string>): Selection {
  if (sel.size === 0) return sel;
  const keep = new Set(shown);
  const out = new Set([...sel].filter((id) => keep.has(id)));
  return out.size === sel.size ? sel : out;
}

/** inOrder lists the selected ids in the shown order. */
export function inOrder(sel: Selection, order: readonly string[]): string[] {
  return order.filter((id) => sel.has(id));
}

function same(a: Selection, b: Selection): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
