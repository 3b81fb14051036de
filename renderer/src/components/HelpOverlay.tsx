import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../shortcuts';
import { useStore } from '../store';

export function HelpOverlay() {
  const open = useStore((s) => s.helpOpen);
  const setHelp = useStore((s) => s.setHelp);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <div className="overlay" onClick={() => setHelp(false)}>
      <div role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <th scope="row">
                  <kbd>{keys}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={closeRef} onClick={() => setHelp(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
