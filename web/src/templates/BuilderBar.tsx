import { useState } from 'react';
import { navigate } from '../router';
import type { Builder } from './BuilderContext';
import { problemText, SaveTemplateDialog } from './SaveTemplateDialog';

/** BuilderBar holds the Template Builder's actions: Save As with a name, Approve, back to the list. */
export function BuilderBar({ builder }: { builder: Builder }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="editor-extras" data-testid="builder-bar">
      <span className={`tpl-state tpl-${builder.state ?? 'new'}`} data-testid="builder-state">{builder.templateId ? builder.state : 'not saved'}</span>
      <button type="button" className={builder.templateId ? '' : 'primary'} onClick={() => setAsking(true)} data-testid="btn-template-save-as">Save As…</button>
      {builder.templateId && builder.state === 'draft' && (
        <button type="button" onClick={() => builder.approve().catch((e) => setError(problemText(e)))} data-testid="btn-template-approve">Approve</button>
      )}
      <a href="/settings/templates" className="button-link" onClick={(e) => { e.preventDefault(); navigate('/settings/templates'); }} data-testid="builder-back">All templates</a>
      {error && <span className="banner error small" role="alert">{error}</span>}
      {asking && (
        <SaveTemplateDialog
          title="Save template as" initial={builder.templateId ? `${builder.name} (copy)` : ''}
          hint="Saves the diagram as a new draft template."
          onSave={async (name) => { await builder.saveAs(name); setAsking(false); }} onClose={() => setAsking(false)}
        />
      )}
    </div>
  );
}
