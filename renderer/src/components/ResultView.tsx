// The outcome of the last call: the repr (and a tree when it is large), or the remote exception
// with its type, message and traceback, or a local failure such as a timeout.
import { focusCallInput } from '../shortcuts';
import { useStore, type Shown } from '../store';
import { CopyButton } from './CopyButton';
import { FramesButton } from './FramesButton';
import { LongText } from './LongText';
import { PastedCallHint } from './PastedCallHint';
import { ValueTree } from './ValueTree';

/** results longer than this also get a tree */
const TREE_THRESHOLD = 200;

function Duration({ ms }: { ms: number }) {
  return <span className="duration">{ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms</span>;
}

/** the composer takes the hint's call, ready to send */
function toComposer(source: string): void {
  useStore.getState().setComposer(source);
  focusCallInput('call');
}

export function ResultView({ shown }: { shown?: Shown }) {
  if (!shown) return <p className="empty">Results appear here.</p>;
  if (shown.kind === 'failure') {
    return (
      <section className="result failure" role="alert" aria-label="Call failed">
        <header>
          <span className="badge">{shown.failure.code}</span> <code title={shown.source}>{shown.source}</code>
          {shown.failure.callId !== undefined && <FramesButton callId={shown.failure.callId} />}
        </header>
        <pre>{shown.failure.message}</pre>
        {shown.failure.hint && <PastedCallHint hint={shown.failure.hint} onUse={toComposer} />}
      </section>
    );
  }
  const { result, source } = shown;
  if (result.outcome.kind === 'raised') {
    const x = result.outcome.exception;
    return (
      <section className="result raised" role="alert" aria-label="Remote exception">
        <header>
          <span className="badge">remote exception</span> <strong className="exc-type">{x.pyType}</strong>
          {x.code !== undefined && <span className="fault-code"> code {x.code}</span>} <Duration ms={result.durationMs} />
          <FramesButton callId={result.callId} />
        </header>
        <pre className="exc-line">{x.lastLine}</pre>
        {x.notes && (
          <pre className="exc-notes" aria-label="Exception notes">
            {x.notes.join('\n')}
          </pre>
        )}
        {result.hint && <PastedCallHint hint={result.hint} onUse={toComposer} />}
        {x.traceback && (
          <details open>
            <summary>Remote traceback</summary>
            <LongText text={x.traceback} className="traceback" />
          </details>
        )}
      </section>
    );
  }
  const text = result.outcome.repr;
  return (
    <section className="result ok" aria-label="Result">
      <header>
        <code className="call-source" title={source}>{source}</code> <span className="call-id">call #{result.callId}</span> <Duration ms={result.durationMs} />
        <FramesButton callId={result.callId} />
        <CopyButton text={() => text} label="Copy result" />
      </header>
      <LongText text={text} className="repr" testId="result-repr" key={`repr-${result.callId}`} />
      {result.hint && <PastedCallHint hint={result.hint} onUse={toComposer} />}
      {text.length > TREE_THRESHOLD && <ValueTree value={result.outcome.value} key={`tree-${result.callId}`} />}
    </section>
  );
}
