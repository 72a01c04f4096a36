import { useState } from 'react';
import { useRestApi } from '../api/context';
import { problemText } from '../templates/SaveTemplateDialog';
import { interopApi } from './api';

const TARGETS = [
  { id: 'otm', label: 'Open Threat Model (OTM)' },
  { id: 'threatdragon', label: 'OWASP Threat Dragon' },
  { id: 'threatcomposer', label: 'AWS Threat Composer' },
] as const;

/** ExportMenu downloads the saved model as OTM, Threat Dragon or Threat Composer JSON. */
export function ExportMenu({ modelId, beforeExport }: { modelId: string; beforeExport: () => Promise<void> }) {
  const api = useRestApi(interopApi);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const run = async (to: string) => {
    setMessage(null);
    try {
      await beforeExport();
      const env = await api.exportModel(modelId, to);
      const blob = new Blob([JSON.stringify(env.document, null, 2)], { type: env.mediaType || 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = env.fileName || `model.${to}.json`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      if (env.warnings?.length) setMessage({ error: false, text: `Exported; the format could not hold: ${env.warnings.join('; ')}` });
    } catch (e) {
      setMessage({ error: true, text: `Export failed: ${problemText(e)}` });
    }
  };
  return (
    <>
      <select value="" aria-label="Export as" data-testid="export-format" onChange={(e) => e.target.value && void run(e.target.value)}>
        <option value="">Export as…</option>
        {TARGETS.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
      </select>
      {message && (
        <span className={message.error ? 'banner error small' : 'hint'} role={message.error ? 'alert' : 'status'} data-testid="export-message" title={message.text}>
          {message.text.length > 120 ? `${message.text.slice(0, 120)}…` : message.text}
        </span>
      )}
    </>
  );
}
