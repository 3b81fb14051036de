// The call editor: Python-literal calls with highlighting, completion of method and parameter names,
// parse errors marked at their column, Ctrl/Cmd+Enter to send, ↑ on the first line and ↓ on the last
// to go through the calls sent before (as a browser's console does).
import { useMemo, useRef } from 'react';
import CodeMirror from '@uiw/react-codemirror';
import { python } from '@codemirror/lang-python';
import { autocompletion, completionStatus, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import type { MethodInfoDto } from '../../../src/common/contract';
import { parseCall } from '../../../src/common/parse';
import { RpcError } from '../../../src/common/errors';

interface Props {
  value: string;
  onChange(v: string): void;
  onSend(): void;
  methods: MethodInfoDto[];
  /** the calls sent before, oldest first */
  history: string[];
}

/** Diagnostics for the whole document: the parser's first error, at its offset. */
export function callDiagnostics(src: string): Diagnostic[] {
  if (!src.trim()) return [];
  try {
    parseCall(src);
    return [];
  } catch (e) {
    const offset = e instanceof RpcError && typeof (e.detail as { offset?: unknown })?.offset === 'number' ? (e.detail as { offset: number }).offset : 0;
    const from = Math.min(offset, src.length);
    return [{ from, to: Math.min(src.length, from + 1), severity: 'error', message: e instanceof Error ? e.message : String(e) }];
  }
}

/** What the empty editor suggests: a call of the connection's first method of its own (not an
 *  introspection one), with its parameters' names where the listing has them. */
/** The connection's first own method (not system.* or rpc.*), the one the placeholders suggest. */
const firstOwnMethod = (methods: MethodInfoDto[]) => methods.find((x) => !/^(system|rpc)\./.test(x.name));

export function callPlaceholder(methods: MethodInfoDto[]): string {
  const m = firstOwnMethod(methods);
  return m ? `${m.name}(${(m.params ?? []).map((p) => p.name).join(', ')})` : 'add(2, 3)';
}

/** The console's: a statement binding that call, and help() on its method. */
export function consolePlaceholder(methods: MethodInfoDto[]): string {
  const m = firstOwnMethod(methods);
  return m ? `x = ${callPlaceholder(methods)}, or help(${m.name})` : 'x = add(1, 2), then sub(x, 1)';
}

export function Composer({ value, onChange, onSend, methods, history }: Props) {
  // the extensions are built once; they read the latest props through refs
  const sendRef = useRef(onSend);
  sendRef.current = onSend;
  const methodsRef = useRef(methods);
  methodsRef.current = methods;
  const historyRef = useRef(history);
  /** how far back ↑ has gone (0: the text being written, kept in `draft`) */
  const back = useRef({ steps: 0, draft: '' });
  // a call just sent (or another connection's calls): ↑ starts again from the newest
  if (historyRef.current !== history) back.current.steps = 0;
  historyRef.current = history;

  const extensions = useMemo(() => {
    const complete = (ctx: CompletionContext): CompletionResult | null => {
      const word = ctx.matchBefore(/[\w.]*/);
      if (!word || (word.from === word.to && !ctx.explicit)) return null;
      const before = ctx.state.doc.sliceString(0, word.from);
      const open = before.lastIndexOf('(');
      if (open >= 0 && before.lastIndexOf(')') < open) {
        // inside a call: offer `param=` for the method's parameters
        const name = /([\w.]+)\s*$/.exec(before.slice(0, open))?.[1];
        const m = methodsRef.current.find((x) => x.name === name);
        if (!m?.params?.length) return null;
        return { from: word.from, options: m.params.map((p) => ({ label: `${p.name}=`, type: 'variable', detail: p.description })) };
      }
      return {
        from: word.from,
        options: methodsRef.current.map((m) => ({ label: m.name, type: 'function', detail: m.signature, info: m.doc, apply: `${m.name}(` })),
      };
    };
    /** ↑ (-1) or ↓ (+1) through the calls sent, when the cursor is on the first or last line */
    const recall = (view: EditorView, dir: -1 | 1): boolean => {
      const { state } = view;
      const sel = state.selection.main;
      const line = state.doc.lineAt(sel.head).number;
      if (completionStatus(state) === 'active' || !sel.empty || line !== (dir < 0 ? 1 : state.doc.lines)) return false;
      const calls = historyRef.current;
      const b = back.current;
      const steps = b.steps - dir;
      if (steps < 0 || steps > calls.length) return false;
      if (b.steps === 0) b.draft = state.doc.toString();
      b.steps = steps;
      const text = steps === 0 ? b.draft : calls[calls.length - steps];
      view.dispatch({ changes: { from: 0, to: state.doc.length, insert: text }, selection: { anchor: text.length } });
      return true;
    };
    return [
      Prec.highest(
        keymap.of([
          { key: 'Mod-Enter', run: () => (sendRef.current(), true) },
          { key: 'ArrowUp', run: (view) => recall(view, -1) },
          { key: 'ArrowDown', run: (view) => recall(view, 1) },
        ]),
      ),
      python(),
      autocompletion({ override: [complete] }),
      linter((view) => callDiagnostics(view.state.doc.toString()), { delay: 250 }),
      lintGutter(),
      EditorView.contentAttributes.of({ 'aria-label': 'Call expression' }),
    ];
  }, []);

  return (
    <div className="composer">
      <CodeMirror
        value={value}
        onChange={onChange}
        extensions={extensions}
        height="96px"
        // the view opens ready to type, as the console does
        autoFocus
        theme="dark"
        basicSetup={{ lineNumbers: false, foldGutter: false, highlightActiveLine: false }}
        placeholder={callPlaceholder(methods)}
      />
    </div>
  );
}
