import { useApp } from '../store';
import { Dialog } from '../ui/Dialog';
import { SHORTCUTS } from './shortcuts';

export function HelpOverlay() {
  const open = useApp((s) => s.helpOpen);
  const setHelp = useApp((s) => s.setHelp);
  if (!open) return null;
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => setHelp(false)} testId="help-overlay">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}><td><kbd>{s.keys}</kbd></td><td>{s.what}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Right-click a group’s title to turn it into a container (e.g. an EC2 instance) or a trust boundary.</p>
      <div className="dialog-actions"><button type="button" onClick={() => setHelp(false)}>Close</button></div>
    </Dialog>
  );
}
