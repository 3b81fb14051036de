// Timeouts for connects, reads and calls, all served by one Node timer.
//
// Arming a setTimeout per call and clearing it when the reply comes is costly at thousands of calls
// a second: Node keeps a timer list per duration, and a call's timeout is a different number of ms
// each time (what is left of its deadline), so every call created a list, put it in Node's
// priority queue and took it out again (clearTimeout alone: 5-7% of a pickle:// call loop's samples).
// Here a timeout is an entry in a set; the one timer is armed for the earliest entry, and a
// cancelled entry just leaves the set. The timer is unref'd: what waits (a socket connecting or
// reading) keeps the process alive by itself, and a program that is done must not wait out a timer
// for a call that has finished.

interface Entry {
  at: number;
  fire: () => void;
}

/** setTimeout's longest delay; a later deadline is reached by re-arming */
const MAX_DELAY_MS = 2 ** 31 - 1;

const entries = new Set<Entry>();
let timer: ReturnType<typeof setTimeout> | undefined;
let timerAt = Infinity;

/** Call `fire` once after `ms` unless the returned function is called first. */
export function startTimeout(ms: number, fire: () => void): () => void {
  const entry: Entry = { at: performance.now() + Math.max(0, ms), fire };
  entries.add(entry);
  if (entry.at < timerAt) arm(entry.at);
  return () => {
    entries.delete(entry);
  };
}

/** Timeouts started and not yet fired or cancelled (for tests). */
export function pendingTimeouts(): number {
  return entries.size;
}

function arm(at: number): void {
  if (timer !== undefined) clearTimeout(timer);
  timerAt = at;
  timer = setTimeout(expire, Math.min(MAX_DELAY_MS, Math.max(0, Math.ceil(at - performance.now()))));
  timer.unref();
}

function expire(): void {
  timer = undefined;
  timerAt = Infinity;
  const now = performance.now();
  const due: Entry[] = [];
  let next = Infinity;
  for (const e of entries) {
    if (e.at <= now) due.push(e);
    else if (e.at < next) next = e.at;
  }
  for (const e of due) entries.delete(e);
  // several can be due at once when the event loop was busy: they still fire in deadline order
  due.sort((a, b) => a.at - b.at);
  if (next < Infinity) arm(next);
  // after re-arming: a fire that starts a timeout of its own finds the timer in a known state
  for (const e of due) {
    try {
      e.fire();
    } catch (err) {
      // as a timer of its own would: the error is uncaught, and the other timeouts still fire
      queueMicrotask(() => {
        throw err;
      });
    }
  }
}
