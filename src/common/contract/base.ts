// The building blocks of the main/renderer contract: an entry is a name plus request and response
// schemas; every call answers with a Result, nothing throws across the boundary.
import { z } from 'zod';

export interface Entry<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  req: Req;
  res: Res;
}

export const entry = <Req extends z.ZodType, Res extends z.ZodType>(req: Req, res: Res): Entry<Req, Res> => ({ req, res });

/** For a call pasted from Python client code (`proxy.add(2, 3)`) that the server did not know. */
export const pastedCallHintSchema = z.object({
  /** the statement as it is typed here: `add(2, 3)` */
  suggested: z.string(),
  /** the client object's part it leaves out: `proxy.` */
  dropped: z.string(),
});

export const failureSchema = z.object({
  /** an ErrorCode from src/common/errors, or E_BRIDGE for transport problems between the two sides */
  code: z.string(),
  message: z.string(),
  detail: z.unknown().optional(),
  /** a call that failed after it started (a timeout, a closed connection): its frames carry this number */
  callId: z.number().int().positive().optional(),
  /** a call pasted from Python client code that the server may have gone silent on */
  hint: pastedCallHintSchema.optional(),
});
export type Failure = z.infer<typeof failureSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export const noArgs = z.object({});
