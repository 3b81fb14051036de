// A call as the user composes it: `add(2, 3)`, `kv.set('spam', [1, 2, 3])`, `foo(1, z=3)`.
import type { PyValue } from './value';

export interface CallRequest {
  /** dotted method name as written: `add`, `system.listMethods`, `kv.get` */
  method: string;
  /**
   * call the method on this remote object instead of the service root (RPyC netrefs:
   * `c = counter()` then `c.incr(2)` is `{target: c, method: 'incr'}`)
   */
  target?: PyValue;
  /** read the attribute `method` names on `target` instead of calling it (`c.value`): args are empty */
  attribute?: true;
  /** call `target` itself, a remote callable a variable holds (`f = c.incr`, then `f(2)`); `method` is the variable */
  invoke?: true;
  args: PyValue[];
  /** keyword arguments in the order written */
  kwargs: [string, PyValue][];
}

export interface MethodParam {
  name: string;
  required?: boolean;
  /** JSON Schema or a type hint in words */
  schema?: unknown;
  description?: string;
}

export interface MethodInfo {
  name: string;
  /** a human-readable signature, e.g. `get(key)` or XML-RPC's `string, string` lists */
  signature?: string;
  doc?: string;
  params?: MethodParam[];
}

export interface MethodList {
  methods: MethodInfo[];
  /**
   * how the list was obtained: 'introspection' (the server told us), 'learned' (names seen in
   * calls that did not fail with "no such method"), 'none' (nothing known)
   */
  source: 'introspection' | 'learned' | 'none';
  /** explanation shown to the user, e.g. why there is no introspection */
  note?: string;
  /** a remote object's exposed names that are no methods (RPyC: read as `c.name`) */
  attributes?: string[];
}
