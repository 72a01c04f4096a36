// Pure logic of the History panel: the baseline, which review actions a
// person may take (and why not), labels, and the diagram highlighting of a
// diff. No React, no I/O: tested in logic.test.ts.
import { highlightCss as driftHighlightCss } from '../accelerator/logic';
import type { Diagram } from '../schema/types';
import type { Diff, DiffElement, DiffItem, ReviewAction, Version } from './api';

/** baselineRevision is the newest approved version of a list that is newest first, or undefined. */
export function baselineRevision(versions: Version[]): number | undefined {
  let best: number | undefined;
  for (const v of versions) if (v.review?.state === 'approved' && (best === undefined || v.revision > best)) best = v.revision;
  return best;
}

/** canReview tells whether a role may approve or reject (the server checks it too). */
export function canReview(role: string | undefined): boolean {
  return role === 'admin' || role === 'reviewer';
}

/** canEdit tells whether a role may save, name, restore and submit. */
export function canEdit(role: string | undefined): boolean {
  return role === 'admin' || role === 'editor';
}

/** Allowed is whether a control is enabled, and why not when it is not. */
export interface Allowed {
  ok: boolean;
  reason?: string;
}

const STATE_TEXT = { submitted: 'waiting for review', approved: 'approved', rejected: 'rejected' } as const;

/**
 * reviewAllowed tells whether role may take action on version v, with the
 * reason shown on a disabled button: the same rules as the server (submit a
 * version that is new or rejected; approve or reject one that is submitted;
 * approving needs the reviewer or admin role).
 */
export function reviewAllowed(v: Version, action: ReviewAction, role: string | undefined): Allowed {
  const state = v.review?.state;
  if (action === 'submit') {
    if (!canEdit(role)) return { ok: false, reason: `Submitting for review needs the editor role; you are ${role ?? 'not signed in'}.` };
    if (state === 'submitted' || state === 'approved') return { ok: false, reason: `Version ${v.revision} is already ${STATE_TEXT[state]}.` };
    return { ok: true };
  }
  if (!canReview(role)) return { ok: false, reason: `Only a reviewer or an admin may ${action} a version; you are ${role ?? 'not signed in'}.` };
  if (state !== 'submitted') return { ok: false, reason: state ? `Version ${v.revision} is ${STATE_TEXT[state]}, not waiting for review.` : `Version ${v.revision} has not been submitted for review.` };
  return { ok: true };
}

/** editAllowed tells whether role may name or restore versions (the editor role), with the reason when not. */
export function editAllowed(role: string | undefined): Allowed {
  return canEdit(role) ? { ok: true } : { ok: false, reason: `Needs the editor role; you are ${role ?? 'not signed in'}.` };
}

/**
 * restoreAllowed tells whether a version may be restored now: it needs the
 * editor role, and unsaved edits in the editor would be lost under the
 * restored content, so they are saved (or undone) first.
 */
export function restoreAllowed(role: string | undefined, dirty: boolean, isCurrent = false): Allowed {
  const edit = editAllowed(role);
  if (!edit.ok) return edit;
  if (isCurrent) return { ok: false, reason: 'This is the current version: there is nothing to restore.' };
  return dirty ? { ok: false, reason: 'Save or undo your unsaved changes before restoring a version.' } : { ok: true };
}

/** elementNames maps the ids of components, flows and groups of the given documents to their names (the later document wins). */
export function elementNames(...docs: ({ diagram?: { components?: { id: string; name?: string }[]; flows?: { id: string; name?: string }[]; groups?: { id: string; name?: string }[] } } | null | undefined)[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const d of docs) {
    for (const list of [d?.diagram?.components, d?.diagram?.flows, d?.diagram?.groups]) {
      for (const e of list ?? []) if (e.name) names.set(e.id, e.name);
    }
  }
  return names;
}

/** versionTitle names a version: "Version 12" or "Version 12 · v1.2 approved". */
export function versionTitle(v: Pick<Version, 'revision' | 'name'>): string {
  return v.name ? `Version ${v.revision} · ${v.name}` : `Version ${v.revision}`;
}

/** reviewText describes the review state of a version, e.g. "Approved by ann". */
export function reviewText(v: Version): string {
  const r = v.review;
  if (!r) return '';
  const verb = { submitted: 'Submitted for review by', approved: 'Approved by', rejected: 'Rejected by' }[r.state];
  return `${verb} ${r.by}${r.comment ? `: “${r.comment}”` : ''}`;
}

/** DiffSide is which diagram of a comparison is shown: the older (from) or the newer (to). */
export type DiffSide = 'from' | 'to';

/** Marks are the element ids to highlight on one side, by kind of change. */
export interface Marks {
  added: string[];
  removed: string[];
  changed: string[];
}

const ids = (xs: DiffElement[] | null | undefined) => (xs ?? []).map((x) => x.id);

/**
 * diffMarks picks what to highlight on one side's diagram: the from side
 * shows what was removed and changed, the to side what was added and changed
 * (components, flows and groups alike).
 */
export function diffMarks(d: Diff, side: DiffSide): Marks {
  const kinds = [d.components, d.flows, d.groups];
  const all = (k: 'added' | 'removed' | 'changed') => kinds.flatMap((e) => ids(e?.[k]));
  return side === 'from'
    ? { added: [], removed: all('removed'), changed: all('changed') }
    : { added: all('added'), removed: [], changed: all('changed') };
}

export const MARK_COLOUR = { added: '#1d8102', removed: '#d91515', changed: '#b7740f' } as const;

/**
 * highlightCss draws marks on the diagram inside scope with the Drift Log's
 * highlighting (accelerator/logic.ts): an outline per node and a thick
 * stroke per edge, found by React Flow's data-id, here coloured by kind of
 * change and limited to one of the two diagrams.
 */
export function highlightCss(scope: string, m: Marks): string {
  return (['added', 'removed', 'changed'] as const)
    .filter((k) => m[k].length > 0)
    .map((k) => driftHighlightCss(m[k].map((id) => ({ id })), { colour: MARK_COLOUR[k], scope }))
    .join('\n');
}

/** markOf tells how an element id differs on a side, for the list's and the node's labels. */
export function markOf(m: Marks, id: string): keyof Marks | undefined {
  if (m.added.includes(id)) return 'added';
  if (m.removed.includes(id)) return 'removed';
  if (m.changed.includes(id)) return 'changed';
  return undefined;
}

/** itemWhere names the element a threat or requirement belongs to. */
export function itemWhere(i: DiffItem): string {
  return i.elementName || i.elementId;
}

/** statusChange describes a changed threat or requirement, e.g. "Open → Mitigated". */
export function statusChange(i: DiffItem): string {
  const from = i.from?.status ?? '?';
  const to = i.to?.status ?? '?';
  const sev = i.from?.severity && i.to?.severity && i.from.severity !== i.to.severity ? ` (severity ${i.from.severity} → ${i.to.severity})` : '';
  return `${from} → ${to}${sev}`;
}

/** diffHeadline sums a diff up in one line. */
export function diffHeadline(d: Diff): string {
  const s = d.summary ?? {};
  const n = (k: string) => s[k] ?? 0;
  const parts = [
    `${n('componentsAdded')} added, ${n('componentsRemoved')} removed, ${n('componentsChanged')} changed components`,
    `${n('threatsAdded')} new threats (${n('highThreatsAdded')} high or critical), ${n('threatsRemoved')} gone`,
  ];
  if (n('complianceChanged')) parts.push(`${n('complianceChanged')} compliance changes`);
  return parts.join(' · ');
}

/** refLabel names one side of a comparison for the picker and the headings. */
export function refLabel(ref: number | 'baseline' | 'current'): string {
  if (ref === 'baseline') return 'Baseline (approved)';
  if (ref === 'current') return 'Current';
  return `Version ${ref}`;
}

/** overlayMarks are the marks of a single diagram showing both sides: what was added and changed, and what was removed. */
export function overlayMarks(d: Diff): Marks {
  return { ...diffMarks(d, 'to'), removed: diffMarks(d, 'from').removed };
}

const withoutParent = <T extends { parent?: string }>(x: T, have: Set<string>): T => {
  if (!x.parent || have.has(x.parent)) return x;
  const { parent: _gone, ...rest } = x;
  return rest as T;
};

/**
 * overlayDiagram is the newer diagram with what the diff says was removed
 * from the older one put back where it was, so one diagram shows the whole
 * change. A removed element whose group is gone too keeps no parent; a
 * removed flow comes back only when both its ends are drawn.
 */
export function overlayDiagram(from: Diagram, to: Diagram, d: Diff): Diagram {
  const removed = new Set(diffMarks(d, 'from').removed);
  const have = new Set([...(to.components ?? []), ...(to.groups ?? [])].map((x) => x.id));
  const groups = (from.groups ?? []).filter((g) => removed.has(g.id) && !have.has(g.id));
  groups.forEach((g) => have.add(g.id));
  const components = (from.components ?? []).filter((c) => removed.has(c.id) && !have.has(c.id));
  components.forEach((c) => have.add(c.id));
  const flowIds = new Set((to.flows ?? []).map((f) => f.id));
  const flows = (from.flows ?? []).filter((f) => removed.has(f.id) && !flowIds.has(f.id) && have.has(f.source) && have.has(f.target));
  return {
    components: [...(to.components ?? []), ...components.map((c) => withoutParent(c, have))],
    groups: [...(to.groups ?? []), ...groups.map((g) => withoutParent(g, have))],
    flows: [...(to.flows ?? []), ...flows],
  };
}
