// A button that writes text to the clipboard and says on itself whether that worked (a refused
// write would otherwise fail unseen).
import { useState } from 'react';

interface Props {
  /** the text, made when clicked (it may be long) */
  text(): string;
  /** the accessible name */
  label: string;
  /** the caption when idle */
  caption?: string;
}

export function CopyButton({ text, label, caption = 'Copy' }: Props) {
  const [state, setState] = useState<'copied' | 'failed'>();
  const copy = async () => {
    const ok = await navigator.clipboard.writeText(text()).then(
      () => true,
      () => false,
    );
    setState(ok ? 'copied' : 'failed');
    setTimeout(() => setState(undefined), 1200);
  };
  return (
    <button onClick={() => void copy()} aria-label={label}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : caption}
    </button>
  );
}
