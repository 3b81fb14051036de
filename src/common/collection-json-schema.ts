// The collection format as JSON Schema (published as schema/collection.schema.json for editors
// and other tools). Cross-field rules (connection names exist, regexes compile) are checked by
// parseCollection only.
import { z } from 'zod';
import { collectionSchema } from './collection';

export const COLLECTION_SCHEMA_ID = 'https://rpcscope.dev/schema/collection.schema.json';

export function collectionJsonSchemaText(): string {
  const schema = z.toJSONSchema(collectionSchema, { target: 'draft-2020-12', io: 'input' });
  const doc = { $id: COLLECTION_SCHEMA_ID, title: 'rpcscope collection', ...schema };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
