// Calls of the evidence and reports API.
import type { Rest } from '../api/rest';
import type { EvidenceImportResult, EvidenceList, ExecutiveReport } from './types';

const enc = encodeURIComponent;

export function evidenceApi(rest: Rest) {
  return {
    byStatus: async (modelId: string) => (await rest<EvidenceList>('GET', `/models/${enc(modelId)}/evidence`, { query: { groupBy: 'status' } })).body,
    forRequirement: async (modelId: string, requirement: string) =>
      (await rest<EvidenceList>('GET', `/models/${enc(modelId)}/evidence`, { query: { requirement } })).body,
    /** forComponent is the evidence list of one component: its items and the contradictions of its properties. */
    forComponent: async (modelId: string, component: string) =>
      (await rest<EvidenceList>('GET', `/models/${enc(modelId)}/evidence`, { query: { component } })).body,
    /** applyContradiction sets the property to what the evidence shows; revision is the model's (If-Match). */
    applyContradiction: async (modelId: string, revision: number, element: string, property: string) =>
      (await rest<unknown>('POST', `/models/${enc(modelId)}/evidence/contradictions/apply`, { revision, body: { element, property } })).revision,
    executive: async (modelId: string) => (await rest<ExecutiveReport>('GET', `/models/${enc(modelId)}/reports/executive`, { query: { format: 'json' } })).body,
    importFiles: async (files: File[]) => {
      const fd = new FormData();
      for (const f of files) fd.append('file', f, f.name);
      return (await rest<EvidenceImportResult>('POST', '/evidence/import', { raw: fd })).body;
    },
  };
}
