// An expandable tree of a value, for results too large to read as one repr.
import { useState } from 'react';
import type { JsonSafeValue } from '../../../src/common/value-json';
import { fromJsonSafe } from '../../../src/common/value-json';
import { repr } from '../../../src/common/repr';

type Child = [label: string, value: JsonSafeValue];

function childrenOf(v: JsonSafeValue): Child[] | undefined {
  switch (v.t) {
    case 'list':
    case 'tuple':
    case 'set':
    case 'frozenset':
      return v.items.map((x, i) => [String(i), x]);
    case 'dict':
      return v.entries.map(([k, x]) => [shortRepr(k), x]);
    case 'object': {
      const out: Child[] = v.args.map((x, i) => [`args[${i}]`, x]);
      if (v.state) out.push(['state', v.state]);
      v.listItems?.forEach((x, i) => out.push([`[${i}]`, x]));
      v.dictItems?.forEach(([k, x]) => out.push([shortRepr(k), x]));
      return out;
    }
    default:
      return undefined;
  }
}

/** Items of a container the host left out of the window's preview (see toJsonSafe). */
const leftOut = (v: JsonSafeValue): number => ('more' in v && v.more) || 0;

/** Whether part of a value was left out of the preview, so that its repr here would be wrong. */
function cutShort(v: JsonSafeValue): boolean {
  if (leftOut(v)) return true;
  return childrenOf(v)?.some(([, x]) => cutShort(x)) ?? false;
}

function shortRepr(v: JsonSafeValue, max = 120): string {
  if (cutShort(v)) return '…';
  let text: string;
  try {
    text = repr(fromJsonSafe(v));
  } catch {
    text = `<${v.t}>`;
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function label(v: JsonSafeValue, kids: Child[]): string {
  const n = (kids.length + leftOut(v)).toLocaleString('en-US');
  if (v.t === 'object') return `${v.module}.${v.name} (${n})`;
  return `${v.t} (${n})`;
}

/** rows rendered per level before a "show more" button: huge lists stay cheap */
const PAGE = 200;

function Node({ name, value, depth }: { name: string; value: JsonSafeValue; depth: number }) {
  const kids = childrenOf(value);
  const [open, setOpen] = useState(depth === 0);
  const [limit, setLimit] = useState(PAGE);
  const more = leftOut(value);
  if (!kids || (kids.length === 0 && !more)) {
    return (
      <li role="treeitem" aria-selected={false}>
        <span className="tree-key">{name}</span> <code>{shortRepr(value, 400)}</code>
      </li>
    );
  }
  return (
    <li role="treeitem" aria-expanded={open} aria-selected={false}>
      <button className="tree-toggle" onClick={() => setOpen(!open)} aria-label={`${open ? 'Collapse' : 'Expand'} ${name}`}>
        {open ? '▾' : '▸'} <span className="tree-key">{name}</span> <span className="tree-type">{label(value, kids)}</span>
      </button>
      {!open && <code className="tree-preview"> {shortRepr(value, 80)}</code>}
      {open && (
        <ul role="group">
          {kids.slice(0, limit).map(([k, v], i) => (
            <Node key={i} name={k} value={v} depth={depth + 1} />
          ))}
          {kids.length > limit && (
            <li>
              <button onClick={() => setLimit(limit + PAGE)}>Show {Math.min(PAGE, kids.length - limit)} more of {kids.length - limit}</button>
            </li>
          )}
          {kids.length <= limit && more > 0 && (
            <li className="note">… and {more.toLocaleString('en-US')} more, not sent to the window (the repr has them all)</li>
          )}
        </ul>
      )}
    </li>
  );
}

/** The tree of a container; nothing for a scalar (a long str or bytes is read in its repr). */
export function ValueTree({ value }: { value: JsonSafeValue }) {
  if (!childrenOf(value)?.length && !leftOut(value)) return null;
  return (
    <ul role="tree" aria-label="Result tree" className="tree">
      <Node name="result" value={value} depth={0} />
    </ul>
  );
}
