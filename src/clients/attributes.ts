// The attribute names Tab offers after `head.` (RPyC): of a remote object a variable holds, or of
// the object a path from the service's root names. Other protocols have none.
import type { PyValue } from '../common/value';
import type { RpcClient } from './types';

export async function attributeNames(client: RpcClient, head: string, resolve: (name: string) => PyValue | undefined): Promise<string[]> {
  const [first, ...path] = head.split('.');
  const held = resolve(first);
  if (held?.t === 'ref' && client.completeRef) return client.completeRef(held, {}, path);
  if (client.complete) return client.complete(head);
  return [];
}
