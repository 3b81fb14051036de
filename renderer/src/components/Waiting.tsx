// How long a call has been waiting, once it has waited long enough to wonder: a call to a server
// that is slow or gone shows it is still alive, and how to give up on it. A reply being received
// shows how much of it has come (of the length its framing announced, where it gives one).
import { useEffect, useState } from 'react';
import { WAITING_SHOWN_AFTER_MS, waitingText, type ReplyProgress } from '../../../src/common/waiting-text';
import { api } from '../host';
import { useStore } from '../store';

/** how often the host is asked how far a reply has come */
const PROGRESS_POLL_MS = 500;

/** of several calls at once (composer and console), the one furthest from done; an unknown length last */
const remaining = (p: ReplyProgress) => (p.total > 0 ? p.total - p.received : -1);

type ProgressAnswer = { ok: true; value: ReplyProgress[] } | { ok: false };

/**
 * `progressOf`: where to ask how far the reply has come (a function that stays the same from render
 * to render); by default the selected connection (a collection's runs have connections of their own).
 */
export function Waiting({ since, className, progressOf }: { since: number; className?: string; progressOf?: () => Promise<ProgressAnswer> }) {
  const [now, setNow] = useState(() => Date.now());
  const connectionId = useStore((s) => s.selectedId);
  const [progress, setProgress] = useState<ReplyProgress>();
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const shown = now - since >= WAITING_SHOWN_AFTER_MS;
  useEffect(() => {
    const source = progressOf ?? (connectionId ? () => api['calls.progress']({ connectionId }) : undefined);
    if (!shown || !source) return undefined;
    let live = true;
    const ask = () =>
      void source().then((r) => {
        if (!live || !r.ok) return;
        const [first] = r.value.sort((a, b) => remaining(b) - remaining(a));
        setProgress(first);
      });
    ask();
    const t = setInterval(ask, PROGRESS_POLL_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [shown, connectionId, progressOf]);
  if (!shown) return null;
  return (
    <span className={className} role="status" aria-label="Waiting for the reply">
      {waitingText(now - since, progress, 'Esc')}
    </span>
  );
}
