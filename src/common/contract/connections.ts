// Contract entries for the connection registry.
import { z } from 'zod';
import { entry, noArgs } from './base';

export const connectionStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle') }),
  z.object({ state: z.literal('connecting') }),
  z.object({ state: z.literal('connected') }),
  /** schemes: those the server looks like it speaks, when the error says the URL's looks wrong */
  z.object({ state: z.literal('failed'), code: z.string(), reason: z.string(), schemes: z.array(z.string()).optional() }),
]);
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

export const connectionInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** the URL without any authkey */
  url: z.string(),
  scheme: z.string(),
  hasAuthkey: z.boolean(),
  timeoutMs: z.number().int().positive(),
  /** started by the app (demo servers): not remembered across restarts */
  ephemeral: z.boolean(),
  status: connectionStatusSchema,
});
export type ConnectionInfo = z.infer<typeof connectionInfoSchema>;

const timeoutMs = z.number().int().min(1).max(3_600_000);

export const connectionInputSchema = z.object({
  url: z.string().min(1),
  name: z.string().optional(),
  /** the authkey; a `?authkey=` in the URL is taken out of it and kept here instead */
  authkey: z.string().optional(),
  timeoutMs: timeoutMs.optional(),
});

export const connectionEntries = {
  'connections.list': entry(noArgs, z.array(connectionInfoSchema)),
  'connections.add': entry(connectionInputSchema, connectionInfoSchema),
  'connections.edit': entry(
    z.object({
      id: z.string(),
      url: z.string().min(1).optional(),
      name: z.string().optional(),
      /** undefined keeps the stored authkey, '' removes it */
      authkey: z.string().optional(),
      timeoutMs: timeoutMs.optional(),
    }),
    connectionInfoSchema,
  ),
  'connections.remove': entry(z.object({ id: z.string() }), z.object({ removed: z.boolean() })),
  'connections.connect': entry(z.object({ id: z.string() }), connectionInfoSchema),
};
