// The views of the main area, in tab order (Alt+1, Alt+2, ...). A feature with a view adds one line.
import type { ComponentType } from 'react';
import { CallView } from './components/CallView';
import { CollectionsPanel } from './collections/CollectionsPanel';
import { ConsolePanel } from './components/ConsolePanel';
import { HistoryPanel } from './components/HistoryPanel';
import { WirePanel } from './components/WirePanel';

export interface PanelDef {
  id: string;
  label: string;
  Component: ComponentType;
}

export const PANELS: PanelDef[] = [
  { id: 'call', label: 'Call', Component: CallView },
  { id: 'console', label: 'Console', Component: ConsolePanel },
  { id: 'wire', label: 'Wire', Component: WirePanel },
  { id: 'history', label: 'History', Component: HistoryPanel },
  { id: 'collections', label: 'Collections', Component: CollectionsPanel },
];
