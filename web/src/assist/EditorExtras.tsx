import { useContext, useState } from 'react';
import { useRestApi } from '../api/context';
import { ExportMenu } from '../importer/ExportMenu';
import { navigate } from '../router';
import { useApp, useAppStore } from '../store';
import type { AppState } from '../store/types';
import { templatesApi } from '../templates/api';
import { BuilderBar } from '../templates/BuilderBar';
import { BuilderContext } from '../templates/BuilderContext';
import { SaveTemplateDialog } from '../templates/SaveTemplateDialog';

/** selectedGroup is the id of the one selected group, if exactly one node (a group) is selected. */
function selectedGroup(s: AppState): string {
  const sel = s.nodes.filter((n) => n.selected);
  return sel.length === 1 && sel[0].type === 'groupBox' ? sel[0].id : '';
}

/**
 * EditorExtras are the editor's links to the features around the diagram:
 * Overview, export to other tools, and saving the model or a group as a
 * template. In the Template Builder it shows the builder's own actions.
 */
export function EditorExtras() {
  const builder = useContext(BuilderContext);
  const store = useAppStore();
  const templates = useRestApi(templatesApi);
  const modelId = useApp((s) => s.modelId);
  const groupId = useApp(selectedGroup);
  const groupName = useApp((s) => (groupId ? s.nodes.find((n) => n.id === groupId)?.data.name : undefined));
  const [saving, setSaving] = useState<'model' | 'group' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (builder) return <BuilderBar builder={builder} />;
  if (!modelId) return null;

  /** saved makes sure the server has every edit: templates and exports read the saved model. */
  const saved = async () => {
    if (store.getState().dirty) await store.getState().save();
    if (store.getState().dirty) throw new Error('The model has unsaved changes that could not be saved.');
  };
  const save = async (name: string) => {
    await saved();
    const t = await templates.saveModelAsTemplate(modelId, saving === 'group' ? { name, group: groupId } : { name });
    setSaving(null);
    setDone(`Saved template “${t.name}” (a draft until an admin approves it).`);
  };
  const href = `/models/${encodeURIComponent(modelId)}/overview`;
  return (
    <div className="editor-extras">
      <a href={href} onClick={(e) => { e.preventDefault(); void saved().finally(() => navigate(href)); }} data-testid="btn-overview" className="button-link">Overview</a>
      <ExportMenu modelId={modelId} beforeExport={saved} />
      <button type="button" onClick={() => { setDone(null); setSaving('model'); }} data-testid="btn-save-model-template">Save as template</button>
      {/* Only with a group selected, so the editor's tools stay on one row (#17.13). */}
      {groupId && (
        <button type="button" onClick={() => { setDone(null); setSaving('group'); }} data-testid="btn-save-group-template" title="Save the selected group, the flows among its components and their properties as a template">
          Save group as template
        </button>
      )}
      {done && <span className="hint" role="status" data-testid="template-saved">{done}</span>}
      {saving && (
        <SaveTemplateDialog
          title={saving === 'group' ? 'Save Group as Template' : 'Save Threat Model as Template'}
          initial={saving === 'group' ? groupName ?? '' : ''}
          hint={saving === 'group' ? 'Saves the group’s components, the flows among them and their properties.' : 'Saves the whole diagram as a draft template.'}
          onSave={save} onClose={() => setSaving(null)}
        />
      )}
    </div>
  );
}
