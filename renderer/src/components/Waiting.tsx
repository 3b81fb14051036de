// How long a call has been waiting, once it has waited long enough to wonder: a call to a server
// that is slow or gone shows it is still alive, and how to give up on it. A long reply shows how
// much of it has come, where its framing says how long it is.
import { useEffect, useState } from 'react';
import { api } from '../host';
import { useStore } from '../store';
import { fmtSize } from './frame-format';

/** shown only after this long: a quick call should not flash a counter */
const SHOW_AFTER_MS = 1000;
/** how often the host is asked how far a reply has come */
const PROGRESS_POLL_MS = 500;

interface Progress {
  received: number;
  total: number;
}

export function Waiting({ since, className }: { since: number; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  const connectionId = useStore((s) => s.selectedId);
  const [progress, setProgress] = useState<Progress>();
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const shown = now - since >= SHOW_AFTER_MS;
  useEffect(() => {
    if (!shown || !connectionId) return undefined;
    let live = true;
    const ask = () =>
      void api['calls.progress']({ connectionId }).then((r) => {
        if (!live || !r.ok) return;
        // several calls at once (composer and console): the one furthest from done
        const [first] = r.value.sort((a, b) => b.total - b.received - (a.total - a.received));
        setProgress(first);
      });
    ask();
    const t = setInterval(ask, PROGRESS_POLL_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [shown, connectionId]);
  if (!shown) return null;
  const seconds = ((now - since) / 1000).toFixed(0);
  return (
    <span className={className} role="status" aria-label="Waiting for the reply">
      {progress ? `receiving the reply: ${fmtSize(progress.received)} of ${fmtSize(progress.total)} (${seconds} s)` : `waiting ${seconds} s for the reply`} · Esc
      cancels
    </span>
  );
}
