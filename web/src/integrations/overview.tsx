// The Overview's integration parts, mounted by overview/OverviewPage at a
// few hook points: a Jira toggle and issue column, Create Issue (one item or
// the shown ones), compliance counts and grouping with Source Name for
// requirements, a requirement's evidence, reports and the model's Jira link.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { request } from '../api/client';
import { restClient } from '../api/rest';
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

const rest = restClient();
const jira = jiraApi(rest);
const evidence = evidenceApi(rest);

interface Item {
  id: string;
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

async function modelIssues(modelId: string): Promise<Record<string, IssueLink>> {
  const m = (await request<{ states?: Record<string, { issue?: IssueLink }> }>('GET', `/models/${encodeURIComponent(modelId)}`)).body;
  const out: Record<string, IssueLink> = {};
  for (const [k, v] of Object.entries(m.states ?? {})) if (v.issue?.key) out[k] = v.issue;
  return out;
}

/** useOverviewExtensions loads the model's Jira link, issues and compliance and returns what the Overview shows of them. */
export function useOverviewExtensions<T extends Item>(modelId: string, pane: 'threats' | 'requirements', shown: T[], selected: T | null, reload: () => void): OverviewExtensions<T> {
  const [link, setLink] = useState<JiraLink | null>(null);
  const [issues, setIssues] = useState<Record<string, IssueLink>>({});
  const [compliance, setCompliance] = useState<EvidenceList | null>(null);
  const [jiraOn, setJiraOn] = useState(true);
  const [byCompliance, setByCompliance] = useState(false);
  const [creating, setCreating] = useState<string[] | null>(null);
  const [linking, setLinking] = useState(false);

  const refresh = useCallback(() => {
    jira.link(modelId).then(setLink, () => setLink(null));
    modelIssues(modelId).then(setIssues, () => setIssues({}));
    evidence.byStatus(modelId).then(setCompliance, () => setCompliance(null));
  }, [modelId]);
  useEffect(refresh, [refresh]);

  const index = useMemo(() => (compliance ? complianceIndex(compliance) : new Map<string, ComplianceItem>()), [compliance]);
  const jiraShown = !!link?.enabled && jiraOn;
  const reqs = pane === 'requirements';

  const columns: ExtColumn<T>[] = [];
  if (reqs && compliance) {
    columns.push({ id: 'compliance', label: 'Compliance', value: (i) => { const c = index.get(i.id); return c ? complianceLabel(c.status) : ''; }, default: true });
    columns.push({ id: 'sourceName', label: 'Source Name', value: (i) => index.get(i.id)?.sourceName ?? '', default: true });
  }
  if (jiraShown) columns.push({ id: 'jira', label: 'Jira', value: (i) => issues[i.id]?.key ?? '', default: true });

  const without = shown.filter((i) => !issues[i.id]).slice(0, 50);
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
          {jiraShown && without.length > 0 && (
            <button type="button" className="small" onClick={() => setCreating(without.map((i) => i.id))} data-testid="jira-create-bulk" title="Create issues for the shown items that have none (at most 50)">
              Create issues ({without.length})
            </button>
          )}
        </>
      )}
      <button type="button" className="small" onClick={() => setLinking(true)} data-testid="btn-integrations">Integrations</button>
      <ReportsMenu modelId={modelId} />
      {creating && <CreateIssueDialog modelId={modelId} items={creating} onClose={() => { setCreating(null); done(); }} />}
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
            <button type="button" className="small" onClick={() => setCreating([selected.id])} data-testid="jira-create-issue">Create Issue</button>
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
