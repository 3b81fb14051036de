// The REPL pane: the terminal REPL's language (calls, `x = call(...)`, literals, `_`), with a
// scrollback, statement history on ↑/↓, Tab completion of method names and variables, and open
// brackets continuing on a `...` line, as the terminal REPL has. A paste of several lines runs
// the statements its lines complete, as typed.
import { useEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import type { MethodInfoDto } from '../../../src/common/contract';
import { commonPrefix, lineCompletions, type LineCompletions } from '../../../src/common/completions';
import { needsMoreInput, StatementBuffer, statementsOf } from '../../../src/common/continuation';
import { api } from '../host';
import { focusCallInput } from '../shortcuts';
import { appendRecall, useStore, type ConsoleLine } from '../store';
import { consolePlaceholder } from './Composer';
import { FramesButton } from './FramesButton';
import { LongText } from './LongText';
import { PastedCallHint } from './PastedCallHint';
import { Waiting } from './Waiting';

/** a line ending in `x[`, `x['ro` or `c.at`: the host may complete it (see completeAtEnd) */
const HOST_COMPLETES = /(\[\s*(['"][^'"\\]*)?|[A-Za-z_]\w*(\.\w*)+)$/;

const EMPTY: ConsoleLine[] = [];
const NO_METHODS: MethodInfoDto[] = [];
const NO_CALLS: string[] = [];

/** The names this console's statements have bound (`x = ...`, and `_`), as the host reported them. */
function variablesOf(lines: ConsoleLine[]): string[] {
  return [...new Set(lines.flatMap((l) => (l.output?.bound === undefined ? [] : [l.output.bound])))];
}

function Output({ line, onUse }: { line: ConsoleLine; onUse: (source: string) => void }) {
  const o = line.output;
  const said = o?.hint ?? line.failure?.hint;
  const hint = said && <PastedCallHint hint={said} onUse={onUse} />;
  if (line.failure) {
    return (
      <>
        <pre className="out failure">{line.failure.message}</pre>
        {hint}
      </>
    );
  }
  if (!o || o.kind === 'assigned') return hint ?? null;
  return (
    <>
      <LongText text={o.text} className={`out ${o.kind}`} />
      {hint}
    </>
  );
}

/** the remote call a statement made (a literal or `x = 1` makes none) */
const callOf = (l: ConsoleLine): number | undefined => l.output?.callId ?? l.failure?.callId;

/** A statement as Python's prompt shows it: `>>> ` before its first line, `... ` before the rest. */
const prompted = (lines: string[]) => lines.map((l, i) => (i === 0 ? '>>> ' : '... ') + l).join('\n');

export function ConsolePanel() {
  const id = useStore((s) => s.selectedId);
  const lines = useStore((s) => (s.selectedId ? s.console[s.selectedId] : undefined)) ?? EMPTY;
  const evalConsole = useStore((s) => s.evalConsole);
  const cancel = useStore((s) => s.cancel);
  const [input, setInput] = useState('');
  /** the lines of a statement whose brackets are still open, typed before the input's line */
  const [pending, setPending] = useState<string[]>([]);
  const [back, setBack] = useState(-1);
  /** the statement running, shown above the input until its line joins the scrollback, and since when */
  const [running, setRunning] = useState<{ source: string; since: number }>();
  const busy = running !== undefined;
  /** statements entered while another ran (type-ahead, as at Python's prompt): they run next, in
   *  order. A ref, read by the loop that runs them, with a copy for the view. */
  const queue = useRef<string[]>([]);
  const [queued, setQueued] = useState<string[]>([]);
  /** whether the loop runs: set at once, where `busy` waits for the next render (an Enter between
   *  a result and that render would start a second loop, or be queued with no loop to take it) */
  const looping = useRef(false);
  const methods = useStore((s) => (s.selectedId ? s.methods[s.selectedId]?.methods : undefined)) ?? NO_METHODS;
  const recall = useStore((s) => (s.selectedId ? s.recall[s.selectedId] : undefined)) ?? NO_CALLS;
  /** what ↑ goes back through, oldest first: the connection's earlier calls (its history, kept
   *  across sessions, statements of earlier consoles included), then this console's statements */
  const statements = useMemo(() => lines.map((l) => l.source).reduce(appendRecall, recall), [recall, lines]);
  /** the candidates of the last Tab that had several */
  const [options, setOptions] = useState<string[]>([]);
  const endRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [lines.length, pending.length, running]);
  if (!id) return <p className="empty">Select a connection to use the console.</p>;

  /** a hint's call replaces what is being typed (a statement left open too) */
  const takeSuggestion = (source: string) => {
    setPending([]);
    setInput(source);
    focusCallInput('console');
  };

  /**
   * Tab at the end of the input: the one candidate, or as much as all share and the list of them.
   * Names the window knows complete at once; a dict's keys (`x['`) and a remote object's
   * attributes (`c.`) come from the host, which holds the values and the connection.
   */
  const completeAtEnd = (e: KeyboardEvent<HTMLInputElement>) => {
    const el = e.currentTarget;
    if (el.selectionStart !== input.length || el.selectionEnd !== input.length) return;
    const line = [...pending, input].join('\n');
    const found = lineCompletions(
      line,
      methods.map((m) => m.name),
      variablesOf(lines),
      (name) => methods.find((m) => m.name === name)?.params?.map((p) => p.name),
    );
    if (found && found.candidates.length > 0) {
      e.preventDefault();
      return applyCompletion(found, input);
    }
    if (!HOST_COMPLETES.test(line)) return setOptions([]);
    e.preventDefault();
    const typed = input;
    void api['console.complete']({ connectionId: id, line }).then((r) => {
      // (what was typed meanwhile wins)
      if (r.ok && r.value.candidates.length > 0 && inputRef.current?.value === typed) applyCompletion(r.value, typed);
      else if (inputRef.current?.value === typed) setOptions([]);
    });
  };

  const applyCompletion = (found: LineCompletions, input: string) => {
    const only = found.candidates.length === 1 ? found.candidates[0] : undefined;
    // a method's name opens its call; as help()'s topic, it closes help(
    const isMethod = only !== undefined && found.kind !== 'argument' && methods.some((m) => m.name === only);
    const text = only !== undefined ? only + (isMethod ? (found.kind === 'help' ? ')' : '(') : '') : commonPrefix(found.candidates);
    setInput(input.slice(0, input.length - found.prefix.length) + text);
    setOptions(only !== undefined ? [] : found.candidates);
  };

  /** Runs statements in turn, each shown while it waits; true when one was cancelled (the rest do not run). */
  const runAll = async (sources: string[]): Promise<boolean> => {
    for (const source of sources) {
      setRunning({ source, since: Date.now() });
      const ran = await evalConsole(source);
      if (ran?.failure?.code === 'E_CANCELLED') return true;
    }
    return false;
  };

  /** Runs `sources`, then what was entered meanwhile; a cancel drops the queue too. True when cancelled. */
  const runQueued = async (sources: string[]): Promise<boolean> => {
    looping.current = true;
    let next = sources;
    let cancelled = false;
    try {
      while (next.length > 0 && !cancelled) {
        cancelled = await runAll(next);
        next = queue.current.splice(0);
        setQueued([]);
      }
    } finally {
      looping.current = false;
      queue.current = [];
      setRunning(undefined);
    }
    return cancelled;
  };

  /** Statements entered: run now, or after the ones running. */
  const enter = async (sources: string[]): Promise<boolean> => {
    if (!looping.current) return runQueued(sources);
    queue.current.push(...sources);
    setQueued([...queue.current]);
    return false;
  };

  const onKey = async (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Tab' && !e.shiftKey) return completeAtEnd(e);
    setOptions([]);
    if (e.key === 'Enter') {
      e.preventDefault();
      const src = [...pending, input].join('\n');
      setInput('');
      setBack(-1);
      if (needsMoreInput(src)) return setPending([...pending, input]);
      setPending([]);
      // `a = add(1, 2); sub(a, 1)`: each statement in turn, as Python runs them
      await enter(statementsOf(src));
    } else if (e.key === 'Escape' && pending.length > 0) {
      // as Ctrl-C at Python's prompt: the statement typed so far is dropped
      e.preventDefault();
      setPending([]);
      setInput('');
    } else if (e.key === 'Escape' && busy) {
      // as Ctrl-C in the terminal REPL: the statement's call is cancelled
      e.preventDefault();
      void cancel();
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const next = Math.max(-1, Math.min(statements.length - 1, back + (e.key === 'ArrowUp' ? 1 : -1)));
      setBack(next);
      // a statement of several lines comes back as it was typed: its last line in the input
      const recalled = next < 0 ? [''] : statements[statements.length - 1 - next].split('\n');
      setPending(recalled.slice(0, -1));
      setInput(recalled[recalled.length - 1]);
    }
  };

  /** Lines pasted at once: each that ends completes its statement or continues it, as if typed and
   *  entered; the last one stays in the input to edit. A cancelled statement stops the rest. */
  const onPaste = async (e: ClipboardEvent<HTMLInputElement>) => {
    const text = e.clipboardData.getData('text/plain');
    if (!/[\r\n]/.test(text) || looping.current) return;
    e.preventDefault();
    const el = e.currentTarget;
    const typed = input.slice(0, el.selectionStart ?? input.length) + text + input.slice(el.selectionEnd ?? input.length);
    const entered = [...pending, ...typed.split(/\r?\n/)];
    const last = entered.pop() ?? '';
    const buffer = new StatementBuffer();
    setPending([]);
    setInput('');
    if (await runQueued(entered.flatMap((line) => buffer.push(line)))) return;
    setPending(buffer.unfinished === '' ? [] : buffer.unfinished.split('\n'));
    setInput(last);
  };

  return (
    <div className="console">
      <div className="scrollback" role="log" aria-label="Console output" aria-live="polite">
        {lines.map((l, i) => {
          const callId = callOf(l);
          return (
            <div key={i} className="entry">
              {callId !== undefined && <FramesButton callId={callId} className="entry-frames" />}
              <pre className="in">{prompted(l.source.split('\n'))}</pre>
              <Output line={l} onUse={takeSuggestion} />
            </div>
          );
        })}
        {running && (
          <div className="entry" aria-label="Running statement">
            <pre className="in">{prompted(running.source.split('\n'))}</pre>
            <Waiting since={running.since} className="waiting" />
          </div>
        )}
        {queued.length > 0 && (
          <pre className="in queued" aria-label="Statements queued">
            {queued.map((q) => prompted(q.split('\n'))).join('\n')}
          </pre>
        )}
        {pending.length > 0 && (
          <pre className="in" aria-label="Statement so far">
            {prompted(pending)}
          </pre>
        )}
        <div ref={endRef} />
      </div>
      {options.length > 0 && (
        <p className="completions" aria-label="Completions">
          {options.join('  ')}
        </p>
      )}
      <div className="prompt">
        <span aria-hidden="true">{pending.length > 0 ? '...' : '>>>'}</span>
        {/* not disabled while a statement runs (what is entered meanwhile runs after it): a
            disabled input loses the focus, and the next statement typed would go nowhere */}
        <input
          ref={inputRef}
          aria-label="Console input"
          value={input}
          aria-busy={busy}
          autoFocus
          spellCheck={false}
          placeholder={consolePlaceholder(methods)}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={(e) => void onKey(e)}
          onPaste={(e) => void onPaste(e)}
        />
      </div>
    </div>
  );
}
