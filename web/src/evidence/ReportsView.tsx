import { useEffect, useState } from 'react';
import { useRestApi } from '../api/context';
import { errorText } from '../api/rest';
import { Dialog } from '../ui/Dialog';
import { evidenceApi } from './api';
import { bars } from './logic';
import type { ExecutiveReport } from './types';

const SEVERITY_COLORS: Record<string, string> = { Critical: '#8a1010', High: '#d13212', Medium: '#ec7211', Low: '#5f6b7a' };
const STATUS_COLORS: Record<string, string> = { Open: '#d13212', 'In Progress': '#ec7211', Implemented: '#037f0c', Mitigated: '#037f0c', 'Not Applicable': '#8d99a8', 'Risk Accepted': '#5f6b7a' };

/** BarChart is a horizontal SVG bar chart with a label column and the count after each bar. */
export function BarChart({ title, rows, color, testid }: { title: string; rows: { label: string; count: number }[]; color: (label: string) => string; testid: string }) {
  // The label column fits the longest category name (12 px text, at most 0.6 em a character): names are never cut.
  const labelW = Math.max(60, ...rows.map((r) => Math.ceil(r.label.length * 7.2))) + 12;
  const barW = 200;
  const row = 22;
  const laid = bars(rows, barW, row);
  return (
    <figure className="report-chart" data-testid={testid}>
      <figcaption>{title}</figcaption>
      <svg width={labelW + barW + 40} height={Math.max(row, laid.length * row)} role="img" aria-label={title}>
        {laid.map((b) => (
          <g key={b.label} transform={`translate(0 ${b.y})`} data-testid="chart-bar" data-label={b.label} data-count={b.count}>
            <text x={labelW - 6} y={row / 2 + 4} textAnchor="end" fontSize="12">{b.label}</text>
            <rect x={labelW} y={3} width={b.width} height={row - 6} rx={2} fill={color(b.label)} />
            <text x={labelW + b.width + 4} y={row / 2 + 4} fontSize="12">{b.count}</text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

/** ReportsView is the executive summary in the app: risk figures, charts by severity, status and epic, and the top risks. */
export function ReportsView({ modelId, onClose }: { modelId: string; onClose: () => void }) {
  const api = useRestApi(evidenceApi);
  const [r, setR] = useState<ExecutiveReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.executive(modelId).then(setR, (e) => setError(errorText(e)));
  }, [api, modelId]);
  return (
    <Dialog title={`Executive summary${r ? ` · ${r.model.name}` : ''}`} onClose={onClose} testId="reports-view" wide>
      {error && <div className="banner error small" role="alert">{error}</div>}
      {!r && !error && <p className="hint">Loading…</p>}
      {r && (
        <>
          <p className="report-figures" data-testid="report-figures">
            <span><b>{r.threats}</b> threats</span>
            <span><b>{r.openRisk}</b> open risk of {r.totalRisk} ({r.riskReduced}% reduced)</span>
            <span><b>{r.requirements}</b> requirements, {r.implemented}% implemented</span>
            <span>{r.compliance.filter((c) => c.count > 0).map((c) => `${c.label} ${c.count}`).join(' / ') || 'No compliance data'}</span>
          </p>
          <div className="report-charts">
            <BarChart title="Open threats by severity" rows={r.openBySeverity} color={(l) => SEVERITY_COLORS[l] ?? '#5f6b7a'} testid="chart-severity" />
            <BarChart title="Threats by status" rows={r.threatStatus} color={(l) => STATUS_COLORS[l] ?? '#5f6b7a'} testid="chart-threat-status" />
            <BarChart title="Requirements by status" rows={r.requirementStatus} color={(l) => STATUS_COLORS[l] ?? '#5f6b7a'} testid="chart-requirement-status" />
            <BarChart title="Requirements by epic" rows={r.epics.map((e) => ({ label: e.epic, count: e.requirements }))} color={() => '#0972d3'} testid="chart-epic" />
          </div>
          <h3>Top risks</h3>
          {r.topThreats.length === 0 ? (
            <p className="hint">No open threats.</p>
          ) : (
            <table className="models evidence-table" data-testid="top-risks">
              <thead><tr><th>Threat</th><th>Element</th><th>Severity</th><th>Risk</th><th>Status</th></tr></thead>
              <tbody>
                {r.topThreats.map((t) => (
                  <tr key={t.id}><td title={t.stride}>{t.title}</td><td>{t.elementName}</td><td>{t.severity}</td><td>{t.risk}</td><td>{t.status}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <div className="dialog-actions"><button type="button" onClick={onClose} data-testid="reports-view-close">Close</button></div>
    </Dialog>
  );
}
