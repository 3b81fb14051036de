// The REPL pane: the terminal REPL's language (calls, `x = call(...)`, literals, `_`), one
// statement per line, with a scrollback and statement history on ↑/↓.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStore, type ConsoleLine } from '../store';

const EMPTY: ConsoleLine[] = [];

function Output({ line }: { line: ConsoleLine }) {
  if (line.failure) return <pre className="out failure">{line.failure.message}</pre>;
  const o = line.output;
  if (!o || o.kind === 'assigned') return null;
  return <pre className={`out ${o.kind}`}>{o.text}</pre>;
}

export function ConsolePanel() {
  const id = useStore((s) => s.selectedId);
  const lines = useStore((s) => (s.selectedId ? s.console[s.selectedId] : undefined)) ?? EMPTY;
  const evalConsole = useStore((s) => s.evalConsole);
  const [input, setInput] = useState('');
  const [back, setBack] = useState(-1);
  const [busy, setBusy] = useState(false);
  const endRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [lines.length]);
  if (!id) return <p className="empty">Select a connection to use the console.</p>;

  const onKey = async (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && !busy) {
      e.preventDefault();
      const src = input;
      setInput('');
      setBack(-1);
      setBusy(true);
      await evalConsole(src);
      setBusy(false);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const next = Math.max(-1, Math.min(lines.length - 1, back + (e.key === 'ArrowUp' ? 1 : -1)));
      setBack(next);
      setInput(next < 0 ? '' : lines[lines.length - 1 - next].source);
    }
  };

  return (
    <div className="console">
      <div className="scrollback" role="log" aria-label="Console output" aria-live="polite">
        {lines.map((l, i) => (
          <div key={i} className="entry">
            <pre className="in">&gt;&gt;&gt; {l.source}</pre>
            <Output line={l} />
          </div>
        ))}
        <div ref={endRef} />
      </div>
      <div className="prompt">
        <span aria-hidden="true">&gt;&gt;&gt;</span>
        {/* not disabled while a statement runs (Enter waits for it): a disabled input loses the
            focus, and the next statement typed meanwhile would go nowhere */}
        <input
          aria-label="Console input"
          value={input}
          aria-busy={busy}
          autoFocus
          spellCheck={false}
          placeholder="x = add(1, 2)   then   sub(x, 1)   or   _"
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={(e) => void onKey(e)}
        />
      </div>
    </div>
  );
}
