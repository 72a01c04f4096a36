import './evidence.css';
import { useRef, useState, type MouseEvent } from 'react';
import { apiBase, usesTokens } from '../api/auth';
import { useRest } from '../api/context';
import { errorText, getBlob, type Rest } from '../api/rest';
import { CIS_VERSIONS, DEFAULT_CIS, FORMATS, REPORTS, SECTIONS, reportFilename, reportPath, type ReportFormat, type ReportKind, type ReportSection } from './logic';
import { ReportsView } from './ReportsView';

/**
 * follow follows a report link. Locally the link works as it is; with a
 * bearer token (jwt mode) a plain link or a new tab cannot send the header,
 * so the report is read through the app's Rest client (its base URL, token
 * and problem+json errors) and shown from a blob: HTML in a new tab, other
 * formats saved as filename. It resolves to an error message, or null.
 */
async function follow(e: MouseEvent<HTMLAnchorElement>, rest: Rest, path: string, filename?: string): Promise<string | null> {
  // Decide before the first await: a plain link cannot carry the token, so
  // with tokens the browser must not follow it.
  if (!usesTokens()) return null;
  e.preventDefault();
  // The tab opens now, while the click still counts: opened after an await it could be a blocked popup.
  const tab = filename ? null : window.open('', '_blank');
  let blob: Blob;
  try {
    blob = await getBlob(rest, path);
  } catch (err) {
    tab?.close();
    return `The report could not be loaded: ${errorText(err)}`;
  }
  const url = URL.createObjectURL(blob);
  if (tab) tab.location.href = url;
  else {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename ?? 'report';
    a.click();
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return null;
}

/** ReportsMenu opens a model's reports as HTML in a new tab, downloads them as PDF, CSV or JSON, builds a custom report from chosen sections, and shows the executive summary with charts in the app. */
export function ReportsMenu({ modelId }: { modelId: string }) {
  const rest = useRest();
  const [shown, setShown] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const [viewing, setViewing] = useState(false);
  // The view opens from a menu item that closes with the menu; the Reports button takes the focus first so that closing the view returns it there.
  const button = useRef<HTMLButtonElement>(null);
  const [sections, setSections] = useState<ReportSection[]>(SECTIONS.map((s) => s.id));
  const [cis, setCis] = useState<string>(DEFAULT_CIS);
  // The CIS report and a custom report's CIS section evaluate the chosen benchmark version (the server's default needs no parameter).
  const version = cis === DEFAULT_CIS ? undefined : cis;
  const path = (k: ReportKind, f: ReportFormat) => reportPath(modelId, k, f, f !== 'html', k === 'custom' ? { sections, cis: version } : k === 'cis' ? { cis: version } : {});
  const href = (k: ReportKind, f: ReportFormat) => apiBase() + path(k, f);
  const open = (e: MouseEvent<HTMLAnchorElement>, k: ReportKind, f: ReportFormat) => {
    setShown(false);
    setFailed(null);
    void follow(e, rest, path(k, f), f === 'html' ? undefined : reportFilename(k, f)).then(setFailed);
  };
  const links = (k: ReportKind, title: string) => (
    <>
      {/* The first link opens the HTML report (noopener would hide it from the test's popup event, so only noreferrer). */}
      <a href={href(k, 'html')} target="_blank" rel="noreferrer" role="menuitem" onClick={(e) => open(e, k, 'html')} data-testid={`report-${k}`}>{title}</a>
      {FORMATS.map(({ format, label }) => (
        <a key={format} href={href(k, format)} download={reportFilename(k, format)} onClick={(e) => open(e, k, format)} data-testid={`report-${k}-${format}`}>{label}</a>
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
      {failed && (
        <div className="banner error small reports-error" role="alert" data-testid="report-error">
          {failed} <button type="button" className="small" onClick={() => setFailed(null)} aria-label="Dismiss">×</button>
        </div>
      )}
      {viewing && <ReportsView modelId={modelId} onClose={() => setViewing(false)} />}
    </span>
  );
}
