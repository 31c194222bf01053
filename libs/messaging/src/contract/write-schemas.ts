import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allIntegrationEventSchemas } from './integration-event.schemas';

/** Where the published JSON Schemas live, relative to the repository root. */
export const SCHEMA_DIR = 'docs/integration-events';

export function schemaFileText(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** `npm run messaging:schemas`: (re)writes docs/integration-events/<type>.schema.json. */
export function writeSchemas(root: string): string[] {
  const dir = join(root, SCHEMA_DIR);
  mkdirSync(dir, { recursive: true });
  return Object.entries(allIntegrationEventSchemas()).map(([type, schema]) => {
    const file = join(dir, `${type}.schema.json`);
    writeFileSync(file, schemaFileText(schema));
    return file;
  });
}

if (require.main === module) {
  const files = writeSchemas(resolve(process.argv[2] ?? '.'));
  console.log(JSON.stringify({ written: files.length, dir: SCHEMA_DIR }));
}
