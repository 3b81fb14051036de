// Collections: open a collection file, save the current call or the connection's history into it,
// run one call or all, or step through them one at a time (demo mode), with pass/fail per call.
import { useEffect, useState } from 'react';
import './collections.css';
import type { CollectionRunResult, Failure } from '../../../src/common/contract';
import { verdictNote, type Expectation } from '../../../src/common/collection';
import { api } from '../host';
import { useStore } from '../store';
import { Waiting } from '../components/Waiting';
import { useCollections } from './store';

function expectText(e: Expectation | undefined): string {
  if (!e) return '';
  if ('equals' in e) return `== ${e.equals}`;
  if ('raises' in e) return `raises ${e.raises}`;
  return `matches /${e.matches}/`;
}

function Outcome({ r }: { r: CollectionRunResult | undefined }) {
  if (!r) return <span className="badge">not run</span>;
  const mark = r.status === 'pass' ? '✓' : '✗';
  const note = verdictNote(r);
  return (
    <span className={`coll-outcome ${r.status}`}>
      <span className="badge" aria-label={r.status}>
        {mark} {r.status}
      </span>{' '}
      <code>{r.repr ?? r.error?.lastLine}</code>
      {note !== undefined && <small className="note"> {note}</small>}
    </span>
  );
}

/** how far the reply to the call under way has come (the runs' connections are their own) */
const collectionsProgress = () => api['collections.progress']({});

/** a path the host takes as it is (not resolved in its folder): /x, C:\x, \\server\x */
const isAbsolute = (p: string): boolean => /^([/\\]|[A-Za-z]:[/\\])/.test(p);

export function CollectionsPanel() {
  const selectedId = useStore((s) => s.selectedId);
  const shown = useStore((s) => (s.selectedId ? s.shown[s.selectedId] : undefined));
  const { path, env, collection: coll, results, step, problem, python, recent, busy: doing, stopRequested, running, set, opened, merge } = useCollections();
  const busy = doing !== undefined;
  const envArg = env === '' ? {} : { env };

  /** runs a request, showing what it does meanwhile and its failure instead of throwing */
  async function act<T>(what: string, run: () => Promise<{ ok: true; value: T } | { ok: false; error: Failure }>, done: (v: T) => void, callIndex?: number) {
    set({ problem: undefined, busy: what, running: callIndex === undefined ? undefined : { index: callIndex, since: Date.now() } });
    const r = await run();
    set({ busy: undefined, running: undefined });
    if (r.ok) done(r.value);
    else set({ problem: r.error });
  }

  /** Results into the table; a server without introspection may now be known to have more methods. */
  const ran = (rows: CollectionRunResult[]) => {
    merge(rows);
    useStore.getState().relearnMethods();
  };

  /** One step's outcome into the table, and where the stepper now is. */
  const stepped = (v: { result?: CollectionRunResult; position: number; total: number; done: boolean }) => {
    if (v.result) ran([v.result]);
    set({ step: { position: v.position, total: v.total, done: v.done } });
  };

  /**
   * Every call in order, one request each (the demo stepper from its first call), so the table
   * fills in as they run and Stop can end the run between two calls; stopped, Step goes on from there.
   */
  async function runAll() {
    const total = coll?.calls.length ?? 0;
    const starting = (index: number) => set({ busy: `Running call ${index + 1} of ${total}…`, running: { index, since: Date.now() } });
    set({ problem: undefined, results: {}, step: undefined, stopRequested: false });
    starting(0);
    let r = await api['collections.step']({ path, ...envArg, restart: true });
    while (r.ok) {
      const v = r.value;
      stepped(v);
      if (v.done || useCollections.getState().stopRequested) break;
      starting(v.position);
      r = await api['collections.step']({ path, ...envArg });
    }
    set({ busy: undefined, stopRequested: undefined, running: undefined, ...(r.ok ? {} : { problem: r.error }) });
  }

  const open = (file = path) => void act(`Opening ${file}…`, () => api['collections.open']({ path: file }), opened);

  // the first time the view shows: the files used last, and the latest opened again
  useEffect(() => {
    if (useCollections.getState().recent) return;
    void api['collections.recent']({}).then((r) => {
      if (!r.ok) return;
      set({ recent: r.value });
      const latest = r.value.files[0];
      if (latest && !useCollections.getState().collection) {
        set({ path: latest });
        open(latest);
      }
    });
    // (once per window: the store outlives the view)
  }, []);

  // the saved call's name, asked for in the view (Electron has no window.prompt: it throws)
  const [naming, setNaming] = useState<string>();
  const saveCurrent = (name: string) => {
    setNaming(undefined);
    if (!selectedId || !shown || shown.kind !== 'result') return;
    const o = shown.result.outcome;
    const expect = o.kind === 'value' ? { equals: o.repr } : { raises: o.exception.pyType };
    void act('Saving…', () => api['collections.saveCall']({ path, connectionId: selectedId, source: shown.source, expect, ...(name.trim() ? { name: name.trim() } : {}) }), opened);
  };

  return (
    <div className="collections call-view">
      <div className="coll-bar">
        <label>
          Collection{' '}
          <input
            aria-label="Collection file"
            value={path}
            list="recent-collections"
            onChange={(e) => set({ path: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !busy) open();
            }}
            spellCheck={false}
            size={40}
          />
          <datalist id="recent-collections">
            {recent?.files.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        </label>
        <button disabled={busy} onClick={() => open()}>
          Open
        </button>
        <label>
          Environment{' '}
          <select aria-label="Environment" value={env} onChange={(e) => set({ env: e.target.value })}>
            <option value="">(none)</option>
            {coll?.environments.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="coll-bar">
        <button
          disabled={busy || !selectedId || shown?.kind !== 'result' || naming !== undefined}
          onClick={() => shown && setNaming(shown.source.replace(/\(.*$/s, ''))}
        >
          Save current call
        </button>
        <button disabled={busy || !selectedId} onClick={() => void act('Saving the history…', () => api['collections.saveHistory']({ path, connectionId: selectedId! }), opened)}>
          Save history
        </button>
        <button disabled={busy || !coll} onClick={() => void runAll()}>
          Run all
        </button>
        <button
          disabled={busy || !coll}
          onClick={() =>
            void act(
              'Running the next call…',
              () => api['collections.step']({ path, ...envArg, restart: step?.done ?? false }),
              (v) => {
                if (v.position === 1) set({ results: {} });
                stepped(v);
              },
              step && !step.done ? step.position : 0,
            )
          }
        >
          {step && !step.done ? `Step (${step.position}/${step.total})` : 'Step through'}
        </button>
        <button disabled={busy || !coll} onClick={() => void act('Writing the script…', () => api['collections.python']({ path, ...envArg }), (v) => set({ python: v.script }))}>
          Python script
        </button>
      </div>
      {naming !== undefined && (
        <form
          className="coll-bar"
          onSubmit={(e) => {
            e.preventDefault();
            saveCurrent(naming);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setNaming(undefined);
          }}
        >
          <label>
            Name of the saved call{' '}
            <input aria-label="Name of the saved call" value={naming} onChange={(e) => setNaming(e.target.value)} autoFocus spellCheck={false} />
          </label>
          <button type="submit">Save</button>
          <button type="button" onClick={() => setNaming(undefined)}>
            Cancel
          </button>
        </form>
      )}
      {doing && (
        <p role="status" className="note">
          {doing} {running && <Waiting since={running.since} className="waiting" progressOf={collectionsProgress} />}{' '}
          {running && <button onClick={() => void api['collections.cancel']({})}>Cancel call</button>}{' '}
          {stopRequested !== undefined && (
            <button disabled={stopRequested} onClick={() => set({ stopRequested: true })}>
              Stop
            </button>
          )}
        </p>
      )}
      {!coll && !problem && !doing && (
        <p className="note">
          No collection open. Open reads the file named above; Save current call and Save history create it when it does not exist
          {recent && !isAbsolute(path) ? ` (in ${recent.dir})` : ''}.
        </p>
      )}
      {problem && (
        <p role="alert" className="form-error">
          {problem.code}: {problem.message}
        </p>
      )}
      {coll && (
        <table aria-label="Collection calls">
          <thead>
            <tr>
              <th scope="col">Call</th>
              <th scope="col">Expect</th>
              <th scope="col">Outcome</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {coll.calls.map((c) => (
              <tr key={c.index} className={(running ? running.index === c.index : step && step.position - 1 === c.index) ? 'current' : undefined}>
                <td>
                  {c.name && <strong>{c.name} </strong>}
                  <code>{c.call}</code> <small className="note">[{c.connection}]</small>
                </td>
                <td>
                  <code>{expectText(c.expect)}</code>
                </td>
                <td>
                  {running?.index === c.index ? <span className="badge running">running…</span> : <Outcome r={results[c.index]} />}
                </td>
                <td>
                  <button
                    aria-label={`Run ${c.name ?? c.call}`}
                    disabled={busy}
                    onClick={() => void act(`Running ${c.name ?? c.call}…`, () => api['collections.run']({ path, ...envArg, index: c.index }), (v) => ran(v.results), c.index)}
                  >
                    Run
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {python !== undefined && (
        <details open>
          <summary>Python client script</summary>
          <pre className="coll-python">{python}</pre>
        </details>
      )}
    </div>
  );
}
