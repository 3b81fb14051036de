import { Composer } from './Composer';
import { Waiting } from './Waiting';
import { ResultView } from './ResultView';
import { selectedConnection, useStore } from '../store';

const NO_CALLS: string[] = [];

export function CallView() {
  const conn = useStore(selectedConnection);
  const composer = useStore((s) => s.composer);
  const setComposer = useStore((s) => s.setComposer);
  const send = useStore((s) => s.send);
  const running = useStore((s) => s.running);
  const cancel = useStore((s) => s.cancel);
  const methods = useStore((s) => (s.selectedId ? s.methods[s.selectedId]?.methods : undefined)) ?? [];
  const shown = useStore((s) => (s.selectedId ? s.shown[s.selectedId] : undefined));
  const history = useStore((s) => (s.selectedId ? s.recall[s.selectedId] : undefined)) ?? NO_CALLS;
  const since = useStore((s) => s.runningSince);

  if (!conn) return <p className="empty">Add or select a connection to start.</p>;
  return (
    <div className="call-view">
      <div className="composer-bar">
        <span className="target">
          {conn.name} <small>{conn.url}</small>
        </span>
        {running && <Waiting since={since} className="waiting" />}
        {running && (
          <button onClick={() => void cancel()} aria-label="Cancel the call">
            Cancel (Esc)
          </button>
        )}
        <button onClick={() => void send()} disabled={running || !composer.trim()} aria-label="Send call">
          {running ? 'Running…' : 'Send ⌃⏎'}
        </button>
      </div>
      <Composer value={composer} onChange={setComposer} onSend={() => void send()} methods={methods} history={history} />
      <ResultView shown={shown} />
    </div>
  );
}
