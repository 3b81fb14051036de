// Contract entries for calling methods: the composer, the console, the method list and history.
import { z } from 'zod';
import { jsonSafeValueSchema } from '../value-json';
import { entry, pastedCallHintSchema } from './base';

/** An exception the remote server raised: a normal outcome of a call, shown as such. */
export const remoteExceptionSchema = z.object({
  pyType: z.string(),
  pyMessage: z.string(),
  /** the last traceback line, `KeyError: 'nope'` */
  lastLine: z.string(),
  traceback: z.string().optional(),
  /** the lines of the exception's notes (`add_note`), printed under the last line */
  notes: z.array(z.string()).optional(),
  code: z.number().optional(),
});
export type RemoteException = z.infer<typeof remoteExceptionSchema>;

export const callOutcomeSchema = z.discriminatedUnion('kind', [
  // value: a preview, large containers cut short with a count of what was left out (`more`); repr: whole
  z.object({ kind: z.literal('value'), value: jsonSafeValueSchema, repr: z.string() }),
  z.object({ kind: z.literal('raised'), exception: remoteExceptionSchema }),
]);
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

export const callResultSchema = z.object({
  callId: z.number().int(),
  durationMs: z.number(),
  outcome: callOutcomeSchema,
  hint: pastedCallHintSchema.optional(),
});
export type CallResult = z.infer<typeof callResultSchema>;

export const methodInfoSchema = z.object({
  name: z.string(),
  signature: z.string().optional(),
  doc: z.string().optional(),
  params: z.array(z.object({ name: z.string(), required: z.boolean().optional(), description: z.string().optional() })).optional(),
});
export type MethodInfoDto = z.infer<typeof methodInfoSchema>;

export const methodListSchema = z.object({
  methods: z.array(methodInfoSchema),
  source: z.enum(['introspection', 'learned', 'none']),
  note: z.string().optional(),
});

/** Completions of the end of a line: the text they replace and the candidates, sorted. */
export const lineCompletionsSchema = z.object({
  kind: z.enum(['method', 'help', 'argument', 'key', 'attribute']),
  prefix: z.string(),
  candidates: z.array(z.string()),
});

/** What the console prints for one statement. */
export const consoleOutputSchema = z.object({
  /** the text echoed into the scrollback: a repr, a `Type: message` line, or nothing for assignments */
  text: z.string(),
  kind: z.enum(['value', 'raised', 'assigned']),
  /** the remote call the statement made, if any (its frames in the wire view carry this number) */
  callId: z.number().int().optional(),
  /** the variable the statement bound: its target, or `_` for a value other than None */
  bound: z.string().optional(),
  hint: pastedCallHintSchema.optional(),
});
export type ConsoleOutput = z.infer<typeof consoleOutputSchema>;

export const historyItemSchema = z.object({
  id: z.string(),
  source: z.string(),
  at: z.number(),
  durationMs: z.number(),
  ok: z.boolean(),
  /** the result's repr or the error's last line */
  summary: z.string(),
  /** the summary is the start of a longer result (a history keeps the start of each) */
  cut: z.boolean().optional(),
  /** the call's number in the wire log, for the calls made since the app started */
  callId: z.number().int().optional(),
});
export type HistoryItem = z.infer<typeof historyItemSchema>;

const connectionId = z.string();

export const callEntries = {
  // cached: the server's last listing (with the names calls have shown to work since) without
  // asking it again, for refreshing the list after a call: a listing probe is a call on the wire
  'methods.list': entry(z.object({ connectionId, cached: z.boolean().optional() }), methodListSchema),
  'calls.call': entry(z.object({ connectionId, source: z.string() }), callResultSchema),
  'console.eval': entry(z.object({ connectionId, source: z.string() }), consoleOutputSchema),
  /** what Tab offers at the end of a console line that needs the host: a variable's dict keys, a remote object's attributes */
  'console.complete': entry(z.object({ connectionId, line: z.string() }), lineCompletionsSchema),
  /** ends the calls and console statements waiting on the connection, with E_CANCELLED */
  'calls.cancel': entry(z.object({ connectionId }), z.object({ cancelled: z.number().int().nonnegative() })),
  /**
   * the replies being received on the connection: bytes here of the total their framing announced
   * (pickle:// and mpjson:// length prefixes, HTTP's Content-Length, RPyC frame headers); total 0
   * where it announces none (tcpjson:// reads to the close, JSON-RPC over TCP reads to a newline)
   */
  'calls.progress': entry(
    z.object({ connectionId }),
    z.array(z.object({ callId: z.number().int(), received: z.number().int().nonnegative(), total: z.number().int().nonnegative() })),
  ),
  'history.list': entry(z.object({ connectionId, limit: z.number().int().positive().optional() }), z.array(historyItemSchema)),
};
