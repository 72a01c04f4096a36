// The Overview's integration parts, mounted by overview/OverviewPage at a
// few hook points: a Jira toggle and issue column, Create Issue (one item or
// the checked ones), compliance counts and grouping with Source Name for
// requirements, a requirement's evidence, reports and the model's Jira link.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useRest } from '../api/context';
import type { Rest } from '../api/rest';
import { evidenceApi } from '../evidence/api';
import { complianceIndex, complianceLabel, countsLine, groupByCompliance } from '../evidence/logic';
import { ReportsMenu } from '../evidence/ReportsMenu';
import { RequirementEvidence } from '../evidence/RequirementEvidence';
import type { ComplianceItem, EvidenceList } from '../evidence/types';
import { jiraApi } from '../jira/api';
import { CreateIssueDialog, IssueKeyLink } from '../jira/CreateIssueDialog';
import { JiraLinkDialog } from '../jira/JiraLinkDialog';
import type { IssueLink, JiraLink } from '../jira/types';
import '../evidence/evidence.css';

interface Item {
  id: string;
  elementName?: string;
}

interface ExtColumn<T> {
  id: string;
  label: string;
  value(item: T): string;
  default: boolean;
}

export interface OverviewExtensions<T extends Item> {
  columns: ExtColumn<T>[];
  /** group returns compliance groups when the user groups by compliance, else null. */
  group(items: T[]): { key: string; items: T[] }[] | null;
  bar: ReactNode;
  detail: ReactNode;
}

/** OverviewSelection is the Overview's checked rows (ids), for Create Issue in bulk, and a way to clear them. */
export interface OverviewSelection {
  ids: ReadonlySet<string>;
  clear(): void;
}

/** MAX_BATCH is the most issues one Create Issue request takes (the API's MaxBatch). */
export const MAX_BATCH = 50;

/** bulkButton is the bulk Create Issue button's label and title for the checked items without an issue. */
export function bulkButton(checked: number, without: number): { label: string; title: string; disabled: boolean } {
  if (checked === 0) return { label: 'Create issues', title: 'Select rows with their checkboxes to create Jira issues for them', disabled: true };
  if (without === 0) return { label: 'Create issues (0)', title: `The ${checked === 1 ? 'selected item has' : `${checked} selected items have`} Jira issues already`, disabled: true };
  if (without > MAX_BATCH) {
    return {
      label: `Create issues (first ${MAX_BATCH} of ${without}, at most ${MAX_BATCH} per batch)`,
      title: `At most ${MAX_BATCH} issues go per batch: creates issues for the first ${MAX_BATCH} of the ${without} selected items without one`,
      disabled: false,
    };
  }
  return { label: `Create issues (${without})`, title: `Create Jira issues for the ${without} selected item${without === 1 ? '' : 's'} without one`, disabled: false };
}

async function modelIssues(rest: Rest, modelId: string): Promise<Record<string, IssueLink>> {
  const m = (await rest<{ states?: Record<string, { issue?: IssueLink }> }>('GET', `/models/${encodeURIComponent(modelId)}`)).body;
  const out: Record<string, IssueLink> = {};
  for (const [k, v] of Object.entries(m.states ?? {})) if (v.issue?.key) out[k] = v.issue;
  return out;
}

/**
 * useOverviewExtensions loads the model's Jira link, issues and compliance and
 * returns what the Overview shows of them. selected is the item whose
 * description shows; checked the rows checked for bulk Create Issue.
 */
export function useOverviewExtensions<T extends Item>(
  modelId: string, pane: 'threats' | 'requirements', shown: T[], selected: T | null, reload: () => void, checked: OverviewSelection,
): OverviewExtensions<T> {
  const [link, setLink] = useState<JiraLink | null>(null);
  const [issues, setIssues] = useState<Record<string, IssueLink>>({});
  const [compliance, setCompliance] = useState<EvidenceList | null>(null);
  const [jiraOn, setJiraOn] = useState(true);
  const [byCompliance, setByCompliance] = useState(false);
  const [creating, setCreating] = useState<{ items: string[]; bulk: boolean } | null>(null);
  const [linking, setLinking] = useState(false);

  const rest = useRest();
  const refresh = useCallback(() => {
    jiraApi(rest).link(modelId).then(setLink, () => setLink(null));
    modelIssues(rest, modelId).then(setIssues, () => setIssues({}));
    evidenceApi(rest).byStatus(modelId).then(setCompliance, () => setCompliance(null));
  }, [rest, modelId]);
  useEffect(refresh, [refresh]);

  const index = useMemo(() => (compliance ? complianceIndex(compliance) : new Map<string, ComplianceItem>()), [compliance]);
  const jiraShown = !!link?.enabled && jiraOn;
  const reqs = pane === 'requirements';

  const columns: ExtColumn<T>[] = [];
  if (reqs && compliance) {
    columns.push({ id: 'compliance', label: 'Compliance', value: (i) => { const c = index.get(i.id); return c ? complianceLabel(c.status) : ''; }, default: true });
    columns.push({ id: 'sourceName', label: 'Source Name', value: (i) => index.get(i.id)?.sourceName || i.elementName || '', default: true }); // a hand-drawn element has no AWS resource: its own name (#17.15)
  }
  if (jiraShown) columns.push({ id: 'jira', label: 'Jira', value: (i) => issues[i.id]?.key ?? '', default: true });

  const picked = shown.filter((i) => checked.ids.has(i.id));
  const without = picked.filter((i) => !issues[i.id]);
  const bulk = bulkButton(picked.length, without.length);
  const done = () => {
    refresh();
    reload();
  };
  const bar = (
    <span className="ext-bar" data-testid="overview-integrations">
      {reqs && compliance && (
        <span className="compliance-counts">
          <span className="hint" data-testid="compliance-counts">{countsLine(compliance.counts) || 'No compliance data'}</span>
          <label className="inline"><input type="checkbox" checked={byCompliance} onChange={(e) => setByCompliance(e.target.checked)} data-testid="group-compliance" /> Group by compliance</label>
        </span>
      )}
      {link?.enabled && (
        <>
          <label className="inline"><input type="checkbox" checked={jiraOn} onChange={(e) => setJiraOn(e.target.checked)} data-testid="jira-toggle" /> Jira</label>
          {jiraShown && (
            <button
              type="button" className="small" disabled={bulk.disabled} title={bulk.title} data-testid="jira-create-bulk"
              onClick={() => setCreating({ items: without.slice(0, MAX_BATCH).map((i) => i.id), bulk: true })}
            >
              {bulk.label}
            </button>
          )}
        </>
      )}
      <button type="button" className="small" onClick={() => setLinking(true)} data-testid="btn-integrations">Integrations</button>
      <ReportsMenu modelId={modelId} />
      {creating && (
        <CreateIssueDialog
          modelId={modelId} items={creating.items} onClose={() => { setCreating(null); done(); }}
          onCreated={creating.bulk ? checked.clear : undefined}
        />
      )}
      {linking && <JiraLinkDialog modelId={modelId} onClose={() => setLinking(false)} onSaved={() => refresh()} />}
    </span>
  );

  const issue = selected ? issues[selected.id] : undefined;
  const detail = selected ? (
    <div className="ext-detail" data-testid="item-integrations">
      {jiraShown && (
        <p>
          Jira:{' '}
          {issue ? (
            <><IssueKeyLink issue={issue} testId="item-issue-link" /> {issue.status && <span className="hint" data-testid="item-issue-status">{issue.status}</span>}</>
          ) : (
            <button type="button" className="small" onClick={() => setCreating({ items: [selected.id], bulk: false })} data-testid="jira-create-issue">Create Issue</button>
          )}
        </p>
      )}
      {reqs && (
        <>
          <h3>Evidence</h3>
          <RequirementEvidence modelId={modelId} requirement={selected.id} />
        </>
      )}
    </div>
  ) : null;

  return {
    columns,
    group: (items) => (reqs && byCompliance && compliance ? groupByCompliance(items, index) : null),
    bar,
    detail,
  };
}
