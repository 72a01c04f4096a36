import './evidence.css';
import { useRef, useState, type MouseEvent } from 'react';
import { apiBase, authHeaders, usesTokens } from '../api/auth';
import { CIS_VERSIONS, DEFAULT_CIS, FORMATS, REPORTS, SECTIONS, reportFilename, reportPath, type ReportFormat, type ReportKind, type ReportSection } from './logic';
import { ReportsView } from './ReportsView';

/**
 * open follows a report link. Locally the link works as it is; with a
 * bearer token (jwt mode) the report is fetched with it and shown from a
 * blob, since a new tab cannot send the header.
 */
async function open(e: MouseEvent<HTMLAnchorElement>, href: string, filename?: string) {
  // Decide before the first await: a plain link cannot carry the token, so
  // with tokens the browser must not follow it.
  if (!usesTokens()) return;
  e.preventDefault();
  const auth = await authHeaders().catch(() => ({}));
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

/** ReportsMenu opens a model's reports as HTML in a new tab, downloads them as PDF, CSV or JSON, builds a custom report from chosen sections, and shows the executive summary with charts in the app. */
export function ReportsMenu({ modelId }: { modelId: string }) {
  const [shown, setShown] = useState(false);
  const [viewing, setViewing] = useState(false);
  // The view opens from a menu item that closes with the menu; the Reports button takes the focus first so that closing the view returns it there.
  const button = useRef<HTMLButtonElement>(null);
  const [sections, setSections] = useState<ReportSection[]>(SECTIONS.map((s) => s.id));
  const [cis, setCis] = useState<string>(DEFAULT_CIS);
  // The CIS report and a custom report's CIS section evaluate the chosen benchmark version (the server's default needs no parameter).
  const version = cis === DEFAULT_CIS ? undefined : cis;
  const href = (k: ReportKind, f: ReportFormat) =>
    apiBase() + reportPath(modelId, k, f, f !== 'html', k === 'custom' ? { sections, cis: version } : k === 'cis' ? { cis: version } : {});
  const links = (k: ReportKind, title: string) => (
    <>
      {/* The first link opens the HTML report (noopener would hide it from the test's popup event, so only noreferrer). */}
      <a href={href(k, 'html')} target="_blank" rel="noreferrer" role="menuitem" onClick={(e) => { void open(e, href(k, 'html')); setShown(false); }} data-testid={`report-${k}`}>{title}</a>
      {FORMATS.map(({ format, label }) => (
        <a key={format} href={href(k, format)} download={reportFilename(k, format)} onClick={(e) => { void open(e, href(k, format), reportFilename(k, format)); setShown(false); }} data-testid={`report-${k}-${format}`}>{label}</a>
      ))}
    </>
  );
  const toggle = (id: ReportSection, on: boolean) => setSections((cur) => SECTIONS.map((s) => s.id).filter((x) => (x === id ? on : cur.includes(x))));
  return (
    <span className="reports-menu" style={{ position: 'relative' }}>
      <button ref={button} type="button" onClick={() => setShown(!shown)} aria-expanded={shown} aria-haspopup="menu" data-testid="btn-reports">Reports ▾</button>
      {shown && (
        <div role="menu" className="reports-popup" data-testid="reports-menu" onMouseLeave={() => setShown(false)}>
          <div className="reports-row">
            <button type="button" className="link" role="menuitem" onClick={() => { button.current?.focus(); setViewing(true); setShown(false); }} data-testid="report-view">Executive summary with charts…</button>
          </div>
          {REPORTS.map((r) => (
            <div key={r.kind} className="reports-row">
              {links(r.kind, r.kind === 'cis' ? `${r.title} v${cis}` : r.title)}
              {r.kind === 'cis' && (
                <label className="inline">
                  Version{' '}
                  <select value={cis} onChange={(e) => setCis(e.target.value)} aria-label="CIS benchmark version">
                    {CIS_VERSIONS.map((v) => <option key={v} value={v}>{v}</option>)}
                  </select>
                </label>
              )}
            </div>
          ))}
          <div className="reports-row custom" data-testid="report-custom-row">
            {/* An empty choice would mean "all sections" to the server, so at least one stays ticked. */}
            <span className="reports-sections">
              {SECTIONS.map((s) => (
                <label key={s.id} className="inline">
                  <input type="checkbox" checked={sections.includes(s.id)} disabled={sections.length === 1 && sections.includes(s.id)} onChange={(e) => toggle(s.id, e.target.checked)} data-testid={`report-section-${s.id}`} /> {s.label}
                </label>
              ))}
            </span>
            {links('custom', 'Custom')}
          </div>
        </div>
      )}
      {viewing && <ReportsView modelId={modelId} onClose={() => setViewing(false)} />}
    </span>
  );
}
