// The call editor: Python-literal calls with highlighting, completion of method and parameter names,
// parse errors marked at their column, Ctrl/Cmd+Enter to send.
import { useMemo, useRef } from 'react';
import CodeMirror from '@uiw/react-codemirror';
import { python } from '@codemirror/lang-python';
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
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

export function Composer({ value, onChange, onSend, methods }: Props) {
  // the extensions are built once; they read the latest props through refs
  const sendRef = useRef(onSend);
  sendRef.current = onSend;
  const methodsRef = useRef(methods);
  methodsRef.current = methods;

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
    return [
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (sendRef.current(), true) }])),
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
        theme="dark"
        basicSetup={{ lineNumbers: false, foldGutter: false, highlightActiveLine: false }}
        placeholder="add(2, 3)"
      />
    </div>
  );
}
