// Under the outcome of a call pasted from Python client code (`proxy.add(2, 3)`) that the server
// did not know: what to type here instead, one click from the input.
import type { CallResult } from '../../../src/common/contract';

type Hint = NonNullable<CallResult['hint']>;

export function PastedCallHint({ hint, onUse }: { hint: Hint; onUse: (source: string) => void }) {
  return (
    <p className="hint" role="note">
      Here a method is called by its own name (<code>{hint.dropped}</code> is the Python client&apos;s object):{' '}
      <button className="suggested" onClick={() => onUse(hint.suggested)} title="Put it in the input">
        <code>{hint.suggested}</code>
      </button>
    </p>
  );
}
