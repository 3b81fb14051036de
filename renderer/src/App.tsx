import { useEffect } from 'react';
import { ConnectionsPanel } from './components/ConnectionsPanel';
import { MethodsPanel } from './components/MethodsPanel';
import { HelpOverlay } from './components/HelpOverlay';
import { PANELS } from './panels';
import { useShortcuts } from './shortcuts';
import { useStore } from './store';

/** how often connection status is refreshed */
const STATUS_POLL_MS = 1000;

export function App() {
  const tab = useStore((s) => s.tab);
  const setTab = useStore((s) => s.setTab);
  const setHelp = useStore((s) => s.setHelp);
  const refresh = useStore((s) => s.refreshConnections);
  const hostProblem = useStore((s) => s.hostProblem);
  useShortcuts();
  const Current = PANELS.find((p) => p.id === tab)?.Component;

  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), STATUS_POLL_MS);
    return () => clearInterval(t);
  }, [refresh]);

  return (
    <div className="app">
      <header className="topbar">
        <h1>rpcscope</h1>
        <nav role="tablist" aria-label="Views">
          {PANELS.map(({ id, label }) => (
            <button key={id} role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`} onClick={() => setTab(id)}>
              {label}
            </button>
          ))}
        </nav>
        <button className="help-button" aria-label="Keyboard shortcuts" onClick={() => setHelp(true)}>
          ?
        </button>
      </header>
      {hostProblem && (
        <div className="host-problem" role="alert">
          The rpcscope host is not reachable: {hostProblem}. Retrying…
        </div>
      )}
      <aside className="sidebar">
        <ConnectionsPanel />
        <MethodsPanel />
      </aside>
      <main className="content" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {Current && <Current />}
      </main>
      <HelpOverlay />
    </div>
  );
}
