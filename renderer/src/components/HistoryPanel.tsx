// The calls made on the selected connection, newest first, each re-runnable; those made since the
// app started open their frames too.
import { useEffect, useState } from 'react';
import type { HistoryItem } from '../../../src/common/contract';
import { api } from '../host';
import { useStore } from '../store';
import { FramesButton } from './FramesButton';

export function HistoryPanel() {
  const id = useStore((s) => s.selectedId);
  const callsMade = useStore((s) => s.callsMade);
  const send = useStore((s) => s.send);
  const setComposer = useStore((s) => s.setComposer);
  const setTab = useStore((s) => s.setTab);
  const [items, setItems] = useState<HistoryItem[]>([]);
  const [error, setError] = useState<string>();
  const [filter, setFilter] = useState('');

  useEffect(() => {
    if (!id) return;
    void api['history.list']({ connectionId: id }).then((r) => {
      if (r.ok) setItems([...r.value].reverse());
      else setError(r.error.message);
    });
  }, [id, callsMade]);

  if (!id) return <p className="empty">Select a connection to see its history.</p>;
  const rerun = async (item: HistoryItem) => {
    // a console assignment (`x = add(1, 2)`) re-runs as its call
    const source = item.source.replace(/^\s*[A-Za-z_]\w*\s*=(?!=)\s*/, '');
    setComposer(source);
    setTab('call');
    await send(source);
  };
  const needle = filter.trim().toLowerCase();
  const shown = needle === '' ? items : items.filter((h) => h.source.toLowerCase().includes(needle) || h.summary.toLowerCase().includes(needle));
  return (
    <div className="history">
      {error && <p role="alert">{error}</p>}
      {items.length === 0 && <p className="empty">No calls yet.</p>}
      {items.length > 0 && (
        <div className="history-bar">
          <input
            id="history-filter"
            type="search"
            aria-label="Filter calls"
            placeholder="Filter calls and results (Ctrl+L)"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <span className="count" role="status">
            {needle === '' ? `${items.length} calls` : `${shown.length} of ${items.length} calls`}
          </span>
        </div>
      )}
      <table aria-label="Call history">
        <thead>
          <tr>
            <th scope="col">Call</th>
            <th scope="col">Result</th>
            <th scope="col">Time</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((h) => (
            <tr key={h.id} className={h.ok ? 'ok' : 'failed'}>
              <td>
                <code>{h.source}</code>
              </td>
              <td>
                <code>{h.summary.length > 200 ? `${h.summary.slice(0, 200)}…` : h.summary}</code>
              </td>
              <td>
                {new Date(h.at).toLocaleTimeString()} · {h.durationMs.toFixed(1)} ms
              </td>
              <td className="actions">
                <button onClick={() => void rerun(h)} aria-label={`Re-run ${h.source}`}>
                  Re-run
                </button>
                {/* the wire log holds the calls made since the app started */}
                {h.callId !== undefined && <FramesButton callId={h.callId} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
