// Grouping an import preview's warnings by kind, so that a long list reads
// as a few sections with counts.

/** WarningGroup is one section of an import's warnings. */
export interface WarningGroup {
  kind: WarningKind;
  title: string;
  items: string[];
}

/** The kinds of import warning, in display order. */
export type WarningKind = 'types' | 'dropped' | 'shortened' | 'flows' | 'threats' | 'references' | 'format' | 'other';

const titles: Record<WarningKind, string> = {
  types: 'Types mapped to generic components',
  dropped: 'Not imported',
  shortened: 'Text shortened or cleaned',
  flows: 'Flows and protocols',
  threats: 'Threats, mitigations and assumptions',
  references: 'References that could not be resolved',
  format: 'What the format cannot hold',
  other: 'Other',
};

const order: WarningKind[] = ['dropped', 'types', 'references', 'flows', 'threats', 'shortened', 'format', 'other'];

/** warningKind classifies one warning by what it says. */
export function warningKind(w: string): WarningKind {
  const s = w.toLowerCase();
  if (/no bulwark catalog type|imported as generic\.|no catalog type/.test(s)) return 'types';
  if (/shortened|longer than|control characters/.test(s)) return 'shortened';
  if (/\bnot (imported|exported)\b|\bignored\b|is lost|are lost|dropped/.test(s)) return 'dropped';
  if (/unresolv|cannot be resolved|not found|does not exist|unknown tag|is not in the document/.test(s)) return 'references';
  if (/\bflows?\b|protocol|bidirectional/.test(s)) return 'flows';
  if (/threat|mitigation|assumption|requirement|status|state/.test(s)) return 'threats';
  if (/has no |have no |no equivalent|cannot hold|newer than/.test(s)) return 'format';
  return 'other';
}

/** groupWarnings sorts warnings into sections, in display order, keeping each section's warnings in their original order; empty sections are left out. */
export function groupWarnings(warnings: string[]): WarningGroup[] {
  const by = new Map<WarningKind, string[]>();
  for (const w of warnings) {
    const k = warningKind(w);
    by.set(k, [...(by.get(k) ?? []), w]);
  }
  return order.filter((k) => by.has(k)).map((k) => ({ kind: k, title: titles[k], items: by.get(k)! }));
}
