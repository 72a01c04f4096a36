// A side panel of the editor that folds to a narrow strip, so the canvas can
// have the width. Whether it is folded is remembered in this browser.
import { useState, type ReactNode } from 'react';

const KEY = 'bulwark.panel.';

function readFolded(name: string): boolean {
  try {
    return localStorage.getItem(KEY + name) === 'folded';
  } catch {
    return false;
  }
}

/**
 * SidePanel shows children beside the canvas with a button that folds the
 * panel to a strip (and back). name is remembered per browser; title names
 * the panel on its buttons ("Hide Components", "Show Components");
 * whenFolded is shown beside the strip while the panel is folded.
 */
export function SidePanel({ name, title, side, children, whenFolded }: { name: string; title: string; side: 'left' | 'right'; children: ReactNode; whenFolded?: ReactNode }) {
  const [folded, setFolded] = useState(() => readFolded(name));
  const toggle = () => {
    const next = !folded;
    setFolded(next);
    try {
      if (next) localStorage.setItem(KEY + name, 'folded');
      else localStorage.removeItem(KEY + name);
    } catch {
      /* private mode: not remembered */
    }
  };
  const arrow = (side === 'left') === folded ? '»' : '«';
  const panel = (
    <div className={`side-panel ${side}${folded ? ' folded' : ''}`} data-panel={name}>
      <button
        type="button" className="side-panel-toggle" onClick={toggle} aria-expanded={!folded}
        aria-label={`${folded ? 'Show' : 'Hide'} ${title}`} title={`${folded ? 'Show' : 'Hide'} ${title}`}
      >
        <span aria-hidden>{arrow}</span>
        {folded && <span className="side-panel-name" aria-hidden>{title}</span>}
      </button>
      {!folded && children}
    </div>
  );
  if (!folded || !whenFolded) return panel;
  return side === 'right' ? <>{whenFolded}{panel}</> : <>{panel}{whenFolded}</>;
}
