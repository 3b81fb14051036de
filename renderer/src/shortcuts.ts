// Global keyboard shortcuts; the help overlay lists the same table.
import { useEffect } from 'react';
import { PANELS } from './panels';
import { useCollections } from './collections/store';
import { api } from './host';
import { useStore } from './store';

export const SHORTCUTS: [string, string][] = [
  ['Ctrl/Cmd+Enter', 'send the call in the composer'],
  ['Escape while a call runs', 'cancel it (in the Collections view: the call under way; the run goes on)'],
  ['Ctrl/Cmd+K', 'focus the composer'],
  ['Ctrl/Cmd+L', 'focus the filter of the current view (methods, frames or history)'],
  ['Alt+1, Alt+2, …', 'switch view (Call, Console, Wire, History, …)'],
  ['↑ / ↓ in the composer (first / last line)', 'previous / next call sent on this connection'],
  ['↑ / ↓ in the console', "previous / next statement (the connection's earlier calls too, kept across reloads)"],
  ['Tab in the console', "complete a method name (also inside help( ), variable or the method's name= (several candidates: their list)"],
  ['Paste of several lines in the console', 'run the statements they complete, as if typed; the last line stays to edit'],
  ['Enter in the console with a bracket open', 'go on with the statement on a ... line'],
  ['Escape in the console on a ... line', 'drop the statement typed so far'],
  ['Enter in the console while a statement runs', 'queue the statement: it runs next (Escape cancels and drops the queue)'],
  ['↑ ↓ PgUp PgDn Home End in frames', 'move through the wire log'],
  ['F1 or Ctrl/Cmd+/', 'this help'],
  ['Escape', 'close this help'],
];


const COMPOSER_INPUT = '.composer .cm-content';
const CONSOLE_INPUT = '.prompt input';

function focusSoon(selector: string): void {
  const focus = () => document.querySelector<HTMLElement>(selector)?.focus();
  // at once where it is there, so that keys typed right after go to it; again once a tab switch or
  // a new selection has rendered (it may only mount then)
  focus();
  requestAnimationFrame(focus);
}

/** Puts the focus where calls are typed in the view: the composer (Call), the console's line. */
export function focusCallInput(tab: string): void {
  if (tab === 'call') focusSoon(COMPOSER_INPUT);
  else if (tab === 'console') focusSoon(CONSOLE_INPUT);
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const { setTab, setHelp, tab, helpOpen, running, cancel } = useStore.getState();
      if (e.key === 'Escape' && helpOpen) {
        setHelp(false);
      } else if (e.key === 'Escape' && running) {
        void cancel();
      } else if (e.key === 'Escape' && useCollections.getState().running) {
        void api['collections.cancel']({});
      } else if (e.key === 'F1' || (mod && e.key === '/')) {
        setHelp(!helpOpen);
      } else if (mod && e.key.toLowerCase() === 'k') {
        setTab('call');
        focusCallInput('call');
      } else if (mod && e.key.toLowerCase() === 'l') {
        focusSoon(tab === 'wire' ? '#frame-filter' : tab === 'history' ? '#history-filter' : '#method-filter');
      } else if (e.altKey && /^[1-9]$/.test(e.key) && PANELS[Number(e.key) - 1]) {
        setTab(PANELS[Number(e.key) - 1].id);
      } else {
        return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
