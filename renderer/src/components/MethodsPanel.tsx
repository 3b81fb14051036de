// The methods the selected connection offers; click one to compose a call to it.
import { useState } from 'react';
import type { MethodInfoDto } from '../../../src/common/contract';
import { useStore } from '../store';

/** A call template: `add(x, y)` from the parameter names when known, else `add()`. */
export function template(m: MethodInfoDto): string {
  const params = m.params?.map((p) => p.name).join(', ') ?? '';
  return `${m.name}(${params})`;
}

export function MethodsPanel() {
  const id = useStore((s) => s.selectedId);
  const state = useStore((s) => (s.selectedId ? s.methods[s.selectedId] : undefined));
  const load = useStore((s) => s.loadMethods);
  const setComposer = useStore((s) => s.setComposer);
  const setTab = useStore((s) => s.setTab);
  const [filter, setFilter] = useState('');
  const shown = (state?.methods ?? []).filter((m) => m.name.toLowerCase().includes(filter.toLowerCase()));

  const compose = (m: MethodInfoDto) => {
    setComposer(template(m));
    setTab('call');
    requestAnimationFrame(() => document.querySelector<HTMLElement>('.composer .cm-content')?.focus());
  };

  return (
    <section className="panel methods" aria-labelledby="methods-title">
      <div className="panel-head">
        <h2 id="methods-title">Methods</h2>
        <button onClick={() => id && void load(id)} aria-label="Reload methods" disabled={!id}>
          ↻
        </button>
      </div>
      <input id="method-filter" type="search" aria-label="Filter methods" placeholder="Filter (Ctrl+L)" value={filter} onChange={(e) => setFilter(e.target.value)} />
      {state?.failure && (
        <p className="note error" role="status">
          {state.failure.message}
        </p>
      )}
      {state?.note && <p className="note">{state.note}</p>}
      <ul className="method-list" aria-label="Methods">
        {shown.map((m) => (
          <li key={m.name}>
            <button onClick={() => compose(m)} aria-label={`Compose ${m.name}`} title={m.doc}>
              <code>{m.signature ?? (m.params ? template(m) : m.name)}</code>
              {m.doc && <span className="doc">{m.doc.split('\n')[0]}</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
