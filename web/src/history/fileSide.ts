// The document of a file to compare a model with: a Bulwark model document
// as it is, or any format the importer reads (CloudFormation, Terraform
// plan, OTM, Threat Dragon, Threat Composer), converted by the server's
// import preview without storing anything.
import { guessFormat } from '../importer/guess';
import type { ThreatModel } from '../schema/types';

/** FileSide is a file compared with a version of the model. */
export interface FileSide {
  file: string;
  /** format is "bulwark" or the import format the file was converted from. */
  format: string;
  doc: ThreatModel;
  warnings: string[];
}

/** Preview converts text of an import format into a model (importer/api.ts importPreview). */
export type Preview = (from: string, text: string, fileName?: string) => Promise<{ model: ThreatModel; warnings: string[] }>;

/** isModelDocument tells whether v looks like a Bulwark model document (what GET /models/{id} answers). */
export function isModelDocument(v: unknown): v is ThreatModel {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const d = (v as { diagram?: unknown }).diagram;
  return 'schemaVersion' in v && !!d && typeof d === 'object' && Array.isArray((d as { components?: unknown }).components);
}

/** fileSide reads a file's text as a model document, converting it through preview when it is of an import format. */
export async function fileSide(name: string, text: string, preview: Preview): Promise<FileSide> {
  if (!text.trim()) throw new Error(`${name} is empty.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (isModelDocument(json)) return { file: name, format: 'bulwark', doc: json, warnings: [] };
  const format = guessFormat(name, text);
  if (!format) throw new Error(`${name} is neither a Bulwark model (JSON with schemaVersion and diagram) nor a format the importer recognises (CloudFormation, Terraform plan JSON, OTM, Threat Dragon, Threat Composer).`);
  const r = await preview(format, text, name);
  return { file: name, format, doc: r.model, warnings: r.warnings ?? [] };
}
