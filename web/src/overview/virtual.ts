// Windowing for the Overview's table: the groups and rows as one list of
// equal-height entries, and which of them a scrolled view needs.
import type { ItemGroup } from './table';

/** VIRTUAL_FROM is the number of rows from which the table renders only a window of them. */
export const VIRTUAL_FROM = 300;

/** ROW_HEIGHT is the height of a row (and of a group's title row) in a windowed table, in px (overview.css). */
export const ROW_HEIGHT = 34;

/** OVERSCAN is how many entries are rendered above and below the view. */
export const OVERSCAN = 12;

/** Entry is a group title or an item row. */
export type Entry<T> = { kind: 'group'; group: ItemGroup<T> } | { kind: 'row'; group: ItemGroup<T>; item: T };

/** flatten lists the groups' title rows (when headed) and item rows in display order. */
export function flatten<T>(groups: ItemGroup<T>[], headed: boolean): Entry<T>[] {
  const out: Entry<T>[] = [];
  for (const group of groups) {
    if (headed) out.push({ kind: 'group', group });
    for (const item of group.items) out.push({ kind: 'row', group, item });
  }
  return out;
}

/** rowWindow is the range [start, end) of entries to render for a view from top (px below the header) height px tall. */
export function rowWindow(count: number, top: number, height: number, rowHeight = ROW_HEIGHT, overscan = OVERSCAN): { start: number; end: number } {
  const first = Math.floor(Math.max(0, top) / rowHeight);
  const start = Math.max(0, Math.min(count, first) - overscan);
  const end = Math.min(count, first + Math.ceil(Math.max(0, height) / rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}

/** ALL_GROUPS_UP_TO is how many groups a windowed table still renders all of (title and count, rows only in the window). */
export const ALL_GROUPS_UP_TO = 200;

/** WindowPart is a group as rendered: its title or not, the rows in the window, and how many rows are left out above and below them. */
export interface WindowPart<T> {
  group: ItemGroup<T>;
  head: boolean;
  rows: T[];
  above: number;
  below: number;
}

/**
 * windowParts splits a window [start, end) of the flattened entries back into
 * groups. With allGroups, every group is rendered with its title, and the rows
 * outside the window are spacers inside it; else only groups in the window
 * are, and before and after count the entries left out around them.
 */
export function windowParts<T>(groups: ItemGroup<T>[], headed: boolean, win: { start: number; end: number }, allGroups: boolean): { groups: WindowPart<T>[]; before: number; after: number } {
  const out: WindowPart<T>[] = [];
  let at = 0;
  for (const group of groups) {
    const size = group.items.length + (headed ? 1 : 0);
    const first = at + (headed ? 1 : 0); // entry index of the group's first row
    const from = Math.min(group.items.length, Math.max(0, win.start - first));
    const to = Math.max(from, Math.min(group.items.length, win.end - first));
    if (allGroups || (at < win.end && at + size > win.start)) {
      const head = headed && (allGroups || (at >= win.start && at < win.end));
      out.push({ group, head, rows: group.items.slice(from, to), above: allGroups ? from : 0, below: allGroups ? group.items.length - to : 0 });
    }
    at += size;
  }
  return allGroups ? { groups: out, before: 0, after: 0 } : { groups: out, before: win.start, after: Math.max(0, at - win.end) };
}
