// Collections: open a collection file, save the current call or the connection's history into it,
// run one call or all, or step through them one at a time (demo mode), with pass/fail per call.
import { useState } from 'react';
import './collections.css';
import type { CollectionRunResult, Failure } from '../../../src/common/contract';
import type { Expectation } from '../../../src/common/collection';
import { api } from '../host';
import { useStore } from '../store';
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
  return (
    <span className={`coll-outcome ${r.status}`}>
      <span className="badge" aria-label={r.status}>
        {mark} {r.status}
      </span>{' '}
      <code>{r.repr ?? r.error?.lastLine}</code>
      {r.status !== 'pass' && r.message && <small className="note"> {r.message}</small>}
    </span>
  );
}

export function CollectionsPanel() {
  const selectedId = useStore((s) => s.selectedId);
  const shown = useStore((s) => (s.selectedId ? s.shown[s.selectedId] : undefined));
  const { path, env, collection: coll, results, step, problem, python, set, opened, merge } = useCollections();
  const [busy, setBusy] = useState(false);
  const envArg = env === '' ? {} : { env };

  /** runs a request, showing its failure instead of throwing */
  async function act<T>(run: () => Promise<{ ok: true; value: T } | { ok: false; error: Failure }>, done: (v: T) => void) {
    setBusy(true);
    set({ problem: undefined });
    const r = await run();
    setBusy(false);
    if (r.ok) done(r.value);
    else set({ problem: r.error });
  }

  const saveCurrent = () => {
    if (!selectedId || !shown || shown.kind !== 'result') return;
    const o = shown.result.outcome;
    const expect = o.kind === 'value' ? { equals: o.repr } : { raises: o.exception.pyType };
    const name = window.prompt('Name of the saved call', shown.source.replace(/\(.*$/s, '')) ?? undefined;
    void act(() => api['collections.saveCall']({ path, connectionId: selectedId, source: shown.source, expect, ...(name ? { name } : {}) }), opened);
  };

  return (
    <div className="collections call-view">
      <div className="coll-bar">
        <label>
          Collection{' '}
          <input aria-label="Collection file" value={path} onChange={(e) => set({ path: e.target.value })} spellCheck={false} size={40} />
        </label>
        <button disabled={busy} onClick={() => void act(() => api['collections.open']({ path }), opened)}>
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
        <button disabled={busy || !selectedId || shown?.kind !== 'result'} onClick={saveCurrent}>
          Save current call
        </button>
        <button disabled={busy || !selectedId} onClick={() => void act(() => api['collections.saveHistory']({ path, connectionId: selectedId! }), opened)}>
          Save history
        </button>
        <button disabled={busy || !coll} onClick={() => void act(() => api['collections.run']({ path, ...envArg }), (v) => merge(v.results))}>
          Run all
        </button>
        <button
          disabled={busy || !coll}
          onClick={() =>
            void act(
              () => api['collections.step']({ path, ...envArg, restart: step?.done ?? false }),
              (v) => {
                if (v.position === 1) set({ results: {} });
                if (v.result) merge([v.result]);
                set({ step: { position: v.position, total: v.total, done: v.done } });
              },
            )
          }
        >
          {step && !step.done ? `Step (${step.position}/${step.total})` : 'Step through'}
        </button>
        <button disabled={busy || !coll} onClick={() => void act(() => api['collections.python']({ path, ...envArg }), (v) => set({ python: v.script }))}>
          Python script
        </button>
      </div>
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
              <tr key={c.index} className={step && step.position - 1 === c.index ? 'current' : undefined}>
                <td>
                  {c.name && <strong>{c.name} </strong>}
                  <code>{c.call}</code> <small className="note">[{c.connection}]</small>
                </td>
                <td>
                  <code>{expectText(c.expect)}</code>
                </td>
                <td>
                  <Outcome r={results[c.index]} />
                </td>
                <td>
                  <button
                    aria-label={`Run ${c.name ?? c.call}`}
                    disabled={busy}
                    onClick={() => void act(() => api['collections.run']({ path, ...envArg, index: c.index }), (v) => merge(v.results))}
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
