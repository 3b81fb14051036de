// How long a call has been waiting, once it has waited long enough to wonder: a call to a server
// that is slow or gone shows it is still alive, and how to give up on it.
import { useEffect, useState } from 'react';

/** shown only after this long: a quick call should not flash a counter */
const SHOW_AFTER_MS = 1000;

export function Waiting({ since, className }: { since: number; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const ms = now - since;
  if (ms < SHOW_AFTER_MS) return null;
  return (
    <span className={className} role="status" aria-label="Waiting for the reply">
      waiting {(ms / 1000).toFixed(0)} s for the reply · Esc cancels
    </span>
  );
}
