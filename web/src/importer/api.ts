// Interop API: import formats, import preview, export.
import { request } from '../api/client';
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

export async function listFormats(): Promise<InteropFormat[]> {
  return (await request<{ formats: InteropFormat[] }>('GET', '/interop/formats')).body.formats ?? [];
}

/** importPreview converts a document without storing it. */
export async function importPreview(from: string, text: string, fileName?: string): Promise<ImportPreview> {
  const q = new URLSearchParams({ from });
  if (fileName) q.set('name', fileName);
  const r = (await request<ImportPreview>('POST', `/import?${q}`, { raw: text, contentType: 'text/plain' })).body;
  return { model: r.model, warnings: r.warnings ?? [] };
}

export async function exportModel(modelId: string, to: string): Promise<ExportEnvelope> {
  return (await request<ExportEnvelope>('GET', `/models/${encodeURIComponent(modelId)}/export?to=${encodeURIComponent(to)}&envelope=true`)).body;
}
