// Interop API: import formats, import preview, export.
import type { Rest } from '../api/rest';
import type { ThreatModel } from '../schema/types';

export interface InteropFormat {
  name: string;
  description: string;
  import: boolean;
  export: boolean;
}

export interface ImportPreview {
  model: ThreatModel;
  warnings: string[];
}

export interface ExportEnvelope {
  format: string;
  fileName: string;
  mediaType: string;
  warnings: string[];
  document: unknown;
}

const enc = encodeURIComponent;

/** interopApi calls the import and export routes through the app's Rest client. */
export function interopApi(rest: Rest) {
  return {
    listFormats: async (): Promise<InteropFormat[]> => (await rest<{ formats: InteropFormat[] }>('GET', '/interop/formats')).body.formats ?? [],
    /** importPreview converts a document without storing it. */
    importPreview: async (from: string, text: string, fileName?: string): Promise<ImportPreview> => {
      const q = new URLSearchParams({ from });
      if (fileName) q.set('name', fileName);
      const r = (await rest<ImportPreview>('POST', `/import?${q}`, { raw: text, contentType: 'text/plain' })).body;
      return { model: r.model, warnings: r.warnings ?? [] };
    },
    exportModel: async (modelId: string, to: string): Promise<ExportEnvelope> =>
      (await rest<ExportEnvelope>('GET', `/models/${enc(modelId)}/export?to=${enc(to)}&envelope=true`)).body,
  };
}
