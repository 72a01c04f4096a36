// Calls of the evidence and reports API.
import type { Rest } from '../api/rest';
import type { EvidenceImportResult, EvidenceList, ExecutiveReport } from './types';

const enc = encodeURIComponent;

export function evidenceApi(rest: Rest) {
  return {
    byStatus: async (modelId: string) => (await rest<EvidenceList>('GET', `/models/${enc(modelId)}/evidence`, { query: { groupBy: 'status' } })).body,
    forRequirement: async (modelId: string, requirement: string) =>
      (await rest<EvidenceList>('GET', `/models/${enc(modelId)}/evidence`, { query: { requirement } })).body,
    executive: async (modelId: string) => (await rest<ExecutiveReport>('GET', `/models/${enc(modelId)}/reports/executive`, { query: { format: 'json' } })).body,
    importFiles: async (files: File[]) => {
      const fd = new FormData();
      for (const f of files) fd.append('file', f, f.name);
      return (await rest<EvidenceImportResult>('POST', '/evidence/import', { raw: fd })).body;
    },
  };
}
