// Add, edit, remove and pick connections; each shows its status (and why it failed).
import { useState, type FormEvent } from 'react';
import type { ConnectionInfo } from '../../../src/common/contract';
import { parseEndpoint, takesAuthkey, withScheme, type Scheme } from '../../../src/common/url';
import { api } from '../host';
import { focusCallInput } from '../shortcuts';
import { useStore } from '../store';
import { ConfirmButton } from './ConfirmButton';

function urlProblem(url: string): string | undefined {
  try {
    parseEndpoint(url);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function statusText(c: ConnectionInfo): string {
  switch (c.status.state) {
    case 'failed':
      return `failed: ${c.status.reason}`;
    default:
      return c.status.state;
  }
}

interface FormProps {
  initial?: ConnectionInfo;
  /** a URL to edit other than the connection's own (a scheme the server looks like it speaks) */
  url?: string;
  onDone(): void;
}

function ConnectionForm({ initial, url: proposedUrl, onDone }: FormProps) {
  const refresh = useStore((s) => s.refreshConnections);
  const select = useStore((s) => s.select);
  const [url, setUrl] = useState(proposedUrl ?? initial?.url ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [authkey, setAuthkey] = useState('');
  const [timeout, setTimeoutS] = useState(String((initial?.timeoutMs ?? 30_000) / 1000));
  const [error, setError] = useState<string>();
  const idp = initial ? `edit-${initial.id}` : 'new';
  // switched to a multiprocessing scheme without a key: the server asked for one, so it is typed next
  const asksAuthkey = proposedUrl !== undefined && takesAuthkey(parseEndpoint(proposedUrl).scheme) && !initial?.hasAuthkey;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = urlProblem(url);
    const seconds = Number(timeout);
    if (problem) return setError(problem);
    if (!(seconds > 0)) return setError('timeout must be a positive number of seconds');
    const timeoutMs = Math.round(seconds * 1000);
    const r = initial
      ? await api['connections.edit']({ id: initial.id, url, name, timeoutMs, ...(authkey ? { authkey } : {}) })
      : await api['connections.add']({ url, name: name || undefined, timeoutMs, ...(authkey ? { authkey } : {}) });
    if (!r.ok) return setError(r.error.message);
    await refresh();
    select(r.value.id);
    onDone();
    // the form is gone: what is typed next is the first call
    focusCallInput(useStore.getState().tab);
  };

  return (
    <form className="conn-form" onSubmit={(e) => void submit(e)} aria-label={initial ? 'Edit connection' : 'Add connection'}>
      <label htmlFor={`${idp}-url`}>URL</label>
      <input
        id={`${idp}-url`}
        value={url}
        placeholder="pickle://127.0.0.1:17000"
        onChange={(e) => {
          setUrl(e.target.value);
          setError(undefined);
        }}
        aria-invalid={error !== undefined}
        aria-describedby={`${idp}-error`}
        autoFocus={!asksAuthkey}
      />
      <label htmlFor={`${idp}-name`}>Name</label>
      <input id={`${idp}-name`} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`${idp}-authkey`}>Authkey</label>
      <input
        id={`${idp}-authkey`}
        type="password"
        value={authkey}
        placeholder={initial?.hasAuthkey ? '(unchanged)' : "text, or bytes as b'\\x8f...'"}
        title="The multiprocessing authkey: text is used as UTF-8; a Python bytes literal such as b'\x8fk' as those bytes"
        onChange={(e) => setAuthkey(e.target.value)}
        autoComplete="off"
        autoFocus={asksAuthkey}
      />
      <label htmlFor={`${idp}-timeout`}>Timeout (s)</label>
      <input id={`${idp}-timeout`} inputMode="decimal" value={timeout} onChange={(e) => setTimeoutS(e.target.value)} />
      <p id={`${idp}-error`} role="alert" className="form-error">
        {error}
      </p>
      <div className="row">
        <button type="submit">{initial ? 'Save' : 'Connect'}</button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * A failed connection whose server looks like it speaks another protocol: a button per scheme to
 * try. A multiprocessing scheme opens the form for the authkey the server asks for; any other
 * reconnects under the new scheme at once.
 */
function SchemeSuggestions({ c, onEdit }: { c: ConnectionInfo; onEdit(url: string): void }) {
  const refresh = useStore((s) => s.refreshConnections);
  if (c.status.state !== 'failed' || !c.status.schemes?.length) return null;
  const use = async (scheme: string) => {
    const url = withScheme(c.url, scheme as Scheme);
    if (takesAuthkey(scheme) && !c.hasAuthkey) return onEdit(url);
    await api['connections.edit']({ id: c.id, url });
    await refresh();
    focusCallInput(useStore.getState().tab);
  };
  return (
    <div className="conn-try" role="group" aria-label={`Schemes to try for ${c.name}`}>
      <span>Try</span>
      {c.status.schemes.map((scheme) => (
        <button key={scheme} onClick={() => void use(scheme)} title={`Connect to the same host and port with ${scheme}://`}>
          {scheme}://
        </button>
      ))}
    </div>
  );
}

export function ConnectionsPanel() {
  const connections = useStore((s) => s.connections);
  const selectedId = useStore((s) => s.selectedId);
  const select = useStore((s) => s.select);
  const refresh = useStore((s) => s.refreshConnections);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<{ id: string; url?: string }>();

  const remove = async (c: ConnectionInfo) => {
    await api['connections.remove']({ id: c.id });
    await refresh();
  };
  const reconnect = async (c: ConnectionInfo) => {
    await api['connections.connect']({ id: c.id });
    await refresh();
  };

  return (
    <section className="panel connections" aria-labelledby="connections-title">
      <div className="panel-head">
        <h2 id="connections-title">Connections</h2>
        <button onClick={() => setAdding(true)} aria-label="Add connection" disabled={adding}>
          +
        </button>
      </div>
      {adding && <ConnectionForm onDone={() => setAdding(false)} />}
      <ul className="conn-list" aria-label="Connections">
        {connections.map((c) =>
          editing?.id === c.id ? (
            <li key={c.id}>
              <ConnectionForm initial={c} url={editing.url} onDone={() => setEditing(undefined)} />
            </li>
          ) : (
            <li key={c.id} className={c.id === selectedId ? 'selected' : ''} aria-current={c.id === selectedId}>
              <button
                className="conn-pick"
                onClick={(e) => {
                  select(c.id);
                  // picked with the mouse: what is typed next goes to the call (from the keyboard, the focus stays on the list)
                  if (e.detail > 0) focusCallInput(useStore.getState().tab);
                }}
                aria-label={`Select ${c.name}`}
              >
                <span className={`dot ${c.status.state}`} aria-hidden="true" />
                <span className="conn-name" title={c.name}>
                  {c.name}
                </span>
                <span className="conn-url">{c.url}</span>
                <span className={`conn-status ${c.status.state}`} data-testid="connection-status">
                  {statusText(c)}
                </span>
              </button>
              <div className="conn-actions">
                <button onClick={() => void reconnect(c)} aria-label={`Reconnect ${c.name}`}>
                  ↻
                </button>
                <button onClick={() => setEditing({ id: c.id })} aria-label={`Edit ${c.name}`}>
                  ✎
                </button>
                {/* its saved authkey and its wire log go with it */}
                <ConfirmButton label={`Remove ${c.name}`} question="Remove?" onConfirm={() => void remove(c)}>
                  ✕
                </ConfirmButton>
              </div>
              <SchemeSuggestions c={c} onEdit={(url) => setEditing({ id: c.id, url })} />
            </li>
          ),
        )}
        {connections.length === 0 && !adding && <li className="empty">No connections yet. Add one with +.</li>}
      </ul>
    </section>
  );
}
