// The app's handlers for the collection entries, over the collection store and runner.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { connectionEntry, emptyCollection, type Collection, type Expectation } from '../common/collection';
import type { CollectionView, HandlersOf } from '../common/contract';
import type { collectionEntries } from '../common/contract/collections';
import { RpcError } from '../common/errors';
import type { CallLog } from './app-core';
import {
  addCallToFile,
  CollectionRunner,
  connectionNameFor,
  loadCollection,
  saveCollection,
  type CallResult,
} from './collections';
import { splitAuthkey, type ConnectionRegistry } from './connections';
import type { CallOutcome, RunOutcomes } from './learned-methods';
import { RecentFiles } from './recent-files';
import { collectionToPython } from './script-export';

export interface CollectionDeps {
  connections: ConnectionRegistry;
  history: CallLog;
  /** where `${env:NAME}` authkey references are looked up; default process.env */
  environ?: Record<string, string | undefined>;
  /** the files opened or saved into, for the window to open again; default: kept in memory */
  recent?: RecentFiles;
  /** where the runs tell what they showed of each server, for its method list */
  runOutcomes?: RunOutcomes;
}

function view(path: string, c: Collection): CollectionView {
  return {
    path,
    ...(c.name !== undefined && { name: c.name }),
    environments: Object.keys(c.environments ?? {}),
    connections: c.connections.map((x) => ({ name: x.name, url: x.url, ...(x.authkey !== undefined && { authkey: x.authkey }) })),
    calls: c.calls.map((x, index) => ({ index, ...x })),
  };
}

/** `KeyError: 'x'` -> KeyError; local failures (E_TIMEOUT...) have no Python type to expect. */
function raisedType(summary: string): string | undefined {
  const m = /^([A-Za-z_][\w.]*)(?::|$)/.exec(summary);
  return m && !m[1].startsWith('E_') ? m[1] : undefined;
}

export function collectionHandlers(deps: CollectionDeps): HandlersOf<typeof collectionEntries> {
  /** demo-mode steppers, one per file and environment */
  const steppers = new Map<string, CollectionRunner>();
  /** the runners with a call under way, for collections.cancel */
  const active = new Set<CollectionRunner>();
  const track = async <T>(runner: CollectionRunner, work: () => Promise<T>): Promise<T> => {
    active.add(runner);
    try {
      return await work();
    } finally {
      active.delete(runner);
    }
  };
  const environ = deps.environ ?? process.env;
  const onCalled = (url: string, outcome: CallOutcome) => deps.runOutcomes?.record(splitAuthkey(url).url, outcome);
  const runnerFor = (c: Collection, env: string | undefined) => new CollectionRunner(c, { ...(env !== undefined && { env }), environ, onCalled });
  const recent = deps.recent ?? new RecentFiles();
  /** the view of a file just opened or written, remembered as the most recent */
  const used = (file: string, c: Collection): CollectionView => {
    recent.add(file);
    return view(file, c);
  };

  const connectionFor = (connectionId: string) => {
    const info = deps.connections.get(connectionId);
    // the registry keeps URLs without authkeys; a saved one is a reference to the environment
    return connectionEntry(connectionNameFor(info.url), info.url, { hasAuthkey: info.hasAuthkey });
  };

  const summary = (results: CallResult[]) => ({
    results,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    errors: results.filter((r) => r.status === 'error').length,
  });

  return {
    'collections.open': async ({ path }) => {
      const file = resolve(path);
      return used(file, loadCollection(file));
    },

    'collections.saveCall': async ({ path, connectionId, source, name, expect }) => {
      const file = resolve(path);
      const conn = connectionFor(connectionId);
      const c = addCallToFile(file, { ...(name !== undefined && { name }), connection: conn.name, call: source.trim(), ...(expect && { expect }) }, conn);
      return used(file, c);
    },

    'collections.saveHistory': async ({ path, connectionId }) => {
      const file = resolve(path);
      const items = deps.history.list(connectionId);
      if (items.length === 0) throw new RpcError('E_USAGE', 'this connection has no calls in its history yet');
      const c = existsSync(file) ? loadCollection(file) : emptyCollection();
      const conn = connectionFor(connectionId);
      const existing = c.connections.find((x) => x.name === conn.name);
      if (!existing) c.connections.push(conn);
      else if (existing.url !== conn.url) throw new RpcError('E_COLLECTION', `${file} already has a connection "${conn.name}" for ${existing.url}`);
      for (const item of items) {
        let expect: Expectation | undefined;
        // a result the history kept only the start of is saved without an expected value
        if (item.ok) expect = item.cut ? undefined : { equals: item.summary };
        else {
          const type = raisedType(item.summary);
          if (type) expect = { raises: type };
        }
        c.calls.push({ connection: conn.name, call: item.source, ...(expect && { expect }) });
      }
      saveCollection(file, c);
      return used(file, c);
    },

    'collections.run': async ({ path, env, index }) => {
      const c = loadCollection(resolve(path));
      if (index !== undefined && index >= c.calls.length) throw new RpcError('E_USAGE', `the collection has ${c.calls.length} calls; there is no call ${index}`);
      // one call runs alone, with the calls before it skipped (variables they bind are not set)
      const only = index === undefined ? c : { ...c, calls: [c.calls[index]] };
      const runner = runnerFor(only, env);
      try {
        const results = (await track(runner, () => runner.runAll())).results.map((r) => (index === undefined ? r : { ...r, index }));
        return summary(results);
      } finally {
        await runner.close();
      }
    },

    'collections.step': async ({ path, env, restart }) => {
      const file = resolve(path);
      const key = `${file}\0${env ?? ''}`;
      let runner = steppers.get(key);
      if (restart && runner) {
        await runner.close();
        steppers.delete(key);
        runner = undefined;
      }
      if (!runner) {
        runner = runnerFor(loadCollection(file), env);
        steppers.set(key, runner);
      }
      const result = await track(runner, () => runner.step());
      const out = { position: runner.position, total: runner.total, done: runner.done, ...(result && { result }) };
      if (runner.done) {
        await runner.close();
        steppers.delete(key);
      }
      return out;
    },

    'collections.progress': async () => [...active].flatMap((r) => r.replyProgress() ?? []),

    'collections.cancel': async () => ({ cancelled: [...active].filter((r) => r.cancel()).length }),

    'collections.python': async ({ path, env }) => ({ script: collectionToPython(loadCollection(resolve(path)), env !== undefined ? { env } : {}) }),

    'collections.recent': async () => ({ files: recent.list(), dir: process.cwd() }),
  };
}
