// Awaiting a call that must fail with one of rpcscope's errors.
import { isRpcError, type RpcError } from '../../src/common/errors';

/** The RpcError `p` rejects with; any other outcome fails the test. */
export async function rpcErrorOf(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (e) {
    if (isRpcError(e)) return e;
    throw e;
  }
  throw new Error('expected an RpcError');
}
