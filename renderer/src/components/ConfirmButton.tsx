// A button for an action that drops something: the first click asks (the caption turns into the
// question), the second does it; moving the focus away forgets the first click.
import { useState, type ReactNode } from 'react';

interface Props {
  /** the accessible name, the same in both states */
  label: string;
  /** the caption when idle */
  children: ReactNode;
  /** the caption once asked, e.g. "Clear all frames?" */
  question: string;
  onConfirm(): void;
}

export function ConfirmButton({ label, children, question, onConfirm }: Props) {
  const [asked, setAsked] = useState(false);
  return (
    <button
      aria-label={label}
      className={asked ? 'armed' : undefined}
      onBlur={() => setAsked(false)}
      onClick={() => {
        if (!asked) return setAsked(true);
        setAsked(false);
        onConfirm();
      }}
    >
      {asked ? question : children}
    </button>
  );
}
