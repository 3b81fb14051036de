// Contract entries for collections in the app: open a collection file, save the current call or a
// connection's whole history into one, run one call, all of them, or step through them (demo mode),
// and export the collection as a Python script.
import { z } from 'zod';
import { expectationSchema } from '../collection';
import { entry } from './base';

export const collectionCallViewSchema = z.object({
  index: z.number().int(),
  name: z.string().optional(),
  connection: z.string(),
  call: z.string(),
  expect: expectationSchema.optional(),
});

export const collectionViewSchema = z.object({
  /** the file, as the host resolved it */
  path: z.string(),
  name: z.string().optional(),
  environments: z.array(z.string()),
  connections: z.array(z.object({ name: z.string(), url: z.string(), authkey: z.string().optional() })),
  calls: z.array(collectionCallViewSchema),
});
export type CollectionView = z.infer<typeof collectionViewSchema>;

export const collectionRunResultSchema = z.object({
  index: z.number().int(),
  name: z.string().optional(),
  connection: z.string(),
  call: z.string(),
  status: z.enum(['pass', 'fail', 'error']),
  message: z.string().optional(),
  repr: z.string().optional(),
  error: z
    .object({ type: z.string(), message: z.string(), lastLine: z.string(), traceback: z.string().optional(), notes: z.array(z.string()).optional() })
    .optional(),
  durationMs: z.number(),
});
export type CollectionRunResult = z.infer<typeof collectionRunResultSchema>;

const target = { path: z.string().min(1), env: z.string().optional() };

export const collectionEntries = {
  'collections.open': entry(z.object({ path: z.string().min(1) }), collectionViewSchema),
  /** adds (or replaces, by name) a call made on an app connection; the file is created when missing */
  'collections.saveCall': entry(
    z.object({ path: z.string().min(1), connectionId: z.string(), source: z.string().min(1), name: z.string().optional(), expect: expectationSchema.optional() }),
    collectionViewSchema,
  ),
  /** appends every call in a connection's history, with the outcome seen as the expectation */
  'collections.saveHistory': entry(z.object({ path: z.string().min(1), connectionId: z.string() }), collectionViewSchema),
  /** runs every call, or only call `index` */
  'collections.run': entry(
    z.object({ ...target, index: z.number().int().nonnegative().optional() }),
    z.object({ results: z.array(collectionRunResultSchema), passed: z.number().int(), failed: z.number().int(), errors: z.number().int() }),
  ),
  /** demo mode: runs the next call of the file's stepper (restart: from the first call again) */
  'collections.step': entry(
    z.object({ ...target, restart: z.boolean().optional() }),
    z.object({ result: collectionRunResultSchema.optional(), position: z.number().int(), total: z.number().int(), done: z.boolean() }),
  ),
  /** how far the replies to the calls under way in the window's collection runs have come (as calls.progress) */
  'collections.progress': entry(z.object({}), z.array(z.object({ received: z.number().int().nonnegative(), total: z.number().int().nonnegative() }))),
  /** ends the call under way in the window's collection runs with E_CANCELLED (a run goes on with the next call) */
  'collections.cancel': entry(z.object({}), z.object({ cancelled: z.number().int().nonnegative() })),
  'collections.python': entry(z.object(target), z.object({ script: z.string() })),
  /** the collection files used last that still exist, most recent first, and the folder relative paths are resolved in */
  'collections.recent': entry(z.object({}), z.object({ files: z.array(z.string()), dir: z.string() })),
};
