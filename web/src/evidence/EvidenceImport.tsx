import { useRef, useState } from 'react';
import { useRestApi } from '../api/context';
import { errorText } from '../api/rest';
import { evidenceApi } from './api';
import type { EvidenceImportResult } from './types';

/** EvidenceImport uploads Security Hub findings and AWS Config rule evaluations (POST /evidence/import). */
export function EvidenceImport() {
  const api = useRestApi(evidenceApi);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<EvidenceImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.importFiles([...files]));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <span className="drift-actions">
      <input ref={input} type="file" multiple accept=".json,.jsonl,.ndjson,application/json" hidden onChange={(e) => void upload(e.target.files)} data-testid="evidence-file" />
      <button type="button" onClick={() => input.current?.click()} disabled={busy} data-testid="evidence-import" title="Security Hub findings and AWS Config rule evaluations (JSON files)">
        {busy ? 'Importing…' : 'Import evidence'}
      </button>
      {result && (
        <span className="hint" data-testid="evidence-import-result">
          {result.files.reduce((n, f) => n + f.observations, 0)} observations from {result.files.length} file(s): {result.created} new, {result.updated} updated, {result.unchanged} unchanged
          {(result.unmapped?.length ?? 0) > 0 && (
            <span data-testid="evidence-import-unmapped">
              {'; '}
              {result.unmapped!.length} check(s) decide no requirement:{' '}
              {result.unmapped!.map((u) => `${u.check} (${u.observations})`).join(', ')}
            </span>
          )}
        </span>
      )}
      {error && <span className="banner error small" role="alert" data-testid="evidence-import-error">{error}</span>}
    </span>
  );
}
