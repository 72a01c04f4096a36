// The editor's dock for the panels its head opens (Drift Log, History): one
// column over the canvas's top-right corner, where open panels stack in the
// order they were opened and share the height, so none covers another (or
// the minimap) and each stays usable. A panel opened from anywhere in the
// editor renders into it with <Docked>.
import { createContext, useContext, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/** DockContext holds the dock's element once it is on screen. */
export const DockContext = createContext<HTMLElement | null>(null);

/**
 * Docked shows a panel in the editor's dock; outside an editor (no dock)
 * it floats on its own at the same place.
 */
export function Docked({ children }: { children: ReactNode }) {
  const dock = useContext(DockContext);
  return dock ? createPortal(children, dock) : <div className="panel-dock floating">{children}</div>;
}
