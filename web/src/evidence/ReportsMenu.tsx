import './evidence.css';
import { useState, type MouseEvent } from 'react';
import { apiBase, authHeaders } from '../api/auth';
import { REPORTS, reportPath, type ReportFormat, type ReportKind } from './logic';

/**
 * open follows a report link. Locally the link works as it is; with a
 * bearer token (jwt mode) the report is fetched with it and shown from a
 * blob, since a new tab cannot send the header.
 */
async function open(e: MouseEvent<HTMLAnchorElement>, href: string, filename?: string) {
  const auth = await authHeaders().catch(() => ({}));
  if (!('Authorization' in auth)) return;
  e.preventDefault();
  const tab = filename ? null : window.open('', '_blank');
  const r = await fetch(href, { headers: auth });
  const url = URL.createObjectURL(await r.blob());
  if (tab) tab.location.href = url;
  else {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename ?? 'report';
    a.click();
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** ReportsMenu opens a model's reports as HTML in a new tab, or downloads them as CSV or JSON. */
export function ReportsMenu({ modelId }: { modelId: string }) {
  const [shown, setShown] = useState(false);
  const href = (k: ReportKind, f: ReportFormat) => apiBase() + reportPath(modelId, k, f, f !== 'html');
  return (
    <span className="reports-menu" style={{ position: 'relative' }}>
      <button type="button" onClick={() => setShown(!shown)} aria-expanded={shown} aria-haspopup="menu" data-testid="btn-reports">Reports ▾</button>
      {shown && (
        <div role="menu" className="reports-popup" data-testid="reports-menu" onMouseLeave={() => setShown(false)}>
          {REPORTS.map((r) => (
            <div key={r.kind} className="reports-row">
              {/* The first link opens the HTML report (noopener would hide it from the test's popup event, so only noreferrer). */}
              <a href={href(r.kind, 'html')} target="_blank" rel="noreferrer" role="menuitem" onClick={(e) => void open(e, href(r.kind, 'html'))} data-testid={`report-${r.kind}`}>{r.title}</a>
              <a href={href(r.kind, 'csv')} download={`${r.kind}.csv`} onClick={(e) => void open(e, href(r.kind, 'csv'), `${r.kind}.csv`)} data-testid={`report-${r.kind}-csv`}>CSV</a>
              <a href={href(r.kind, 'json')} download={`${r.kind}.json`} onClick={(e) => void open(e, href(r.kind, 'json'), `${r.kind}.json`)} data-testid={`report-${r.kind}-json`}>JSON</a>
            </div>
          ))}
        </div>
      )}
    </span>
  );
}
