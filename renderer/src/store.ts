// UI state. Everything that talks to the host goes through `api`; components read this store.
import { create } from 'zustand';
import type { CallResult, ConnectionInfo, ConsoleOutput, Failure, MethodInfoDto } from '../../src/common/contract';
import { isBlankStatement } from '../../src/common/continuation';
import { api } from './host';

/** a panel id from panels.tsx */
export type Tab = string;

/** What the result pane shows: a call's outcome, or a local failure (timeout, parse error...). */
export type Shown = { kind: 'result'; source: string; result: CallResult } | { kind: 'failure'; source: string; failure: Failure };

export interface ConsoleLine {
  source: string;
  output?: ConsoleOutput;
  failure?: Failure;
}

interface MethodsState {
  methods: MethodInfoDto[];
  /** 'introspection' lists are the server's own; others grow as calls work (see send) */
  source?: 'introspection' | 'learned' | 'none';
  note?: string;
  failure?: Failure;
}

interface State {
  connections: ConnectionInfo[];
  selectedId?: string;
  methods: Record<string, MethodsState>;
  /** the composer's text, kept in localStorage so a reload does not lose a call being written */
  composer: string;
  /** per connection, the calls sent (its history first), oldest first: ↑ in the composer recalls them */
  recall: Record<string, string[]>;
  running: boolean;
  /** when the running call was sent (Date.now()) */
  runningSince: number;
  shown: Record<string, Shown>;
  console: Record<string, ConsoleLine[]>;
  tab: Tab;
  /** the wire view's call-number filter; kept here so a result can open the wire on its call */
  wireCallId: string;
  helpOpen: boolean;
  /** bumped after each call so the wire and history views refresh */
  callsMade: number;
  /** why the host cannot be reached, while it cannot */
  hostProblem?: string;
  select(id: string | undefined): void;
  setTab(tab: Tab): void;
  setWireCallId(callId: string): void;
  /** the wire view, filtered to one call's frames */
  showCallFrames(callId: number): void;
  setComposer(text: string): void;
  setHelp(open: boolean): void;
  refreshConnections(): Promise<void>;
  /** cached: the last listing plus what calls have shown since, without a probe on the wire */
  loadMethods(id: string, opts?: { cached?: boolean }): Promise<void>;
  /** Lists again, from the last listing, the methods of servers without introspection: calls may have shown more. */
  relearnMethods(ids?: string[]): void;
  send(source?: string): Promise<void>;
  /** ends what waits on the selected connection (its call, its console statement) with E_CANCELLED */
  cancel(): Promise<void>;
  /** runs a console statement; its line in the scrollback (none for a blank one) */
  evalConsole(source: string): Promise<ConsoleLine | undefined>;
}

/**
 * Listings in flight, by connection: the first refresh both selects a connection and sees it come
 * up, and each asks for its methods; the second waits on the first instead of probing the server again.
 */
const methodsLoading = new Map<string, Promise<void>>();

const DRAFT_KEY = 'rpcscope.composer';
/** how many of a connection's past calls ↑ reaches */
const RECALL_LIMIT = 200;

function loadDraft(): string {
  try {
    return localStorage.getItem(DRAFT_KEY) ?? '';
  } catch {
    return ''; // (storage turned off: the draft lives as long as the page)
  }
}

function saveDraft(text: string): void {
  try {
    localStorage.setItem(DRAFT_KEY, text);
  } catch {
    // as above
  }
}

/** `calls` with `source` last, unless it is last already */
export const appendRecall = (calls: string[] | undefined, source: string): string[] =>
  calls?.at(-1) === source ? calls : [...(calls ?? []), source].slice(-RECALL_LIMIT);

export const useStore = create<State>((set, get) => ({
  connections: [],
  methods: {},
  composer: loadDraft(),
  recall: {},
  running: false,
  runningSince: 0,
  shown: {},
  console: {},
  tab: 'call',
  wireCallId: '',
  helpOpen: false,
  callsMade: 0,

  select(id) {
    set({ selectedId: id });
    // the last listing when the host has one (a reload of the page asks the server nothing);
    // "Reload methods" asks again
    if (id && !get().methods[id]) void get().loadMethods(id, { cached: true });
    if (id && !get().recall[id]) {
      void api['history.list']({ connectionId: id, limit: RECALL_LIMIT }).then((r) => {
        if (!r.ok) return;
        // calls sent while the history was on its way come after it
        const sent = get().recall[id] ?? [];
        const past = r.value.map((h) => h.source).reduce<string[]>(appendRecall, []);
        set((s) => ({ recall: { ...s.recall, [id]: sent.reduce<string[]>(appendRecall, past) } }));
      });
    }
  },
  setTab: (tab) => set({ tab }),
  setWireCallId: (wireCallId) => set({ wireCallId }),
  showCallFrames: (callId) => set({ tab: 'wire', wireCallId: String(callId) }),
  setComposer: (composer) => {
    saveDraft(composer);
    set({ composer });
  },
  setHelp: (helpOpen) => set({ helpOpen }),

  async refreshConnections() {
    const r = await api['connections.list']({});
    if (!r.ok) {
      if (r.error.code === 'E_BRIDGE') set({ hostProblem: r.error.message });
      return;
    }
    const prev = get().connections;
    set({ connections: r.value, hostProblem: undefined });
    const { selectedId } = get();
    if (!selectedId || !r.value.some((c) => c.id === selectedId)) get().select(r.value[0]?.id);
    // a connection that just came up can now tell its methods; one this page sees for the first
    // time may have been listed before the page loaded
    for (const c of r.value) {
      const before = prev.find((p) => p.id === c.id);
      if (c.status.state === 'connected' && before?.status.state !== 'connected' && !get().methods[c.id]?.methods.length) {
        void get().loadMethods(c.id, { cached: before === undefined });
      }
    }
  },

  loadMethods(id, opts = {}) {
    const pending = methodsLoading.get(id);
    if (pending) return pending;
    const load = (async () => {
      const r = await api['methods.list']({ connectionId: id, cached: opts.cached });
      set((s) => ({
        methods: { ...s.methods, [id]: r.ok ? { methods: r.value.methods, source: r.value.source, note: r.value.note } : { methods: [], failure: r.error } },
      }));
    })().finally(() => methodsLoading.delete(id));
    methodsLoading.set(id, load);
    return load;
  },

  async send(sourceArg) {
    const id = get().selectedId;
    const source = (sourceArg ?? get().composer).trim();
    if (!id || !source || get().running) return;
    set((s) => ({ running: true, runningSince: Date.now(), recall: { ...s.recall, [id]: appendRecall(s.recall[id], source) } }));
    const r = await api['calls.call']({ connectionId: id, source });
    const shown: Shown = r.ok ? { kind: 'result', source, result: r.value } : { kind: 'failure', source, failure: r.error };
    set((s) => ({ running: false, shown: { ...s.shown, [id]: shown }, callsMade: s.callsMade + 1 }));
    void get().refreshConnections();
    // a server without introspection: the name just called may now be known to work
    if (r.ok) get().relearnMethods([id]);
  },

  relearnMethods(ids) {
    const { methods } = get();
    for (const id of ids ?? Object.keys(methods)) {
      const listed = methods[id];
      // (not after a failed listing: without a listing to answer from, that would ask the server again)
      if (listed && !listed.failure && listed.source !== 'introspection') void get().loadMethods(id, { cached: true });
    }
  },

  async cancel() {
    const id = get().selectedId;
    if (id) await api['calls.cancel']({ connectionId: id });
  },

  async evalConsole(source) {
    const id = get().selectedId;
    if (!id || isBlankStatement(source)) return undefined;
    const dot = /^\s*\.(\w+)/.exec(source)?.[1];
    const r = dot !== undefined ? { ok: false as const, error: dotCommandHere(dot) } : await api['console.eval']({ connectionId: id, source });
    const line: ConsoleLine = r.ok ? { source, output: r.value } : { source, failure: r.error };
    set((s) => ({ console: { ...s.console, [id]: [...(s.console[id] ?? []), line] }, callsMade: s.callsMade + 1 }));
    return line;
  },
}));

/** The terminal REPL's dot-commands are views of the window: the console says which. */
const DOT_COMMAND_VIEWS: Record<string, string> = {
  methods: 'the Methods list, on the left',
  frames: 'the Wire view (Alt+3)',
  trace: 'the Wire view (Alt+3), which fills in as frames pass',
  history: 'the History view (Alt+4)',
  save: 'the Collections view (Alt+5)',
  load: 'the Collections view (Alt+5)',
  python: "the Collections view's Python script button",
  connect: 'the Connections list (+ adds one)',
};

function dotCommandHere(name: string): Failure {
  const where = DOT_COMMAND_VIEWS[name];
  const message = where
    ? `.${name} is a command of the terminal REPL; here it is ${where}`
    : `.${name}: the console runs statements (calls, x = ..., literals); the terminal REPL's dot-commands are views of this window`;
  return { code: 'E_USAGE', message };
}

export const selectedConnection = (s: State): ConnectionInfo | undefined => s.connections.find((c) => c.id === s.selectedId);
