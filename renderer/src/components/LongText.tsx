// A text that may be megabytes long (the repr of a large reply) shown in a <pre>: only its start is
// laid out, since a pre of ten million characters keeps the page busy for seconds after every
// change; the rest is a click away, and Copy takes the whole text from the caller.
import { useState } from 'react';

/** characters laid out before the rest is asked for */
export const SHOWN_CHARS = 100_000;

export function LongText({ text, className, testId }: { text: string; className?: string; testId?: string }) {
  const [all, setAll] = useState(false);
  const clipped = !all && text.length > SHOWN_CHARS;
  return (
    <>
      <pre className={className} data-testid={testId}>
        {clipped ? text.slice(0, SHOWN_CHARS) : text}
      </pre>
      {clipped && (
        <p className="note">
          Showing the first {SHOWN_CHARS.toLocaleString('en-US')} of {text.length.toLocaleString('en-US')} characters.{' '}
          <button onClick={() => setAll(true)}>Show all</button>
        </p>
      )}
    </>
  );
}
