// Contract entries for the wire view: pages of frame summaries, and one frame's bytes and layers.
import { z } from 'zod';
import { entry } from './base';

export const frameFilterSchema = z.object({
  callId: z.number().int().optional(),
  dir: z.enum(['in', 'out']).optional(),
  /** matched against the frame's bytes (as latin-1 text) and its call's source */
  text: z.string().optional(),
});
export type FrameFilter = z.infer<typeof frameFilterSchema>;

export const frameSummarySchema = z.object({
  seq: z.number().int(),
  callId: z.number().int().optional(),
  dir: z.enum(['in', 'out']),
  time: z.number(),
  /** ms since the first frame of its call, for the call's later frames (how long the reply took) */
  sinceCall: z.number().optional(),
  size: z.number().int(),
  /** the first bytes as printable text */
  preview: z.string(),
  /** what the user called, for frames of a call: `add(2, 3)` */
  callSource: z.string().optional(),
});
export type FrameSummary = z.infer<typeof frameSummarySchema>;

const range = z.tuple([z.number().int(), z.number().int()]);

export const layerSchema = z.object({
  kind: z.string(),
  title: z.string(),
  range: range.optional(),
  text: z.string().optional(),
  fields: z
    .array(z.object({ name: z.string(), value: z.string(), range: range.optional(), depth: z.number().int().optional() }))
    .optional(),
});
export type LayerDto = z.infer<typeof layerSchema>;

export const frameDetailSchema = frameSummarySchema.extend({
  /** base64 of the bytes, cut at `shownBytes` for very large frames */
  bytesB64: z.string(),
  shownBytes: z.number().int(),
  layers: z.array(layerSchema),
});
export type FrameDetail = z.infer<typeof frameDetailSchema>;

export const wireEntries = {
  'wire.page': entry(
    z.object({
      connectionId: z.string(),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(5000),
      filter: frameFilterSchema.optional(),
    }),
    z.object({ total: z.number().int(), frames: z.array(frameSummarySchema) }),
  ),
  'wire.detail': entry(z.object({ connectionId: z.string(), seq: z.number().int() }), frameDetailSchema),
  'wire.clear': entry(z.object({ connectionId: z.string() }), z.object({ cleared: z.number().int() })),
};
