// The logic of the "Edit details" dialog: what it sends with PATCH and where
// the API's validation problems are shown.
import type { ModelPatch } from '../api/client';
import type { Facing, Priority, ThreatModel } from '../schema/types';

/** Details are the fields of the "Edit details" form. */
export interface Details {
  name: string;
  version: string;
  projectType: string;
  priority: Priority;
  facing: Facing;
  labels: string[];
  description: string;
}

/** DetailField is a form field a problem can be shown beside. */
export type DetailField = keyof Details;

/** detailsOf reads the form's starting values from a model or a library row. */
export function detailsOf(m: Pick<ThreatModel, 'name' | 'projectType' | 'priority' | 'facing'> & Partial<Pick<ThreatModel, 'version' | 'labels' | 'description'>>): Details {
  return {
    name: m.name, version: m.version ?? '', projectType: m.projectType, priority: m.priority, facing: m.facing,
    labels: [...(m.labels ?? [])], description: m.description ?? '',
  };
}

/**
 * detailsPatch is the PATCH body for the fields that differ from before:
 * text is trimmed, an empty label list is sent as [] (clearing the labels).
 * The server validates (an empty name is refused there, by field).
 */
export function detailsPatch(before: Details, after: Details): ModelPatch {
  const p: ModelPatch = {};
  const name = after.name.trim();
  if (name !== before.name) p.name = name;
  if (after.version.trim() !== before.version) p.version = after.version.trim();
  if (after.projectType !== before.projectType) p.projectType = after.projectType;
  if (after.priority !== before.priority) p.priority = after.priority;
  if (after.facing !== before.facing) p.facing = after.facing;
  if (after.description.trim() !== before.description) p.description = after.description.trim();
  if (after.labels.join('\n') !== before.labels.join('\n')) p.labels = after.labels;
  return p;
}

/** FIELD_NAMES are the form's names of the fields, which start their messages. */
export const FIELD_NAMES: Record<DetailField, string> = {
  name: 'Name', version: 'Version', projectType: 'Project type', priority: 'Priority', facing: 'Exposure', labels: 'Labels', description: 'Description',
};

const FIELD_OF: Record<string, DetailField> = {
  '/name': 'name', '/version': 'version', '/projectType': 'projectType', '/priority': 'priority', '/facing': 'facing',
  '/labels': 'labels', '/description': 'description',
};

/**
 * fieldErrors places the API's validation problems (JSON Pointers such as
 * /name or /labels/2) beside the form's fields; a label's problem names the
 * label. Problems of other fields are returned under other, to be shown
 * for the whole form: none is dropped.
 */
export function fieldErrors(problems: { field: string; message: string }[], labels: string[]): { byField: Partial<Record<DetailField, string>>; other: string[] } {
  const byField: Partial<Record<DetailField, string>> = {};
  const other: string[] = [];
  for (const p of problems) {
    const m = /^\/labels\/(\d+)$/.exec(p.field);
    const field = m ? 'labels' : FIELD_OF[p.field];
    if (!field) {
      other.push(`${p.field}: ${p.message}`);
      continue;
    }
    const text = m ? `Label “${labels[Number(m[1])] ?? m[1]}” ${p.message}` : `${FIELD_NAMES[field]} ${p.message}`;
    byField[field] = byField[field] ? `${byField[field]}; ${text}` : text;
  }
  return { byField, other };
}
