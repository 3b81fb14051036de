// The methods the selected connection offers; click one to compose a call to it.
import { useState } from 'react';
import type { MethodInfoDto } from '../../../src/common/contract';
import { focusCallInput } from '../shortcuts';
import { useStore } from '../store';

/** How a method reads in the list: its signature, else `add(x, y)` from the parameter names. */
export function signatureOf(m: MethodInfoDto): string {
  if (m.signature) return m.signature;
  return m.params ? `${m.name}(${m.params.map((p) => p.name).join(', ')})` : m.name;
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
    // an empty call: completion inside the parentheses offers the parameter names
    setComposer(`${m.name}()`);
    setTab('call');
    focusCallInput('call');
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
      {state && !state.failure && state.source !== 'introspection' && state.methods.length === 0 && (
        <p className="empty">No names yet: a method shows up here once a call to it works.</p>
      )}
      <ul className="method-list" aria-label="Methods">
        {shown.map((m) => (
          <li key={m.name}>
            <button onClick={() => compose(m)} aria-label={`Compose ${m.name}`} title={m.doc}>
              <code>{signatureOf(m)}</code>
              {m.doc && <span className="doc">{m.doc.split('\n')[0]}</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
