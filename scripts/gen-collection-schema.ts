// Writes schema/collection.schema.json from the zod schema in src/common/collection.ts.
// Run: npx tsx scripts/gen-collection-schema.ts   (test/unit/collection-schema.test.ts checks it is current)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectionJsonSchemaText } from '../src/common/collection-json-schema';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'collection.schema.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, collectionJsonSchemaText());
console.log(`wrote ${out}`);
